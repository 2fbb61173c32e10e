/**
 * Plain-language explanations of relocation outcomes — what libbpf's log leaves the reader to
 * work out: which accessor failed and what the target has there, the nearest names when a
 * field or type is missing, where a poisoned instruction is in the source, and whether a
 * branch guards it.
 */
import { BtfKind } from '../btf/types.ts';
import type { Btf, BtfType, TypeId } from '../btf/types.ts';
import { ReloKind, isEnumvalBasedKind, isFieldBasedKind } from '../btfext/relo-kind.ts';
import { lineInfoAt } from '../btfext/lookup.ts';
import type { BpfObject } from '../object/index.ts';
import { rodataRefs } from '../object/data-refs.ts';
import { kindWord, kindWordOf, skipMods } from './btf-util.ts';
import type { CandidateIndex, TargetSet } from './candidates.ts';
import { closestNames } from './closest.ts';
import { analyseReachability } from './guard.ts';
import type { GuardAnalysis } from './guard.ts';
import { InsnBuffer } from './insns.ts';
import type { RelocateResult, RelocationReport } from './relocate.ts';
import type { AccessSpec } from './spec.ts';

export interface SourceLine {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly text: string;
}

export interface Explanation {
  readonly section: string;
  readonly index: number;
  readonly sentence: string;
  /** nearest existing names for a missing field or type */
  readonly suggestions: string[];
  /** for a poisoned instruction */
  readonly source?: SourceLine;
  readonly guard?: GuardAnalysis;
  /** per non-matching candidate: what failed and what the target has there */
  readonly whyNot?: { readonly index: number; readonly reason: string; readonly suggestions: string[] }[];
}

function typeLabel(btf: Btf, id: TypeId): string {
  const name = btf.name(id);
  return `${kindWord(btf, id)} ${name || '<anon>'}`;
}

/** Member names of a composite, anonymous members' members included (how matching sees them). */
function memberNames(btf: Btf, id: TypeId, depth = 0): string[] {
  const t = btf.type(skipMods(btf, id));
  if (!(t.kind === BtfKind.Struct || t.kind === BtfKind.Union) || depth > 64) return [];
  const out: string[] = [];
  for (const m of t.members) {
    if (m.name) out.push(m.name);
    else out.push(...memberNames(btf, m.type, depth + 1));
  }
  return out;
}

/** The accessor path of a local spec up to accessor `upto` (exclusive), as C: `.a[2].b`. */
function pathText(spec: AccessSpec, upto: number): string {
  let s = '';
  spec.accessors.slice(0, upto).forEach((a, i) => {
    if (a.name !== undefined) s += `.${a.name}`;
    else if (i > 0 || a.idx > 0) s += `[${a.idx}]`;
  });
  return s;
}

function describeType(t: BtfType): string {
  return `${kindWordOf(t.kind)} ${t.name || '<anon>'}`;
}

/** Why one candidate did not match, in words. */
function whyNot(r: RelocationReport, ci: number): { text: string; suggestions: string[] } {
  const c = r.candidateModels[ci]!;
  const local = r.localSpecModel!;
  const tbtf = c.candidate.target.btf;
  const where = `${typeLabel(tbtf, c.candidate.id)} [${c.candidate.id}] in ${c.candidate.target.name}`;
  if (c.result < 0) return { text: `${where}: matching failed with error ${c.result}`, suggestions: [] };
  if (!isFieldBasedKind(r.kind)) {
    if (isEnumvalBasedKind(r.kind)) {
      const name = local.accessors[0]?.name ?? '';
      const t = tbtf.type(skipMods(tbtf, c.candidate.id));
      const pool = t.kind === BtfKind.Enum || t.kind === BtfKind.Enum64 ? t.values.map((v) => v.name) : [];
      const sug = closestNames(name, pool);
      return { text: `${where} has no enumerator ${name}`, suggestions: sug };
    }
    return { text: `${where} is not ${r.kind === ReloKind.TypeMatches ? 'a match for' : 'compatible with'} the local type`, suggestions: [] };
  }
  const at = c.failedAt ?? 0;
  const acc = local.accessors[at];
  const tid = c.failedTargetId;
  if (!acc || tid === undefined) return { text: `${where} does not match`, suggestions: [] };
  const there = tbtf.type(tid);
  const lpath = `${typeLabel(local.btf, local.rootTypeId)}${pathText(local, at)}`;
  if (acc.name !== undefined) {
    const names = memberNames(tbtf, tid);
    if (names.includes(acc.name)) {
      return { text: `${where}: member ${acc.name} of ${describeType(there)} exists but its type is incompatible with the local one (${lpath}.${acc.name})`, suggestions: [] };
    }
    if (!(there.kind === BtfKind.Struct || there.kind === BtfKind.Union)) {
      return { text: `${where}: ${lpath} is a ${describeType(there)} in the target, not a struct or union with member ${acc.name}`, suggestions: [] };
    }
    const sug = closestNames(acc.name, names);
    return { text: `${where}: ${describeType(there)} has no member ${acc.name}`, suggestions: sug };
  }
  if (there.kind !== BtfKind.Array) {
    return { text: `${where}: ${lpath} is a ${describeType(there)} in the target, not an array`, suggestions: [] };
  }
  return { text: `${where}: index ${acc.idx} is out of bounds of ${lpath} (${there.nelems} elements in the target)`, suggestions: [] };
}

function renameReason(x: { text: string; suggestions: string[] }): { reason: string; suggestions: string[] } {
  return { reason: x.text, suggestions: x.suggestions };
}

function namesOfKind(index: CandidateIndex, kind: number): string[] {
  const { btf, startId } = index.target;
  const out: string[] = [];
  const want = kind === BtfKind.Enum64 ? BtfKind.Enum : kind;
  for (let id = Math.max(1, startId); id < btf.typeCount; id++) {
    const k = btf.kind(id);
    if ((k === BtfKind.Enum64 ? BtfKind.Enum : k) === want) out.push(btf.name(id));
  }
  return out;
}

function valueWords(r: RelocationReport): string {
  const v = r.newValue;
  switch (r.kind) {
    case ReloKind.FieldByteOffset:
      return `is at byte offset ${v}`;
    case ReloKind.FieldByteSize:
      return `is ${v} bytes wide`;
    case ReloKind.FieldExists:
    case ReloKind.TypeExists:
    case ReloKind.EnumvalExists:
      return v ? 'exists' : 'does not exist';
    case ReloKind.TypeMatches:
      return v ? 'matches' : 'does not match';
    case ReloKind.FieldSigned:
      return v ? 'is signed' : 'is unsigned';
    case ReloKind.FieldLShiftU64:
      return `needs a left shift of ${v}`;
    case ReloKind.FieldRShiftU64:
      return `needs a right shift of ${v}`;
    case ReloKind.TypeIdLocal:
    case ReloKind.TypeIdTarget:
      return `has type id ${v}`;
    case ReloKind.TypeSize:
      return `is ${v} bytes`;
    case ReloKind.EnumvalValue:
      return `has the value ${v}`;
    default:
      return `gives ${v}`;
  }
}

export function explainRelocation(obj: BpfObject, targets: TargetSet, res: RelocateResult, r: RelocationReport): Explanation {
  const whyNotList =
    r.localSpecModel === undefined
      ? []
      : r.candidates.flatMap((c, i) => (c.matched ? [] : [{ index: c.index, ...renameReason(whyNot(r, i)) }]));
  const base = { section: r.section, index: r.index, ...(whyNotList.length ? { whyNot: whyNotList } : {}) };
  const subject = r.localSpecModel
    ? `${typeLabel(r.localSpecModel.btf, r.localSpecModel.rootTypeId)}${isFieldBasedKind(r.kind) ? pathText(r.localSpecModel, r.localSpecModel.accessors.length) : ''}`
    : `${r.localTypeKind} ${r.localTypeName || '<anon>'}`;

  switch (r.status) {
    case 'skipped':
      return { ...base, sentence: `No function owns section instruction ${r.secInsn} (an eliminated __weak subprogram): libbpf skips this relocation.`, suggestions: [] };
    case 'not-autoloaded':
      return { ...base, sentence: `${r.program} is in a "?" section and not loaded by default: libbpf skips its relocations.`, suggestions: [] };
    case 'not-processed':
      return { ...base, sentence: 'An earlier relocation failed the load, so libbpf never got here.', suggestions: [] };
    default:
  }

  if (r.status === 'error') {
    const w = r.warnings.map((x) => x.replace(/^libbpf: /, '')).join('; ');
    return { ...base, sentence: `libbpf fails the whole load here (error ${r.errno}): ${w || 'no message'}.`, suggestions: [] };
  }

  // poisoned: where is it, and can the verifier reach it?
  const poisonTail = (): { text: string; source?: SourceLine; guard?: GuardAnalysis } => {
    let source: SourceLine | undefined;
    if (obj.btfExt) {
      const li = lineInfoAt(obj.btfExt, r.section, r.insnOff);
      if (li) source = { file: li.fileName, line: li.lineNum, col: li.col, text: li.line.trim() };
    }
    let guard: GuardAnalysis | undefined;
    const fn = res.functions.find((f) => f.name === r.program && f.elfSection === r.section);
    const prog = obj.programs.find((x) => x.name === r.program && x.elfSection === r.section);
    if (fn && prog && r.insn !== undefined) {
      guard = analyseReachability(new InsnBuffer(fn.after.slice(), obj.endian), r.insn, { rodata: rodataRefs(obj, prog) });
    }
    const at = source ? ` at ${source.file}:${source.line} (\`${source.text}\`)` : '';
    const reach = !guard
      ? ''
      : guard.reachable
        ? ' No branch on a CO-RE constant guards it: if the verifier reaches it, the load fails with "invalid func unknown#195896080".'
        : ` It is guarded (by the branch at insn ${guard.guards.join(', ') || '?'}), so the verifier should treat it as dead code.`;
    return {
      text: `libbpf poisons instruction ${r.insn} of ${r.program}${at}.${reach}`,
      ...(source ? { source } : {}),
      ...(guard ? { guard } : {}),
    };
  };

  if (!r.noMatch) {
    const to = r.candidates.filter((c) => c.matched).map((c) => `[${c.id}] in ${c.btf}`);
    const src = to.length ? ` (target ${to.join(', ')})` : '';
    if (r.status === 'poisoned') {
      // matched, but the load/store cannot be resized (libbpf's fail_memsz_adjust)
      const t = poisonTail();
      const sizes = r.res ? ` from ${r.res.origSz} to ${r.res.newSz} bytes` : '';
      return {
        ...base,
        sentence: `${subject} was found${src}, but an instruction loading or storing it cannot be resized${sizes}: only pointers and unsigned integers may change size; ${t.text}`,
        suggestions: [],
        ...(t.source ? { source: t.source } : {}),
        ...(t.guard ? { guard: t.guard } : {}),
      };
    }
    const change = r.origValue !== undefined && r.newValue !== undefined && r.origValue !== r.newValue ? `; the compiled value ${r.origValue} becomes ${r.newValue}` : '';
    return { ...base, sentence: `${subject} ${valueWords(r)} in the target${src}${change}.`, suggestions: [] };
  }

  // nothing matched
  const suggestions: string[] = [];
  let why: string;
  if (r.candidates.length === 0) {
    const kind = obj.btf ? obj.btf.kind(r.localTypeId) : BtfKind.Void;
    const pool = [targets.vmlinux, ...targets.modules].flatMap((i) => namesOfKind(i, kind));
    suggestions.push(...closestNames(r.localTypeName.replace(/___.*$/, ''), pool));
    why = `the target has no ${kindWordOf(kind)} named ${r.localTypeName.replace(/___[^_].*$/, '')}`;
  } else {
    const reasons = r.candidates.map((_, i) => whyNot(r, i));
    for (const x of reasons) for (const s of x.suggestions) if (!suggestions.includes(s)) suggestions.push(s);
    why = reasons.map((x) => x.text).join('; ');
    // libbpf's cache keeps only the candidates earlier relocations of this type matched
    const first = res.relocations.find((x) => x.localTypeId === r.localTypeId && x.candidateSearch.length > 0);
    if (first && first !== r && first.candidateSearch.length > r.candidates.length) {
      why += `; ${first.candidateSearch.length - r.candidates.length} other candidate(s) were dropped from the cache because earlier relocations of this type did not match them (first: ${first.section} #${first.index})`;
    }
  }
  const hint = suggestions.length ? ` Closest names in the target: ${suggestions.join(', ')}.` : '';

  if (r.status !== 'poisoned') {
    return { ...base, sentence: `${subject} not found (${why}), so libbpf patches in ${r.newValue ?? 0}.${hint}`, suggestions };
  }
  const t = poisonTail();
  return {
    ...base,
    sentence: `${subject} not found (${why}); ${t.text}${hint}`,
    suggestions,
    ...(t.source ? { source: t.source } : {}),
    ...(t.guard ? { guard: t.guard } : {}),
  };
}

export function explainAll(obj: BpfObject, targets: TargetSet, res: RelocateResult): Explanation[] {
  return res.relocations.map((r) => explainRelocation(obj, targets, res, r));
}

/**
 * The CO-RE pass of libbpf 1.1.2's bpf_object__relocate_core over a whole object: every
 * `.BTF.ext` CO-RE record, section by section, in file order, against one target set, sharing
 * one candidate cache. Produces the result model (per relocation and per function) and the
 * exact log libbpf prints at debug level.
 */
import { reloKindName, ReloKind } from '../btfext/relo-kind.ts';
import type { CoreReloRecord } from '../btfext/types.ts';
import type { BpfObject, BpfProgram } from '../object/index.ts';
import { CorelabError } from '../errors.ts';
import { programLayouts } from '../object/link.ts';
import type { LayoutEntry } from '../object/link.ts';
import { isValidId, kindWord } from './btf-util.ts';
import { calcReloInsn } from './calc.ts';
import type { CandidateOutcome } from './calc.ts';
import { CandidateCache, findCandidates } from './candidates.ts';
import type { Candidate, TargetSet } from './candidates.ts';
import { Errno } from './errno.ts';
import { InsnBuffer } from './insns.ts';
import { CoreLog } from './log.ts';
import type { LogLine, LogMessage } from './log.ts';
import { patchInsn } from './patch.ts';
import type { PatchRecord } from './patch.ts';
import { formatSpec } from './spec.ts';
import type { AccessSpec } from './spec.ts';
import { specLayout } from './layout.ts';
import type { LayoutStep } from './layout.ts';
import type { ReloRes } from './value.ts';

export type ReloStatus =
  /** instruction rewritten with the target value */
  | 'patched'
  /** instruction replaced by the invalid-helper call */
  | 'poisoned'
  /** libbpf aborts the load here */
  | 'error'
  /** no program owns the instruction (eliminated __weak subprogram); logged and skipped */
  | 'skipped'
  /** program not autoloaded (`SEC("?…")`): silently skipped */
  | 'not-autoloaded'
  /** an earlier hard error stopped the pass */
  | 'not-processed';

export interface CandidateReport {
  readonly index: number;
  readonly btf: string;
  readonly id: number;
  readonly kind: string;
  readonly name: string;
  readonly matched: boolean;
  readonly error: number | undefined;
  readonly spec: string;
  /** index of the local accessor where matching stopped, for a non-match */
  readonly failedAt: number | undefined;
}

export interface RelocationReport {
  readonly section: string;
  /** index within the section's records (libbpf's "relo #N") */
  readonly index: number;
  readonly insnOff: number;
  readonly secInsn: number;
  readonly program: string | undefined;
  /** program-relative instruction index */
  readonly insn: number | undefined;
  readonly kind: number;
  readonly kindName: string;
  readonly localTypeId: number;
  readonly localTypeKind: string;
  readonly localTypeName: string;
  readonly accessStr: string;
  status: ReloStatus;
  localSpec: string | undefined;
  /** lines "found target candidate" printed because this relocation filled the cache */
  candidateSearch: string[];
  candidates: CandidateReport[];
  targetSpec: string | undefined;
  /** no candidate matched: the kind's "not found" values were used (0 or poison) */
  noMatch: boolean;
  origValue: bigint | undefined;
  newValue: bigint | undefined;
  patches: PatchRecord[];
  /** errno of a hard error */
  errno: number | undefined;
  /** libbpf's warning lines for this relocation */
  warnings: string[];
  /** the verifier-log text libbpf substitutes when the poisoned instruction is reached (function-relative index) */
  fixup: string | undefined;
  /** the same per loaded program, with the instruction's index in that program (subprograms appended) */
  fixups: { program: string; insn: number; text: string }[];
  /** the types on the path, step by step, locally and in the chosen target */
  localLayout: LayoutStep[];
  targetLayout: LayoutStep[];
  /** local and target specs as models, for explanations */
  localSpecModel: AccessSpec | undefined;
  targetSpecModel: AccessSpec | undefined;
  candidateModels: CandidateOutcome[];
  res: ReloRes | undefined;
}

export interface FunctionReport {
  readonly name: string;
  /** section name without a leading '?' */
  readonly section: string;
  /** section name as in the ELF */
  readonly elfSection: string;
  readonly secInsnOff: number;
  readonly insnCount: number;
  readonly autoload: boolean;
  readonly isSubprog: boolean;
  /** instruction bytes before and after CO-RE (file byte order) */
  readonly before: Uint8Array;
  readonly after: Uint8Array;
}

export interface RelocateResult {
  /** false when libbpf would fail the load during CO-RE */
  readonly ok: boolean;
  /** errno libbpf's bpf_object__relocate_core returns (0 if ok) */
  readonly errno: number;
  readonly relocations: RelocationReport[];
  readonly functions: FunctionReport[];
  readonly messages: readonly LogMessage[];
  readonly lines: LogLine[];
  readonly stats: { readonly candidateSearches: number; readonly relocations: number };
  /** where each function sits in each program libbpf would load (undefined if calls do not link) */
  readonly layouts: Map<string, LayoutEntry[]> | undefined;
}

function hex64(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Text of the lines in messages[from..] with a given level. */
function warningsSince(log: CoreLog, from: number): string[] {
  return log
    .since(from)
    .filter((m) => m.level === 'warn')
    .map((m) => m.text.replace(/\n $/, '\n').replace(/\n$/, ''));
}

export interface RelocateOptions {
  /** libbpf's kernel-less LSHIFT formula depends on the host's byte order: use the object's */
  readonly endian?: 'little' | 'big';
}

export function relocateObject(obj: BpfObject, targets: TargetSet, opts: RelocateOptions = {}): RelocateResult {
  const log = new CoreLog();
  const endian = opts.endian ?? obj.endian;
  const buffers = new Map<BpfProgram, InsnBuffer>();
  for (const p of obj.programs) buffers.set(p, new InsnBuffer(p.insns.slice(), obj.endian));
  const relocations: RelocationReport[] = [];
  const cache = new CandidateCache();
  let errno = 0;
  let searches = 0;

  const ext = obj.btfExt;
  const localBtf = obj.btf;
  const blocks = ext && localBtf ? ext.coreRelos : [];
  const total = blocks.reduce((n, b) => n + b.records.length, 0);

  const report = (sec: string, i: number, r: CoreReloRecord, status: ReloStatus, owner?: BpfProgram): RelocationReport => {
    const secInsn = Math.floor(r.insnOff / 8);
    // relocations never reached still belong to a function, for the report
    const prog = owner ?? (sec !== '' && r.insnOff % 8 === 0 ? obj.findProgram(obj.sectionIndex(sec), secInsn) : undefined);
    const valid = localBtf !== undefined && isValidId(localBtf, r.typeId);
    return {
      section: sec,
      index: i,
      insnOff: r.insnOff,
      secInsn,
      program: prog?.name,
      insn: prog ? secInsn - prog.secInsnOff : undefined,
      kind: r.kind,
      kindName: reloKindName(r.kind),
      localTypeId: r.typeId,
      localTypeKind: valid ? kindWord(localBtf, r.typeId) : 'unknown',
      localTypeName: valid ? localBtf.name(r.typeId) : '',
      accessStr: r.accessStr,
      status,
      localSpec: undefined,
      candidateSearch: [],
      candidates: [],
      targetSpec: undefined,
      noMatch: false,
      origValue: undefined,
      newValue: undefined,
      patches: [],
      errno: undefined,
      warnings: [],
      fixup: undefined,
      fixups: [],
      localLayout: [],
      targetLayout: [],
      localSpecModel: undefined,
      targetSpecModel: undefined,
      candidateModels: [],
      res: undefined,
    };
  };

  if (localBtf && total > 0) {
    outer: for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b]!;
      if (block.section === '') {
        errno = -Errno.EINVAL;
        for (let k = b; k < blocks.length; k++) block.records.forEach((r, i) => relocations.push(report(blocks[k]!.section, i, r, 'not-processed')));
        break;
      }
      const secIdx = obj.sectionIndex(block.section);
      log.debug(`sec '${block.section}': found ${block.records.length} CO-RE relocations\n`);

      for (let i = 0; i < block.records.length; i++) {
        const rec = block.records[i]!;
        if (rec.insnOff % 8 !== 0) {
          errno = -Errno.EINVAL;
          const rep = report(block.section, i, rec, 'error');
          rep.errno = errno;
          relocations.push(rep);
          markRest(blocks, b, i + 1, relocations, report);
          break outer;
        }
        const secInsn = rec.insnOff / 8;
        const prog = obj.findProgram(secIdx, secInsn);
        if (!prog) {
          log.debug(
            `sec '${block.section}': skipping CO-RE relocation #${i} for insn #${secInsn} belonging to eliminated weak subprogram\n`,
          );
          relocations.push(report(block.section, i, rec, 'skipped'));
          continue;
        }
        if (!prog.autoload) {
          relocations.push(report(block.section, i, rec, 'not-autoloaded', prog));
          continue;
        }
        const insnIdx = secInsn - prog.secInsnOff;
        const rep = report(block.section, i, rec, 'patched', prog);
        relocations.push(rep);
        const mark = log.messages.length;

        const err = resolveAndPatch(prog, rec, i, insnIdx, rep);
        rep.warnings = warningsSince(log, mark);
        if (err) {
          errno = err;
          rep.status = 'error';
          rep.errno = err;
          markRest(blocks, b, i + 1, relocations, report);
          break outer;
        }
      }
    }
  }
  if (errno) log.warn(`failed to perform CO-RE relocations: ${errno}\n`);

  function resolveAndPatch(prog: BpfProgram, rec: CoreReloRecord, i: number, insnIdx: number, rep: RelocationReport): number {
    const btf = localBtf!;
    if (!isValidId(btf, rec.typeId)) {
      log.warn(`prog '${prog.name}': relo #${i}: failed to relocate: ${-Errno.EINVAL}\n`);
      return -Errno.EINVAL;
    }
    let cands: Candidate[] | undefined;
    if (rec.kind !== ReloKind.TypeIdLocal) {
      cands = cache.get(rec.typeId);
      if (!cands) {
        const mark = log.messages.length;
        const found = findCandidates(btf, rec.typeId, targets, log);
        searches++;
        rep.candidateSearch = log.since(mark).map((m) => m.text.replace(/\n$/, ''));
        if (typeof found === 'number') {
          log.warn(
            `prog '${prog.name}': relo #${i}: target candidate search failed for [${rec.typeId}] ${kindWord(btf, rec.typeId)} ${btf.name(rec.typeId)}: ${found}\n`,
          );
          log.warn(`prog '${prog.name}': relo #${i}: failed to relocate: ${found}\n`);
          return found;
        }
        cands = found;
        cache.set(rec.typeId, cands);
      }
    }

    const c = calcReloInsn(prog.name, rec, i, btf, cands, endian, log);
    rep.localSpec = c.localSpecText;
    rep.localSpecModel = c.localSpec;
    rep.candidateModels = c.candidates;
    rep.candidates = c.candidates.map((o) => ({
      index: o.index,
      btf: o.candidate.target.name,
      id: o.candidate.id,
      kind: kindWord(o.candidate.target.btf, o.candidate.id),
      name: o.candidate.target.btf.name(o.candidate.id),
      matched: o.result > 0,
      error: o.result < 0 ? o.result : undefined,
      spec: o.spec,
      failedAt: o.failedAt,
    }));
    rep.targetSpec = c.targetSpec ? formatSpec(c.targetSpec).text : undefined;
    rep.targetSpecModel = c.targetSpec;
    rep.noMatch = c.noMatch;
    if (c.localSpec) rep.localLayout = specLayout(c.localSpec);
    if (c.targetSpec) rep.targetLayout = specLayout(c.targetSpec);
    if (c.err) {
      log.warn(`prog '${prog.name}': relo #${i}: failed to relocate: ${c.err}\n`);
      return c.err;
    }
    if (cands) cache.prune(rec.typeId, c.matched);
    rep.res = c.res;
    rep.origValue = c.res.origVal;
    rep.newValue = c.res.newVal;

    const buf = buffers.get(prog)!;
    const perr = patchInsn(prog.name, buf, insnIdx, rec, i, c.res, log, rep.patches);
    if (perr) {
      log.warn(`prog '${prog.name}': relo #${i}: failed to patch insn #${insnIdx >>> 0}: ${perr}\n`);
      return perr;
    }
    if (rep.patches.some((p) => p.what === 'poison')) {
      rep.status = 'poisoned';
      if (c.localSpec) {
        const f = formatSpec(c.localSpec);
        rep.fixup = `${insnIdx}: <invalid CO-RE relocation>\nfailed to resolve CO-RE relocation ${f.text}${f.fullLength >= 256 ? '...' : ''}\n`;
      }
    }
    return 0;
  }

  let layouts: Map<string, LayoutEntry[]> | undefined;
  try {
    layouts = programLayouts(obj);
  } catch (e) {
    if (!(e instanceof CorelabError)) throw e;
  }
  for (const rep of relocations) {
    if (!rep.fixup || rep.program === undefined || rep.insn === undefined) continue;
    const rest = rep.fixup.slice(rep.fixup.indexOf(':'));
    for (const [main, entries] of layouts ?? []) {
      const e = entries.find((x) => x.function === rep.program);
      if (e) rep.fixups.push({ program: main, insn: e.at + rep.insn, text: `${e.at + rep.insn}${rest}` });
    }
  }

  const functions: FunctionReport[] = obj.programs.map((p) => ({
    name: p.name,
    section: p.section,
    elfSection: p.elfSection,
    secInsnOff: p.secInsnOff,
    insnCount: p.insnCount,
    autoload: p.autoload,
    isSubprog: p.isSubprog,
    before: p.insns,
    after: buffers.get(p)!.bytes,
  }));

  return {
    ok: errno === 0,
    errno,
    relocations,
    functions,
    messages: log.messages,
    lines: log.lines(),
    stats: { candidateSearches: searches, relocations: relocations.length },
    layouts,
  };
}

function markRest(
  blocks: readonly { section: string; records: readonly CoreReloRecord[] }[],
  b: number,
  from: number,
  out: RelocationReport[],
  report: (sec: string, i: number, r: CoreReloRecord, status: ReloStatus) => RelocationReport,
): void {
  for (let k = b; k < blocks.length; k++) {
    const recs = blocks[k]!.records;
    for (let i = k === b ? from : 0; i < recs.length; i++) out.push(report(blocks[k]!.section, i, recs[i]!, 'not-processed'));
  }
}

/** Instructions as 16-hex-digit strings (memory order), for reports and comparisons. */
export function insnHex(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i + 8 <= bytes.length; i += 8) out.push(hex64(bytes.subarray(i, i + 8)));
  return out;
}

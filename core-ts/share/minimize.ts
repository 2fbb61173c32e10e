/**
 * A target BTF cut down to what one case needs, in the spirit of `bpftool gen min_core_btf`
 * (BTFGen): every relocation of the case gets the same outcome against the small BTF as against
 * the full one, except the values of TYPE_ID_TARGET, which are ids and get renumbered.
 *
 * What is kept, per relocation, for *every* candidate that matched (BTFGen keeps only the first;
 * keeping all of them keeps libbpf's candidate-cache pruning and ambiguity checks the same):
 * - field kinds: the root, and along the target's raw path each struct/union with only the member
 *   taken, the member's type (not through pointers) and array elements. Structs keep their size
 *   and member offsets, so offsets, sizes and bitfield shifts come out the same;
 * - TYPE_EXISTS / TYPE_SIZE / TYPE_ID_TARGET: the root through pointers, arrays, typedefs and
 *   function prototypes (what types_are_compat walks); structs without members;
 * - TYPE_MATCHES: the whole shape, members recursively, stopping at composites behind a pointer
 *   (types_match only compares their name and kind);
 * - enumval kinds: the whole enum.
 * A candidate whose matching failed with an error (a path over libbpf's 64 steps) is kept with
 * every embedded member, so the search walks as deep again.
 * A pointer to a type nobody kept becomes `void *`. A `long` is kept so the pointer size libbpf
 * infers stays the same. Removing members or candidates can only make matching fail where it
 * matched before in pathological cases (same-named members in anonymous unions), which
 * `sameOutcome` detects; callers check with it before trusting the result.
 */
import { BtfKind } from '../btf/types.ts';
import type { Btf, Member, TypeId } from '../btf/types.ts';
import { isEnumvalBasedKind, isFieldBasedKind, ReloKind } from '../btfext/relo-kind.ts';
import { parseBtf } from '../btf/parse.ts';
import { makeTargetSet } from '../core/candidates.ts';
import { relocateObject } from '../core/relocate.ts';
import type { RelocateResult, RelocationReport } from '../core/relocate.ts';
import type { BpfObject } from '../object/index.ts';
import { CorelabError } from '../errors.ts';
import { writeBtf } from './btf-write.ts';
import type { WrittenType } from './btf-write.ts';

/** Type chains in real BTFs are a few levels deep; this only stops a malformed cycle. */
const MAX_DEPTH = 64;

const LONG_NAMES = new Set(['long', 'long int', 'int long', 'unsigned long', 'long unsigned', 'unsigned long int', 'unsigned int long', 'long unsigned int', 'long int unsigned', 'int unsigned long', 'int long unsigned']);

class Marks {
  /** kept ids → member indexes kept (composites), or undefined for other kinds */
  readonly kept = new Map<TypeId, Set<number> | undefined>();
  /** "id:followPtrs" already walked by chain(): stops pointer cycles and repeated work */
  private readonly walked = new Set<string>();
  constructor(readonly btf: Btf) {}

  private keep(id: TypeId): Set<number> | undefined {
    if (!this.kept.has(id)) {
      const k = this.btf.kind(id);
      this.kept.set(id, k === BtfKind.Struct || k === BtfKind.Union ? new Set() : undefined);
    }
    return this.kept.get(id);
  }

  /** The type and what it is made of; pointers followed only when asked; struct members never. */
  chain(id: TypeId, followPtrs: boolean, depth = 0): void {
    if (id === 0 || depth > MAX_DEPTH) return;
    const key = followPtrs ? `${id}:p` : `${id}`;
    if (this.walked.has(key)) return;
    this.walked.add(key);
    this.keep(id);
    const t = this.btf.type(id);
    switch (t.kind) {
      case BtfKind.Ptr:
        if (followPtrs) this.chain(t.type, true, depth + 1);
        break;
      case BtfKind.Typedef:
      case BtfKind.Volatile:
      case BtfKind.Const:
      case BtfKind.Restrict:
      case BtfKind.TypeTag:
        this.chain(t.type, followPtrs, depth + 1);
        break;
      case BtfKind.Array:
        this.chain(t.type, followPtrs, depth + 1);
        this.chain(t.indexType, false, depth + 1);
        break;
      case BtfKind.FuncProto:
        this.chain(t.type, followPtrs, depth + 1);
        for (const p of t.params) this.chain(p.type, followPtrs, depth + 1);
        break;
      default:
        break;
    }
  }

  member(compositeId: TypeId, idx: number): Member | undefined {
    const t = this.btf.type(compositeId);
    if (t.kind !== BtfKind.Struct && t.kind !== BtfKind.Union) return undefined;
    const m = t.members[idx];
    if (!m) return undefined;
    this.keep(compositeId)!.add(idx);
    this.chain(m.type, false);
    return m;
  }

  /** The shape types_match compares: members recursively, composites behind a pointer by name only. */
  shape(id: TypeId, behindPtr: boolean, visiting: Set<string>, depth = 0): void {
    if (id === 0 || depth > MAX_DEPTH) return;
    const key = `${id}:${behindPtr ? 1 : 0}`;
    if (visiting.has(key)) return;
    visiting.add(key);
    this.keep(id);
    const t = this.btf.type(id);
    switch (t.kind) {
      case BtfKind.Struct:
      case BtfKind.Union:
        if (!behindPtr) {
          for (let i = 0; i < t.members.length; i++) {
            this.keep(id)!.add(i);
            this.shape(t.members[i]!.type, false, visiting, depth + 1);
          }
        }
        break;
      case BtfKind.Ptr:
        this.shape(t.type, true, visiting, depth + 1);
        break;
      case BtfKind.Typedef:
      case BtfKind.Volatile:
      case BtfKind.Const:
      case BtfKind.Restrict:
      case BtfKind.TypeTag:
        this.shape(t.type, behindPtr, visiting, depth + 1);
        break;
      case BtfKind.Array:
        this.shape(t.type, behindPtr, visiting, depth + 1);
        this.chain(t.indexType, false);
        break;
      case BtfKind.FuncProto:
        this.shape(t.type, behindPtr, visiting, depth + 1);
        for (const p of t.params) this.shape(p.type, behindPtr, visiting, depth + 1);
        break;
      default:
        break;
    }
  }

  /** Every member, recursively, without following pointers: a composite as it sits in memory. */
  embedded(id: TypeId, seen: Set<TypeId>, depth = 0): void {
    if (id === 0 || depth > MAX_DEPTH || seen.has(id)) return;
    seen.add(id);
    this.chain(id, false);
    const t = this.btf.type(this.btf.skipModsAndTypedefs(id));
    if (t.kind === BtfKind.Struct || t.kind === BtfKind.Union) {
      for (let i = 0; i < t.members.length; i++) this.embedded(this.member(t.id, i)!.type, seen, depth + 1);
    } else if (t.kind === BtfKind.Array) this.embedded(t.type, seen, depth + 1);
  }

  /** A field path as the matched target spec took it (raw indexes, anonymous members included). */
  fieldPath(rootId: TypeId, raw: readonly number[]): void {
    this.chain(rootId, false);
    let cur = this.btf.skipModsAndTypedefs(rootId);
    for (let k = 1; k < raw.length; k++) {
      const t = this.btf.type(cur);
      if (t.kind === BtfKind.Struct || t.kind === BtfKind.Union) {
        const m = this.member(cur, raw[k]!);
        if (!m) return;
        cur = this.btf.skipModsAndTypedefs(m.type);
      } else if (t.kind === BtfKind.Array) {
        cur = this.btf.skipModsAndTypedefs(t.type);
      } else return;
    }
  }
}

export interface MinimizedBtf {
  readonly bytes: Uint8Array;
  /** types written (void not counted) */
  readonly types: number;
  /** relocations whose matched candidates were marked */
  readonly marked: number;
}

/**
 * The target BTF reduced to what `res` needs. Every matched candidate must live in `target`
 * (a vmlinux or a custom-path BTF, split ones flattened); candidates from other BTFs (modules)
 * are refused with a 'unsupported' error, since renumbering the base would break them.
 */
export function minimizeTargetBtf(target: Btf, res: RelocateResult): MinimizedBtf {
  const marks = new Marks(target);
  let marked = 0;
  for (const r of res.relocations) {
    if (r.kind === ReloKind.TypeIdLocal) continue;
    // an error while matching (a path deeper than libbpf's 64 steps) is an outcome too: keep what it walked
    const matched = r.candidateModels.filter((c) => c.result === 1 || c.result < 0);
    if (matched.length) marked++;
    for (const c of matched) {
      if (c.candidate.target.btf !== target) {
        throw new CorelabError('unsupported', `relocation ${r.section} #${r.index} matched in '${c.candidate.target.name}', not in the BTF being minimized`, { section: 'minimize' });
      }
      if (c.result < 0) marks.embedded(c.candidate.id, new Set());
      else markRelocation(marks, r, c.candidate.id, c.specModel.raw);
    }
  }
  // libbpf infers the pointer size from the first `long`: keep that one
  for (let id = 1; id < target.typeCount; id++) {
    if (target.kind(id) === BtfKind.Int && LONG_NAMES.has(target.name(id))) {
      const t = target.type(id);
      if (t.kind === BtfKind.Int && (t.size === 4 || t.size === 8)) {
        marks.chain(id, false);
        break;
      }
    }
  }
  const ids = [...marks.kept.keys()].sort((a, b) => a - b);
  const newId = new Map<TypeId, TypeId>();
  ids.forEach((id, i) => newId.set(id, i + 1));
  const types: WrittenType[] = ids.map((id) => {
    const t = target.type(id);
    const keep = marks.kept.get(id);
    if ((t.kind === BtfKind.Struct || t.kind === BtfKind.Union) && keep) {
      return { type: t, members: t.members.filter((_, i) => keep.has(i)) };
    }
    return { type: t };
  });
  const bytes = writeBtf(types, (id) => newId.get(id) ?? 0, target.endian);
  return { bytes, types: ids.length, marked };
}

function markRelocation(marks: Marks, r: RelocationReport, candId: TypeId, raw: readonly number[]): void {
  if (isFieldBasedKind(r.kind)) {
    marks.fieldPath(candId, raw);
  } else if (isEnumvalBasedKind(r.kind)) {
    // the whole enum: the first enumerator with the right essential name must stay the first
    marks.chain(candId, false);
  } else if (r.kind === ReloKind.TypeMatches) {
    marks.shape(candId, false, new Set());
  } else {
    marks.chain(candId, true);
  }
}

/**
 * One relocation's outcome in a form that does not depend on target type ids: what two runs
 * must agree on for a minimized BTF to stand in for the full one.
 */
export function outcomeKey(r: RelocationReport): string {
  const idValued = r.kind === ReloKind.TypeIdTarget;
  const v = (x: bigint | undefined): string => (x === undefined ? '-' : idValued ? (x === 0n ? '0' : 'id') : x.toString());
  const patches = r.patches.map((p) => `${p.insn}:${p.what}:${p.from}:${idValued && p.what !== 'poison' ? (p.to === 0n ? '0' : 'id') : p.to}`);
  return [
    `${r.section}#${r.index}`,
    r.status,
    r.errno ?? '',
    r.noMatch ? 'nomatch' : '',
    r.candidateModels.filter((c) => c.result === 1).length,
    v(r.origValue),
    v(r.newValue),
    patches.join(','),
  ].join('|');
}

/** Relocations (by "section#index") whose outcome differs between two results of one object. */
export function outcomeDiffs(full: RelocateResult, min: RelocateResult): string[] {
  const out: string[] = [];
  const n = Math.max(full.relocations.length, min.relocations.length);
  for (let i = 0; i < n; i++) {
    const a = full.relocations[i];
    const b = min.relocations[i];
    const ka = a ? outcomeKey(a) : '(none)';
    const kb = b ? outcomeKey(b) : '(none)';
    if (ka !== kb) out.push(`${ka}  ≠  ${kb}`);
  }
  if (full.ok !== min.ok || full.errno !== min.errno) out.push(`load: ok=${full.ok} errno=${full.errno}  ≠  ok=${min.ok} errno=${min.errno}`);
  return out;
}

export type CaseMinimization =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly types: number }
  | { readonly ok: false; readonly reason: string };

/**
 * The minimized target for a share link, checked: the object is relocated again against it and
 * every outcome must be the one `res` has. Only a single custom-path target (no module BTFs) is
 * minimized; anything else, or a check that fails, is reported so the caller sends the file whole.
 */
export function minimizeForCase(obj: BpfObject, target: Btf, res: RelocateResult, modules: number): CaseMinimization {
  if (modules > 0) return { ok: false, reason: 'module BTFs are loaded (their ids continue the full vmlinux, so it cannot be renumbered)' };
  let min: MinimizedBtf;
  try {
    min = minimizeTargetBtf(target, res);
  } catch (e) {
    return { ok: false, reason: e instanceof CorelabError ? e.message : String(e) };
  }
  const again = relocateObject(obj, makeTargetSet(parseBtf(min.bytes, { section: 'BTF' })));
  const diffs = outcomeDiffs(res, again);
  if (diffs.length) return { ok: false, reason: `the minimized BTF changes ${diffs.length} outcome(s), first: ${diffs[0]}` };
  return { ok: true, bytes: min.bytes, types: min.types };
}

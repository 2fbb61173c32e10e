/**
 * Candidate target types (libbpf's bpf_core_find_cands / bpf_core_add_cands), with two changes
 * that do not alter any answer: each target BTF gets an index by essential name, built once, so
 * a lookup is a map access instead of a scan of every target type per local type; and the
 * per-local-type cache (with libbpf's pruning) is an explicit object, `CandidateCache`.
 */
import { BtfKind } from '../btf/types.ts';
import type { Btf, TypeId } from '../btf/types.ts';
import { essentialName, kindWordOf } from './btf-util.ts';
import { Errno } from './errno.ts';
import { hotPath } from '../hotpath/index.ts';
import type { NameIndex } from '../hotpath/index.ts';
import type { CoreLog } from './log.ts';

/** A target BTF as libbpf names it in logs: "vmlinux" or a module name. */
export interface TargetBtf {
  readonly name: string;
  readonly btf: Btf;
  /** first id searched: 1 for vmlinux, the base's type count for a module (its own types only) */
  readonly startId: TypeId;
}

export interface Candidate {
  readonly target: TargetBtf;
  readonly id: TypeId;
}

/** What our BTF reader offers for the hot-path name index: name offsets and one string buffer. */
interface IndexableNames {
  readonly startId: number;
  nameOffsets(): Uint32Array;
  nameOffOf(id: TypeId): number;
  stringsForIndex(): Uint8Array | undefined;
}

function indexable(btf: Btf): IndexableNames | undefined {
  const r = btf as unknown as Partial<IndexableNames>;
  return typeof r.nameOffsets === 'function' && typeof r.stringsForIndex === 'function' && typeof r.nameOffOf === 'function'
    ? (btf as unknown as IndexableNames)
    : undefined;
}

/** What a BTF reader can offer to hash names as bytes, without decoding them to strings. */
interface RawNames {
  readonly startId: number;
  readonly startStrOff: number;
  ownStrings(): Uint8Array;
  nameOffOf(id: TypeId): number;
  strSpan(off: number): [Uint8Array, number, number] | undefined;
}

function rawNames(btf: Btf): RawNames | undefined {
  const r = btf as unknown as Partial<RawNames>;
  return typeof r.ownStrings === 'function' && typeof r.nameOffOf === 'function' && typeof r.strSpan === 'function' &&
    typeof r.startStrOff === 'number'
    ? (btf as unknown as RawNames)
    : undefined;
}

/** essential-name length over bytes [start, end) (the same rule as essentialNameLen) */
function essentialLenBytes(b: Uint8Array, start: number, end: number): number {
  for (let i = end - 5; i >= start; i--) {
    if (b[i] !== 0x5f && b[i + 1] === 0x5f && b[i + 2] === 0x5f && b[i + 3] === 0x5f && b[i + 4] !== 0x5f) return i + 1 - start;
  }
  return end - start;
}

/** FNV-1a over bytes; collisions are resolved by comparing decoded names at lookup. */
function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

const utf8 = new TextEncoder();

/**
 * Named types of one target, grouped by kind and essential name, in increasing id order.
 * A kind's table is built on its first lookup, so a BTF full of FUNCs costs nothing until a
 * relocation asks for a FUNC (ENUM and ENUM64 share one table, as they are CO-RE-compatible).
 * With our own BTF reader the table hashes name bytes in place (no string per type); any other
 * Btf goes through its names.
 */
export class CandidateIndex {
  readonly target: TargetBtf;
  private readonly byKind = new Map<number, Map<number, TypeId[]>>();
  /** hot-path index of every searched id (all kinds), built on first lookup; null: not available */
  private hot: { index: NameIndex; lo: number } | null | undefined;

  constructor(target: TargetBtf) {
    this.target = target;
  }

  private static group(kind: number): number {
    return kind === BtfKind.Enum64 ? BtfKind.Enum : kind;
  }

  private build(group: number): Map<number, TypeId[]> {
    const m = new Map<number, TypeId[]>();
    const { btf, startId } = this.target;
    const raw = rawNames(btf);
    const own = raw?.ownStrings();
    const add = (h: number, id: TypeId): void => {
      const list = m.get(h);
      if (list) list.push(id);
      else m.set(h, [id]);
    };
    for (let id = Math.max(startId, 1); id < btf.typeCount; id++) {
      if (CandidateIndex.group(btf.kind(id)) !== group) continue;
      if (raw && own) {
        let bytes = own;
        let at = raw.nameOffOf(id) - raw.startStrOff;
        if (id < raw.startId || at < 0) {
          const span = raw.strSpan(raw.nameOffOf(id));
          if (!span) continue;
          bytes = span[0];
          at = span[1];
        }
        if (at >= bytes.length) continue;
        let end = at;
        while (end < bytes.length && bytes[end] !== 0) end++;
        if (end === at) continue;
        add(hashBytes(bytes, at, at + essentialLenBytes(bytes, at, end)), id);
      } else {
        const name = btf.name(id);
        if (name === '') continue;
        const e = utf8.encode(essentialName(name));
        add(hashBytes(e, 0, e.length), id);
      }
    }
    return m;
  }

  /** Ids whose essential name is `essential` and whose kind is CO-RE-compatible with `kind`. */
  /**
   * With our own reader the index is the hot path's (WebAssembly or its TypeScript twin): ids in
   * [max(startId, 1), typeCount) grouped by essential-name bytes, compared byte for byte.
   */
  private hotIndex(): { index: NameIndex; lo: number } | null {
    if (this.hot !== undefined) return this.hot;
    const { btf, startId } = this.target;
    const raw = indexable(btf);
    const strs = raw?.stringsForIndex();
    if (!raw || !strs) return (this.hot = null);
    const lo = Math.max(startId, 1);
    const n = Math.max(btf.typeCount - lo, 0);
    let names: Uint32Array;
    if (lo >= raw.startId) names = raw.nameOffsets().subarray(lo - raw.startId, lo - raw.startId + n);
    else {
      names = new Uint32Array(n);
      for (let i = 0; i < n; i++) names[i] = raw.nameOffOf(lo + i);
    }
    return (this.hot = { index: hotPath().nameIndex(strs, names), lo });
  }

  lookup(essential: string, kind: number): TypeId[] {
    const group = CandidateIndex.group(kind);
    const hot = this.hotIndex();
    if (hot) {
      const out: TypeId[] = [];
      for (const i of hot.index.lookup(essential)) {
        const id = hot.lo + i;
        if (CandidateIndex.group(this.target.btf.kind(id)) === group) out.push(id);
      }
      return out;
    }
    let m = this.byKind.get(group);
    if (!m) {
      m = this.build(group);
      this.byKind.set(group, m);
    }
    const e = utf8.encode(essential);
    const ids = m.get(hashBytes(e, 0, e.length));
    if (!ids) return [];
    const btf = this.target.btf;
    return ids.filter((id) => essentialName(btf.name(id)) === essential);
  }
}

/** Where candidates are looked for, in libbpf's order. */
export interface TargetSet {
  readonly vmlinux: CandidateIndex;
  readonly modules: readonly CandidateIndex[];
  /**
   * true when the vmlinux BTF was given explicitly (libbpf's btf_custom_path): then modules are
   * never consulted
   */
  readonly override: boolean;
}

export function makeTargetSet(vmlinux: Btf, modules: readonly { name: string; btf: Btf }[] = [], override = modules.length === 0): TargetSet {
  return {
    vmlinux: new CandidateIndex({ name: 'vmlinux', btf: vmlinux, startId: 1 }),
    modules: modules.map((m) => new CandidateIndex({ name: m.name, btf: m.btf, startId: vmlinux.typeCount })),
    override,
  };
}

function addCands(localBtf: Btf, localId: TypeId, localName: string, index: CandidateIndex, out: Candidate[], log: CoreLog): void {
  const localKind = localBtf.kind(localId);
  const { btf, name: btfName } = index.target;
  for (const id of index.lookup(essentialName(localName), localKind)) {
    log.debug(
      `CO-RE relocating [${localId}] ${kindWordOf(localKind)} ${localName}: found target candidate [${id}] ${kindWordOf(btf.kind(id))} ${btf.name(id)} in [${btfName}]\n`,
    );
    out.push({ target: index.target, id });
  }
}

/** bpf_core_find_cands: candidates for a local type, or a negative errno. */
export function findCandidates(localBtf: Btf, localId: TypeId, targets: TargetSet, log: CoreLog): Candidate[] | number {
  const localName = localBtf.name(localId);
  if (localName === '') return -Errno.EINVAL;
  const out: Candidate[] = [];
  addCands(localBtf, localId, localName, targets.vmlinux, out, log);
  // modules only when vmlinux has no same-name same-kind type at all, and never with an override
  if (out.length || targets.override) return out;
  for (const m of targets.modules) addCands(localBtf, localId, localName, m, out, log);
  return out;
}

/**
 * The per-local-type candidate lists of one relocation run, shared by all programs and sections.
 * A list shrinks to the candidates that matched after each relocation with at least one match.
 */
export class CandidateCache {
  private readonly lists = new Map<TypeId, Candidate[]>();

  get(localId: TypeId): Candidate[] | undefined {
    return this.lists.get(localId);
  }
  set(localId: TypeId, cands: Candidate[]): void {
    this.lists.set(localId, cands);
  }
  /** keep only `kept` (in order), as libbpf compacts its list in place */
  prune(localId: TypeId, kept: Candidate[]): void {
    if (kept.length > 0) this.lists.set(localId, kept);
  }
}

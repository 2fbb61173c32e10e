/**
 * The hot path: the few loops that dominate time on a kernel BTF, each with two implementations
 * — WebAssembly (wasm/assembly/index.ts) and its TypeScript twin (twin.ts) — that must give
 * identical results. The engine calls them through `HotPath`.
 */

/** Result of scanning a BTF type section. */
export type TypeScan =
  | { ok: true; count: number; offs: Uint32Array; infos: Uint32Array; names: Uint32Array }
  /** unknown-kind: record with an unknown kind; truncated: record runs past the section; stray: bytes after the last record */
  | { ok: false; error: 'unknown-kind' | 'truncated' | 'stray'; offset: number; kind: number; index: number };

/** Types of one BTF grouped by essential name (libbpf's `___flavor` rule). */
export interface NameIndex {
  /** indexes (0-based within the indexed BTF's own types) whose essential name is `essential`, ascending */
  lookup(essential: string): number[];
  /** the raw tables, for the twin test */
  tables(): { hashes: Uint32Array; elen: Uint32Array; buckets: Uint32Array; next: Uint32Array };
}

/** Patch operations, as the `op` word of a patch record (see PATCH_WORDS). */
export const PatchOp = { Imm: 0, Off: 1, MemSize: 2, Imm64: 3, Poison: 4 } as const;
/** u32 words per patch record: instruction slot, op, lo, hi */
export const PATCH_WORDS = 4;

/** Instructions after a patch list, or the first record that could not be applied. */
export type PatchResult =
  | { ok: true; bytes: Uint8Array }
  /** range: slot (or ld_imm64's second slot) past the end; op: unknown op; size: not 1/2/4/8 bytes */
  | { ok: false; error: 'range' | 'op' | 'size'; record: number };

export interface HotPath {
  readonly name: 'wasm' | 'ts';
  /** one pass over [typeStart, typeStart+typeLen) of `bytes` */
  scanTypes(bytes: Uint8Array, typeStart: number, typeLen: number, littleEndian: boolean): TypeScan;
  /**
   * Index by essential name. `strs` is the string section the name offsets index (for a split
   * BTF: the base's strings followed by its own), `names` the name offset of each type.
   */
  nameIndex(strs: Uint8Array, names: Uint32Array): NameIndex;
  /**
   * Apply patch records (PATCH_WORDS u32 each) in order to a copy of `insns` (8-byte slots in
   * the given byte order); `insns` itself is not written.
   */
  patchInsns(insns: Uint8Array, records: Uint32Array, littleEndian: boolean): PatchResult;
  /**
   * `format c` in WebAssembly (wasm/assembly/dump-c.ts); absent: the TypeScript dumper of
   * core-ts/dump-c/ runs, which is this kernel's twin.
   */
  readonly cDump?: CDumpKernel;
}

/** The C dumper's input: core-ts/dump-c/table.ts's flat type table. */
export interface CDumpTable {
  readonly count: number;
  /** host-order record words */
  readonly words: Uint32Array;
  /** where each id's record starts (void's entry is never read) */
  readonly rec: Uint32Array;
  /** the id of rec[0]: 0, or 1 when rec is the type scan's own array (ids from 1) */
  readonly recFirstId: 0 | 1;
  /** rec holds byte offsets, not word indexes (the scan's array, unconverted) */
  readonly recInBytes: boolean;
  /** every string section, base first */
  readonly strs: Uint8Array;
}

export interface CDumpParams {
  /** pointer size for alignment and padding (8 when the BTF does not tell) */
  readonly ptrSize: number;
  /** the BTF's own pointer size, as btf__resolve_size uses it */
  readonly btfPtrSize: number;
  readonly voidForNoArgs: boolean;
  readonly enumModeAttributes: boolean;
}

/** Where a dump stopped: a fault number of core-ts/dump-c/faults.ts and its operands. */
export interface CDumpFault {
  readonly code: number;
  readonly id: number;
  readonly a: number;
  readonly b: number;
}

/** One dump in progress: set up (`prepared` is its fault, if any), then one of the two runs. */
export interface CDumpRun {
  readonly prepared: CDumpFault | undefined;
  /** ids 1..count-1, as bpftool */
  dumpAll(): CDumpFault | undefined;
  /** these roots in order (an id past the end is the Root fault, `a` its position) */
  dumpRoots(ids: Uint32Array): CDumpFault | undefined;
}

export interface CDumpKernel {
  /** `write` gets the text in chunks; each chunk is a view it must consume before returning */
  open(table: CDumpTable, params: CDumpParams, write: (chunk: Uint8Array) => void): CDumpRun;
}

/** Power-of-two bucket count for n names: load factor ≤ 0.5. */
export function bucketCount(n: number): number {
  let nb = 16;
  while (nb < n * 2) nb *= 2;
  return nb;
}

/** Bytes of a type record of this kind and vlen (struct btf_type is 12); -1 = unknown kind. */
export function recordSize(kind: number, vlen: number): number {
  switch (kind) {
    case 2: case 7: case 8: case 9: case 10: case 11: case 12: case 16: case 18:
      return 12;
    case 1: case 14: case 17:
      return 16;
    case 3:
      return 24;
    case 4: case 5: case 15: case 19:
      return 12 + 12 * vlen;
    case 6: case 13:
      return 12 + 8 * vlen;
    default:
      return -1;
  }
}

import { Kind } from './kind.ts';
import type { TypeId } from '../btf/types.ts';
import type { DumpState } from './state.ts';

/** btf_dump formats the suffixed name into a 256-byte buffer, so it truncates at 255. */
const MAX_NAME_LEN = 255;

/**
 * Occurrence counts of names in one C namespace, keyed by the name's bytes (libbpf keys its
 * hashmaps by the string; BTF need not deduplicate its strings, so offsets alone would not do).
 * Open addressing over typed arrays: no string and no Map entry per name.
 */
export class NameCounts {
  private readonly strs: Uint8Array;
  /** slot i: [2i] string position + 1 of its name (0 = empty slot), [2i+1] its count */
  private slots: Int32Array;
  private used = 0;

  /** `expected`: how many distinct names may come (more only costs a rehash) */
  constructor(strs: Uint8Array, expected: number) {
    this.strs = strs;
    let cap = 64;
    while (cap < 2 * expected) cap *= 2;
    this.slots = new Int32Array(2 * cap);
  }

  /** Count one more occurrence of the name at `pos`; returns the new count. */
  add(pos: number): number {
    if (4 * (this.used + 1) > this.slots.length) this.rehash();
    const s = this.strs;
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let i = hashAt(s, pos) & mask;
    for (;;) {
      const k = slots[2 * i]!;
      if (k === 0) {
        slots[2 * i] = pos + 1;
        slots[2 * i + 1] = 1;
        this.used++;
        return 1;
      }
      if (k - 1 === pos || sameName(s, k - 1, pos)) return ++slots[2 * i + 1]!;
      i = (i + 1) & mask;
    }
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >>> 1) - 1;
    for (let j = 0; j < old.length; j += 2) {
      const k = old[j]!;
      if (k === 0) continue;
      let i = hashAt(this.strs, k - 1) & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = k;
      slots[2 * i + 1] = old[j + 1]!;
    }
    this.slots = slots;
  }
}

/** FNV-1a over a NUL-terminated name (bounded by the array: the section ends with NUL). */
function hashAt(s: Uint8Array, pos: number): number {
  let h = 0x811c9dc5;
  for (let i = pos; i < s.length; i++) {
    const c = s[i]!;
    if (c === 0) break;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

function sameName(s: Uint8Array, a: number, b: number): boolean {
  for (;;) {
    const x = s[a++];
    if (x !== s[b++]) return false;
    if (x === 0 || x === undefined) return true;
  }
}

/** Whether the name at `pos` is exactly the ASCII `lit`. */
export function nameIs(s: Uint8Array, pos: number, lit: string): boolean {
  for (let i = 0; i < lit.length; i++) if (s[pos + i] !== lit.charCodeAt(i)) return false;
  return s[pos + lit.length] === 0;
}

/**
 * The `___N` suffix (0 for none) a type is printed with. The first type to be printed with a
 * name keeps it, later ones become NAME___2, NAME___3… — decided lazily, so numbering follows
 * emission order. Forward declarations and enumerator-less ENUMs (not ENUM64) are left alone:
 * they only declare, they cannot clash.
 */
function resolveSuffix(st: DumpState, id: TypeId, names: NameCounts): number {
  const tb = st.tb;
  const off = tb.nameOff(id);
  if (off === 0) return 0;
  if (st.nameResolved[id]) return st.suffix[id]!;
  st.nameResolved[id] = 1;
  const kind = tb.kind(id);
  if (kind === Kind.Fwd || (kind === Kind.Enum && tb.vlen(id) === 0)) return 0;
  const dups = names.add(tb.namePos(off));
  if (dups > 1) {
    st.suffix[id] = dups;
    return dups;
  }
  return 0;
}

/** Print the name at `pos` with its `___N` suffix (if any), cut at btf_dump's 255 bytes. */
export function printName(st: DumpState, pos: number, suffix: number): void {
  const out = st.out;
  if (suffix === 0) {
    out.cstr(st.tb.strs, pos);
    return;
  }
  const n = out.cstr(st.tb.strs, pos, MAX_NAME_LEN);
  if (n + 3 + 10 <= MAX_NAME_LEN) {
    out.print('___');
    out.uint(suffix);
    return;
  }
  const tail = `___${suffix}`;
  if (n < MAX_NAME_LEN) out.print(tail.slice(0, MAX_NAME_LEN - n));
}

/** Resolve and print a name in the struct/union/enum tag namespace. */
export function printTagName(st: DumpState, id: TypeId): void {
  const suffix = resolveSuffix(st, id, st.tagNames);
  printName(st, st.tb.namePos(st.tb.nameOff(id)), suffix);
}

/** Resolve a name in the identifier namespace (typedefs); returns its suffix. */
export function identSuffix(st: DumpState, id: TypeId): number {
  return resolveSuffix(st, id, st.identNames);
}

/** Resolve a name in the tag namespace without printing it; returns its suffix. */
export function tagSuffix(st: DumpState, id: TypeId): number {
  return resolveSuffix(st, id, st.tagNames);
}

/** The raw name of a type, as printed for INT, FLOAT and type tags. */
export function printRawName(st: DumpState, id: TypeId): void {
  const tb = st.tb;
  st.out.cstr(tb.strs, tb.namePos(tb.nameOff(id)));
}

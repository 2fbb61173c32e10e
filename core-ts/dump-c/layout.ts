import { Kind } from './kind.ts';
import type { TypeId } from '../btf/types.ts';
import { alignmentLoop, paddingGap } from './faults.ts';
import type { DumpState } from './state.ts';

// st.aligns holds alignment + 2; these are the two states below that
const NOT_YET = 0;
const IN_PROGRESS = 1;

/**
 * btf__align_of, memoised per dump (btf_dump asks for the same structs' alignment for
 * every member that embeds them): scalars min(size, pointer size), pointers the pointer
 * size, modifiers/typedefs/arrays their target, structs the largest member alignment but 1
 * when the layout shows it is packed. Kinds without an alignment (void, FWD, FUNC_PROTO…)
 * are 0, which callers read as "ignore", as libbpf's callers do.
 */
export function alignOf(st: DumpState, id: TypeId, depth = 0): number {
  const cached = st.aligns[id];
  if (cached === undefined) return 0; // an id outside the BTF: nothing to align
  if (cached > IN_PROGRESS) return cached - 2;
  if (cached !== NOT_YET) {
    throw alignmentLoop(id);
  }
  st.checkDepth(depth, id, 'alignment');
  st.aligns[id] = IN_PROGRESS;
  const a = computeAlign(st, id, depth + 1);
  st.aligns[id] = a + 2;
  return a;
}

function computeAlign(st: DumpState, id: TypeId, depth: number): number {
  const tb = st.tb;
  switch (tb.kind(id)) {
    case Kind.Int:
    case Kind.Enum:
    case Kind.Enum64:
    case Kind.Float:
      return Math.min(st.ptrSize, tb.sizeOrType(id));
    case Kind.Ptr:
      return st.ptrSize;
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
      return alignOf(st, tb.sizeOrType(id), depth);
    case Kind.Array:
      return alignOf(st, tb.words[tb.extra(id)]!, depth);
    case Kind.Struct:
    case Kind.Union: {
      const w = tb.words;
      const kflag = tb.kflag(id);
      const n = tb.vlen(id);
      let max = 1;
      for (let k = 0, m = tb.extra(id); k < n; k++, m += 3) {
        const a = alignOf(st, w[m + 1]!, depth);
        if (a <= 0) return a;
        if (a > max) max = a;
        const off = w[m + 2]!;
        // a kflag member with a bitfield size needs no natural alignment
        if (kflag && off >>> 24 !== 0) continue;
        if ((kflag ? off & 0xffffff : off) % (8 * a) !== 0) return 1;
      }
      return tb.sizeOrType(id) % max !== 0 ? 1 : max;
    }
    default:
      return 0;
  }
}

/** libbpf's MAX_RESOLVE_DEPTH */
const MAX_RESOLVE_DEPTH = 32;
const U32_MAX = 0xffffffff;

/**
 * btf__resolve_size clamped at 0, as btf_dump does for a member it cannot size: follows
 * modifiers, typedefs, VAR, DECL_TAG and TYPE_TAG (at most 32 steps), multiplies array
 * dimensions, gives 0 where libbpf gives -EINVAL or -E2BIG.
 */
export function sizeOf(st: DumpState, typeId: TypeId): number {
  const tb = st.tb;
  const w = tb.words;
  let id = typeId;
  let nelems = 1;
  let size = -1;
  for (let i = 0; i < MAX_RESOLVE_DEPTH; i++) {
    // void (no record) and dangling ids: -EINVAL
    if (id === 0 || !tb.valid(id)) break;
    const kind = tb.kind(id);
    if (kind === Kind.Void || kind === Kind.Fwd) break;
    switch (kind) {
      case Kind.Int:
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Datasec:
      case Kind.Float:
        size = tb.sizeOrType(id);
        break;
      case Kind.Ptr:
        size = st.btfPtrSize;
        break;
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.Var:
      case Kind.DeclTag:
      case Kind.TypeTag:
        id = tb.sizeOrType(id);
        continue;
      case Kind.Array: {
        const x = tb.extra(id);
        const ne = w[x + 2]!;
        if (nelems && ne > Math.floor(U32_MAX / nelems)) return 0;
        nelems *= ne;
        id = w[x]!;
        continue;
      }
      default:
        return 0;
    }
    break;
  }
  if (size < 0) return 0;
  if (nelems && size > Math.floor(U32_MAX / nelems)) return 0;
  return nelems * size;
}

/**
 * Whether a struct must be printed `__attribute__((packed))`: some non-bitfield member is
 * not at a multiple of its natural alignment, or the size is not a multiple of the
 * largest member alignment. A packed struct whose layout happens to be natural is not
 * detected, and needs not be: it compiles to the same layout.
 */
export function isStructPacked(st: DumpState, id: TypeId): boolean {
  const tb = st.tb;
  const w = tb.words;
  const kflag = tb.kflag(id);
  const n = tb.vlen(id);
  let maxAlign = 1;
  for (let k = 0, m = tb.extra(id); k < n; k++, m += 3) {
    const align = alignOf(st, w[m + 1]!);
    const off = w[m + 2]!;
    const bitfield = kflag && off >>> 24 !== 0;
    if (align && !bitfield && (kflag ? off & 0xffffff : off) % (8 * align) !== 0) return true;
    if (align > maxAlign) maxAlign = align;
  }
  return tb.sizeOrType(id) % maxAlign !== 0;
}

/** More `long: 64;` lines than this for one gap means a corrupt size, not a layout. */
const MAX_PAD_MARKERS = 1 << 20;

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

const PAD_NAMES = ['long', 'int', 'short', 'char'];

function padWidth(st: DumpState, i: number): number {
  return i === 0 ? st.ptrSize * 8 : 32 >> (i - 1);
}

function padLine(st: DumpState, lvl: number, i: number, bits: number): void {
  st.newline(lvl);
  st.print(PAD_NAMES[i]!);
  st.print(': ');
  st.out.uint(bits);
  st.out.byte(0x3b);
}

/**
 * Unnamed bitfields that move the next member from bit `cur` to bit `next`, at indent
 * level `lvl`. BTF has no record of padding, so it is rebuilt: pick the widest of
 * long/int/short/char whose alignment boundary after `cur` does not pass `next`, print a
 * zero-width (or, between bitfields, exact-width) marker only when the compiler would not
 * get there by itself, then fill the rest with full-width markers and one
 * smallest-fitting remainder.
 */
export function emitBitPadding(
  st: DumpState,
  cur: number,
  next: number,
  nextAlign: number,
  inBitfield: boolean,
  lvl: number,
): void {
  if (cur >= next) return;
  let pad = 0;
  let padBits = 0;
  let newOff = 0;
  for (let i = 0; i < PAD_NAMES.length; i++) {
    pad = i;
    padBits = padWidth(st, i);
    newOff = roundUp(cur, padBits);
    if (newOff <= next) break;
  }
  if (newOff > cur && newOff <= next) {
    if (
      inBitfield ||
      (newOff === next && roundUp(cur, nextAlign * 8) !== newOff) ||
      (newOff !== next && next - newOff <= newOff - cur)
    ) {
      padLine(st, lvl, pad, inBitfield ? newOff - cur : 0);
    }
    cur = newOff;
  }
  // each step advances cur, never past `next`; a gap no real struct has is refused
  // rather than printed as millions of lines
  if ((next - cur) / padBits > MAX_PAD_MARKERS) {
    throw paddingGap(cur, next);
  }
  while (cur !== next) {
    const bits = Math.min(next - cur, padBits);
    if (bits === padBits) {
      padLine(st, lvl, pad, padBits);
      cur += bits;
      continue;
    }
    for (let i = PAD_NAMES.length - 1; i >= 0; i--) {
      const width = padWidth(st, i);
      pad = i;
      padBits = width;
      if (width < bits) continue;
      padLine(st, lvl, i, bits);
      cur += bits;
      break;
    }
  }
}

export function isComposite(kind: number): boolean {
  return kind === Kind.Struct || kind === Kind.Union;
}

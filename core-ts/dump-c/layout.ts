import { BtfKind, type CompositeType, type TypeId } from '../btf/types.ts';
import { CorelabError, isCorelabError } from '../errors.ts';
import type { DumpState } from './state.ts';

const IN_PROGRESS = -2;

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
  if (cached >= 0) return cached;
  if (cached === IN_PROGRESS) {
    throw new CorelabError('loop', `alignment of type [${id}] depends on itself`, { section: '.BTF' });
  }
  st.checkDepth(depth, id, 'alignment');
  st.aligns[id] = IN_PROGRESS;
  const a = computeAlign(st, id, depth + 1);
  st.aligns[id] = a;
  return a;
}

function computeAlign(st: DumpState, id: TypeId, depth: number): number {
  const t = st.btf.type(id);
  switch (t.kind) {
    case BtfKind.Int:
    case BtfKind.Enum:
    case BtfKind.Enum64:
    case BtfKind.Float:
      return Math.min(st.ptrSize, t.size);
    case BtfKind.Ptr:
      return st.ptrSize;
    case BtfKind.Typedef:
    case BtfKind.Volatile:
    case BtfKind.Const:
    case BtfKind.Restrict:
    case BtfKind.TypeTag:
    case BtfKind.Array:
      return alignOf(st, t.type, depth);
    case BtfKind.Struct:
    case BtfKind.Union: {
      let max = 1;
      for (const m of t.members) {
        const a = alignOf(st, m.type, depth);
        if (a <= 0) return a;
        if (a > max) max = a;
        if (m.bitfieldSize === 0 && m.bitOffset % (8 * a) !== 0) return 1;
      }
      return t.size % max !== 0 ? 1 : max;
    }
    default:
      return 0;
  }
}

/** btf__resolve_size clamped at 0, as btf_dump does for a member it cannot size. */
export function sizeOf(st: DumpState, id: TypeId): number {
  try {
    return Math.max(0, st.btf.resolveSize(id));
  } catch (e) {
    if (isCorelabError(e) && e.kind !== 'loop') return 0;
    throw e;
  }
}

/**
 * Whether a struct must be printed `__attribute__((packed))`: some non-bitfield member is
 * not at a multiple of its natural alignment, or the size is not a multiple of the
 * largest member alignment. A packed struct whose layout happens to be natural is not
 * detected, and needs not be: it compiles to the same layout.
 */
export function isStructPacked(st: DumpState, t: CompositeType): boolean {
  let maxAlign = 1;
  for (const m of t.members) {
    const align = alignOf(st, m.type);
    if (align && m.bitfieldSize === 0 && m.bitOffset % (8 * align) !== 0) return true;
    if (align > maxAlign) maxAlign = align;
  }
  return t.size % maxAlign !== 0;
}

/** More `long: 64;` lines than this for one gap means a corrupt size, not a layout. */
const MAX_PAD_MARKERS = 1 << 20;

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/**
 * Unnamed bitfields that move the next member from bit `cur` to bit `next`. BTF has no
 * record of padding, so it is rebuilt: pick the widest of long/int/short/char whose
 * alignment boundary after `cur` does not pass `next`, print a zero-width (or, between
 * bitfields, exact-width) marker only when the compiler would not get there by itself,
 * then fill the rest with full-width markers and one smallest-fitting remainder.
 */
export function emitBitPadding(
  st: DumpState,
  cur: number,
  next: number,
  nextAlign: number,
  inBitfield: boolean,
  pfx: string,
): void {
  if (cur >= next) return;
  const pads: readonly [string, number][] = [
    ['long', st.ptrSize * 8],
    ['int', 32],
    ['short', 16],
    ['char', 8],
  ];
  let padType = '';
  let padBits = 0;
  let newOff = 0;
  for (const [name, bits] of pads) {
    padType = name;
    padBits = bits;
    newOff = roundUp(cur, bits);
    if (newOff <= next) break;
  }
  if (newOff > cur && newOff <= next) {
    if (
      inBitfield ||
      (newOff === next && roundUp(cur, nextAlign * 8) !== newOff) ||
      (newOff !== next && next - newOff <= newOff - cur)
    ) {
      st.print(`\n${pfx}${padType}: ${inBitfield ? newOff - cur : 0};`);
    }
    cur = newOff;
  }
  // each step advances cur, never past `next`; a gap no real struct has is refused
  // rather than printed as millions of lines
  if ((next - cur) / padBits > MAX_PAD_MARKERS) {
    throw new CorelabError('too-large', `padding gap of ${next - cur} bits (from bit ${cur} to ${next}) in a struct`, {
      section: '.BTF',
    });
  }
  while (cur !== next) {
    const bits = Math.min(next - cur, padBits);
    if (bits === padBits) {
      st.print(`\n${pfx}${padType}: ${padBits};`);
      cur += bits;
      continue;
    }
    for (let i = pads.length - 1; i >= 0; i--) {
      const [name, width] = pads[i]!;
      padType = name;
      padBits = width;
      if (width < bits) continue;
      st.print(`\n${pfx}${name}: ${bits};`);
      cur += bits;
      break;
    }
  }
}

export function isComposite(kind: number): boolean {
  return kind === BtfKind.Struct || kind === BtfKind.Union;
}

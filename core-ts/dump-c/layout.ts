import { BtfKind, type CompositeType, type TypeId } from '../btf/types.ts';
import { CorelabError, isCorelabError } from '../errors.ts';
import type { DumpState } from './state.ts';

/**
 * btf__align_of as btf_dump uses it: kinds without an alignment (FWD, FUNC_PROTO, …)
 * count as 0, which the callers treat as "ignore". A cycle is still an error.
 */
export function alignOf(st: DumpState, id: TypeId): number {
  try {
    return st.btf.alignOf(id);
  } catch (e) {
    if (isCorelabError(e) && e.kind !== 'loop') return 0;
    throw e;
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

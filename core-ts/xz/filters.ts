import { arm64Decode, armDecode, armThumbDecode, powerPcDecode, sparcDecode, x86Decode, type BcjConverter } from './bcj.ts';
import { xzFail } from './fail.ts';

/** Filter IDs of the .xz format (xz-file-format 1.x, §5.3). */
export const FilterId = {
  Delta: 0x03,
  X86: 0x04,
  PowerPC: 0x05,
  IA64: 0x06,
  ARM: 0x07,
  ARMThumb: 0x08,
  SPARC: 0x09,
  ARM64: 0x0a,
  RISCV: 0x0b,
  LZMA2: 0x21,
} as const;

const FILTER_NAMES: Record<number, string> = {
  0x03: 'Delta',
  0x04: 'x86 BCJ',
  0x05: 'PowerPC BCJ',
  0x06: 'IA-64 BCJ',
  0x07: 'ARM BCJ',
  0x08: 'ARM-Thumb BCJ',
  0x09: 'SPARC BCJ',
  0x0a: 'ARM64 BCJ',
  0x0b: 'RISC-V BCJ',
  0x21: 'LZMA2',
};

export function filterName(id: number): string {
  return FILTER_NAMES[id] ?? 'unknown filter';
}

/** A non-last filter, applied in place to a block's LZMA2 output. */
export type PostFilter =
  | { readonly kind: 'delta'; readonly distance: number }
  | { readonly kind: 'bcj'; readonly id: number; readonly startOffset: number; readonly convert: BcjConverter };

const BCJ = new Map<number, BcjConverter>([
  [FilterId.X86, x86Decode],
  [FilterId.PowerPC, powerPcDecode],
  [FilterId.ARM, armDecode],
  [FilterId.ARMThumb, armThumbDecode],
  [FilterId.SPARC, sparcDecode],
  [FilterId.ARM64, arm64Decode],
]);

/** Validate one non-last filter's properties (`propsAt` = their offset in the input). */
export function parsePostFilter(id: number, input: Uint8Array, propsAt: number, propsSize: number, idAt: number): PostFilter {
  if (id === FilterId.Delta) {
    if (propsSize !== 1) xzFail('invalid', `Delta filter properties are ${propsSize} bytes, not 1`, propsAt);
    return { kind: 'delta', distance: input[propsAt]! + 1 };
  }
  const convert = BCJ.get(id);
  if (convert) {
    if (propsSize === 0) return { kind: 'bcj', id, startOffset: 0, convert };
    if (propsSize !== 4) xzFail('invalid', `${filterName(id)} filter properties are ${propsSize} bytes, not 0 or 4`, propsAt);
    const start = (input[propsAt]! | (input[propsAt + 1]! << 8) | (input[propsAt + 2]! << 16) | (input[propsAt + 3]! << 24)) >>> 0;
    return { kind: 'bcj', id, startOffset: start, convert };
  }
  if (id === FilterId.LZMA2) xzFail('invalid', 'LZMA2 must be the last filter of a block', idAt);
  return xzFail('unsupported', `xz filter 0x${id.toString(16)} (${filterName(id)}) is not supported`, idAt);
}

/** Undo `f` over buf[start, end), the whole output of one block. */
export function applyPostFilter(f: PostFilter, buf: Uint8Array, start: number, end: number, offset: number): void {
  if (f.kind === 'delta') deltaDecode(buf, start, end, f.distance);
  else f.convert(buf, start, end, f.startOffset, offset);
}

function deltaDecode(buf: Uint8Array, start: number, end: number, distance: number): void {
  // the filter's history starts as zeros, so the first `distance` bytes pass unchanged
  for (let i = start + distance; i < end; i++) buf[i] = (buf[i]! + buf[i - distance]!) & 0xff;
}

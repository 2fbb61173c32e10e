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
  | { readonly id: typeof FilterId.Delta; readonly distance: number }
  | { readonly id: typeof FilterId.X86; readonly startOffset: number };

/** Validate one non-last filter's properties (`propsAt` = their offset in the input). */
export function parsePostFilter(id: number, input: Uint8Array, propsAt: number, propsSize: number, idAt: number): PostFilter {
  if (id === FilterId.Delta) {
    if (propsSize !== 1) xzFail('invalid', `Delta filter properties are ${propsSize} bytes, not 1`, propsAt);
    return { id, distance: input[propsAt]! + 1 };
  }
  if (id === FilterId.X86) {
    if (propsSize === 0) return { id, startOffset: 0 };
    if (propsSize !== 4) xzFail('invalid', `x86 BCJ filter properties are ${propsSize} bytes, not 0 or 4`, propsAt);
    const start = (input[propsAt]! | (input[propsAt + 1]! << 8) | (input[propsAt + 2]! << 16) | (input[propsAt + 3]! << 24)) >>> 0;
    return { id, startOffset: start };
  }
  if (id === FilterId.LZMA2) xzFail('invalid', 'LZMA2 must be the last filter of a block', idAt);
  return xzFail('unsupported', `xz filter 0x${id.toString(16)} (${filterName(id)}) is not supported`, idAt);
}

/** Undo `f` over buf[start, end), the whole output of one block. */
export function applyPostFilter(f: PostFilter, buf: Uint8Array, start: number, end: number, offset: number): void {
  if (f.id === FilterId.Delta) deltaDecode(buf, start, end, f.distance);
  else x86Decode(buf, start, end, f.startOffset, offset);
}

function deltaDecode(buf: Uint8Array, start: number, end: number, distance: number): void {
  // the filter's history starts as zeros, so the first `distance` bytes pass unchanged
  for (let i = start + distance; i < end; i++) buf[i] = (buf[i]! + buf[i - distance]!) & 0xff;
}

// For the x86 filter: which patterns of recent E8/E9 bytes still allow a conversion, and which
// byte of the operand to test for them.
const X86_ALLOWED = [true, true, true, false, true, false, false, false];
const X86_BYTE = [0, 1, 2, 2, 3, 3, 3, 3];

function isSignByte(b: number): boolean {
  return b === 0x00 || b === 0xff;
}

/**
 * The x86 BCJ decoder: CALL/JMP (E8/E9) operands were turned from relative to absolute by the
 * encoder; turn them back. Run over a whole block at once, it is the streaming filter with the
 * same state, and its last four bytes stay as they are, as at the end of a stream.
 */
function x86Decode(buf: Uint8Array, start: number, end: number, startOffset: number, offset: number): void {
  if (end - start <= 4) return;
  const limit = end - 4;
  let prevPos = start - 1;
  let prevMask = 0;
  for (let i = start; i < limit; i++) {
    if ((buf[i]! & 0xfe) !== 0xe8) continue;
    const gap = i - prevPos;
    if (gap > 3) {
      prevMask = 0;
    } else {
      prevMask = (prevMask << (gap - 1)) & 7;
      if (prevMask !== 0 && (!X86_ALLOWED[prevMask] || isSignByte(buf[i + 4 - X86_BYTE[prevMask]!]!))) {
        prevPos = i;
        prevMask = (prevMask << 1) | 1;
        continue;
      }
    }
    prevPos = i;
    if (!isSignByte(buf[i + 4]!)) {
      prevMask = (prevMask << 1) | 1;
      continue;
    }
    let src = (buf[i + 1]! | (buf[i + 2]! << 8) | (buf[i + 3]! << 16) | (buf[i + 4]! << 24)) >>> 0;
    const here = (startOffset + (i - start) + 5) >>> 0;
    let dest = 0;
    for (let turn = 0; ; turn++) {
      if (turn > 64) xzFail('invalid', 'x86 BCJ operand conversion does not settle', offset);
      dest = (src - here) >>> 0;
      if (prevMask === 0) break;
      const shift = X86_BYTE[prevMask]! * 8;
      if (!isSignByte((dest >>> (24 - shift)) & 0xff)) break;
      src = (dest ^ (2 ** (32 - shift) - 1)) >>> 0;
    }
    dest &= 0x01ffffff;
    if (dest & 0x01000000) dest |= 0xfe000000;
    buf[i + 1] = dest & 0xff;
    buf[i + 2] = (dest >>> 8) & 0xff;
    buf[i + 3] = (dest >>> 16) & 0xff;
    buf[i + 4] = (dest >>> 24) & 0xff;
    i += 4;
  }
}

import { xzFail } from './fail.ts';

/**
 * The xz multibyte integer: 7 bits per byte, low first, at most 9 bytes, no superfluous zero
 * byte at the end. Values are sizes and IDs; anything past 2^53 cannot describe a real file.
 * Reads within input[p, end); `next` is set to the offset after the integer.
 */
export interface Varint {
  value: number;
  next: number;
}

export function readVarint(input: Uint8Array, p: number, end: number, what: string): Varint {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 9; i++) {
    if (p + i >= end) xzFail('truncated', `${what} runs past the end of its field`, p + i);
    const b = input[p + i]!;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) xzFail('invalid', `${what} has a superfluous trailing zero byte`, p + i);
      if (value > Number.MAX_SAFE_INTEGER) xzFail('too-large', `${what} is beyond 2^53`, p);
      return { value, next: p + i + 1 };
    }
    scale *= 128;
  }
  return xzFail('invalid', `${what} is longer than 9 bytes`, p);
}

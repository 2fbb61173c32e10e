import { xzFail } from './fail.ts';

/*
 * Branch/call/jump converters (BCJ), decoder side. The encoder rewrote the relative targets of
 * branch instructions into absolute ones so that repeated calls to one function compress well;
 * each function here turns them back, in place, over one block's whole output. `start` is the
 * filter's start offset (its properties), i.e. the address of buf[from].
 * Bytes past the last whole instruction slot are left as they are, as the streaming filter does.
 */

export type BcjConverter = (buf: Uint8Array, from: number, to: number, start: number, offset: number) => void;

// For x86: which patterns of recent E8/E9 bytes still allow a conversion, and which byte of
// the operand to test for them.
const X86_ALLOWED = [true, true, true, false, true, false, false, false];
const X86_BYTE = [0, 1, 2, 2, 3, 3, 3, 3];

function isSignByte(b: number): boolean {
  return b === 0x00 || b === 0xff;
}

/** x86: CALL/JMP rel32 (E8/E9) whose operand's top byte is 00 or FF. */
export function x86Decode(buf: Uint8Array, from: number, to: number, start: number, offset: number): void {
  if (to - from <= 4) return;
  const limit = to - 4;
  let prevPos = from - 1;
  let prevMask = 0;
  for (let i = from; i < limit; i++) {
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
    const here = (start + (i - from) + 5) >>> 0;
    let dest = 0;
    // Settles after one or two turns given the test above; the bound only guards the loop.
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
    buf[i + 1] = dest;
    buf[i + 2] = dest >>> 8;
    buf[i + 3] = dest >>> 16;
    buf[i + 4] = dest >>> 24;
    i += 4;
  }
}

/** 32-bit ARM: BL with the "always" condition (byte 3 = 0xEB), 24-bit word offset, PC + 8. */
export function armDecode(buf: Uint8Array, from: number, to: number, start: number): void {
  for (let i = from; i + 4 <= to; i += 4) {
    if (buf[i + 3] !== 0xeb) continue;
    const src = ((buf[i + 2]! << 16) | (buf[i + 1]! << 8) | buf[i]!) << 2;
    const dest = ((src - (start + (i - from) + 8)) >>> 2) & 0xffffff;
    buf[i] = dest;
    buf[i + 1] = dest >>> 8;
    buf[i + 2] = dest >>> 16;
  }
}

/** ARM Thumb: the two halfwords of BL (F000 / F800 prefixes), 22-bit halfword offset, PC + 4. */
export function armThumbDecode(buf: Uint8Array, from: number, to: number, start: number): void {
  for (let i = from; i + 4 <= to; i += 2) {
    if ((buf[i + 1]! & 0xf8) !== 0xf0 || (buf[i + 3]! & 0xf8) !== 0xf8) continue;
    const src = (((buf[i + 1]! & 7) << 19) | (buf[i]! << 11) | ((buf[i + 3]! & 7) << 8) | buf[i + 2]!) << 1;
    const dest = (src - (start + (i - from) + 4)) >>> 1;
    buf[i + 1] = 0xf0 | ((dest >>> 19) & 7);
    buf[i] = dest >>> 11;
    buf[i + 3] = 0xf8 | ((dest >>> 8) & 7);
    buf[i + 2] = dest;
    i += 2;
  }
}

/** PowerPC (big-endian): `bl` (opcode 18 with AA=0, LK=1), 24-bit word offset. */
export function powerPcDecode(buf: Uint8Array, from: number, to: number, start: number): void {
  for (let i = from; i + 4 <= to; i += 4) {
    if (buf[i]! >>> 2 !== 0x12 || (buf[i + 3]! & 3) !== 1) continue;
    const src = ((buf[i]! & 3) << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | (buf[i + 3]! & 0xfc);
    const dest = src - (start + (i - from));
    buf[i] = 0x48 | ((dest >>> 24) & 3);
    buf[i + 1] = dest >>> 16;
    buf[i + 2] = dest >>> 8;
    buf[i + 3] = (buf[i + 3]! & 3) | (dest & 0xfc);
  }
}

/** SPARC (big-endian): `call` with a displacement that fits 22 bits sign-extended. */
export function sparcDecode(buf: Uint8Array, from: number, to: number, start: number): void {
  for (let i = from; i + 4 <= to; i += 4) {
    const b0 = buf[i]!;
    const b1 = buf[i + 1]!;
    if (!((b0 === 0x40 && (b1 & 0xc0) === 0) || (b0 === 0x7f && (b1 & 0xc0) === 0xc0))) continue;
    const src = ((b0 << 24) | (b1 << 16) | (buf[i + 2]! << 8) | buf[i + 3]!) << 2;
    let dest = (src - (start + (i - from))) >>> 2;
    dest = (((0 - ((dest >>> 22) & 1)) << 22) & 0x3fffffff) | (dest & 0x3fffff) | 0x40000000;
    buf[i] = dest >>> 24;
    buf[i + 1] = dest >>> 16;
    buf[i + 2] = dest >>> 8;
    buf[i + 3] = dest;
  }
}

/** ARM64: BL (26-bit word offset) and ADRP (21-bit page offset, converted only within ±512 MiB). */
export function arm64Decode(buf: Uint8Array, from: number, to: number, start: number): void {
  for (let i = from; i + 4 <= to; i += 4) {
    let insn = (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)) >>> 0;
    const pc = (start + (i - from)) >>> 0;
    if (insn >>> 26 === 0x25) {
      insn = (0x94000000 | ((insn - (pc >>> 2)) & 0x03ffffff)) >>> 0;
    } else if ((insn & 0x9f000000) >>> 0 === 0x90000000) {
      const src = ((insn >>> 29) & 3) | ((insn >>> 3) & 0x001ffffc);
      if ((src + 0x00020000) & 0x001c0000) continue;
      const dest = (src - (pc >>> 12)) >>> 0;
      insn = (insn & 0x9000001f) >>> 0;
      insn |= (dest & 3) << 29;
      insn |= (dest & 0x0003fffc) << 3;
      insn |= (0 - (dest & 0x00020000)) & 0x00e00000;
      insn >>>= 0;
    } else {
      continue;
    }
    buf[i] = insn;
    buf[i + 1] = insn >>> 8;
    buf[i + 2] = insn >>> 16;
    buf[i + 3] = insn >>> 24;
  }
}

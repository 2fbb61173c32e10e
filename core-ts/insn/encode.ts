import { CorelabError } from '../errors.ts';
import type { Endianness } from '../bytes/view.ts';

/** The fields encodeInsn needs; an Insn from decodeInsn has them all. */
export interface InsnFields {
  readonly code: number;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
  readonly imm: number;
  readonly size?: 8 | 16;
  /** ld_imm64: authoritative for both immediate words when present */
  readonly imm64?: bigint;
  readonly next?: { readonly code: number; readonly dst: number; readonly src: number; readonly off: number; readonly imm: number };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new CorelabError('usage', `cannot encode instruction: ${what}`);
}

function put(out: Uint8Array, at: number, code: number, dst: number, src: number, off: number, imm: number, le: boolean): void {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[at] = code;
  out[at + 1] = le ? (src << 4) | dst : (dst << 4) | src;
  dv.setInt16(at + 2, off, le);
  dv.setInt32(at + 4, imm, le);
}

/**
 * The bytes of one instruction in the given byte order: 8, or 16 for a double-width
 * ld_imm64 (size 16 or an imm64). The patcher writes patched instructions with this, so
 * decodeInsn → encodeInsn gives back the input bytes exactly, second-slot fields included.
 */
export function encodeInsn(insn: InsnFields, endian: Endianness): Uint8Array {
  const { code, dst, src, off } = insn;
  check(Number.isInteger(code) && code >= 0 && code <= 0xff, `code ${code}`);
  check(Number.isInteger(dst) && dst >= 0 && dst <= 15, `dst ${dst}`);
  check(Number.isInteger(src) && src >= 0 && src <= 15, `src ${src}`);
  check(Number.isInteger(off) && off >= -0x8000 && off <= 0x7fff, `off ${off} is not a signed 16-bit value`);
  const wide = insn.size === 16 || insn.imm64 !== undefined;
  const le = endian === 'little';
  let lo = insn.imm;
  let hi = insn.next?.imm ?? 0;
  if (insn.imm64 !== undefined) {
    const v = BigInt.asUintN(64, insn.imm64);
    check(v === insn.imm64 || BigInt.asIntN(64, insn.imm64) === insn.imm64, `imm64 ${insn.imm64} does not fit 64 bits`);
    lo = Number(BigInt.asIntN(32, v));
    hi = Number(BigInt.asIntN(32, v >> 32n));
  }
  check(Number.isInteger(lo) && lo >= -0x80000000 && lo <= 0xffffffff, `imm ${lo} does not fit 32 bits`);
  const out = new Uint8Array(wide ? 16 : 8);
  put(out, 0, code, dst, src, off, lo | 0, le);
  if (wide) {
    const n = insn.next ?? { code: 0, dst: 0, src: 0, off: 0, imm: 0 };
    put(out, 8, n.code, n.dst, n.src, n.off, hi | 0, le);
  }
  return out;
}

/**
 * A program's instructions as raw 8-byte slots that CO-RE patches in place. Only the fields
 * bpf_core_patch_insn touches are exposed; the register nibbles swap with the byte order
 * (struct bpf_insn's bitfields), so reads and writes go through the buffer's endianness.
 */
import { CorelabError } from '../errors.ts';

export const INSN_SIZE = 8;

export const BPF_CLASS = (code: number): number => code & 0x07;
export const BPF_SIZE = (code: number): number => code & 0x18;
export const BPF_MODE = (code: number): number => code & 0xe0;
export const BPF_SRC = (code: number): number => code & 0x08;

export const Cls = { LD: 0x00, LDX: 0x01, ST: 0x02, STX: 0x03, ALU: 0x04, JMP: 0x05, JMP32: 0x06, ALU64: 0x07 } as const;
export const Size = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;
export const BPF_K = 0x00;
export const BPF_IMM = 0x00;
export const BPF_CALL = 0x80;
/** BPF_LD | BPF_IMM | BPF_DW */
export const LD_IMM64 = 0x18;
/** libbpf's "bad relo" helper id (0xbad2310) */
export const POISON_IMM = 195896080;

export class InsnBuffer {
  readonly bytes: Uint8Array;
  readonly le: boolean;
  private readonly dv: DataView;

  constructor(bytes: Uint8Array, endian: 'little' | 'big') {
    if (bytes.length % INSN_SIZE !== 0) {
      throw new CorelabError('invalid', `instruction bytes (${bytes.length}) are not a multiple of 8`);
    }
    this.bytes = bytes;
    this.le = endian === 'little';
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get count(): number {
    return this.bytes.length / INSN_SIZE;
  }

  private at(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.count)) {
      throw new CorelabError('out-of-bounds', `instruction #${i} is outside the program (${this.count} instructions)`);
    }
    return i * INSN_SIZE;
  }

  code(i: number): number {
    return this.bytes[this.at(i)]!;
  }
  dst(i: number): number {
    const b = this.bytes[this.at(i) + 1]!;
    return this.le ? b & 0x0f : b >> 4;
  }
  src(i: number): number {
    const b = this.bytes[this.at(i) + 1]!;
    return this.le ? b >> 4 : b & 0x0f;
  }
  off(i: number): number {
    return this.dv.getInt16(this.at(i) + 2, this.le);
  }
  imm(i: number): number {
    return this.dv.getInt32(this.at(i) + 4, this.le);
  }

  setCode(i: number, code: number): void {
    this.bytes[this.at(i)] = code & 0xff;
  }
  setRegs(i: number, dst: number, src: number): void {
    this.bytes[this.at(i) + 1] = this.le ? (dst & 0xf) | ((src & 0xf) << 4) : ((dst & 0xf) << 4) | (src & 0xf);
  }
  /** stores the low 16 bits, as C's assignment to a __s16 does */
  setOff(i: number, off: number): void {
    this.dv.setInt16(this.at(i) + 2, (off << 16) >> 16, this.le);
  }
  /** stores the low 32 bits, as C's assignment to a __s32 does */
  setImm(i: number, imm: number | bigint): void {
    this.dv.setInt32(this.at(i) + 4, Number(BigInt.asIntN(32, BigInt(imm))), this.le);
  }

  /** the 8 bytes of one slot, as hex in memory order */
  hex(i: number): string {
    const o = this.at(i);
    let s = '';
    for (let k = 0; k < INSN_SIZE; k++) s += this.bytes[o + k]!.toString(16).padStart(2, '0');
    return s;
  }
}

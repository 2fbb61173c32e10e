import { CorelabError } from '../errors.ts';
import type { ByteView } from '../bytes/view.ts';
import { AluOp, BPF_X, INSN_SIZE, JmpOp, LD_IMM64_CODE, Mode, OpClass } from './opcodes.ts';

/**
 * What an instruction is, at the granularity LLVM's BPF disassembler tells them apart
 * (each form has one text shape). Forms are decided from the whole instruction, not only
 * `code`: e.g. `off` picks sdiv/movsx, `imm` picks the byte-swap width and the atomic op.
 */
export type InsnForm =
  | 'alu' // dst op= imm|src
  | 'alu-sdiv' // s/= and s%= (off = 1)
  | 'mov-sx' // dst = (s8|s16|s32)src (off = 8/16/32)
  | 'addr-space-cast' // ALU64 MOV X with off = 1
  | 'neg'
  | 'end' // le/be conversion (ALU class)
  | 'bswap' // ALU64 END: unconditional swap (v4)
  | 'ja' // goto off
  | 'gotol' // JMP32 JA: goto imm (v4)
  | 'jcond' // if dst op imm|src goto off
  | 'may-goto'
  | 'call'
  | 'callx'
  | 'exit'
  | 'ld-imm64' // dst = imm64 ll (src 0)
  | 'ld-pseudo' // ld_imm64 with a pseudo src (map fd, btf id, ...)
  | 'ld-abs'
  | 'ld-ind'
  | 'ldx'
  | 'ldsx'
  | 'st'
  | 'stx'
  | 'atomic'
  // with the ALU32 feature (llvm-objdump --mattr=+alu32, clang -mcpu=v3+ semantics), LLVM
  // decodes 8/16/32-bit LDX/STX and 32-bit atomics with a w register for the data operand:
  | 'ldx-w'
  | 'stx-w'
  | 'atomic-w';

/** Raw fields of the second slot of an ld_imm64 (only its imm is meaningful). */
export interface SecondSlot {
  readonly code: number;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
  readonly imm: number;
}

export interface Insn {
  readonly code: number;
  readonly opClass: OpClass;
  /** register numbers as encoded (0-15); the byte order decides which nibble is which */
  readonly dst: number;
  readonly src: number;
  /** signed 16-bit */
  readonly off: number;
  /** signed 32-bit */
  readonly imm: number;
  /** 8, or 16 for ld_imm64 */
  readonly size: 8 | 16;
  readonly form: InsnForm;
  /** ld_imm64: the 64-bit immediate, low word from `imm`, high word from the second slot */
  readonly imm64?: bigint;
  /** ld_imm64: the second slot as read, so that encoding gives back the same bytes */
  readonly next?: SecondSlot;
}

/** LLVM decodes r0-r11 (r11 is its internal stack-adjust register); 12-15 make the word invalid. */
const regOk = (r: number): boolean => r <= 11;

const invalid = (view: ByteView, at: number, code: number, why: string): CorelabError =>
  new CorelabError('invalid', `instruction 0x${code.toString(16).padStart(2, '0')} at byte ${at}: ${why}`, {
    offset: view.base + at,
    section: view.section,
  });

/**
 * The form of an 8-byte instruction word, or a reason it is not one LLVM 19 decodes
 * (llvm-objdump prints `<unknown>` for exactly those). Rules were measured against
 * llvm-objdump-19 with its default features for BPF (all ISA versions, no ALU32 syntax).
 */
export interface DecodeOptions {
  /** decode as LLVM does with the ALU32 feature (w registers for sub-64-bit memory data) */
  readonly alu32?: boolean;
}

export function classify(code: number, dst: number, src: number, off: number, imm: number, opts: DecodeOptions = {}): InsnForm | string {
  const cls = code & 7;
  const op = code >> 4;
  const x = (code & BPF_X) !== 0;
  switch (cls) {
    case OpClass.ALU:
    case OpClass.ALU64: {
      if (op === AluOp.NEG) {
        if (x) return 'neg has no register-source form';
        return regOk(dst) ? 'neg' : `dst r${dst}`;
      }
      if (op === AluOp.END) {
        if (cls === OpClass.ALU64 && x) return 'ALU64 END with the X bit is not defined';
        if (imm !== 16 && imm !== 32 && imm !== 64) return `byte swap width ${imm}`;
        if (!regOk(dst)) return `dst r${dst}`;
        return cls === OpClass.ALU64 ? 'bswap' : 'end';
      }
      if (op > AluOp.ARSH) return `ALU op 0x${op.toString(16)} is not defined`;
      if (!regOk(dst)) return `dst r${dst}`;
      if (x && !regOk(src)) return `src r${src}`;
      if (off === 0) return 'alu';
      if ((op === AluOp.DIV || op === AluOp.MOD) && off === 1) return 'alu-sdiv';
      if (op === AluOp.MOV && x) {
        if (off === 8 || off === 16 || (off === 32 && cls === OpClass.ALU64)) return 'mov-sx';
        if (off === 1 && cls === OpClass.ALU64) return 'addr-space-cast';
      }
      return `off ${off} is not allowed here`;
    }
    case OpClass.JMP:
    case OpClass.JMP32: {
      const j32 = cls === OpClass.JMP32;
      switch (op) {
        case JmpOp.JA:
          if (x) return 'JA with the X bit is not defined';
          return j32 ? 'gotol' : 'ja';
        case JmpOp.CALL:
          if (j32) return 'JMP32 CALL is not defined';
          if (!x) return 'call';
          return regOk(dst) ? 'callx' : `dst r${dst}`;
        case JmpOp.EXIT:
          if (j32 || x) return 'EXIT is JMP|K only';
          return imm === 0 ? 'exit' : `exit with imm ${imm}`;
        case JmpOp.JCOND:
          if (j32 || x) return 'JCOND is JMP|K only';
          return 'may-goto';
        case 0xf:
          return 'JMP op 0xf is not defined';
        default:
          if (!regOk(dst)) return `dst r${dst}`;
          if (x && !regOk(src)) return `src r${src}`;
          return 'jcond';
      }
    }
    case OpClass.LD: {
      if (code === LD_IMM64_CODE) {
        if (!regOk(dst)) return `dst r${dst}`;
        if (off !== 0) return `ld_imm64 with off ${off}`;
        return src === 0 ? 'ld-imm64' : 'ld-pseudo';
      }
      const mode = code & 0xe0;
      const sz = code & 0x18;
      if (sz === 0x18) return 'no DW form of this load';
      if (mode === Mode.ABS) return 'ld-abs';
      if (mode === Mode.IND) return regOk(src) ? 'ld-ind' : `src r${src}`;
      return `LD mode 0x${mode.toString(16)} is not defined`;
    }
    case OpClass.LDX: {
      const mode = code & 0xe0;
      if (mode !== Mode.MEM && !(mode === Mode.MEMSX && (code & 0x18) !== 0x18)) return `LDX mode 0x${mode.toString(16)}`;
      if (!regOk(dst)) return `dst r${dst}`;
      if (!regOk(src)) return `src r${src}`;
      if (mode === Mode.MEMSX) return 'ldsx';
      return opts.alu32 && (code & 0x18) !== 0x18 ? 'ldx-w' : 'ldx';
    }
    case OpClass.ST: {
      if ((code & 0xe0) !== Mode.MEM) return `ST mode 0x${(code & 0xe0).toString(16)}`;
      return regOk(dst) ? 'st' : `dst r${dst}`;
    }
    default: {
      // STX
      const mode = code & 0xe0;
      const sz = code & 0x18;
      if (mode === Mode.MEM) {
        if (!regOk(dst)) return `dst r${dst}`;
        if (!regOk(src)) return `src r${src}`;
        return opts.alu32 && sz !== 0x18 ? 'stx-w' : 'stx';
      }
      if (mode !== Mode.ATOMIC) return `STX mode 0x${mode.toString(16)}`;
      if (!regOk(dst)) return `dst r${dst}`;
      if (!regOk(src)) return `src r${src}`;
      const aop = imm & 0xf0;
      const fetch = (imm & 0x0f) === 1;
      if (sz === 0x08 || sz === 0x10) return 'atomics are W or DW';
      // without ALU32, LLVM knows only the plain 32-bit add (and ignores the fetch bit)
      if (sz === 0x00 && !opts.alu32) return aop === 0 ? 'atomic' : `32-bit atomic op 0x${(imm & 0xff).toString(16)} needs ALU32`;
      const form = sz === 0x00 ? 'atomic-w' : 'atomic';
      if (aop === 0x00 || aop === 0x40 || aop === 0x50 || aop === 0xa0) return form;
      if ((aop === 0xe0 || aop === 0xf0) && fetch) return form;
      return `atomic op 0x${(imm & 0xff).toString(16)}`;
    }
  }
}

/** Register nibbles: little-endian puts dst in the low nibble, big-endian in the high one. */
export function splitRegs(regs: number, le: boolean): { dst: number; src: number } {
  return le ? { dst: regs & 0xf, src: regs >> 4 } : { dst: regs >> 4, src: regs & 0xf };
}

/**
 * Decode the instruction at byte `at` of `view` (a program section, in its ELF byte order).
 * Throws CorelabError 'truncated' when fewer than 8 bytes remain, or 16 for an ld_imm64,
 * and 'invalid' for an encoding LLVM does not decode.
 */
export function decodeInsn(view: ByteView, at: number, opts: DecodeOptions = {}): Insn {
  view.need(at, INSN_SIZE, 'instruction');
  const code = view.u8(at);
  const { dst, src } = splitRegs(view.u8(at + 1), view.le);
  const off = view.i16(at + 2);
  const imm = view.i32(at + 4);
  const form = classify(code, dst, src, off, imm, opts);
  if (!isForm(form)) throw invalid(view, at, code, form);
  const f = form;
  const opClass = (code & 7) as OpClass;
  if (f !== 'ld-imm64' && f !== 'ld-pseudo') return { code, opClass, dst, src, off, imm, size: 8, form: f };
  view.need(at + INSN_SIZE, INSN_SIZE, 'second half of ld_imm64');
  const regs2 = splitRegs(view.u8(at + 9), view.le);
  const next: SecondSlot = { code: view.u8(at + 8), dst: regs2.dst, src: regs2.src, off: view.i16(at + 10), imm: view.i32(at + 12) };
  const imm64 = (BigInt(next.imm >>> 0) << 32n) | BigInt(imm >>> 0);
  return { code, opClass, dst, src, off, imm, size: 16, form: f, imm64, next };
}

const FORMS: ReadonlySet<string> = new Set<InsnForm>([
  'alu', 'alu-sdiv', 'mov-sx', 'addr-space-cast', 'neg', 'end', 'bswap', 'ja', 'gotol', 'jcond', 'may-goto',
  'call', 'callx', 'exit', 'ld-imm64', 'ld-pseudo', 'ld-abs', 'ld-ind', 'ldx', 'ldsx', 'st', 'stx', 'atomic', 'ldx-w', 'stx-w', 'atomic-w',
]);

/** Is this a form name (as opposed to a reason from `classify`)? */
export function isForm(s: string): s is InsnForm {
  return FORMS.has(s);
}

/**
 * Decode a whole program section. Every instruction must decode; the first that does not
 * throws (use the listing in objdump.ts for llvm-objdump's lenient walk).
 */
export function decodeProgram(view: ByteView, opts: DecodeOptions = {}): Insn[] {
  const out: Insn[] = [];
  for (let at = 0; at < view.length; ) {
    const insn = decodeInsn(view, at, opts);
    out.push(insn);
    at += insn.size;
  }
  return out;
}

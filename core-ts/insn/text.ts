import type { Insn } from './decode.ts';
import { AluOp, JmpOp, OpClass } from './opcodes.ts';

/** LLVM's hex immediate: 0x1f, -0x1f. */
export function hexImm(v: number | bigint): string {
  if (typeof v === 'bigint') return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  return v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

const ALU_OPS: Record<number, string> = {
  [AluOp.ADD]: '+=', [AluOp.SUB]: '-=', [AluOp.MUL]: '*=', [AluOp.DIV]: '/=', [AluOp.OR]: '|=', [AluOp.AND]: '&=',
  [AluOp.LSH]: '<<=', [AluOp.RSH]: '>>=', [AluOp.MOD]: '%=', [AluOp.XOR]: '^=', [AluOp.MOV]: '=', [AluOp.ARSH]: 's>>=',
};
const JMP_OPS: Record<number, string> = {
  [JmpOp.JEQ]: '==', [JmpOp.JGT]: '>', [JmpOp.JGE]: '>=', [JmpOp.JSET]: '&', [JmpOp.JNE]: '!=', [JmpOp.JSGT]: 's>',
  [JmpOp.JSGE]: 's>=', [JmpOp.JLT]: '<', [JmpOp.JLE]: '<=', [JmpOp.JSLT]: 's<', [JmpOp.JSLE]: 's<=',
};
const SIZE_NAMES = ['32', '16', '8', '64'];
const ATOMIC_NAMES: Record<number, string> = { 0x00: 'add', 0x40: 'or', 0x50: 'and', 0xa0: 'xor' };
const ATOMIC_OPS: Record<number, string> = { 0x00: '+', 0x40: '|', 0x50: '&', 0xa0: '^' };

const r = (n: number): string => `r${n}`;
const w = (n: number): string => `w${n}`;
/** "(r1 + 0x8)" / "(r10 - 0x8)" without the parentheses */
const mem = (reg: number, off: number): string => (off >= 0 ? `r${reg} + ${hexImm(off)}` : `r${reg} - ${hexImm(-off)}`);
const br = (v: number): string => (v >= 0 ? `+${hexImm(v)}` : hexImm(v));

/**
 * The instruction text llvm-objdump-19 prints (without the leading tab and without a branch
 * target's `<label>`). Registers: `w` for ALU and JMP32 operands, `r` elsewhere, as LLVM
 * prints with its default (non-ALU32) disassembly features.
 */
export function formatInsn(insn: Insn): string {
  const { code, dst, src, off, imm } = insn;
  const cls = code & 7;
  const op = code >> 4;
  const x = (code & 8) !== 0;
  const reg = cls === OpClass.ALU || cls === OpClass.JMP32 ? w : r;
  const width = SIZE_NAMES[(code >> 3) & 3]!;
  switch (insn.form) {
    case 'alu':
      return `${reg(dst)} ${ALU_OPS[op]} ${x ? reg(src) : hexImm(imm)}`;
    case 'alu-sdiv':
      return `${reg(dst)} s${ALU_OPS[op]} ${x ? reg(src) : hexImm(imm)}`;
    case 'mov-sx':
      return `${reg(dst)} = (s${off})${reg(src)}`;
    case 'addr-space-cast':
      return `r${dst} = addr_space_cast(r${src}, ${hexImm(imm >>> 16)}, ${hexImm(imm & 0xffff)})`;
    case 'neg':
      return `${reg(dst)} = -${reg(dst)}`;
    case 'end':
      return `r${dst} = ${x ? 'be' : 'le'}${imm} r${dst}`;
    case 'bswap':
      return `r${dst} = bswap${imm} r${dst}`;
    case 'ja':
      return `goto ${br(off)}`;
    case 'gotol':
      return `gotol ${br(imm)}`;
    case 'may-goto':
      return `may_goto ${br(off)}`;
    case 'jcond':
      return `if ${reg(dst)} ${JMP_OPS[op]} ${x ? reg(src) : hexImm(imm)} goto ${br(off)}`;
    case 'call':
      return `call ${hexImm(imm)}`;
    case 'callx':
      return `callx r${dst}`;
    case 'exit':
      return 'exit';
    case 'ld-imm64':
      return `r${dst} = ${hexImm(BigInt.asIntN(64, insn.imm64 ?? BigInt(imm >>> 0)))} ll`;
    case 'ld-pseudo':
      // LLVM prints this form with its internal mnemonic and only the low immediate word
      return `ld_pseudo\tr${dst}, ${hexImm(src)}, ${hexImm(imm >>> 0)}`;
    case 'ld-abs':
      return `r0 = *(u${width} *)skb[${hexImm(imm)}]`;
    case 'ld-ind':
      return `r0 = *(u${width} *)skb[r${src}]`;
    case 'ldx':
      return `r${dst} = *(u${width} *)(${mem(src, off)})`;
    case 'ldsx':
      return `r${dst} = *(s${width} *)(${mem(src, off)})`;
    case 'st':
      return `*(u${width} *)(${mem(dst, off)}) = ${hexImm(imm)}`;
    case 'stx':
      return `*(u${width} *)(${mem(dst, off)}) = r${src}`;
    case 'ldx-w':
      return `w${dst} = *(u${width} *)(${mem(src, off)})`;
    case 'stx-w':
      return `*(u${width} *)(${mem(dst, off)}) = w${src}`;
    case 'atomic-w': {
      const a = imm & 0xff;
      if (a === 0xe1) return `w${src} = xchg32_32(${mem(dst, off)}, w${src})`;
      if (a === 0xf1) return `w0 = cmpxchg32_32(${mem(dst, off)}, w0, w${src})`;
      const kind = a & 0xf0;
      if ((a & 0x0f) === 1) return `w${src} = atomic_fetch_${ATOMIC_NAMES[kind]}((u32 *)(${mem(dst, off)}), w${src})`;
      return `lock *(u32 *)(${mem(dst, off)}) ${ATOMIC_OPS[kind]}= w${src}`;
    }
    case 'atomic': {
      const a = imm & 0xff;
      if (width === '32') return `lock *(u32 *)(${mem(dst, off)}) += r${src}`;
      if (a === 0xe1) return `r${src} = xchg_64(${mem(dst, off)}, r${src})`;
      if (a === 0xf1) return `r0 = cmpxchg_64(${mem(dst, off)}, r0, r${src})`;
      const kind = a & 0xf0;
      if ((a & 0x0f) === 1) return `r${src} = atomic_fetch_${ATOMIC_NAMES[kind]}((u64 *)(${mem(dst, off)}), r${src})`;
      return `lock *(u64 *)(${mem(dst, off)}) ${ATOMIC_OPS[kind]}= r${src}`;
    }
  }
}

/**
 * The branch displacement in instructions, for the forms llvm-objdump resolves to a target
 * (`goto`, `gotol`, conditional jumps, `may_goto`); undefined for everything else (calls included).
 */
export function branchDisplacement(insn: Insn): number | undefined {
  switch (insn.form) {
    case 'ja':
    case 'jcond':
    case 'may-goto':
      return insn.off;
    case 'gotol':
      return insn.imm;
    default:
      return undefined;
  }
}

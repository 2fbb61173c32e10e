/** BPF instruction encoding constants (uapi bpf.h / bpf_common.h numbering). */

/** The low 3 bits of `code`. */
export const OpClass = {
  LD: 0,
  LDX: 1,
  ST: 2,
  STX: 3,
  ALU: 4,
  JMP: 5,
  JMP32: 6,
  ALU64: 7,
} as const;
export type OpClass = (typeof OpClass)[keyof typeof OpClass];

/** ALU/ALU64 operation, `code >> 4`. */
export const AluOp = {
  ADD: 0x0,
  SUB: 0x1,
  MUL: 0x2,
  DIV: 0x3,
  OR: 0x4,
  AND: 0x5,
  LSH: 0x6,
  RSH: 0x7,
  NEG: 0x8,
  MOD: 0x9,
  XOR: 0xa,
  MOV: 0xb,
  ARSH: 0xc,
  END: 0xd,
} as const;

/** JMP/JMP32 operation, `code >> 4`. */
export const JmpOp = {
  JA: 0x0,
  JEQ: 0x1,
  JGT: 0x2,
  JGE: 0x3,
  JSET: 0x4,
  JNE: 0x5,
  JSGT: 0x6,
  JSGE: 0x7,
  CALL: 0x8,
  EXIT: 0x9,
  JLT: 0xa,
  JLE: 0xb,
  JSLT: 0xc,
  JSLE: 0xd,
  JCOND: 0xe,
} as const;

/** `code & 0x08` of ALU/JMP: operand is `src` register (X) rather than `imm` (K). */
export const BPF_X = 0x08;

/** Load/store size, `code & 0x18`. */
export const SizeBits = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;
/** Bytes per size field value (W, H, B, DW order of the 2-bit field). */
export const SIZE_BYTES: readonly number[] = [4, 2, 1, 8];

/** Load/store mode, `code & 0xe0`. */
export const Mode = { IMM: 0x00, ABS: 0x20, IND: 0x40, MEM: 0x60, MEMSX: 0x80, ATOMIC: 0xc0 } as const;

/** Atomic operation in `imm` of BPF_STX|BPF_ATOMIC. */
export const AtomicOp = {
  ADD: 0x00,
  OR: 0x40,
  AND: 0x50,
  XOR: 0xa0,
  FETCH: 0x01,
  XCHG: 0xe0 | 0x01,
  CMPXCHG: 0xf0 | 0x01,
} as const;

/** src_reg of BPF_LD|BPF_IMM|BPF_DW: what the 64-bit immediate stands for. */
export const PseudoLdImm64 = {
  NONE: 0,
  MAP_FD: 1,
  MAP_VALUE: 2,
  BTF_ID: 3,
  FUNC: 4,
  MAP_IDX: 5,
  MAP_IDX_VALUE: 6,
} as const;

/** src_reg of BPF_JMP|BPF_CALL. */
export const PseudoCall = { HELPER: 0, CALL: 1, KFUNC_CALL: 2 } as const;

/** code of the one double-width instruction. */
export const LD_IMM64_CODE = OpClass.LD | SizeBits.DW | Mode.IMM; // 0x18

export const INSN_SIZE = 8;

/** libbpf's poison for an unresolvable CO-RE relocation: `call 0xbad2310`. */
export const POISON_CALL_IMM = 0xbad2310;

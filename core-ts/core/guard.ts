/**
 * Is a poisoned instruction reachable? A small forward analysis over one function's relocated
 * instructions: registers loaded with constants (`rX = imm`, `rX = imm ll`) are tracked, and a
 * conditional jump on known values takes only its decided edge — which is how the verifier
 * prunes the dead branch of `if (bpf_core_field_exists(...))` once CO-RE has patched in 0/1.
 * It is corelab's estimate (no pointer or range tracking), reported as such.
 */
import { BPF_CLASS, BPF_SIZE, Cls, LD_IMM64, POISON_IMM, Size } from './insns.ts';
import type { InsnBuffer } from './insns.ts';

/** a constant, or a pointer into frozen read-only data */
type Val = bigint | { readonly data: Uint8Array; readonly off: number };
/** registers 0..10, and 8-byte stack slots keyed STACK - off */
type Regs = Map<number, Val>;
const STACK = 1000;

export interface GuardContext {
  /** ld_imm64 at this index loads a pointer into .rodata */
  readonly rodata?: ReadonlyMap<number, { readonly data: Uint8Array; readonly off: number }>;
  readonly endian?: 'little' | 'big';
}

const same = (a: Val | undefined, b: Val | undefined): boolean =>
  typeof a === 'bigint' || typeof b === 'bigint' ? a === b : a !== undefined && b !== undefined && a.data === b.data && a.off === b.off;
const num = (v: Val | undefined): bigint | undefined => (typeof v === 'bigint' ? v : undefined);

function readData(p: { data: Uint8Array; off: number }, off: number, size: number, le: boolean): bigint | undefined {
  const at = p.off + off;
  if (at < 0 || at + size > p.data.length) return undefined;
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const b = BigInt(p.data[at + (le ? size - 1 - i : i)]!);
    v = (v << 8n) | b;
  }
  return v;
}
const SIZES: Record<number, number> = { [Size.B]: 1, [Size.H]: 2, [Size.W]: 4, [Size.DW]: 8 };

export interface GuardAnalysis {
  /** whether some path from the function's entry reaches the instruction */
  readonly reachable: boolean;
  /** conditional jumps whose decided edge avoids it (the guards), when unreachable */
  readonly guards: number[];
}

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const S64 = (v: bigint): bigint => BigInt.asIntN(64, v);

function decide(op: number, a: bigint, b: bigint, is32: boolean): boolean | undefined {
  const ua = is32 ? BigInt.asUintN(32, a) : U64(a);
  const ub = is32 ? BigInt.asUintN(32, b) : U64(b);
  const sa = is32 ? BigInt.asIntN(32, a) : S64(a);
  const sb = is32 ? BigInt.asIntN(32, b) : S64(b);
  switch (op) {
    case 0x10: return ua === ub;
    case 0x20: return ua > ub;
    case 0x30: return ua >= ub;
    case 0x40: return (ua & ub) !== 0n;
    case 0x50: return ua !== ub;
    case 0x60: return sa > sb;
    case 0x70: return sa >= sb;
    case 0xa0: return ua < ub;
    case 0xb0: return ua <= ub;
    case 0xc0: return sa < sb;
    case 0xd0: return sa <= sb;
    default: return undefined;
  }
}

/** Constant folding of the ALU ops the compiler emits around CO-RE values; undefined = unknown. */
function aluResult(code: number, is64: boolean, a: bigint | undefined, bIn: bigint | undefined, off: number): bigint | undefined {
  const op = code & 0xf0;
  if (bIn === undefined) return undefined;
  // 32-bit ALU sign-extends nothing: operands and result are the low 32 bits, zero-extended
  const fit = (x: bigint): bigint => (is64 ? U64(x) : BigInt.asUintN(32, x));
  const b = (code & 0x08) !== 0 ? fit(bIn) : is64 ? U64(BigInt.asIntN(32, bIn)) : BigInt.asUintN(32, bIn);
  if (op === 0xb0) return off === 0 ? b : undefined; // mov (movsx has off != 0)
  if (a === undefined) return undefined;
  const x = fit(a);
  const bits = is64 ? 64n : 32n;
  switch (op) {
    case 0x00: return fit(x + b);
    case 0x10: return fit(x - b);
    case 0x20: return fit(x * b);
    case 0x40: return x | b;
    case 0x50: return x & b;
    case 0x60: return fit(x << (b % bits));
    case 0x70: return x >> (b % bits);
    case 0xa0: return x ^ b;
    case 0xc0: {
      const sx = is64 ? BigInt.asIntN(64, x) : BigInt.asIntN(32, x);
      return fit(sx >> (b % bits));
    }
    case 0x80: return fit(-x);
    default: return undefined;
  }
}

function merge(into: Regs | undefined, from: Regs): { regs: Regs; changed: boolean } {
  if (!into) return { regs: new Map(from), changed: true };
  let changed = false;
  for (const [r, v] of into) {
    if (!same(from.get(r), v)) {
      into.delete(r);
      changed = true;
    }
  }
  return { regs: into, changed };
}

export function analyseReachability(insns: InsnBuffer, target: number, ctx: GuardContext = {}): GuardAnalysis {
  const le = (ctx.endian ?? (insns.le ? 'little' : 'big')) === 'little';
  const n = insns.count;
  const state: (Regs | undefined)[] = new Array(n);
  /** decided conditional jumps → the edge they never take */
  const dead = new Map<number, number>();
  const work: number[] = [0];
  state[0] = new Map();
  let steps = 0;
  const limit = n * 16 + 64;

  const flow = (to: number, regs: Regs): void => {
    if (to < 0 || to >= n) return;
    const m = merge(state[to], regs);
    state[to] = m.regs;
    if (m.changed) work.push(to);
  };

  while (work.length && steps++ < limit) {
    const pc = work.pop()!;
    const regs = new Map(state[pc]!);
    const code = insns.code(pc);
    const cls = BPF_CLASS(code);
    const dst = insns.dst(pc);
    const src = insns.src(pc);
    const off = insns.off(pc);
    const imm = insns.imm(pc);

    if (code === LD_IMM64) {
      const ro = ctx.rodata?.get(pc);
      if (ro) regs.set(dst, ro);
      else if (pc + 1 < n && src === 0) regs.set(dst, BigInt(imm >>> 0) | (BigInt(insns.imm(pc + 1) >>> 0) << 32n));
      else regs.delete(dst);
      flow(pc + 2, regs);
      continue;
    }
    if (cls === Cls.ALU || cls === Cls.ALU64) {
      const cur = regs.get(dst);
      if (cur !== undefined && typeof cur !== 'bigint') {
        // pointer arithmetic on a .rodata pointer: only += K keeps it known
        if (code === 0x07) regs.set(dst, { data: cur.data, off: cur.off + imm });
        else regs.delete(dst);
      } else {
        const b = (code & 0x08) !== 0 ? regs.get(src) : BigInt(imm);
        if ((code & 0xf8) === 0xb8 && cls === Cls.ALU64 && off === 0 && b !== undefined && typeof b !== 'bigint') regs.set(dst, b);
        else {
          const v = aluResult(code, cls === Cls.ALU64, num(cur), num(b), off);
          if (v === undefined) regs.delete(dst);
          else regs.set(dst, v);
        }
      }
      flow(pc + 1, regs);
      continue;
    }
    if (cls === Cls.LDX || cls === Cls.LD) {
      let v: bigint | undefined;
      if (cls === Cls.LDX && (code & 0xe0) === 0x60) {
        const base = regs.get(src);
        const size = SIZES[BPF_SIZE(code)]!;
        if (src === 10 && size === 8) v = num(regs.get(STACK - off));
        else if (base !== undefined && typeof base !== 'bigint') v = readData(base, off, size, le);
      }
      if (v === undefined) regs.delete(dst);
      else regs.set(dst, v);
      if (cls === Cls.LD) for (let r = 0; r <= 5; r++) regs.delete(r);
      flow(pc + 1, regs);
      continue;
    }
    if (cls === Cls.ST || cls === Cls.STX) {
      const mode = code & 0xe0;
      if (dst === 10 && mode === 0x60) {
        // a store into the frame: remember 8-byte constants, forget anything it overlaps
        for (const k of [...regs.keys()]) if (k >= STACK - 512 && k <= STACK + 512 && Math.abs(STACK - k - off) < 8) regs.delete(k);
        const size = SIZES[BPF_SIZE(code)]!;
        const v = cls === Cls.ST ? BigInt(imm) : num(regs.get(src));
        if (size === 8 && v !== undefined) regs.set(STACK - off, U64(v));
      } else if (dst === 10) {
        for (const k of [...regs.keys()]) if (k >= STACK - 512 && k <= STACK + 512) regs.delete(k);
      }
      // atomics with fetch write a register back
      if (cls === Cls.STX && mode === 0xc0) {
        regs.delete(src);
        regs.delete(0);
      }
      flow(pc + 1, regs);
      continue;
    }
    // JMP / JMP32
    const op = code & 0xf0;
    if (op === 0x90) continue; // exit
    if (op === 0x80) {
      if (imm === POISON_IMM && src === 0) continue; // a poisoned call never returns
      for (let r = 0; r <= 5; r++) regs.delete(r);
      flow(pc + 1, regs);
      continue;
    }
    if (op === 0x00) {
      flow(pc + 1 + (cls === Cls.JMP32 ? imm : off), regs);
      continue;
    }
    const a = num(regs.get(dst));
    const b = (code & 0x08) !== 0 ? num(regs.get(src)) : BigInt(imm);
    const taken = a !== undefined && b !== undefined ? decide(op, a, b, cls === Cls.JMP32) : undefined;
    const jumpTo = pc + 1 + off;
    if (taken !== false) flow(jumpTo, regs);
    if (taken !== true) flow(pc + 1, regs);
    if (taken !== undefined) dead.set(pc, taken ? pc + 1 : jumpTo);
  }
  const reachable = state[target] !== undefined;
  if (reachable) return { reachable, guards: [] };
  // a guard is a decided jump whose untaken edge leads to the target in the plain flow graph
  const guards = [...dead].filter(([pc, d]) => state[pc] !== undefined && flowReaches(insns, d, target)).map(([pc]) => pc);
  return { reachable, guards: guards.sort((x, y) => x - y) };
}

/** Plain control-flow reachability (every branch both ways). */
function flowReaches(insns: InsnBuffer, from: number, target: number): boolean {
  const n = insns.count;
  const seen = new Uint8Array(n);
  const work = [from];
  while (work.length) {
    const pc = work.pop()!;
    if (pc < 0 || pc >= n || seen[pc]) continue;
    if (pc === target) return true;
    seen[pc] = 1;
    const code = insns.code(pc);
    const cls = BPF_CLASS(code);
    if (code === LD_IMM64) {
      work.push(pc + 2);
      continue;
    }
    if (cls !== Cls.JMP && cls !== Cls.JMP32) {
      work.push(pc + 1);
      continue;
    }
    const op = code & 0xf0;
    if (op === 0x90) continue;
    if (op === 0x80) {
      if (!(insns.imm(pc) === POISON_IMM && insns.src(pc) === 0)) work.push(pc + 1);
      continue;
    }
    if (op === 0x00) {
      work.push(pc + 1 + (cls === Cls.JMP32 ? insns.imm(pc) : insns.off(pc)));
      continue;
    }
    work.push(pc + 1, pc + 1 + insns.off(pc));
  }
  return false;
}

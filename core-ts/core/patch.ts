/**
 * bpf_core_patch_insn of libbpf 1.1.2: check the instruction holds the value the local spec
 * predicts, then rewrite its immediate, offset, memory size or 64-bit immediate — or poison it.
 */
import { Errno } from './errno.ts';
import type { CoreLog } from './log.ts';
import { u32, u64 } from './log.ts';
import { BPF_CALL, BPF_CLASS, BPF_K, BPF_MODE, BPF_SIZE, BPF_SRC, Cls, LD_IMM64, POISON_IMM, Size } from './insns.ts';
import type { InsnBuffer } from './insns.ts';
import type { CoreRelo } from './relo.ts';
import type { ReloRes } from './value.ts';

export interface PatchRecord {
  /** program-relative instruction index */
  readonly insn: number;
  readonly what: 'imm' | 'off' | 'mem_sz' | 'imm64' | 'poison';
  readonly from: bigint;
  readonly to: bigint;
}

function sizeBytes(code: number): number {
  switch (BPF_SIZE(code)) {
    case Size.DW:
      return 8;
    case Size.W:
      return 4;
    case Size.H:
      return 2;
    default:
      return 1;
  }
}

function bytesToSize(sz: number): number {
  switch (sz) {
    case 8:
      return Size.DW;
    case 4:
      return Size.W;
    case 2:
      return Size.H;
    case 1:
      return Size.B;
    default:
      return -1;
  }
}

function poisonOne(progName: string, reloIdx: number, insnIdx: number, insns: InsnBuffer, log: CoreLog, out: PatchRecord[]): void {
  log.debug(`prog '${progName}': relo #${reloIdx}: substituting insn #${insnIdx} w/ invalid insn\n`);
  out.push({ insn: insnIdx, what: 'poison', from: BigInt(insns.code(insnIdx)), to: BigInt(POISON_IMM) });
  insns.setCode(insnIdx, Cls.JMP | BPF_CALL);
  insns.setRegs(insnIdx, 0, 0);
  insns.setOff(insnIdx, 0);
  insns.setImm(insnIdx, POISON_IMM);
}

function poison(progName: string, reloIdx: number, insnIdx: number, insns: InsnBuffer, log: CoreLog, out: PatchRecord[]): void {
  // both slots of an ld_imm64, the second first (else the verifier reports "unknown opcode 00")
  if (insns.code(insnIdx) === LD_IMM64 && insnIdx + 1 < insns.count) poisonOne(progName, reloIdx, insnIdx + 1, insns, log, out);
  poisonOne(progName, reloIdx, insnIdx, insns, log, out);
}

/** Returns 0 or a negative errno; `out` collects what changed. */
export function patchInsn(
  progName: string,
  insns: InsnBuffer,
  insnIdx: number,
  _relo: CoreRelo,
  reloIdx: number,
  res: ReloRes,
  log: CoreLog,
  out: PatchRecord[],
): number {
  const code = insns.code(insnIdx);
  const cls = BPF_CLASS(code);
  if (res.poison) {
    poison(progName, reloIdx, insnIdx, insns, log, out);
    return 0;
  }
  const origVal = res.origVal;
  const newVal = res.newVal;
  const p = `prog '${progName}': relo #${reloIdx}: `;

  switch (cls) {
    case Cls.ALU:
    case Cls.ALU64: {
      if (BPF_SRC(code) !== BPF_K) return -Errno.EINVAL;
      const imm = insns.imm(insnIdx);
      // C compares the s32 imm (widened) with the u64 value
      if (res.validate && BigInt.asUintN(64, BigInt(imm)) !== origVal) {
        log.warn(`${p}unexpected insn #${insnIdx} (ALU/ALU64) value: got ${u32(imm)}, exp ${u64(origVal)} -> ${u64(newVal)}\n`);
        return -Errno.EINVAL;
      }
      insns.setImm(insnIdx, newVal);
      out.push({ insn: insnIdx, what: 'imm', from: BigInt(imm), to: newVal });
      log.debug(`${p}patched insn #${insnIdx} (ALU/ALU64) imm ${u64(imm)} -> ${u64(newVal)}\n`);
      return 0;
    }
    case Cls.LDX:
    case Cls.ST:
    case Cls.STX: {
      const off = insns.off(insnIdx);
      if (res.validate && BigInt.asUintN(64, BigInt(off)) !== origVal) {
        log.warn(`${p}unexpected insn #${insnIdx} (LDX/ST/STX) value: got ${u32(off)}, exp ${u64(origVal)} -> ${u64(newVal)}\n`);
        return -Errno.EINVAL;
      }
      if (newVal > 32767n) {
        log.warn(`${p}insn #${insnIdx} (LDX/ST/STX) value too big: ${u64(newVal)}\n`);
        return -Errno.ERANGE;
      }
      if (res.failMemszAdjust) {
        log.warn(
          `${p}insn #${insnIdx} (LDX/ST/STX) accesses field incorrectly. Make sure you are accessing pointers, unsigned integers, or fields of matching type and size.\n`,
        );
        poison(progName, reloIdx, insnIdx, insns, log, out);
        return 0;
      }
      insns.setOff(insnIdx, Number(newVal));
      out.push({ insn: insnIdx, what: 'off', from: BigInt(off), to: newVal });
      log.debug(`${p}patched insn #${insnIdx} (LDX/ST/STX) off ${u64(off)} -> ${u64(newVal)}\n`);

      if (res.newSz !== res.origSz) {
        const have = sizeBytes(code);
        if (have !== res.origSz) {
          log.warn(`${p}insn #${insnIdx} (LDX/ST/STX) unexpected mem size: got ${have}, exp ${u32(res.origSz)}\n`);
          return -Errno.EINVAL;
        }
        const sz = bytesToSize(res.newSz);
        if (sz < 0) {
          log.warn(`${p}insn #${insnIdx} (LDX/ST/STX) invalid new mem size: ${u32(res.newSz)}\n`);
          return -Errno.EINVAL;
        }
        insns.setCode(insnIdx, BPF_MODE(code) | sz | BPF_CLASS(code));
        out.push({ insn: insnIdx, what: 'mem_sz', from: BigInt(res.origSz), to: BigInt(res.newSz) });
        log.debug(`${p}patched insn #${insnIdx} (LDX/ST/STX) mem_sz ${u32(res.origSz)} -> ${u32(res.newSz)}\n`);
      }
      return 0;
    }
    case Cls.LD: {
      const hasSecond = insnIdx + 1 < insns.count;
      if (
        code !== LD_IMM64 ||
        insns.src(insnIdx) !== 0 ||
        insns.off(insnIdx) !== 0 ||
        !hasSecond ||
        insns.code(insnIdx + 1) !== 0 ||
        insns.dst(insnIdx + 1) !== 0 ||
        insns.src(insnIdx + 1) !== 0 ||
        insns.off(insnIdx + 1) !== 0
      ) {
        log.warn(`${p}insn #${insnIdx} (LDIMM64) has unexpected form\n`);
        return -Errno.EINVAL;
      }
      const imm = BigInt(insns.imm(insnIdx) >>> 0) | (BigInt(insns.imm(insnIdx + 1) >>> 0) << 32n);
      if (res.validate && imm !== origVal) {
        log.warn(`${p}unexpected insn #${insnIdx} (LDIMM64) value: got ${u64(imm)}, exp ${u64(origVal)} -> ${u64(newVal)}\n`);
        return -Errno.EINVAL;
      }
      insns.setImm(insnIdx, newVal);
      insns.setImm(insnIdx + 1, newVal >> 32n);
      out.push({ insn: insnIdx, what: 'imm64', from: imm, to: newVal });
      log.debug(`${p}patched insn #${insnIdx} (LDIMM64) imm64 ${u64(imm)} -> ${u64(newVal)}\n`);
      return 0;
    }
    default: {
      const hx = (n: number): string => (n >>> 0).toString(16);
      log.warn(
        `${p}trying to relocate unrecognized insn #${insnIdx}, code:0x${hx(code)}, src:0x${hx(insns.src(insnIdx))}, dst:0x${hx(insns.dst(insnIdx))}, off:0x${hx(insns.off(insnIdx))}, imm:0x${hx(insns.imm(insnIdx))}\n`,
      );
      return -Errno.EINVAL;
    }
  }
}

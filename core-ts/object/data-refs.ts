/**
 * ld_imm64 instructions that point into read-only data (`.rodata*`). libbpf freezes those maps
 * before loading, so the verifier knows every value read through such a pointer; the guard
 * estimate uses the same knowledge (a `const volatile` flag tested around a CO-RE access).
 */
import { SHF } from '../elf/index.ts';
import type { BpfObject } from './index.ts';
import type { BpfProgram } from './programs.ts';

export interface RodataRef {
  /** the section's bytes */
  readonly data: Uint8Array;
  /** byte offset the instruction points at */
  readonly off: number;
}

/** function-relative instruction index → what its ld_imm64 points at */
export function rodataRefs(obj: BpfObject, prog: BpfProgram): Map<number, RodataRef> {
  const out = new Map<number, RodataRef>();
  const sec = obj.elf.sections[prog.secIdx];
  if (!sec) return out;
  const syms = obj.elf.symbols();
  for (const r of obj.elf.relocationsFor(sec)) {
    const idx = r.offset / 8 - prog.secInsnOff;
    if (!Number.isInteger(idx) || idx < 0 || idx >= prog.insnCount) continue;
    const sym = syms[r.symbol];
    const target = sym ? obj.elf.sections[sym.shndx] : undefined;
    if (!sym || !target || !target.name.startsWith('.rodata') || (target.flags & SHF.WRITE) !== 0) continue;
    if (prog.insns[idx * 8] !== 0x18) continue;
    const imm = new DataView(prog.insns.buffer, prog.insns.byteOffset + idx * 8 + 4, 4).getInt32(0, obj.endian === 'little');
    out.set(idx, { data: obj.elf.data(target), off: imm + Number(sym.value) });
  }
  return out;
}

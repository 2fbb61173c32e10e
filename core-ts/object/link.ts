/**
 * Where each function ends up in the program libbpf loads (bpf_object__reloc_code of 1.1.2):
 * a main program's own instructions first, then every `.text` subprogram it calls (directly,
 * through other subprograms, or by taking its address), appended depth-first on the first call.
 * Instruction indexes in the verifier log are indexes in that layout.
 */
import { CorelabError } from '../errors.ts';
import { SHN_UNDEF } from '../elf/index.ts';
import type { BpfObject } from './index.ts';
import type { BpfProgram } from './programs.ts';

export interface LayoutEntry {
  readonly function: string;
  /** first instruction of the function in the loaded program */
  readonly at: number;
  readonly insnCount: number;
}

const CALL = 0x85;
const LD_IMM64 = 0x18;
const PSEUDO_CALL = 1;

interface CallReloc {
  readonly kind: 'call' | 'addr' | 'extern';
  readonly symOff: number;
}

function regsSrc(obj: BpfObject, b: Uint8Array, at: number): number {
  return obj.endian === 'little' ? b[at + 1]! >> 4 : b[at + 1]! & 0x0f;
}
function imm(obj: BpfObject, b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset + at + 4, 4).getInt32(0, obj.endian === 'little');
}

/** call/address relocations of a function's instructions, by function-relative index */
function callRelocs(obj: BpfObject, prog: BpfProgram, textIdx: number): Map<number, CallReloc> {
  const out = new Map<number, CallReloc>();
  const sec = obj.elf.sections[prog.secIdx];
  if (!sec) return out;
  const syms = obj.elf.symbols();
  for (const r of obj.elf.relocationsFor(sec)) {
    const idx = r.offset / 8 - prog.secInsnOff;
    if (!Number.isInteger(idx) || idx < 0 || idx >= prog.insnCount) continue;
    const sym = syms[r.symbol];
    if (!sym) continue;
    const code = prog.insns[idx * 8]!;
    if (code === CALL) {
      out.set(idx, sym.shndx === SHN_UNDEF ? { kind: 'extern', symOff: 0 } : { kind: 'call', symOff: Number(sym.value) });
    } else if (code === LD_IMM64 && sym.shndx === textIdx && textIdx > 0) {
      out.set(idx, { kind: 'addr', symOff: Number(sym.value) });
    }
  }
  return out;
}

/** Layout of one main program (libbpf only links autoloaded non-`.text` programs). */
export function programLayout(obj: BpfObject, main: BpfProgram): LayoutEntry[] {
  const text = obj.programs.find((p) => p.isSubprog);
  const textIdx = text ? text.secIdx : -1;
  const placed = new Map<BpfProgram, number>();
  const layout: LayoutEntry[] = [{ function: main.name, at: 0, insnCount: main.insnCount }];
  let total = main.insnCount;
  placed.set(main, 0);
  const relocCache = new Map<BpfProgram, Map<number, CallReloc>>();

  const visit = (prog: BpfProgram, depth: number): void => {
    if (depth > obj.programs.length + 1) {
      throw new CorelabError('loop', `subprogram calls nest deeper than there are functions (from ${main.name})`);
    }
    let relocs = relocCache.get(prog);
    if (!relocs) {
      relocs = callRelocs(obj, prog, textIdx);
      relocCache.set(prog, relocs);
    }
    for (let i = 0; i < prog.insnCount; i++) {
      const at = i * 8;
      const code = prog.insns[at]!;
      const src = regsSrc(obj, prog.insns, at);
      const reloc = relocs.get(i);
      const isCall = code === CALL && src === PSEUDO_CALL;
      const isAddr = code === LD_IMM64 && reloc?.kind === 'addr';
      if (!isCall && !isAddr) continue;
      if (reloc?.kind === 'extern') continue;
      const k = imm(obj, prog.insns, at);
      const target = reloc
        ? reloc.kind === 'call'
          ? reloc.symOff / 8 + k + 1
          : (reloc.symOff + k) / 8
        : prog.secInsnOff + i + k + 1;
      const sub = text ? obj.findProgram(textIdx, target) : undefined;
      if (!sub) {
        throw new CorelabError('not-found', `prog '${prog.name}': no .text section found yet sub-program call exists`, {
          section: prog.elfSection,
        });
      }
      if (!placed.has(sub)) {
        placed.set(sub, total);
        layout.push({ function: sub.name, at: total, insnCount: sub.insnCount });
        total += sub.insnCount;
        visit(sub, depth + 1);
      }
    }
  };
  visit(main, 0);
  return layout;
}

/** Layouts of every program libbpf would load (autoloaded, not a `.text` subprogram). */
export function programLayouts(obj: BpfObject): Map<string, LayoutEntry[]> {
  const out = new Map<string, LayoutEntry[]>();
  for (const p of obj.programs) if (!p.isSubprog && p.autoload) out.set(p.name, programLayout(obj, p));
  return out;
}

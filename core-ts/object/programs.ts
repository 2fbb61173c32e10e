/**
 * BPF programs of an object as libbpf 1.1.2 discovers them (bpf_object__elf_collect and
 * bpf_object__add_programs): one per STT_FUNC symbol in a non-empty executable PROGBITS section,
 * sorted by (section index, first instruction). `.text` functions are subprograms but are
 * relocated as programs of their own; a `?`-prefixed section is not autoloaded.
 */
import { CorelabError } from '../errors.ts';
import { SHF, SHT, STB, STT } from '../elf/index.ts';
import type { ElfFile, ElfSection } from '../elf/index.ts';

export const INSN_SIZE = 8;

export interface BpfProgram {
  /** function symbol name (libbpf's prog->name) */
  readonly name: string;
  /** section name without a leading '?' */
  readonly section: string;
  /** section name as in the ELF */
  readonly elfSection: string;
  readonly secIdx: number;
  /** first instruction within the section */
  readonly secInsnOff: number;
  readonly insnCount: number;
  /** false for `SEC("?…")` programs: libbpf skips their CO-RE relocations */
  readonly autoload: boolean;
  /** a function of `.text` (a subprogram once calls are linked) */
  readonly isSubprog: boolean;
  readonly bind: number;
  /** a private copy of the program's instruction bytes (file byte order) */
  readonly insns: Uint8Array;
}

function isProgramSection(s: ElfSection): boolean {
  return s.type === SHT.PROGBITS && s.size > 0 && (s.flags & SHF.EXECINSTR) !== 0;
}

/** Throws CorelabError where libbpf's open would fail (its message quoted). */
export function collectPrograms(elf: ElfFile): BpfProgram[] {
  const syms = elf.symbols();
  if (syms.length === 0) {
    throw new CorelabError('not-found', "elf: couldn't find symbol table, stripped object file? (libbpf: -ENOENT)", {
      section: 'ELF',
    });
  }
  const textIdx = elf.sections.find((s) => s.name === '.text' && isProgramSection(s))?.index ?? -1;
  const progs: BpfProgram[] = [];
  for (const sec of elf.sections) {
    if (!isProgramSection(sec)) continue;
    const data = elf.data(sec);
    for (const sym of syms) {
      if (sym.shndx !== sec.index || sym.type !== STT.FUNC) continue;
      const off = Number(sym.value);
      const size = sym.size;
      if (!Number.isSafeInteger(off) || off + size > data.length) {
        throw new CorelabError('out-of-bounds', `sec '${sec.name}': program at offset ${sym.value} crosses section boundary`, {
          section: sec.name,
        });
      }
      if (sec.index !== textIdx && sym.bind === STB.LOCAL) {
        throw new CorelabError('unsupported', `sec '${sec.name}': program '${sym.name}' is static and not supported`, {
          section: sec.name,
        });
      }
      if (size === 0 || size % INSN_SIZE !== 0 || off % INSN_SIZE !== 0) {
        throw new CorelabError('invalid', `sec '${sec.name}': corrupted program '${sym.name}', offset ${off}, size ${size}`, {
          section: sec.name,
          offset: sec.offset + off,
        });
      }
      const autoload = !sec.name.startsWith('?');
      progs.push({
        name: sym.name,
        section: autoload ? sec.name : sec.name.slice(1),
        elfSection: sec.name,
        secIdx: sec.index,
        secInsnOff: off / INSN_SIZE,
        insnCount: size / INSN_SIZE,
        autoload,
        isSubprog: sec.index === textIdx,
        bind: sym.bind,
        insns: data.slice(off, off + size),
      });
    }
  }
  progs.sort((a, b) => a.secIdx - b.secIdx || a.secInsnOff - b.secInsnOff);
  return progs;
}

/**
 * find_prog_by_sec_insn: the program whose instructions contain section instruction `insnIdx`.
 * A binary search over the sorted list, landing on the last program starting at or before it.
 */
export function findProgramBySecInsn(progs: readonly BpfProgram[], secIdx: number, insnIdx: number): BpfProgram | undefined {
  if (progs.length === 0) return undefined;
  let l = 0;
  let r = progs.length - 1;
  while (l < r) {
    const m = l + Math.floor((r - l + 1) / 2);
    const p = progs[m]!;
    if (p.secIdx < secIdx || (p.secIdx === secIdx && p.secInsnOff <= insnIdx)) l = m;
    else r = m - 1;
  }
  const p = progs[l]!;
  return p.secIdx === secIdx && insnIdx >= p.secInsnOff && insnIdx < p.secInsnOff + p.insnCount ? p : undefined;
}

/**
 * A BPF object as libbpf's open sees it: ELF, programs, the object's own BTF and `.BTF.ext`.
 * Everything CO-RE needs, and nothing of map or call relocation.
 */
import { CorelabError } from '../errors.ts';
import { EM_BPF, SHT, parseElf } from '../elf/index.ts';
import type { ElfFile } from '../elf/index.ts';
import { parseBtf, btfStrOrUndefined } from '../btf/parse.ts';
import type { Btf } from '../btf/types.ts';
import { parseBtfExt } from '../btfext/parse.ts';
import type { BtfExt } from '../btfext/types.ts';
import { collectPrograms, findProgramBySecInsn } from './programs.ts';
import type { BpfProgram } from './programs.ts';

export * from './programs.ts';

export interface BpfObject {
  readonly elf: ElfFile;
  readonly endian: 'little' | 'big';
  /** sorted by (section index, first instruction), like libbpf's obj->programs */
  readonly programs: readonly BpfProgram[];
  /** `.BTF`, pointer size pinned to 8 as libbpf does for BPF objects */
  readonly btf: Btf | undefined;
  /** `.BTF.ext`, when present and accepted */
  readonly btfExt: BtfExt | undefined;
  /**
   * why `.BTF.ext` was dropped: libbpf 1.1.2 logs "Error loading ELF section .BTF.ext … Ignored
   * and continue." and then relocates nothing
   */
  readonly btfExtError: CorelabError | undefined;
  /** ELF section index of a section name, as libbpf's elf_sec_by_name (first match), or 0 */
  sectionIndex(name: string): number;
  findProgram(secIdx: number, secInsnIdx: number): BpfProgram | undefined;
}

export function parseBpfObject(bytes: Uint8Array): BpfObject {
  const elf = parseElf(bytes);
  if (elf.machine !== EM_BPF) {
    throw new CorelabError('not-bpf', `ELF is for ${elf.machineName}, not BPF`, { section: 'ELF' });
  }
  const programs = collectPrograms(elf);

  // the last .BTF/.BTF.ext wins, as libbpf's section loop overwrites earlier ones
  let btfSec;
  let extSec;
  for (const s of elf.sections) {
    if (s.name === '.BTF') btfSec = s;
    if (s.name === '.BTF.ext') extSec = s;
  }
  let btf: Btf | undefined;
  if (btfSec) {
    if (btfSec.type !== SHT.PROGBITS) throw new CorelabError('invalid', '.BTF is not SHT_PROGBITS', { section: '.BTF' });
    btf = parseBtf(elf.data(btfSec), { section: '.BTF', ptrSize: 8 });
  }
  let btfExt: BtfExt | undefined;
  let btfExtError: CorelabError | undefined;
  if (extSec && btf) {
    if (extSec.type !== SHT.PROGBITS) throw new CorelabError('invalid', '.BTF.ext is not SHT_PROGBITS', { section: '.BTF.ext' });
    const strings = (off: number): string | undefined => btfStrOrUndefined(btf, off);
    try {
      // libbpf on a host of the object's byte order; the load-time record checks are the driver's
      btfExt = parseBtfExt(elf.data(extSec), { endian: elf.endian, strings, libbpfHost: elf.endian, loadChecks: false });
    } catch (e) {
      if (!(e instanceof CorelabError)) throw e;
      btfExtError = e;
    }
  }

  const firstIndex = new Map<string, number>();
  for (const s of elf.sections) if (s.index !== 0 && !firstIndex.has(s.name)) firstIndex.set(s.name, s.index);

  return {
    elf,
    endian: elf.endian,
    programs,
    btf,
    btfExt,
    btfExtError,
    sectionIndex: (name) => firstIndex.get(name) ?? 0,
    findProgram: (secIdx, insnIdx) => findProgramBySecInsn(programs, secIdx, insnIdx),
  };
}

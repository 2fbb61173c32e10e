import { CorelabError } from '../errors.ts';
import { ByteView, type Endianness } from '../bytes/view.ts';
import { SHT, SHN_LORESERVE, SHN_UNDEF, SHN_XINDEX, machineName } from './constants.ts';

export * from './constants.ts';

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
}

export interface ElfSymbol {
  readonly index: number;
  readonly name: string;
  readonly value: bigint;
  readonly size: number;
  /** STT_* */
  readonly type: number;
  /** STB_* */
  readonly bind: number;
  readonly visibility: number;
  readonly shndx: number;
}

export interface ElfReloc {
  /** r_offset: byte offset within the target section */
  readonly offset: number;
  /** index into the symbol table */
  readonly symbol: number;
  readonly type: number;
  /** only for RELA */
  readonly addend: bigint | undefined;
}

export interface ElfFile {
  readonly class: 32 | 64;
  readonly endian: Endianness;
  readonly machine: number;
  readonly machineName: string;
  readonly fileType: number;
  readonly sections: readonly ElfSection[];
  section(name: string): ElfSection | undefined;
  data(sec: ElfSection): Uint8Array;
  view(sec: ElfSection): ByteView;
  symbols(): readonly ElfSymbol[];
  relocations(sec: ElfSection): readonly ElfReloc[];
  relocationsFor(target: ElfSection): readonly ElfReloc[];
}

const SECTION = 'ELF';
/** More sections than this is not an object anyone compiled; refuse before allocating. */
const MAX_SECTIONS = 1 << 20;

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Layout of the two ELF classes, in one table so the decoder has a single code path. */
interface ClassLayout {
  ehsize: number;
  shoff: number; // offset of e_shoff in the ELF header
  word: 4 | 8;
  shentsize: number;
  symentsize: number;
  relentsize: number;
  relaentsize: number;
}
const LAYOUT32: ClassLayout = { ehsize: 52, shoff: 0x20, word: 4, shentsize: 40, symentsize: 16, relentsize: 8, relaentsize: 12 };
const LAYOUT64: ClassLayout = { ehsize: 64, shoff: 0x28, word: 8, shentsize: 64, symentsize: 24, relentsize: 16, relaentsize: 24 };

/**
 * Parse an ELF file's headers, section table and names. Symbols and relocations are decoded
 * on demand. Any machine is accepted here (the caller decides whether it must be BPF), so that
 * a vmlinux ELF can yield its .BTF.
 */
export function parseElf(bytes: Uint8Array): ElfFile {
  if (!isElf(bytes)) {
    throw new CorelabError('bad-magic', 'not an ELF file (no \\x7fELF magic)', { offset: 0, section: SECTION });
  }
  if (bytes.length < 16) throw new CorelabError('truncated', 'ELF identification is cut short', { offset: 0, section: SECTION });
  const cls = bytes[4];
  const data = bytes[5];
  if (cls !== 1 && cls !== 2) {
    throw new CorelabError('invalid', `EI_CLASS is ${cls}, expected 1 (ELF32) or 2 (ELF64)`, { offset: 4, section: SECTION });
  }
  if (data !== 1 && data !== 2) {
    throw new CorelabError('invalid', `EI_DATA is ${data}, expected 1 (little-endian) or 2 (big-endian)`, { offset: 5, section: SECTION });
  }
  if (bytes[6] !== 1) {
    throw new CorelabError('bad-version', `EI_VERSION is ${bytes[6]}, expected 1`, { offset: 6, section: SECTION });
  }
  const L = cls === 1 ? LAYOUT32 : LAYOUT64;
  const v = new ByteView(bytes, data === 1 ? 'little' : 'big', SECTION);
  v.need(0, L.ehsize, 'ELF header');

  const word = (off: number, what: string): number => (L.word === 8 ? v.u64n(off, what) : v.u32(off));
  const fileType = v.u16(16);
  const machine = v.u16(18);
  const shoff = word(L.shoff, 'e_shoff');
  const flagsOff = L.shoff + L.word;
  const shentsize = v.u16(flagsOff + 4 + 2 + 2 + 2);
  let shnum = v.u16(flagsOff + 4 + 2 + 2 + 2 + 2);
  let shstrndx = v.u16(flagsOff + 4 + 2 + 2 + 2 + 2 + 2);

  const sections: ElfSection[] = [];
  if (shoff !== 0) {
    if (shentsize < L.shentsize) {
      throw new CorelabError('invalid', `e_shentsize is ${shentsize}, smaller than a section header (${L.shentsize})`, {
        offset: flagsOff + 10,
        section: SECTION,
      });
    }
    v.need(shoff, shentsize, 'section header table');
    // Extended numbering: the real counts live in section header 0.
    if (shnum === 0) shnum = word(shoff + (L.word === 8 ? 32 : 20), 'sh_size of section 0');
    if (shstrndx === SHN_XINDEX) shstrndx = v.u32(shoff + (L.word === 8 ? 40 : 24));
    if (shnum > MAX_SECTIONS) {
      throw new CorelabError('too-large', `${shnum} sections declared`, { offset: shoff, section: SECTION });
    }
    v.need(shoff, shnum * shentsize, `section header table (${shnum} entries)`);

    const raw: Omit<ElfSection, 'name'>[] = [];
    const nameOffs: number[] = [];
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shentsize;
      nameOffs.push(v.u32(o));
      let s: Omit<ElfSection, 'name'>;
      if (L.word === 8) {
        s = {
          index: i,
          type: v.u32(o + 4),
          flags: Number(v.u64(o + 8) & 0xffffffffn),
          addr: v.u64(o + 16),
          offset: v.u64n(o + 24, 'sh_offset'),
          size: v.u64n(o + 32, 'sh_size'),
          link: v.u32(o + 40),
          info: v.u32(o + 44),
          addralign: v.u64n(o + 48, 'sh_addralign'),
          entsize: v.u64n(o + 56, 'sh_entsize'),
        };
      } else {
        s = {
          index: i,
          type: v.u32(o + 4),
          flags: v.u32(o + 8),
          addr: BigInt(v.u32(o + 12)),
          offset: v.u32(o + 16),
          size: v.u32(o + 20),
          link: v.u32(o + 24),
          info: v.u32(o + 28),
          addralign: v.u32(o + 32),
          entsize: v.u32(o + 36),
        };
      }
      if (s.type !== SHT.NOBITS && s.type !== SHT.NULL && s.offset + s.size > bytes.length) {
        throw new CorelabError(
          'truncated',
          `section #${i} (offset ${s.offset}, size ${s.size}) runs past the end of the file (${bytes.length} bytes)`,
          { offset: o, section: SECTION },
        );
      }
      raw.push(s);
    }
    let strtab: ByteView | undefined;
    if (shstrndx !== SHN_UNDEF) {
      const st = raw[shstrndx];
      if (!st) {
        throw new CorelabError('out-of-bounds', `e_shstrndx ${shstrndx} names no section (${shnum} sections)`, {
          offset: flagsOff + 12,
          section: SECTION,
        });
      }
      strtab = v.sub(st.offset, st.size, 'section name table');
    }
    for (let i = 0; i < raw.length; i++) {
      const name = strtab && (i > 0 || nameOffs[i] !== 0) ? strtab.cstr(nameOffs[i]!, `name of section #${i}`) : '';
      sections.push({ ...raw[i]!, name });
    }
  }

  return new Elf(v, L, cls === 1 ? 32 : 64, fileType, machine, sections);
}

class Elf implements ElfFile {
  readonly class: 32 | 64;
  readonly endian: Endianness;
  readonly machine: number;
  readonly machineName: string;
  readonly fileType: number;
  readonly sections: readonly ElfSection[];
  private readonly v: ByteView;
  private readonly L: ClassLayout;
  private syms: ElfSymbol[] | undefined;

  constructor(v: ByteView, L: ClassLayout, cls: 32 | 64, fileType: number, machine: number, sections: ElfSection[]) {
    this.v = v;
    this.L = L;
    this.class = cls;
    this.endian = v.endian;
    this.fileType = fileType;
    this.machine = machine;
    this.machineName = machineName(machine);
    this.sections = sections;
  }

  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  data(sec: ElfSection): Uint8Array {
    if (sec.type === SHT.NOBITS || sec.type === SHT.NULL) return new Uint8Array(0);
    return this.v.bytes.subarray(sec.offset, sec.offset + sec.size);
  }

  view(sec: ElfSection): ByteView {
    if (sec.type === SHT.NOBITS || sec.type === SHT.NULL) return new ByteView(new Uint8Array(0), this.endian, sec.name, sec.offset);
    return this.v.sub(sec.offset, sec.size, sec.name || `section #${sec.index}`);
  }

  symbols(): readonly ElfSymbol[] {
    if (this.syms) return this.syms;
    const symtab = this.sections.find((s) => s.type === SHT.SYMTAB);
    const out: ElfSymbol[] = [];
    if (symtab) {
      const L = this.L;
      const ent = symtab.entsize || L.symentsize;
      if (ent < L.symentsize) {
        throw new CorelabError('invalid', `symbol table entry size ${ent} is smaller than ${L.symentsize}`, {
          section: symtab.name,
          offset: symtab.offset,
        });
      }
      const sv = this.view(symtab);
      const strsec = this.sections[symtab.link];
      if (!strsec) {
        throw new CorelabError('out-of-bounds', `symbol table links to section #${symtab.link}, which does not exist`, {
          section: symtab.name,
        });
      }
      const strv = this.view(strsec);
      const n = Math.floor(sv.length / ent);
      for (let i = 0; i < n; i++) {
        const o = i * ent;
        const nameOff = sv.u32(o);
        let value: bigint, size: number, infoB: number, other: number, shndx: number;
        if (L.word === 8) {
          infoB = sv.u8(o + 4);
          other = sv.u8(o + 5);
          shndx = sv.u16(o + 6);
          value = sv.u64(o + 8);
          size = sv.u64n(o + 16, 'st_size');
        } else {
          value = BigInt(sv.u32(o + 4));
          size = sv.u32(o + 8);
          infoB = sv.u8(o + 12);
          other = sv.u8(o + 13);
          shndx = sv.u16(o + 14);
        }
        out.push({
          index: i,
          name: nameOff === 0 ? '' : strv.cstr(nameOff, `name of symbol #${i}`),
          value,
          size,
          type: infoB & 0xf,
          bind: infoB >> 4,
          visibility: other & 3,
          shndx,
        });
      }
    }
    this.syms = out;
    return out;
  }

  relocations(sec: ElfSection): readonly ElfReloc[] {
    const L = this.L;
    const rela = sec.type === SHT.RELA;
    if (!rela && sec.type !== SHT.REL) {
      throw new CorelabError('invalid', `section ${sec.name} is not a relocation section`, { section: sec.name });
    }
    const min = rela ? L.relaentsize : L.relentsize;
    const ent = sec.entsize || min;
    if (ent < min) {
      throw new CorelabError('invalid', `relocation entry size ${ent} is smaller than ${min}`, {
        section: sec.name,
        offset: sec.offset,
      });
    }
    const rv = this.view(sec);
    const n = Math.floor(rv.length / ent);
    const out: ElfReloc[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * ent;
      if (L.word === 8) {
        const info = rv.u64(o + 8);
        out.push({
          offset: rv.u64n(o, 'r_offset'),
          symbol: Number(info >> 32n),
          type: Number(info & 0xffffffffn),
          addend: rela ? BigInt.asIntN(64, rv.u64(o + 16)) : undefined,
        });
      } else {
        const info = rv.u32(o + 4);
        out.push({
          offset: rv.u32(o),
          symbol: info >>> 8,
          type: info & 0xff,
          addend: rela ? BigInt(rv.i32(o + 8)) : undefined,
        });
      }
    }
    return out;
  }

  relocationsFor(target: ElfSection): readonly ElfReloc[] {
    const out: ElfReloc[] = [];
    for (const s of this.sections) {
      if ((s.type === SHT.REL || s.type === SHT.RELA) && s.info === target.index) out.push(...this.relocations(s));
    }
    return out;
  }
}

/** True if a section index refers to a real section (not UNDEF/ABS/COMMON…). */
export function isRegularShndx(shndx: number): boolean {
  return shndx !== SHN_UNDEF && shndx < SHN_LORESERVE;
}

/** A BPF object must be EM_BPF; anything else is named, not guessed at. */
export function requireBpfElf(elf: ElfFile): void {
  if (elf.machine !== 247) {
    throw new CorelabError(
      'not-bpf',
      `this is an ELF${elf.class} ${elf.endian}-endian file for ${elf.machineName} (e_machine ${elf.machine}), not a BPF object (e_machine 247)`,
      { offset: 18, section: SECTION },
    );
  }
}

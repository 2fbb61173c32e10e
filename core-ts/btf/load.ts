import { CorelabError } from '../errors.ts';
import { isElf, parseElf } from '../elf/index.ts';
import type { ElfFile, ElfSection } from '../elf/index.ts';
import { isXz, xzDecompress } from '../xz/index.ts';
import { parseBtf } from './parse.ts';
import type { Btf } from './types.ts';

export type BtfContainer = 'raw' | 'elf' | 'xz+raw' | 'xz+elf';

export interface LoadedBtf {
  readonly btf: Btf;
  readonly container: BtfContainer;
  /** the ELF it came from, when it came from one */
  readonly elf?: ElfFile;
}

/**
 * Raw BTF, an ELF with a .BTF section, or either of them xz-compressed — what btf__parse
 * accepts (raw first, then ELF), plus the .btf.xz archives kernel BTFs ship in.
 */
export function loadBtf(bytes: Uint8Array, opts: { base?: Btf } = {}): LoadedBtf {
  if (isXz(bytes)) {
    const inner = loadPlain(xzDecompress(bytes), opts.base);
    return { ...inner, container: inner.container === 'raw' ? 'xz+raw' : 'xz+elf' };
  }
  return loadPlain(bytes, opts.base);
}

function loadPlain(bytes: Uint8Array, base: Btf | undefined): LoadedBtf {
  if (isRawBtf(bytes)) return { btf: parseBtf(bytes, base ? { base } : {}), container: 'raw' };
  if (isElf(bytes)) {
    const elf = parseElf(bytes);
    const sec = btfSection(elf);
    // libbpf's btf_parse_elf pins the pointer size to the ELF class
    const btf = parseBtf(elf.data(sec), { base, section: '.BTF', ptrSize: elf.class === 32 ? 4 : 8 });
    return { btf, container: 'elf', elf };
  }
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new CorelabError('bad-magic', `not BTF, ELF or xz (first bytes: ${head || 'none'})`, { offset: 0 });
}

export function isRawBtf(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0x9f && bytes[1] === 0xeb) || (bytes[0] === 0xeb && bytes[1] === 0x9f));
}

/** The .BTF section; with several, the last one wins, as in libbpf's section loop. */
export function btfSection(elf: ElfFile): ElfSection {
  let found: ElfSection | undefined;
  for (const s of elf.sections) if (s.name === '.BTF') found = s;
  if (!found) {
    const names = elf.sections.map((s) => s.name).filter((n) => n !== '');
    const shown = names.length > 12 ? [...names.slice(0, 12), `… ${names.length - 12} more`] : names;
    throw new CorelabError(
      'not-found',
      `ELF has no .BTF section (sections: ${shown.join(', ') || 'none'})`,
      { section: 'ELF' },
    );
  }
  return found;
}

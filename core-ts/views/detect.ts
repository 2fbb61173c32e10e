/**
 * What a dropped file is, decided from its bytes alone (never its name): a BPF object, a
 * vmlinux BTF, or a module (split) BTF — each raw, inside an ELF, or xz-compressed.
 */
import { CorelabError } from '../errors.ts';
import { EM_BPF, isElf, parseElf } from '../elf/index.ts';
import type { ElfFile } from '../elf/index.ts';
import { btfSection, isRawBtf } from '../btf/load.ts';
import { btfView, parseBtfHeader } from '../btf/header.ts';
import { isXz, xzDecompress } from '../xz/index.ts';

export type InputRole = 'object' | 'vmlinux' | 'module';
export type InputContainer = 'raw' | 'elf' | 'xz+raw' | 'xz+elf';

export interface DetectedInput {
  readonly role: InputRole;
  readonly container: InputContainer;
  /** the plain bytes (decompressed when the input was xz) */
  readonly bytes: Uint8Array;
  /** one line for the UI: "BPF object (ELF, little-endian)" */
  readonly summary: string;
}

const ROLE_WORD: Record<InputRole, string> = {
  object: 'BPF object',
  vmlinux: 'vmlinux BTF',
  module: 'module BTF (split)',
};

/**
 * A split BTF continues its base's string table, so its own table does not start with the
 * empty name that a base BTF must start with (libbpf rejects a base without it).
 */
function isSplitBtf(raw: Uint8Array, section: string): boolean {
  const v = btfView(raw, section);
  const lay = parseBtfHeader(v);
  if (lay.header.strLen === 0) return true;
  return v.u8(lay.strStart) !== 0;
}

function elfRole(elf: ElfFile): InputRole {
  if (elf.machine === EM_BPF) return 'object';
  const sec = btfSection(elf);
  // kernel modules carry these; vmlinux does not
  if (elf.section('.gnu.linkonce.this_module') || elf.section('.modinfo')) return 'module';
  return isSplitBtf(elf.data(sec), '.BTF') ? 'module' : 'vmlinux';
}

export function detectInput(bytes: Uint8Array): DetectedInput {
  let plain = bytes;
  let xz = false;
  if (isXz(bytes)) {
    plain = xzDecompress(bytes);
    xz = true;
  }
  let role: InputRole;
  let container: InputContainer;
  let endian: 'little' | 'big';
  if (isRawBtf(plain)) {
    role = isSplitBtf(plain, 'BTF') ? 'module' : 'vmlinux';
    container = xz ? 'xz+raw' : 'raw';
    endian = plain[0] === 0x9f ? 'little' : 'big';
  } else if (isElf(plain)) {
    const elf = parseElf(plain);
    role = elfRole(elf);
    container = xz ? 'xz+elf' : 'elf';
    endian = elf.endian;
  } else {
    const head = Array.from(plain.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new CorelabError(
      'bad-magic',
      `not a BPF object, a BTF, an ELF with .BTF or an xz archive of one (first bytes: ${head || 'none, the file is empty'})`,
      { offset: 0 },
    );
  }
  const how = container === 'raw' ? 'raw' : container === 'elf' ? 'ELF' : container === 'xz+raw' ? 'xz, raw' : 'xz, ELF';
  return { role, container, bytes: plain, summary: `${ROLE_WORD[role]} (${how}, ${endian}-endian)` };
}

/**
 * The module name libbpf would print for a module BTF, taken from the file name the way the CLI
 * does: "debian-6.12.117-amd64--nf_conntrack.btf.xz" → "nf_conntrack", "ext4.ko" → "ext4".
 */
export function moduleNameFromFileName(fileName: string): string {
  const base = (fileName.split('/').pop() ?? fileName).replace(/\.xz$/, '').replace(/\.(btf|o|elf|ko)$/, '');
  const dd = base.lastIndexOf('--');
  return dd >= 0 ? base.slice(dd + 2) : base;
}

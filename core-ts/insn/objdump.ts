import { CorelabError, isCorelabError } from '../errors.ts';
import { ByteView } from '../bytes/view.ts';
import { SHF, SHN_LORESERVE, SHT, STT, parseElf, requireBpfElf } from '../elf/index.ts';
import type { ElfFile, ElfReloc, ElfSection, ElfSymbol } from '../elf/index.ts';
import { parseBtf, btfStrOrUndefined } from '../btf/parse.ts';
import type { Btf } from '../btf/types.ts';
import { parseBtfExt } from '../btfext/parse.ts';
import type { CoreReloRecord } from '../btfext/types.ts';
import { decodeInsn } from './decode.ts';
import type { Insn } from './decode.ts';
import { branchDisplacement, formatInsn } from './text.ts';
import { coreRecordText } from './core-text.ts';

/**
 * `llvm-objdump-19 -d --no-show-raw-insn [-r]` of a BPF object, rebuilt: which sections,
 * which symbol heads a block, how undecodable bytes and zero runs are walked, where branch
 * targets point, and the relocation and CO-RE lines under each instruction.
 */
export interface ObjdumpOptions {
  /** `-r`: ELF relocations and `.BTF.ext` CO-RE records under their instructions */
  readonly relocs?: boolean;
  /** `--show-raw-insn` (llvm-objdump's default; corelab's default is off, like --no-show-raw-insn) */
  readonly rawInsn?: boolean;
  /** `--mattr=+alu32`: LLVM's ALU32 decoding (w registers for sub-64-bit loads, stores, atomics) */
  readonly alu32?: boolean;
  /** the name printed in the `FILE:\tfile format` header */
  readonly fileName?: string;
}

export interface ListedReloc {
  /** address printed: the section's address plus the offset in the section */
  readonly address: bigint;
  readonly offset: number;
  readonly type: number;
  readonly typeName: string;
  readonly value: string;
}

export type ListedLine =
  | {
      readonly kind: 'insn';
      /** byte offset in the section */
      readonly offset: number;
      /** section address + offset (what the index column is computed from) */
      readonly address: bigint;
      readonly bytes: string;
      /** null when llvm-objdump prints `<unknown>` */
      readonly insn: Insn | null;
      readonly text: string;
      /** the `<sym+0x..>` printed after a branch, without the angle brackets */
      readonly target?: string;
      readonly core?: string;
      readonly relocs: readonly ListedReloc[];
    }
  | { readonly kind: 'zeros'; readonly offset: number; readonly length: number }
  | { readonly kind: 'data'; readonly offset: number; readonly text: string };

export interface ListedBlock {
  readonly address: bigint;
  readonly label: string;
  readonly lines: ListedLine[];
}

export interface ListedSection {
  readonly index: number;
  readonly name: string;
  readonly blocks: ListedBlock[];
}

export interface Listing {
  readonly fileName: string;
  readonly format: string;
  readonly sections: ListedSection[];
  /** what llvm-objdump would print on stderr, roughly (e.g. unreadable .BTF) */
  readonly warnings: string[];
}

interface SymInfo {
  readonly addr: bigint;
  readonly name: string;
  readonly type: number;
}

const R_BPF_NAMES: Readonly<Record<number, string>> = {
  0: 'R_BPF_NONE', 1: 'R_BPF_64_64', 2: 'R_BPF_64_ABS64', 3: 'R_BPF_64_ABS32', 4: 'R_BPF_64_NODYLD32', 10: 'R_BPF_64_32',
};
const STT_COMMON = 5;
const ET_REL = 1;
const U64 = (1n << 64n) - 1n;

const hex16 = (v: bigint | number): string => BigInt(v).toString(16).padStart(16, '0');

/** LLVM's symbol order: address, then type, then name (byte order). */
function symLess(a: SymInfo, b: SymInfo): number {
  if (a.addr !== b.addr) return a.addr < b.addr ? -1 : 1;
  if (a.type !== b.type) return a.type - b.type;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function fileFormat(elf: ElfFile): string {
  if (elf.class === 64) return elf.machine === 247 ? 'elf64-bpf' : 'elf64-unknown';
  return 'elf32-unknown';
}

/** Per-section symbol lists, as llvm-objdump collects them (no FILE/SECTION/unnamed symbols). */
function sectionSymbols(elf: ElfFile): Map<number, SymInfo[]> {
  const out = new Map<number, SymInfo[]>();
  const syms = elf.symbols();
  for (const s of syms) {
    if (s.index === 0 || s.name === '' || s.type === STT.SECTION || s.type === STT.FILE) continue;
    if (s.shndx === 0 || s.shndx >= SHN_LORESERVE) continue; // undefined/absolute: never a label here
    const sec = elf.sections[s.shndx];
    if (!sec) continue;
    const addr = elf.fileType === ET_REL ? (s.value + sec.addr) & U64 : s.value;
    let list = out.get(s.shndx);
    if (!list) out.set(s.shndx, (list = []));
    list.push({ addr, name: s.name, type: s.type });
  }
  for (const list of out.values()) list.sort(symLess); // Array.prototype.sort is stable
  return out;
}

function relocValue(elf: ElfFile, syms: readonly ElfSymbol[], rel: ElfReloc): string {
  let v: string;
  if (rel.symbol === 0) v = '*ABS*';
  else {
    const s = syms[rel.symbol];
    if (!s) throw new CorelabError('out-of-bounds', `relocation at 0x${rel.offset.toString(16)} names symbol #${rel.symbol}, beyond the symbol table`, { section: 'ELF' });
    if (s.type === STT.SECTION) {
      const sec = elf.sections[s.shndx];
      if (!sec) throw new CorelabError('out-of-bounds', `section symbol #${s.index} names section #${s.shndx}, which does not exist`, { section: 'ELF' });
      v = sec.name;
    } else v = s.name;
  }
  const a = rel.addend ?? 0n;
  if (a !== 0n) v += a < 0n ? `-0x${(-a).toString(16)}` : `+0x${a.toString(16)}`;
  return v;
}

/** CO-RE records by ELF section index, then by insn_off: the first record at an offset wins. */
interface CoreIndex {
  readonly btf: Btf;
  readonly bySection: Map<number, Map<number, CoreReloRecord>>;
}

function coreIndex(elf: ElfFile, warnings: string[]): CoreIndex | undefined {
  const btfSec = elf.sections.find((s) => s.name === '.BTF');
  const extSec = elf.sections.find((s) => s.name === '.BTF.ext');
  if (!btfSec || !extSec) return undefined;
  const out = new Map<number, Map<number, CoreReloRecord>>();
  try {
    const btf = parseBtf(elf.data(btfSec), { section: '.BTF' });
    const ext = parseBtfExt(elf.data(extSec), {
      endian: elf.endian,
      strings: (off) => btfStrOrUndefined(btf, off),
      loadChecks: false,
    });
    // a name that several sections share resolves to the last of them, as in LLVM's name map
    const byName = new Map<string, number>();
    for (const s of elf.sections) byName.set(s.name, s.index);
    for (const block of ext.coreRelos) {
      const idx = byName.get(block.section);
      if (idx === undefined) continue;
      let m = out.get(idx);
      if (!m) out.set(idx, (m = new Map()));
      for (const r of block.records) if (!m.has(r.insnOff)) m.set(r.insnOff, r);
    }
    return { btf, bySection: out };
  } catch (e) {
    if (!isCorelabError(e)) throw e;
    warnings.push(`CO-RE records not shown: ${e instanceof CorelabError ? e.describe() : e.message}`);
    return undefined;
  }
}

/** llvm-objdump skips runs of at least 8 zero bytes, in multiples of 4. */
function skippableZeros(b: Uint8Array, from: number, max: number): number {
  let n = 0;
  while (n < max && b[from + n] === 0) n++;
  return n < 8 ? 0 : n & ~3;
}

const isPrint = (c: number): boolean => c >= 0x20 && c <= 0x7e;

/** llvm-objdump's dump of a block headed only by data symbols: 8 bytes and their ASCII a line. */
function dataLines(secAddr: bigint, from: number, end: number, b: Uint8Array): ListedLine[] {
  const lines: ListedLine[] = [];
  for (let i = from; i < end; i += 8) {
    const n = Math.min(8, end - i);
    let s = `${(secAddr + BigInt(i)).toString(16).padStart(8, ' ')}:`;
    let ascii = '';
    for (let k = 0; k < n; k++) {
      const c = b[i + k]!;
      s += ` ${c.toString(16).padStart(2, '0')}`;
      ascii += isPrint(c) ? String.fromCharCode(c) : '.';
    }
    s += ' '.repeat(3 * (8 - n)) + '         ' + ascii;
    lines.push({ kind: 'data', offset: i, text: s });
  }
  return lines;
}

function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** Build the listing of every executable section of a BPF object. */
export function listObject(bytes: Uint8Array, opts: ObjdumpOptions = {}): Listing {
  const elf = parseElf(bytes);
  // llvm-objdump would pick another target's disassembler; corelab only knows BPF
  requireBpfElf(elf);
  if (elf.class !== 64) {
    throw new CorelabError('unsupported', 'a 32-bit ELF with e_machine BPF: LLVM has no BPF target for ELF32', { section: 'ELF', offset: 4 });
  }
  const warnings: string[] = [];
  const symbolsBySection = sectionSymbols(elf);
  const allSyms = elf.symbols();
  const core = opts.relocs ? coreIndex(elf, warnings) : undefined;
  const sections: ListedSection[] = [];

  for (const sec of elf.sections) {
    if ((sec.flags & SHF.EXECINSTR) === 0 || sec.type === SHT.NOBITS || sec.size === 0) continue;
    sections.push(listSection(elf, sec, symbolsBySection.get(sec.index) ?? [], allSyms, opts, core?.bySection.get(sec.index), core?.btf));
  }
  return { fileName: opts.fileName ?? 'a.out', format: fileFormat(elf), sections, warnings };
}

function listSection(
  elf: ElfFile,
  sec: ElfSection,
  secSyms: SymInfo[],
  allSyms: readonly ElfSymbol[],
  opts: ObjdumpOptions,
  core: Map<number, CoreReloRecord> | undefined,
  btf: Btf | undefined,
): ListedSection {
  const b = elf.data(sec);
  const view = new ByteView(b, elf.endian, sec.name, sec.offset);
  const secAddr = sec.addr;
  const secEnd = secAddr + BigInt(sec.size);
  const symbols = secSyms.slice();
  if (!symbols.some((s) => s.addr === secAddr)) {
    const dummy: SymInfo = { addr: secAddr, name: sec.name, type: STT.FUNC };
    let at = 0;
    while (at < symbols.length && symLess(symbols[at]!, dummy) < 0) at++;
    symbols.splice(at, 0, dummy);
  }
  // r_offset is section-relative in relocatable objects and an address otherwise
  const relAdjust = elf.fileType === ET_REL ? 0 : Number(secAddr);
  const rels: ElfReloc[] = [];
  if (opts.relocs) {
    for (const rs of elf.sections) {
      if ((rs.type === SHT.REL || rs.type === SHT.RELA) && rs.info === sec.index) {
        for (const r of elf.relocations(rs)) rels.push(relAdjust ? { ...r, offset: r.offset - relAdjust } : r);
      }
    }
    rels.sort((x, y) => x.offset - y.offset);
  }
  let relCur = 0;
  const blocks: ListedBlock[] = [];

  for (let si = 0; si < symbols.length; ) {
    const first = si;
    const start = symbols[si]!.addr;
    while (si < symbols.length && symbols[si]!.addr === start) si++;
    const here = symbols.slice(first, si);
    let display = here.length - 1;
    let asData = true;
    for (let i = 0; i < here.length; i++) {
      if (here[i]!.type !== STT.OBJECT && here[i]!.type !== STT_COMMON) {
        asData = false;
        display = i;
      }
    }
    if (start < secAddr) continue;
    let end = secEnd;
    if (si < symbols.length && symbols[si]!.addr < end) end = symbols[si]!.addr;
    if (start >= end) continue;
    const block: ListedBlock = { address: start, label: here[display]!.name, lines: [] };
    blocks.push(block);
    let index = Number(start - secAddr);
    const endOff = Number(end - secAddr);
    if (asData) {
      block.lines.push(...dataLines(secAddr, index, endOff, b));
      continue;
    }
    while (relCur < rels.length && rels[relCur]!.offset < index) relCur++;

    while (index < endOff) {
      let maxOff = endOff - index;
      if (opts.relocs && relCur < rels.length && rels[relCur]!.offset >= index) maxOff = Math.min(rels[relCur]!.offset - index, maxOff);
      const zeros = skippableZeros(b, index, maxOff);
      if (zeros) {
        block.lines.push({ kind: 'zeros', offset: index, length: zeros });
        index += zeros;
        continue;
      }
      let insn: Insn | null = null;
      let size: number;
      try {
        insn = decodeInsn(view, index, { alu32: opts.alu32 === true });
        size = insn.size;
      } catch (e) {
        if (!isCorelabError(e)) throw e;
        // LLVM skips a whole word it cannot decode, but only one byte when it runs out of bytes
        size = e.kind === 'truncated' ? 1 : 8;
      }
      let target: string | undefined;
      const disp = insn ? branchDisplacement(insn) : undefined;
      if (insn && disp !== undefined) target = targetLabel(symbols, secAddr + BigInt(index), size, disp);
      const relocs: ListedReloc[] = [];
      let coreText: string | undefined;
      if (opts.relocs) {
        const rec = core?.get(index);
        if (rec && btf) coreText = coreRecordText(btf, rec);
        while (relCur < rels.length) {
          const r = rels[relCur]!;
          if (r.offset >= index + size) break;
          if (r.offset >= index) {
            relocs.push({ address: secAddr + BigInt(r.offset), offset: r.offset, type: r.type, typeName: R_BPF_NAMES[r.type] ?? 'Unknown', value: relocValue(elf, allSyms, r) });
          }
          relCur++;
        }
      }
      const line: ListedLine = {
        kind: 'insn',
        offset: index,
        address: secAddr + BigInt(index),
        bytes: hexBytes(b.subarray(index, index + size)),
        insn,
        text: insn ? formatInsn(insn) : '<unknown>',
        relocs,
        ...(target !== undefined ? { target } : {}),
        ...(coreText !== undefined ? { core: coreText } : {}),
      };
      block.lines.push(line);
      index += size;
    }
  }
  return { index: sec.index, name: sec.name, blocks };
}

/** The label llvm-objdump prints after a branch: the nearest symbol at or before the target. */
function targetLabel(symbols: readonly SymInfo[], addr: bigint, size: number, disp: number): string | undefined {
  const sz = BigInt(size);
  const target = (addr + sz + BigInt(disp) * sz) & U64;
  let lo = 0;
  let hi = symbols.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (symbols[mid]!.addr <= target) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return undefined;
  const sym = symbols[lo - 1]!;
  const d = (target - sym.addr) & U64;
  return d === 0n ? sym.name : `${sym.name}+0x${d.toString(16)}`;
}

/** The listing as llvm-objdump prints it. */
export function renderListing(l: Listing, opts: ObjdumpOptions = {}): string {
  const out: string[] = [`\n${l.fileName}:\tfile format ${l.format}\n`];
  for (const sec of l.sections) {
    if (sec.blocks.length === 0) continue;
    out.push(`\nDisassembly of section ${sec.name}:\n`);
    for (const blk of sec.blocks) {
      out.push(`\n${hex16(blk.address)} <${blk.label}>:\n`);
      for (const line of blk.lines) {
        if (line.kind === 'zeros') {
          out.push('\t\t...\n');
          continue;
        }
        if (line.kind === 'data') {
          out.push(`${line.text}\n`);
          continue;
        }
        let s = `${(BigInt.asIntN(64, line.address) / 8n).toString().padStart(8, ' ')}:`;
        if (opts.rawInsn) s += `\t${line.bytes}`;
        s += `\t${line.text}`;
        if (line.target !== undefined) s += ` <${line.target}>`;
        out.push(s + '\n');
        if (line.core !== undefined) out.push(`\t\t${hex16(line.offset)}:  CO-RE ${line.core}\n`);
        for (const r of line.relocs) out.push(`\t\t${hex16(r.address)}:  ${r.typeName}\t${r.value}\n`);
      }
    }
  }
  return out.join('');
}

/** One call: bytes in, llvm-objdump's text out. */
export function objdump(bytes: Uint8Array, opts: ObjdumpOptions = {}): string {
  return renderListing(listObject(bytes, opts), opts);
}

// A tiny ELF64 BPF relocatable writer for tests: wraps arbitrary instruction bytes in an object
// that llvm-objdump-19 disassembles, so random or hand-picked encodings can be compared
// against it. Node-only helper; core-ts must not import it.

export interface TestSection {
  name: string;
  bytes: Uint8Array;
  /** default SHF_ALLOC|SHF_EXECINSTR */
  flags?: number;
  /** written as a .rel<name> (or .rela<name>) section right after all user sections */
  relocs?: TestReloc[];
  rela?: boolean;
}

export interface TestReloc {
  offset: number;
  /** index into `symbols` (0-based), or -1 for the null symbol */
  symbol: number;
  type: number;
  addend?: number;
}

export interface TestSymbol {
  name: string;
  /** index into `sections` (0-based), or -1 for undefined */
  section: number;
  value: number;
  size?: number;
  /** STT_*; default FUNC */
  type?: number;
  /** STB_*; default GLOBAL */
  bind?: number;
  /** raw st_shndx, overriding `section` (e.g. 0xfff1 for SHN_ABS) */
  shndx?: number;
}

export function buildBpfElf(opts: { endian: 'little' | 'big'; sections: TestSection[]; symbols?: TestSymbol[] }): Uint8Array {
  const le = opts.endian === 'little';
  const syms = opts.symbols ?? [];
  const enc = new TextEncoder();
  // section headers: null, user sections..., their relocation sections, .symtab, .strtab, .shstrtab
  const relSecs = opts.sections.map((s, i) => ({ s, i })).filter(({ s }) => s.relocs !== undefined);
  const shNames: string[] = [
    '',
    ...opts.sections.map((s) => s.name),
    ...relSecs.map(({ s }) => `${s.rela ? '.rela' : '.rel'}${s.name}`),
    '.symtab',
    '.strtab',
    '.shstrtab',
  ];
  const shstr = strtab(shNames, enc);
  const symStr = strtab(['', ...syms.map((s) => s.name)], enc);
  const symBytes = new Uint8Array(24 * (syms.length + 1));
  const sdv = new DataView(symBytes.buffer);
  // locals must come first; tests give them in that order
  const firstGlobal = syms.findIndex((s) => (s.bind ?? 1) !== 0);
  syms.forEach((s, i) => {
    const o = 24 * (i + 1);
    sdv.setUint32(o, symStr.offsets[i + 1]!, le);
    symBytes[o + 4] = ((s.bind ?? 1) << 4) | (s.type ?? 2);
    sdv.setUint16(o + 6, s.shndx ?? (s.section < 0 ? 0 : s.section + 1), le);
    sdv.setBigUint64(o + 8, BigInt(s.value), le);
    sdv.setBigUint64(o + 16, BigInt(s.size ?? 0), le);
  });

  const relBlobs = relSecs.map(({ s }) => {
    const ent = s.rela ? 24 : 16;
    const b = new Uint8Array(ent * s.relocs!.length);
    const rdv = new DataView(b.buffer);
    s.relocs!.forEach((r, k) => {
      rdv.setBigUint64(k * ent, BigInt(r.offset), le);
      rdv.setBigUint64(k * ent + 8, (BigInt(r.symbol + 1) << 32n) | BigInt(r.type), le);
      if (s.rela) rdv.setBigInt64(k * ent + 16, BigInt(r.addend ?? 0), le);
    });
    return b;
  });
  const blobs: Uint8Array[] = [...opts.sections.map((s) => s.bytes), ...relBlobs, symBytes, symStr.bytes, shstr.bytes];
  const offsets: number[] = [];
  let off = 64;
  for (const b of blobs) {
    off = (off + 7) & ~7;
    offsets.push(off);
    off += b.length;
  }
  const shoff = (off + 7) & ~7;
  const nsh = blobs.length + 1;
  const out = new Uint8Array(shoff + 64 * nsh);
  const dv = new DataView(out.buffer);
  blobs.forEach((b, i) => out.set(b, offsets[i]!));
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, le ? 1 : 2, 1, 0]);
  dv.setUint16(16, 1, le); // ET_REL
  dv.setUint16(18, 247, le);
  dv.setUint32(20, 1, le);
  dv.setBigUint64(40, BigInt(shoff), le);
  dv.setUint16(52, 64, le);
  dv.setUint16(58, 64, le);
  dv.setUint16(60, nsh, le);
  dv.setUint16(62, nsh - 1, le);
  const n = opts.sections.length;
  const symtabIdx = n + relSecs.length + 1;
  const sh = (i: number, type: number, flags: number, link: number, info: number, align: number, entsize: number): void => {
    const b = shoff + 64 * i;
    dv.setUint32(b, shstr.offsets[i]!, le);
    dv.setUint32(b + 4, type, le);
    dv.setBigUint64(b + 8, BigInt(flags), le);
    dv.setBigUint64(b + 24, BigInt(offsets[i - 1]!), le);
    dv.setBigUint64(b + 32, BigInt(blobs[i - 1]!.length), le);
    dv.setUint32(b + 40, link, le);
    dv.setUint32(b + 44, info, le);
    dv.setBigUint64(b + 48, BigInt(align), le);
    dv.setBigUint64(b + 56, BigInt(entsize), le);
  };
  opts.sections.forEach((s, i) => sh(i + 1, 1, s.flags ?? 6, 0, 0, 8, 0));
  relSecs.forEach(({ s, i }, k) => sh(n + 1 + k, s.rela ? 4 : 9, 0, symtabIdx, i + 1, 8, s.rela ? 24 : 16));
  sh(symtabIdx, 2, 0, symtabIdx + 1, firstGlobal < 0 ? syms.length + 1 : firstGlobal + 1, 8, 24);
  sh(symtabIdx + 1, 3, 0, 0, 0, 1, 0);
  sh(symtabIdx + 2, 3, 0, 0, 0, 1, 0);
  return out;
}

function strtab(names: string[], enc: TextEncoder): { bytes: Uint8Array; offsets: number[] } {
  const parts: number[] = [0];
  const offsets: number[] = [];
  for (const n of names) {
    if (n === '') {
      offsets.push(0);
      continue;
    }
    offsets.push(parts.length);
    parts.push(...enc.encode(n), 0);
  }
  return { bytes: Uint8Array.from(parts), offsets };
}

/** One instruction word from fields, in the given byte order (dst/src nibbles swap on big-endian). */
export function insnBytes(code: number, dst: number, src: number, off: number, imm: number, le: boolean): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  b[0] = code;
  b[1] = le ? (src << 4) | dst : (dst << 4) | src;
  dv.setUint16(2, off & 0xffff, le);
  dv.setUint32(4, imm >>> 0, le);
  return b;
}

/**
 * Hand-built `.BTF.ext` sections for the acceptance-rule tables (used by the unit test, and
 * by the libbpf differential test, which checks the little-endian ones against btf_ext__new).
 *
 * The expected libbpf messages and errnos are libbpf 1.1.2's (src/btf.c btf_ext_parse_hdr,
 * btf_ext_setup_info; src/libbpf.c bpf_object__relocate_core).
 */

import type { Endianness } from '../../core-ts/bytes/view.ts';
import type { ErrorKind } from '../../core-ts/errors.ts';

/** Strings: 1 "tp/x", 6 "file.c", 13 "int x;", 20 "0:1" */
export const STRINGS = '\0tp/x\0file.c\0int x;\x000:1\0';
export const strings = (off: number): string | undefined => {
  if (off >= STRINGS.length) return undefined;
  const end = STRINGS.indexOf('\0', off);
  return STRINGS.slice(off, end);
};

export interface Block {
  nameOff: number;
  /** num_info as written; defaults to records.length */
  num?: number;
  records: number[][];
}
export interface Sub {
  recSize: number;
  blocks: Block[];
  /** extra bytes after the blocks (counted in len) */
  tail?: number;
  /** override the written off/len */
  off?: number;
  len?: number;
}
export interface Spec {
  endian: Endianness;
  magic?: number;
  version?: number;
  flags?: number;
  hdrLen?: number;
  /** hdr_len as written, when it should differ from the layout's */
  writeHdrLen?: number;
  func?: Sub | null;
  line?: Sub | null;
  core?: Sub | null;
  /** cut the result to this many bytes */
  truncate?: number;
  /** bytes appended after the subsections (not counted in any len) */
  pad?: number;
}

export interface Built {
  bytes: Uint8Array;
  /** offset of each subsection's rec_size word (hdr_len + off), -1 when absent */
  funcAt: number;
  lineAt: number;
  coreAt: number;
}

function subBytes(s: Sub, endian: Endianness): Uint8Array {
  let size = 4 + (s.tail ?? 0);
  for (const b of s.blocks) size += 8 + b.records.length * s.recSize;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  const le = endian === 'little';
  dv.setUint32(0, s.recSize, le);
  let p = 4;
  for (const b of s.blocks) {
    dv.setUint32(p, b.nameOff, le);
    dv.setUint32(p + 4, (b.num ?? b.records.length) >>> 0, le);
    p += 8;
    for (const r of b.records) {
      r.forEach((w, i) => dv.setUint32(p + 4 * i, w >>> 0, le));
      p += s.recSize;
    }
  }
  return out;
}

export function build(spec: Spec): Built {
  const le = spec.endian === 'little';
  const hdrLen = spec.hdrLen ?? 32;
  const subs = [spec.func, spec.line, spec.core].map((s) => (s ? subBytes(s, spec.endian) : new Uint8Array(0)));
  const total = Math.max(hdrLen, 32) + subs.reduce((a, s) => a + s.length, 0) + (spec.pad ?? 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, spec.magic ?? 0xeb9f, le);
  out[2] = spec.version ?? 1;
  out[3] = spec.flags ?? 0;
  dv.setUint32(4, spec.writeHdrLen ?? hdrLen, le);
  // subsections are laid out right after the header (or after the 32 header bytes we always write)
  let off = Math.max(hdrLen, 32) - hdrLen;
  const at: number[] = [];
  [spec.func, spec.line, spec.core].forEach((s, i) => {
    const b = subs[i]!;
    out.set(b, hdrLen + off);
    at.push(s ? hdrLen + (s.off ?? off) : -1);
    // a header shorter than 32 bytes still gets its off/len words written when they fit the buffer
    dv.setUint32(8 + 8 * i, s ? (s.off ?? off) : 0, le);
    dv.setUint32(12 + 8 * i, s ? (s.len ?? b.length) : 0, le);
    off += b.length;
  });
  const bytes = spec.truncate === undefined ? out : out.slice(0, spec.truncate);
  return { bytes, funcAt: at[0]!, lineAt: at[1]!, coreAt: at[2]! };
}

/** A valid section with one block per subsection. */
export function validSpec(endian: Endianness): Spec {
  return {
    endian,
    func: { recSize: 8, blocks: [{ nameOff: 1, records: [[0, 3], [64, 5]] }] },
    line: {
      recSize: 16,
      blocks: [{ nameOff: 1, records: [[0, 6, 13, (25 << 10) | 49], [16, 6, 13, (26 << 10) | 2]] }],
    },
    core: { recSize: 16, blocks: [{ nameOff: 1, records: [[8, 2, 20, 0], [24, 2, 20, 1]] }] },
  };
}

export interface Reject {
  kind: ErrorKind;
  /** offset of the offending field; a function of the built layout */
  offset: (b: Built) => number;
  /** libbpf's log line, or null where it logs nothing */
  libbpf: string | null;
  errno: 'EINVAL' | 'ENOTSUP';
  /** a rule of bpf_object__relocate_core (load time), not of btf_ext__new */
  atLoad?: boolean;
}

export interface Case {
  name: string;
  spec: (e: Endianness) => Spec;
  /** parse as libbpf 1.1.2 on a host of the section's own byte order would */
  expect: Reject | 'ok';
  /** where reading in the magic's byte order (the default) differs from that */
  byMagic?: Reject | 'ok';
}

const v = validSpec;
const withSub = (e: Endianness, which: 'func' | 'line' | 'core', patch: Partial<Sub>): Spec => {
  const s = v(e);
  s[which] = { ...s[which]!, ...patch };
  return s;
};

export const CASES: Case[] = [
  { name: 'a valid section', spec: v, expect: 'ok' },
  { name: 'shorter than 8 bytes', spec: (e) => ({ ...v(e), truncate: 7 }),
    expect: { kind: 'truncated', offset: () => 0, libbpf: 'BTF.ext header not found', errno: 'EINVAL' } },
  { name: 'hdr_len beyond the data', spec: (e) => ({ ...v(e), writeHdrLen: 4096 }),
    expect: { kind: 'truncated', offset: () => 4, libbpf: 'BTF.ext header not found', errno: 'EINVAL' } },
  { name: 'hdr_len beyond the data beats a bad magic', spec: (e) => ({ ...v(e), writeHdrLen: 4096, magic: 0x1234 }),
    expect: { kind: 'truncated', offset: () => 4, libbpf: 'BTF.ext header not found', errno: 'EINVAL' } },
  { name: 'bad magic', spec: (e) => ({ ...v(e), magic: 0x1234 }),
    expect: { kind: 'bad-magic', offset: () => 0, libbpf: 'Invalid BTF.ext magic:1234', errno: 'EINVAL' } },
  { name: 'BTF magic with the byte order of the rest wrong (only the magic swapped)', spec: (e) => ({ ...v(e), magic: 0x9feb }),
    expect: { kind: 'unsupported', offset: () => 0, libbpf: 'BTF.ext in non-native endianness is not supported', errno: 'ENOTSUP' },
    // read in the magic's order, hdr_len is byte-swapped and huge
    byMagic: { kind: 'truncated', offset: () => 4, libbpf: 'BTF.ext header not found', errno: 'EINVAL' } },
  { name: 'version 2', spec: (e) => ({ ...v(e), version: 2 }),
    expect: { kind: 'bad-version', offset: () => 2, libbpf: 'Unsupported BTF.ext version:2', errno: 'ENOTSUP' } },
  { name: 'version 0', spec: (e) => ({ ...v(e), version: 0 }),
    expect: { kind: 'bad-version', offset: () => 2, libbpf: 'Unsupported BTF.ext version:0', errno: 'ENOTSUP' } },
  { name: 'flags 0x1a', spec: (e) => ({ ...v(e), flags: 0x1a }),
    expect: { kind: 'bad-version', offset: () => 3, libbpf: 'Unsupported BTF.ext flags:1a', errno: 'ENOTSUP' } },
  { name: 'header only, no data', spec: (e) => ({ endian: e, hdrLen: 32 }),
    expect: { kind: 'truncated', offset: () => 4, libbpf: 'BTF.ext has no data', errno: 'EINVAL' } },
  { name: 'hdr_len 16 does not reach line_info_len', spec: (e) => ({ ...v(e), hdrLen: 16 }),
    expect: { kind: 'invalid', offset: () => 4, libbpf: null, errno: 'EINVAL' } },
  { name: 'hdr_len 0', spec: (e) => ({ ...v(e), hdrLen: 0 }),
    expect: { kind: 'invalid', offset: () => 4, libbpf: null, errno: 'EINVAL' } },
  { name: 'hdr_len 24: no CO-RE part, core_relo not looked at', spec: (e) => ({ ...v(e), hdrLen: 24, core: { recSize: 3, blocks: [] } }),
    expect: 'ok' },
  { name: 'hdr_len 28: core_relo_len not covered, not looked at', spec: (e) => ({ ...v(e), hdrLen: 28, core: { recSize: 3, blocks: [] } }),
    expect: 'ok' },
  { name: 'hdr_len 36 (longer header, unaligned data start is fine)', spec: (e) => ({ ...v(e), hdrLen: 37 }), expect: 'ok' },
  { name: 'func_info_off not 4-aligned', spec: (e) => withSub(e, 'func', { off: 2 }),
    expect: { kind: 'misaligned', offset: () => 8, libbpf: '.BTF.ext func_info section is not aligned to 4 bytes', errno: 'EINVAL' } },
  { name: 'line_info_off not 4-aligned', spec: (e) => withSub(e, 'line', { off: 33 }),
    expect: { kind: 'misaligned', offset: () => 16, libbpf: '.BTF.ext line_info section is not aligned to 4 bytes', errno: 'EINVAL' } },
  { name: 'core_relo_off not 4-aligned', spec: (e) => withSub(e, 'core', { off: 0x7fffffff }),
    expect: { kind: 'misaligned', offset: () => 24, libbpf: '.BTF.ext core_relo section is not aligned to 4 bytes', errno: 'EINVAL' } },
  { name: 'func_info_len past the end', spec: (e) => withSub(e, 'func', { len: 1000 }),
    expect: { kind: 'out-of-bounds', offset: () => 12, libbpf: 'func_info section (off:0 len:1000) is beyond the end of the ELF section .BTF.ext', errno: 'EINVAL' } },
  { name: 'line_info_off past the end (u32 max, no wrap-around)', spec: (e) => withSub(e, 'line', { off: 0xfffffffc }),
    expect: { kind: 'out-of-bounds', offset: () => 20, libbpf: 'line_info section (off:4294967292 len:44) is beyond the end of the ELF section .BTF.ext', errno: 'EINVAL' } },
  { name: 'core_relo len u32 max', spec: (e) => withSub(e, 'core', { len: 0xffffffff }),
    expect: { kind: 'out-of-bounds', offset: () => 28, libbpf: 'core_relo section (off:72 len:4294967295) is beyond the end of the ELF section .BTF.ext', errno: 'EINVAL' } },
  { name: 'func_info_len 3: no room for the record size', spec: (e) => withSub(e, 'func', { len: 3 }),
    expect: { kind: 'truncated', offset: () => 12, libbpf: '.BTF.ext func_info record size not found', errno: 'EINVAL' } },
  { name: 'func_info record size 4 < 8', spec: (e) => withSub(e, 'func', { recSize: 4, blocks: [{ nameOff: 1, records: [[0]] }] }),
    expect: { kind: 'invalid', offset: (b) => b.funcAt, libbpf: 'func_info section in .BTF.ext has invalid record size 4', errno: 'EINVAL' } },
  { name: 'func_info record size 10, not a multiple of 4', spec: (e) => withSub(e, 'func', { recSize: 10, blocks: [{ nameOff: 1, records: [[0, 1]] }] }),
    expect: { kind: 'invalid', offset: (b) => b.funcAt, libbpf: 'func_info section in .BTF.ext has invalid record size 10', errno: 'EINVAL' } },
  { name: 'line_info record size 12 < 16', spec: (e) => withSub(e, 'line', { recSize: 12, blocks: [{ nameOff: 1, records: [[0, 6, 13]] }] }),
    expect: { kind: 'invalid', offset: (b) => b.lineAt, libbpf: 'line_info section in .BTF.ext has invalid record size 12', errno: 'EINVAL' } },
  { name: 'core_relo record size 8 < 16', spec: (e) => withSub(e, 'core', { recSize: 8, blocks: [{ nameOff: 1, records: [[8, 2]] }] }),
    expect: { kind: 'invalid', offset: (b) => b.coreAt, libbpf: 'core_relo section in .BTF.ext has invalid record size 8', errno: 'EINVAL' } },
  { name: 'larger record sizes are accepted (extra words skipped)', spec: (e) => {
      const s = v(e);
      s.func = { recSize: 12, blocks: [{ nameOff: 1, records: [[0, 3, 99], [64, 5, 99]] }] };
      s.core = { recSize: 20, blocks: [{ nameOff: 1, records: [[8, 2, 20, 0, 99], [24, 2, 20, 1, 99]] }] };
      return s;
    }, expect: 'ok' },
  { name: 'func_info with a record size and nothing else', spec: (e) => withSub(e, 'func', { blocks: [] }),
    expect: { kind: 'invalid', offset: () => 12, libbpf: 'func_info section in .BTF.ext has no records', errno: 'EINVAL' } },
  { name: 'core_relo with a record size and nothing else', spec: (e) => withSub(e, 'core', { blocks: [] }),
    expect: { kind: 'invalid', offset: () => 28, libbpf: 'core_relo section in .BTF.ext has no records', errno: 'EINVAL' } },
  { name: 'line_info ends with 4 stray bytes (no room for a section header)', spec: (e) => withSub(e, 'line', { tail: 4 }),
    expect: { kind: 'truncated', offset: (b) => b.lineAt + 4 + 8 + 32, libbpf: 'line_info section header is not found in .BTF.ext', errno: 'EINVAL' } },
  { name: 'func_info block with num_info 0', spec: (e) => withSub(e, 'func', { blocks: [{ nameOff: 1, num: 0, records: [[0, 3]] }] }),
    expect: { kind: 'invalid', offset: (b) => b.funcAt + 8, libbpf: 'func_info section has incorrect num_records in .BTF.ext', errno: 'EINVAL' } },
  { name: 'core_relo block with num_info 3 but 2 records', spec: (e) => withSub(e, 'core', { blocks: [{ nameOff: 1, num: 3, records: [[8, 2, 20, 0], [24, 2, 20, 1]] }] }),
    expect: { kind: 'out-of-bounds', offset: (b) => b.coreAt + 8, libbpf: 'core_relo section has incorrect num_records in .BTF.ext', errno: 'EINVAL' } },
  { name: 'line_info block with num_info 0xffffffff (must not allocate)', spec: (e) => withSub(e, 'line', { blocks: [{ nameOff: 1, num: 0xffffffff, records: [[0, 6, 13, 1 << 10]] }] }),
    expect: { kind: 'out-of-bounds', offset: (b) => b.lineAt + 8, libbpf: 'line_info section has incorrect num_records in .BTF.ext', errno: 'EINVAL' } },
  { name: 'second block of func_info overruns', spec: (e) => withSub(e, 'func', { blocks: [{ nameOff: 1, records: [[0, 3]] }, { nameOff: 1, num: 2, records: [[8, 4]] }] }),
    expect: { kind: 'out-of-bounds', offset: (b) => b.funcAt + 4 + 16 + 4, libbpf: 'func_info section has incorrect num_records in .BTF.ext', errno: 'EINVAL' } },
  { name: 'all subsections empty (len 0) but data after the header', spec: (e) => ({ endian: e, func: null, line: null, core: null, pad: 4 }), expect: 'ok' },
  { name: 'func_info with an empty section name (libbpf only skips it)', spec: (e) => withSub(e, 'func', { blocks: [{ nameOff: 0, records: [[0, 3]] }] }), expect: 'ok' },
  { name: 'func_info insn_off 4 (not checked for func_info)', spec: (e) => withSub(e, 'func', { blocks: [{ nameOff: 1, records: [[4, 3]] }] }), expect: 'ok' },
  { name: 'core_relo section name empty', spec: (e) => withSub(e, 'core', { blocks: [{ nameOff: 0, records: [[8, 2, 20, 0]] }] }),
    expect: { kind: 'invalid', offset: (b) => b.coreAt + 4, libbpf: null, errno: 'EINVAL', atLoad: true } },
  { name: 'core_relo section name offset outside the strings', spec: (e) => withSub(e, 'core', { blocks: [{ nameOff: 5000, records: [[8, 2, 20, 0]] }] }),
    expect: { kind: 'invalid', offset: (b) => b.coreAt + 4, libbpf: null, errno: 'EINVAL', atLoad: true } },
  { name: 'core_relo insn_off 12, not a multiple of 8', spec: (e) => withSub(e, 'core', { blocks: [{ nameOff: 1, records: [[8, 2, 20, 0], [12, 2, 20, 0]] }] }),
    expect: { kind: 'misaligned', offset: (b) => b.coreAt + 4 + 8 + 16, libbpf: null, errno: 'EINVAL', atLoad: true } },
];

/**
 * `.BTF.ext` decoding with libbpf 1.1.2's acceptance rules (btf_ext__new and its helpers in
 * src/btf.c, plus the two record checks bpf_object__relocate_core makes in src/libbpf.c).
 *
 * Every rejection is a CorelabError whose message ends with what libbpf 1.1.2 says for the same
 * input — its log line and errno — so that differential tests and users can line the two up.
 */

import { ByteView, type Endianness } from '../bytes/view.ts';
import { CorelabError, type ErrorKind } from '../errors.ts';
import type {
  BtfExt,
  CoreReloRecord,
  ExtSection,
  FuncInfoRecord,
  LineInfoRecord,
} from './types.ts';

export const BTF_EXT_MAGIC = 0xeb9f;
const BTF_EXT_VERSION = 1;
const SECTION = '.BTF.ext';

/** offsetofend of btf_ext_header fields: the fixed part and the optional CO-RE part */
const HDR_FIXED_END = 8; // magic, version, flags, hdr_len
const HDR_LINE_INFO_END = 24;
const HDR_CORE_RELO_END = 32;

/** Minimum record sizes libbpf accepts (bpf_func_info_min, bpf_line_info_min, bpf_core_relo). */
export const MIN_FUNC_INFO_REC = 8;
export const MIN_LINE_INFO_REC = 16;
export const MIN_CORE_RELO_REC = 16;

/** btf_ext_info_sec: sec_name_off, num_info */
const INFO_SEC_HDR = 8;
const BPF_INSN_SZ = 8;

export interface BtfExtOptions {
  /** byte order of the object the section came from (its ELF byte order) */
  endian: Endianness;
  /**
   * BTF string lookup (the object's `.BTF` strings): section names, file names, source lines and
   * access strings are offsets into it. Return undefined (or throw a CorelabError) for an offset
   * outside the string table.
   */
  strings: (off: number) => string | undefined;
  /**
   * Behave as libbpf 1.1.2 on a host of this byte order: read everything in that order and refuse
   * a section in the other one. Without it the section is read in whichever order its magic says.
   */
  libbpfHost?: Endianness;
  /**
   * Also apply the record checks libbpf makes when it relocates (empty CO-RE section name,
   * insn_off not a multiple of 8). Default true; false gives exactly btf_ext__new's verdict.
   */
  loadChecks?: boolean;
}

type Errno = 'EINVAL' | 'ENOTSUP';

/** The error for a rule btf_ext__new enforces; `libbpfMsg` is its log line (null: it logs nothing). */
function reject(
  kind: ErrorKind,
  offset: number,
  what: string,
  errno: Errno,
  libbpfMsg: string | null,
): CorelabError {
  const said = libbpfMsg === null ? `-${errno}, no message` : `"${libbpfMsg}", -${errno}`;
  return new CorelabError(kind, `${what} (libbpf 1.1.2: ${said})`, { offset, section: SECTION });
}

/** The error for a rule libbpf only enforces when it relocates (bpf_object__relocate_core). */
function rejectAtLoad(kind: ErrorKind, offset: number, what: string): CorelabError {
  return new CorelabError(
    kind,
    `${what} (libbpf 1.1.2 when relocating: -EINVAL, no message; then "failed to perform CO-RE relocations: -22")`,
    { offset, section: SECTION },
  );
}

function other(e: Endianness): Endianness {
  return e === 'little' ? 'big' : 'little';
}

function hex(n: number): string {
  return n.toString(16);
}

/** One subsection as libbpf's btf_ext_setup_info sees it. */
interface SubsectionSpec {
  desc: 'func_info' | 'line_info' | 'core_relo';
  /** offsets of the header's *_off and *_len fields */
  offField: number;
  lenField: number;
  minRecSize: number;
}

const FUNC_INFO: SubsectionSpec = { desc: 'func_info', offField: 8, lenField: 12, minRecSize: MIN_FUNC_INFO_REC };
const LINE_INFO: SubsectionSpec = { desc: 'line_info', offField: 16, lenField: 20, minRecSize: MIN_LINE_INFO_REC };
const CORE_RELO: SubsectionSpec = { desc: 'core_relo', offField: 24, lenField: 28, minRecSize: MIN_CORE_RELO_REC };

interface BlockSpan {
  nameOff: number;
  offset: number;
  numInfo: number;
}

interface Subsection {
  recSize: number;
  blocks: BlockSpan[];
}

/**
 * Validate one subsection's layout exactly in libbpf's order and return where its blocks are.
 * Nothing is allocated per record here: a huge num_info is refused by the bounds check first.
 */
function walkSubsection(v: ByteView, hdrLen: number, spec: SubsectionSpec): Subsection | null {
  const off = v.u32(spec.offField);
  const len = v.u32(spec.lenField);
  const d = spec.desc;
  if (len === 0) return null;
  if (off & 3) {
    throw reject('misaligned', spec.offField, `${d}_off ${off} is not a multiple of 4`, 'EINVAL',
      `.BTF.ext ${d} section is not aligned to 4 bytes`);
  }
  const start = hdrLen + off;
  if (start + len > v.length) {
    throw reject('out-of-bounds', spec.lenField,
      `${d} (hdr_len ${hdrLen} + off ${off}, len ${len}) ends at ${start + len}, past the section's ${v.length} bytes`,
      'EINVAL', `${d} section (off:${off} len:${len}) is beyond the end of the ELF section .BTF.ext`);
  }
  if (len < 4) {
    throw reject('truncated', spec.lenField, `${d}_len ${len} is too short to hold the record size`, 'EINVAL',
      `.BTF.ext ${d} record size not found`);
  }
  const recSize = v.u32(start);
  if (recSize < spec.minRecSize || recSize & 3) {
    throw reject('invalid', start,
      `${d} record size ${recSize} must be at least ${spec.minRecSize} and a multiple of 4`, 'EINVAL',
      `${d} section in .BTF.ext has invalid record size ${recSize}`);
  }
  let pos = start + 4;
  let left = len - 4;
  if (left === 0) {
    // libbpf's message here has no newline, so the next log line runs on; the words are the same
    throw reject('invalid', spec.lenField, `${d} has a record size but no sections (${d}_len is 4)`, 'EINVAL',
      `${d} section in .BTF.ext has no records`);
  }
  const blocks: BlockSpan[] = [];
  // each pass consumes at least INFO_SEC_HDR + recSize bytes, so this ends within len/16 passes
  while (left > 0) {
    if (left < INFO_SEC_HDR) {
      throw reject('truncated', pos, `${d} has ${left} bytes left at ${pos}, too few for a section header`, 'EINVAL',
        `${d} section header is not found in .BTF.ext`);
    }
    const nameOff = v.u32(pos);
    const numInfo = v.u32(pos + 4);
    if (numInfo === 0) {
      throw reject('invalid', pos + 4, `${d} section header at ${pos} has num_info 0`, 'EINVAL',
        `${d} section has incorrect num_records in .BTF.ext`);
    }
    // exact while the product is below 2^53; above that it is far beyond any `left` anyway
    const total = INFO_SEC_HDR + numInfo * recSize;
    if (total > left) {
      throw reject('out-of-bounds', pos + 4,
        `${d} section header at ${pos} has num_info ${numInfo} × ${recSize}-byte records, more than the ${left - INFO_SEC_HDR} bytes left`,
        'EINVAL', `${d} section has incorrect num_records in .BTF.ext`);
    }
    blocks.push({ nameOff, offset: pos, numInfo });
    pos += total;
    left -= total;
  }
  return { recSize, blocks };
}

/** A string lookup that never throws: a CorelabError from the callback means "no such string". */
function lookupString(strings: (off: number) => string | undefined, off: number): string | undefined {
  try {
    return strings(off);
  } catch (e) {
    if (e instanceof CorelabError) return undefined;
    throw e;
  }
}

function decodeBlocks<R>(
  v: ByteView,
  sub: Subsection | null,
  strings: (off: number) => string | undefined,
  record: (at: number) => R,
): ExtSection<R>[] {
  if (!sub) return [];
  return sub.blocks.map((b) => {
    const records: R[] = new Array(b.numInfo);
    for (let i = 0, at = b.offset + INFO_SEC_HDR; i < b.numInfo; i++, at += sub.recSize) records[i] = record(at);
    return { section: lookupString(strings, b.nameOff) ?? '', sectionNameOff: b.nameOff, offset: b.offset, records };
  });
}

/**
 * Parse a `.BTF.ext` section. Throws CorelabError (section '.BTF.ext', offset of the offending
 * field within the section) for anything libbpf 1.1.2 would refuse.
 */
export function parseBtfExt(input: Uint8Array | ByteView, opts: BtfExtOptions): BtfExt {
  const bytes = input instanceof ByteView ? input.bytes : input;
  const expected = opts.libbpfHost ?? opts.endian;

  // libbpf reads hdr_len before it looks at the magic; both "header not found" cases come first
  if (bytes.length < HDR_FIXED_END) {
    throw reject('truncated', 0, `${bytes.length} bytes is shorter than the ${HDR_FIXED_END}-byte header start`,
      'EINVAL', 'BTF.ext header not found');
  }
  let v = new ByteView(bytes, expected, SECTION, 0);
  const swappedMagic = v.u16(0) === ((BTF_EXT_MAGIC >> 8) | ((BTF_EXT_MAGIC & 0xff) << 8));
  // outside libbpf emulation, a byte-swapped magic just means the section is in the other order
  if (swappedMagic && !opts.libbpfHost) v = new ByteView(bytes, other(expected), SECTION, 0);
  const hdrLen = v.u32(4);
  if (bytes.length < hdrLen) {
    throw reject('truncated', 4, `hdr_len ${hdrLen} is larger than the section (${bytes.length} bytes)`,
      'EINVAL', 'BTF.ext header not found');
  }
  const magic = v.u16(0);
  if (magic !== BTF_EXT_MAGIC) {
    if (swappedMagic) {
      throw reject('unsupported', 0, `magic 0x${hex(magic)} is 0xeb9f byte-swapped: the section is ${other(expected)}-endian`,
        'ENOTSUP', 'BTF.ext in non-native endianness is not supported');
    }
    throw reject('bad-magic', 0, `magic 0x${hex(magic)} is not 0xeb9f`, 'EINVAL', `Invalid BTF.ext magic:${hex(magic)}`);
  }
  const version = v.u8(2);
  if (version !== BTF_EXT_VERSION) {
    throw reject('bad-version', 2, `version ${version} is not 1`, 'ENOTSUP', `Unsupported BTF.ext version:${version}`);
  }
  const flags = v.u8(3);
  if (flags !== 0) {
    throw reject('bad-version', 3, `flags 0x${hex(flags)} are not 0`, 'ENOTSUP', `Unsupported BTF.ext flags:${hex(flags)}`);
  }
  if (bytes.length === hdrLen) {
    throw reject('truncated', 4, `hdr_len ${hdrLen} is the whole section: no data follows the header`, 'EINVAL',
      'BTF.ext has no data');
  }
  if (hdrLen < HDR_LINE_INFO_END) {
    throw reject('invalid', 4, `hdr_len ${hdrLen} does not cover func_info and line_info (needs ${HDR_LINE_INFO_END})`,
      'EINVAL', null);
  }
  // hdrLen < bytes.length here, and bytes.length >= 24 follows from hdrLen >= 24

  const funcSub = walkSubsection(v, hdrLen, FUNC_INFO);
  const lineSub = walkSubsection(v, hdrLen, LINE_INFO);
  const hasCoreReloHeader = hdrLen >= HDR_CORE_RELO_END;
  const coreSub = hasCoreReloHeader ? walkSubsection(v, hdrLen, CORE_RELO) : null;

  const strings = opts.strings;
  const funcInfo = decodeBlocks<FuncInfoRecord>(v, funcSub, strings, (at) => ({
    offset: at,
    insnOff: v.u32(at),
    typeId: v.u32(at + 4),
  }));
  const lineInfo = decodeBlocks<LineInfoRecord>(v, lineSub, strings, (at) => {
    const fileNameOff = v.u32(at + 4);
    const lineOff = v.u32(at + 8);
    const lineCol = v.u32(at + 12);
    const fileName = lookupString(strings, fileNameOff);
    const line = lookupString(strings, lineOff);
    return {
      offset: at,
      insnOff: v.u32(at),
      fileNameOff,
      lineOff,
      lineCol,
      fileName: fileName ?? '',
      line: line ?? '',
      // BPF_LINE_INFO_LINE_NUM / _LINE_COL: 22 bits of line, 10 of column
      lineNum: lineCol >>> 10,
      col: lineCol & 0x3ff,
      stringsResolved: fileName !== undefined && line !== undefined,
    };
  });
  const coreRelos = decodeBlocks<CoreReloRecord>(v, coreSub, strings, (at) => {
    const accessStrOff = v.u32(at + 8);
    return {
      offset: at,
      insnOff: v.u32(at),
      typeId: v.u32(at + 4),
      accessStrOff,
      accessStr: lookupString(strings, accessStrOff) ?? '',
      kind: v.u32(at + 12),
    };
  });

  if (opts.loadChecks ?? true) checkCoreRelosForLoad(coreRelos);

  return {
    endian: v.endian,
    swapped: v.endian !== opts.endian,
    version,
    flags,
    hdrLen,
    hasCoreReloHeader,
    funcInfoRecSize: funcSub?.recSize ?? 0,
    lineInfoRecSize: lineSub?.recSize ?? 0,
    coreReloRecSize: coreSub?.recSize ?? 0,
    funcInfo,
    lineInfo,
    coreRelos,
  };
}

/**
 * The checks bpf_object__relocate_core makes before it relocates: a CO-RE section needs a name
 * (a missing string counts as empty) and each record must point at an instruction boundary.
 * libbpf takes the sections in order and a section's name before its records; so do we.
 */
export function checkCoreRelosForLoad(coreRelos: readonly ExtSection<CoreReloRecord>[]): void {
  for (const sec of coreRelos) {
    if (sec.section === '') {
      throw rejectAtLoad('invalid', sec.offset,
        `core_relo section header at ${sec.offset} has sec_name_off ${sec.sectionNameOff}, which names no section`);
    }
    for (const r of sec.records) {
      if (r.insnOff % BPF_INSN_SZ !== 0) {
        throw rejectAtLoad('misaligned', r.offset,
          `core_relo record at ${r.offset} in '${sec.section}' has insn_off ${r.insnOff}, not a multiple of ${BPF_INSN_SZ}`);
      }
    }
  }
}

/**
 * What libbpf 1.1.2's btf_ext__new, running on a host of `host` byte order, returns for these
 * bytes: null when it accepts them, else the CorelabError carrying its message and errno.
 */
export function libbpf112Verdict(bytes: Uint8Array, host: Endianness): CorelabError | null {
  try {
    parseBtfExt(bytes, { endian: host, strings: () => undefined, libbpfHost: host, loadChecks: false });
    return null;
  } catch (e) {
    if (e instanceof CorelabError) return e;
    throw e;
  }
}

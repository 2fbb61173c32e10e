/**
 * The `.BTF.ext` model: what clang wrote next to `.BTF` about the program text — which BTF
 * FUNC each function is, source line per instruction, and the CO-RE relocation records.
 * All insn offsets are in bytes from the start of their ELF section, as in the file.
 */

import type { Endianness } from '../bytes/view.ts';
import type { TypeId } from '../btf/types.ts';

/** bpf_func_info: a subprogram starts here and has this BTF FUNC type. */
export interface FuncInfoRecord {
  /** byte offset of this record within `.BTF.ext` */
  readonly offset: number;
  /** bytes from the start of the ELF section (a multiple of 8 in well-formed input) */
  readonly insnOff: number;
  readonly typeId: TypeId;
}

/** bpf_line_info: from this instruction on, the code comes from this source line. */
export interface LineInfoRecord {
  readonly offset: number;
  readonly insnOff: number;
  readonly fileNameOff: number;
  readonly lineOff: number;
  /** the raw line_col word: line number in the top 22 bits, column in the low 10 */
  readonly lineCol: number;
  /** '' when fileNameOff is not a valid string offset (see `stringsResolved`) */
  readonly fileName: string;
  /** the source text of the line, '' when lineOff is not a valid string offset */
  readonly line: string;
  readonly lineNum: number;
  readonly col: number;
  /** false when either string offset is outside the string table (the kernel rejects that) */
  readonly stringsResolved: boolean;
}

/** bpf_core_relo: one CO-RE relocation of the instruction at insnOff. */
export interface CoreReloRecord {
  readonly offset: number;
  readonly insnOff: number;
  /** the local (program) BTF type the access starts from */
  readonly typeId: TypeId;
  readonly accessStrOff: number;
  /**
   * "0:1:0:5" for field kinds, "0" for type kinds, the enumerator index for enum kinds.
   * '' when the offset does not resolve: libbpf treats a missing and an empty string alike.
   */
  readonly accessStr: string;
  /** a ReloKind number as written; not validated here (libbpf rejects unknown kinds when relocating) */
  readonly kind: number;
}

/** One per-ELF-section block of a subsection (btf_ext_info_sec). */
export interface ExtSection<R> {
  /** ELF section name; '' when the offset does not resolve */
  readonly section: string;
  readonly sectionNameOff: number;
  /** byte offset of the block's header within `.BTF.ext` */
  readonly offset: number;
  readonly records: readonly R[];
}

export interface BtfExt {
  /** byte order the section was read in */
  readonly endian: Endianness;
  /**
   * true when that byte order is not the one the caller expected (the object's ELF byte order).
   * libbpf 1.1.2 only reads `.BTF.ext` in its host's byte order, so it refuses such a section.
   */
  readonly swapped: boolean;
  readonly version: number;
  readonly flags: number;
  readonly hdrLen: number;
  /** whether hdr_len covers core_relo_off/len; if not, CO-RE records are not looked for */
  readonly hasCoreReloHeader: boolean;
  /** record sizes as written; 0 when the subsection is empty (length 0) or absent */
  readonly funcInfoRecSize: number;
  readonly lineInfoRecSize: number;
  readonly coreReloRecSize: number;
  readonly funcInfo: readonly ExtSection<FuncInfoRecord>[];
  readonly lineInfo: readonly ExtSection<LineInfoRecord>[];
  readonly coreRelos: readonly ExtSection<CoreReloRecord>[];
}

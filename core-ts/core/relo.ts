/**
 * One CO-RE relocation record as `.BTF.ext` stores it (struct bpf_core_relo). The engine needs
 * only these four numbers; where they came from (our .BTF.ext reader, a test) does not matter.
 */
import type { TypeId } from '../btf/types.ts';

export interface CoreRelo {
  /** byte offset of the instruction within its ELF section */
  readonly insnOff: number;
  /** local (object BTF) root type */
  readonly typeId: TypeId;
  /** offset of the access string in the object BTF's string section */
  readonly accessStrOff: number;
  /** ReloKind number (may be out of range in a malformed object) */
  readonly kind: number;
}

import { BtfKind } from '../btf/types.ts';
import { CorelabError } from '../errors.ts';
import type { DumpState } from './state.ts';

/**
 * Mark every type that some other type points at. Only anonymous enums care: an
 * unreferenced one is a block of global constants and gets its own top-level
 * `enum { … };`, a referenced one is printed inline where it is used. References from
 * VARs, FUNCs and DATASECs count too, although btf_dump never prints those.
 */
export function markReferenced(st: DumpState): void {
  const btf = st.btf;
  const ref = st.referenced;
  for (let id = 1; id < btf.typeCount; id++) {
    const t = btf.type(id);
    switch (t.kind) {
      case BtfKind.Int:
      case BtfKind.Enum:
      case BtfKind.Enum64:
      case BtfKind.Fwd:
      case BtfKind.Float:
        break;
      case BtfKind.Ptr:
      case BtfKind.Typedef:
      case BtfKind.Volatile:
      case BtfKind.Const:
      case BtfKind.Restrict:
      case BtfKind.TypeTag:
      case BtfKind.Func:
      case BtfKind.Var:
      case BtfKind.DeclTag:
        ref[t.type] = 1;
        break;
      case BtfKind.Array:
        ref[t.indexType] = 1;
        ref[t.type] = 1;
        break;
      case BtfKind.Struct:
      case BtfKind.Union:
        for (const m of t.members) ref[m.type] = 1;
        break;
      case BtfKind.FuncProto:
        for (const p of t.params) ref[p.type] = 1;
        break;
      case BtfKind.Datasec:
        for (const v of t.vars) ref[v.type] = 1;
        break;
      default:
        throw new CorelabError('invalid', `type [${id}] has kind ${t.kind}, which a C header cannot hold`, {
          section: '.BTF',
        });
    }
  }
}

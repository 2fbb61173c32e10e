import { Kind } from './kind.ts';
import { foreignKind } from './faults.ts';
import type { DumpState } from './state.ts';

/**
 * Mark every type that some other type points at. Only anonymous enums care: an
 * unreferenced one is a block of global constants and gets its own top-level
 * `enum { … };`, a referenced one is printed inline where it is used. References from
 * VARs, FUNCs and DATASECs count too, although btf_dump never prints those.
 * (Ids past the end are ignored: a typed array drops out-of-range stores.)
 */
export function markReferenced(st: DumpState): { tags: number; idents: number } {
  let tags = 0;
  let idents = 0;
  const tb = st.tb;
  const w = tb.words;
  const rec = tb.rec;
  const ref = st.referenced;
  for (let id = 1; id < tb.count; id++) {
    const r = rec[id]!;
    const info = w[r + 1]!;
    const x = r + 3;
    const kind = (info >>> 24) & 0x7f;
    switch (kind) {
      case Kind.Enum:
      case Kind.Enum64:
        tags++;
        idents += info & 0xffffff;
        break;
      case Kind.Int:
        tags++;
        break;
      case Kind.Fwd:
      case Kind.Float:
        break;
      case Kind.Typedef:
        idents++;
        ref[w[r + 2]!] = 1;
        break;
      case Kind.Ptr:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
      case Kind.Func:
      case Kind.Var:
      case Kind.DeclTag:
        ref[w[r + 2]!] = 1;
        break;
      case Kind.Array:
        ref[w[x + 1]!] = 1;
        ref[w[x]!] = 1;
        break;
      case Kind.Struct:
      case Kind.Union:
      case Kind.Datasec: {
        if (kind !== Kind.Datasec) tags++;
        // member: name, type, offset; datasec var: type, offset, size
        const n = info & 0xffffff;
        const at = kind === Kind.Datasec ? 0 : 1;
        for (let k = 0, m = x + at; k < n; k++, m += 3) ref[w[m]!] = 1;
        break;
      }
      case Kind.FuncProto: {
        const n = info & 0xffffff;
        for (let k = 0, p = x + 1; k < n; k++, p += 2) ref[w[p]!] = 1;
        break;
      }
      default:
        throw foreignKind(id, kind);
    }
  }
  return { tags, idents };
}

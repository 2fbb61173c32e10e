/**
 * Short C spellings of BTF types for tables ("struct mm_struct *", "char [16]"). These are
 * labels for people, not declarations: function pointers are abbreviated, and anonymous
 * composites are written "struct {…}".
 */
import { BtfKind } from '../btf/types.ts';
import type { Btf, TypeId } from '../btf/types.ts';

/** Deep enough for any real declarator; stops a malformed reference cycle. */
const MAX_DEPTH = 32;

export function cTypeName(btf: Btf, id: TypeId, depth = 0): string {
  if (depth > MAX_DEPTH) return '…';
  if (id === 0) return 'void';
  let t;
  try {
    t = btf.type(id);
  } catch {
    return `<bad type ${id}>`;
  }
  switch (t.kind) {
    case BtfKind.Int:
    case BtfKind.Float:
    case BtfKind.Typedef:
      return t.name || `<anon ${id}>`;
    case BtfKind.Struct:
      return t.name ? `struct ${t.name}` : 'struct {…}';
    case BtfKind.Union:
      return t.name ? `union ${t.name}` : 'union {…}';
    case BtfKind.Enum:
    case BtfKind.Enum64:
      return t.name ? `enum ${t.name}` : 'enum {…}';
    case BtfKind.Fwd:
      return `${t.isUnion ? 'union' : 'struct'} ${t.name}`;
    case BtfKind.Ptr: {
      if (btf.kind(t.type) === BtfKind.FuncProto) return `${cTypeName(btf, t.type, depth + 1)}`;
      const inner = cTypeName(btf, t.type, depth + 1);
      return inner.endsWith('*') ? `${inner}*` : `${inner} *`;
    }
    case BtfKind.Array:
      return `${cTypeName(btf, t.type, depth + 1)} [${t.nelems}]`;
    case BtfKind.Const:
      return `const ${cTypeName(btf, t.type, depth + 1)}`;
    case BtfKind.Volatile:
      return `volatile ${cTypeName(btf, t.type, depth + 1)}`;
    case BtfKind.Restrict:
      return `${cTypeName(btf, t.type, depth + 1)} restrict`;
    case BtfKind.TypeTag:
      return cTypeName(btf, t.type, depth + 1);
    case BtfKind.FuncProto:
      return `${cTypeName(btf, t.type, depth + 1)} (*)(…)`;
    case BtfKind.Func:
      return `func ${t.name}`;
    case BtfKind.Var:
      return `var ${t.name}`;
    case BtfKind.Datasec:
      return `section ${t.name}`;
    case BtfKind.DeclTag:
      return `decl_tag ${t.name}`;
    default:
      return `<kind ${btf.kind(id)}>`;
  }
}

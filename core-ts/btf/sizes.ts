import { CorelabError } from '../errors.ts';
import { BtfKind } from './types.ts';
import type { Btf, TypeId } from './types.ts';

/** libbpf's MAX_RESOLVE_DEPTH */
const MAX_RESOLVE_DEPTH = 32;
const U32_MAX = 0xffffffff;
/** alignOf recursion cap (libbpf has none and would overflow its stack on a cycle) */
const MAX_ALIGN_DEPTH = 4096;

function validId(btf: Btf, id: TypeId): boolean {
  return Number.isInteger(id) && id >= 0 && id < btf.typeCount;
}

/**
 * btf__resolve_size of libbpf 1.1.2: follows modifiers, typedefs, VAR, DECL_TAG and TYPE_TAG
 * (at most 32 steps), multiplies array dimensions with u32 overflow checks.
 * -EINVAL → 'invalid' (void, FWD, FUNC…, dangling id, too deep), -E2BIG → 'too-large'.
 */
export function resolveSize(btf: Btf, typeId: TypeId): number {
  if (!validId(btf, typeId)) {
    throw new CorelabError('not-found', `resolve size: type id ${typeId} is out of range`, { section: '.BTF' });
  }
  let id = typeId;
  let nelems = 1;
  let size = -1;
  for (let i = 0; i < MAX_RESOLVE_DEPTH; i++) {
    if (!validId(btf, id)) break; // libbpf: type_by_id gives NULL → stop → -EINVAL
    const t = btf.type(id);
    if (t.kind === BtfKind.Void || t.kind === BtfKind.Fwd) break;
    switch (t.kind) {
      case BtfKind.Int:
      case BtfKind.Struct:
      case BtfKind.Union:
      case BtfKind.Enum:
      case BtfKind.Enum64:
      case BtfKind.Datasec:
      case BtfKind.Float:
        size = t.size;
        break;
      case BtfKind.Ptr:
        size = btf.ptrSize;
        break;
      case BtfKind.Typedef:
      case BtfKind.Volatile:
      case BtfKind.Const:
      case BtfKind.Restrict:
      case BtfKind.Var:
      case BtfKind.DeclTag:
      case BtfKind.TypeTag:
        id = t.type;
        continue;
      case BtfKind.Array:
        if (nelems && t.nelems > Math.floor(U32_MAX / nelems)) {
          throw new CorelabError('too-large', `resolve size of [${typeId}]: array element count overflows u32`, {
            section: '.BTF',
          });
        }
        nelems *= t.nelems;
        id = t.type;
        continue;
      default:
        throw new CorelabError('invalid', `resolve size of [${typeId}]: [${id}] (kind ${t.kind}) has no size`, {
          section: '.BTF',
        });
    }
    break;
  }
  if (size < 0) {
    throw new CorelabError('invalid', `resolve size of [${typeId}]: no sized type reached`, { section: '.BTF' });
  }
  if (nelems && size > Math.floor(U32_MAX / nelems)) {
    throw new CorelabError('too-large', `resolve size of [${typeId}]: total size overflows u32`, {
      section: '.BTF',
    });
  }
  return nelems * size;
}

/**
 * btf__align_of of libbpf 1.1.2. Like libbpf it answers 0 for kinds without an alignment
 * (void, FWD, FUNC, FUNC_PROTO, VAR, DATASEC, DECL_TAG) and 1 for packed structs.
 * Unlike libbpf it terminates on reference cycles ('loop') and dangling ids ('not-found').
 */
export function alignOf(btf: Btf, id: TypeId): number {
  return alignRec(btf, id, new Set<TypeId>(), 0);
}

function alignRec(btf: Btf, id: TypeId, path: Set<TypeId>, depth: number): number {
  if (!validId(btf, id)) {
    throw new CorelabError('not-found', `align of: type id ${id} is out of range`, { section: '.BTF' });
  }
  if (path.has(id)) {
    throw new CorelabError('loop', `align of: type [${id}] refers back to itself`, { section: '.BTF' });
  }
  if (depth > MAX_ALIGN_DEPTH) {
    throw new CorelabError('too-large', `align of: types nest deeper than ${MAX_ALIGN_DEPTH}`, { section: '.BTF' });
  }
  const t = btf.type(id);
  switch (t.kind) {
    case BtfKind.Int:
    case BtfKind.Enum:
    case BtfKind.Enum64:
    case BtfKind.Float:
      return Math.min(btf.ptrSize, t.size);
    case BtfKind.Ptr:
      return btf.ptrSize;
    case BtfKind.Typedef:
    case BtfKind.Volatile:
    case BtfKind.Const:
    case BtfKind.Restrict:
    case BtfKind.TypeTag:
    case BtfKind.Array: {
      path.add(id);
      const a = alignRec(btf, t.type, path, depth + 1);
      path.delete(id);
      return a;
    }
    case BtfKind.Struct:
    case BtfKind.Union: {
      path.add(id);
      let maxAlign = 1;
      try {
        for (const m of t.members) {
          const a = alignRec(btf, m.type, path, depth + 1);
          if (a <= 0) return a;
          if (a > maxAlign) maxAlign = a;
          // a member off its natural alignment means the struct is packed
          if (m.bitfieldSize === 0 && m.bitOffset % (8 * a) !== 0) return 1;
        }
      } finally {
        path.delete(id);
      }
      return t.size % maxAlign !== 0 ? 1 : maxAlign;
    }
    default:
      return 0;
  }
}

/** Follow typedef/volatile/const/restrict/type_tag; cycles end in 'loop', dangling ids in 'not-found'. */
export function skipModsAndTypedefs(btf: Btf, id: TypeId): TypeId {
  let cur = id;
  // a chain longer than the number of types must revisit one
  for (let steps = 0; steps <= btf.typeCount; steps++) {
    if (!validId(btf, cur)) {
      throw new CorelabError('not-found', `skip modifiers from [${id}]: type id ${cur} is out of range`, {
        section: '.BTF',
      });
    }
    switch (btf.kind(cur)) {
      case BtfKind.Typedef:
      case BtfKind.Volatile:
      case BtfKind.Const:
      case BtfKind.Restrict:
      case BtfKind.TypeTag: {
        const t = btf.type(cur) as { type: TypeId };
        cur = t.type;
        break;
      }
      default:
        return cur;
    }
  }
  throw new CorelabError('loop', `skip modifiers from [${id}]: typedef/modifier cycle`, { section: '.BTF' });
}

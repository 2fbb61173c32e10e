import { BtfKind, type TypeId } from '../btf/types.ts';
import { CorelabError } from '../errors.ts';
import { ORDERED, ORDERING, type DumpState } from './state.ts';

/** How a type depends on what it reaches. */
export const WEAK = 0; // a forward declaration is enough (reached through a pointer)
export const STRONG = 1; // the full definition must come first

/**
 * Pass 1: depth-first walk from `id` that queues, in C's define-before-use order, every
 * named definition the type needs. Only kinds that can be a definition (struct, union,
 * enum, fwd, typedef) carry an order state; pointers, arrays, prototypes and modifiers are
 * re-walked from every path because weak/strong depends on the path.
 * A definition met again while its own walk is still open is a cycle: fine through a
 * pointer to a named struct/union, unsatisfiable otherwise (libbpf's -ELOOP).
 */
export function orderType(st: DumpState, id: TypeId, throughPtr: boolean, depth = 0): number {
  const state = st.order[id];
  if (state === ORDERED) return STRONG;
  const t = st.btf.type(id);
  if (state === ORDERING) {
    if ((t.kind === BtfKind.Struct || t.kind === BtfKind.Union) && throughPtr && t.nameOff !== 0) return WEAK;
    throw new CorelabError('loop', `unsatisfiable type cycle, id:[${id}]`, { section: '.BTF' });
  }
  st.checkDepth(depth, id, 'ordering');
  const d = depth + 1;

  switch (t.kind) {
    case BtfKind.Int:
    case BtfKind.Float:
      st.order[id] = ORDERED;
      return WEAK;

    case BtfKind.Ptr: {
      const r = orderType(st, t.type, true, d);
      st.order[id] = ORDERED;
      return r;
    }

    case BtfKind.Array:
      // elements are embedded, whatever the path to the array was
      return orderType(st, t.type, false, d);

    case BtfKind.Struct:
    case BtfKind.Union: {
      // a named one behind a pointer only needs `struct X;`; an anonymous one is defined
      // inline, so its members matter even behind a pointer
      if (throughPtr && t.nameOff !== 0) return WEAK;
      st.order[id] = ORDERING;
      for (const m of t.members) orderType(st, m.type, false, d);
      if (t.nameOff !== 0) st.queue.push(id);
      st.order[id] = ORDERED;
      return STRONG;
    }

    case BtfKind.Enum:
    case BtfKind.Enum64:
    case BtfKind.Fwd:
      if (t.nameOff !== 0 || !st.referenced[id]) st.queue.push(id);
      st.order[id] = ORDERED;
      return STRONG;

    case BtfKind.Typedef: {
      const r = orderType(st, t.type, throughPtr, d);
      // like a struct: behind a pointer a weak target needs no early typedef
      if (throughPtr && r === WEAK) return WEAK;
      st.queue.push(id);
      st.order[id] = ORDERED;
      return STRONG;
    }

    case BtfKind.Volatile:
    case BtfKind.Const:
    case BtfKind.Restrict:
    case BtfKind.TypeTag:
      return orderType(st, t.type, throughPtr, d);

    case BtfKind.FuncProto: {
      let r = orderType(st, t.type, throughPtr, d);
      for (const p of t.params) {
        if (orderType(st, p.type, throughPtr, d) === STRONG) r = STRONG;
      }
      return r;
    }

    case BtfKind.Func:
    case BtfKind.Var:
    case BtfKind.Datasec:
    case BtfKind.DeclTag:
      // never printed by btf_dump
      st.order[id] = ORDERED;
      return WEAK;

    default:
      throw new CorelabError('invalid', `type [${id}] of kind ${t.kind} cannot be ordered for a C header`, {
        section: '.BTF',
      });
  }
}

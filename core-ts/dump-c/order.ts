import { Kind } from './kind.ts';
import type { TypeId } from '../btf/types.ts';
import { unorderableKind, unsatisfiableCycle } from './faults.ts';
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
  const tb = st.tb;
  const state = st.order[id];
  if (state === ORDERED) return STRONG;
  if (!tb.valid(id)) throw tb.outOfRange(id);
  const kind = tb.kind(id);
  if (state === ORDERING) {
    if ((kind === Kind.Struct || kind === Kind.Union) && throughPtr && tb.nameOff(id) !== 0) return WEAK;
    throw unsatisfiableCycle(id);
  }
  st.checkDepth(depth, id, 'ordering');
  const d = depth + 1;

  switch (kind) {
    case Kind.Int:
    case Kind.Float:
      st.order[id] = ORDERED;
      return WEAK;

    case Kind.Ptr: {
      const r = orderType(st, tb.sizeOrType(id), true, d);
      st.order[id] = ORDERED;
      return r;
    }

    case Kind.Array:
      // elements are embedded, whatever the path to the array was
      return orderType(st, tb.words[tb.extra(id)]!, false, d);

    case Kind.Struct:
    case Kind.Union: {
      // a named one behind a pointer only needs `struct X;`; an anonymous one is defined
      // inline, so its members matter even behind a pointer
      const named = tb.nameOff(id) !== 0;
      if (throughPtr && named) return WEAK;
      st.order[id] = ORDERING;
      const n = tb.vlen(id);
      for (let k = 0, m = tb.extra(id); k < n; k++, m += 3) orderType(st, tb.words[m + 1]!, false, d);
      if (named) st.queue[st.queueLen++] = id;
      st.order[id] = ORDERED;
      return STRONG;
    }

    case Kind.Enum:
    case Kind.Enum64:
    case Kind.Fwd:
      if (tb.nameOff(id) !== 0 || !st.referenced[id]) st.queue[st.queueLen++] = id;
      st.order[id] = ORDERED;
      return STRONG;

    case Kind.Typedef: {
      const r = orderType(st, tb.sizeOrType(id), throughPtr, d);
      // like a struct: behind a pointer a weak target needs no early typedef
      if (throughPtr && r === WEAK) return WEAK;
      st.queue[st.queueLen++] = id;
      st.order[id] = ORDERED;
      return STRONG;
    }

    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
      return orderType(st, tb.sizeOrType(id), throughPtr, d);

    case Kind.FuncProto: {
      let r = orderType(st, tb.sizeOrType(id), throughPtr, d);
      const n = tb.vlen(id);
      for (let k = 0, p = tb.extra(id); k < n; k++, p += 2) {
        if (orderType(st, tb.words[p + 1]!, throughPtr, d) === STRONG) r = STRONG;
      }
      return r;
    }

    case Kind.Func:
    case Kind.Var:
    case Kind.Datasec:
    case Kind.DeclTag:
      // never printed by btf_dump
      st.order[id] = ORDERED;
      return WEAK;

    default:
      throw unorderableKind(id, kind);
  }
}

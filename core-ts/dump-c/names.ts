import { BtfKind, type BtfType, type TypeId } from '../btf/types.ts';
import type { DumpState } from './state.ts';

/** btf_dump formats the suffixed name into a 256-byte buffer, so it truncates at 255. */
const MAX_NAME_LEN = 255;

/** Count one more occurrence of `name` in a namespace; returns the new count. */
export function countName(names: Map<string, number>, name: string): number {
  const n = (names.get(name) ?? 0) + 1;
  names.set(name, n);
  return n;
}

/**
 * The C name a type is printed with. The first type to be printed with a name keeps it,
 * later ones become NAME___2, NAME___3… — decided lazily, so numbering follows emission
 * order. Forward declarations and enumerator-less ENUMs (not ENUM64) are left alone:
 * they only declare, they cannot clash.
 */
function resolveName(st: DumpState, id: TypeId, t: BtfType, names: Map<string, number>): string {
  if (t.nameOff === 0) return '';
  const orig = t.name;
  if (st.nameResolved[id]) return st.uniqueNames.get(id) ?? orig;
  st.nameResolved[id] = 1;
  if (t.kind === BtfKind.Fwd || (t.kind === BtfKind.Enum && t.values.length === 0)) return orig;
  const dups = countName(names, orig);
  if (dups > 1) {
    const unique = `${orig}___${dups}`.slice(0, MAX_NAME_LEN);
    st.uniqueNames.set(id, unique);
    return unique;
  }
  return orig;
}

/** Name in the struct/union/enum tag namespace. */
export function tagName(st: DumpState, id: TypeId, t: BtfType): string {
  return resolveName(st, id, t, st.tagNames);
}

/** Name in the identifier namespace (typedefs). */
export function identName(st: DumpState, id: TypeId, t: BtfType): string {
  return resolveName(st, id, t, st.identNames);
}

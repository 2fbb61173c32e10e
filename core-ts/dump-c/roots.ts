import { BtfKind, type Btf, type TypeId } from '../btf/types.ts';
import { CorelabError } from '../errors.ts';

const KEYWORD_KINDS: Record<string, readonly BtfKind[]> = {
  struct: [BtfKind.Struct],
  union: [BtfKind.Union],
  enum: [BtfKind.Enum, BtfKind.Enum64],
  typedef: [BtfKind.Typedef],
};

/** Kinds that `--type NAME` means by default: things with a C definition. */
const DEFINITION_KINDS: readonly BtfKind[] = [
  BtfKind.Struct,
  BtfKind.Union,
  BtfKind.Enum,
  BtfKind.Enum64,
  BtfKind.Typedef,
];

/**
 * The type ids a `--type` argument names: a numeric id, `struct NAME` (also union, enum,
 * typedef), or a bare NAME meaning every definition of that name (its forward
 * declarations when there is no definition). Ids come back in increasing order.
 */
export function findRootTypes(btf: Btf, spec: string): TypeId[] {
  const s = spec.trim();
  if (/^\d+$/.test(s)) {
    const id = Number(s);
    if (id >= btf.typeCount) {
      throw new CorelabError('not-found', `type id ${id} is not in this BTF (ids 0..${btf.typeCount - 1})`);
    }
    return [id];
  }
  const m = /^(struct|union|enum|typedef)\s+(\S+)$/.exec(s);
  const name = m ? m[2]! : s;
  const kinds = m ? KEYWORD_KINDS[m[1]!]! : DEFINITION_KINDS;
  const all = btf.findByName(name);
  let ids = all.filter((id) => kinds.includes(btf.kind(id)));
  if (ids.length === 0 && !m) ids = all.filter((id) => btf.kind(id) === BtfKind.Fwd);
  if (ids.length === 0) throw new CorelabError('not-found', `no type named '${s}' in this BTF`);
  return ids;
}

/**
 * Layout tables of the composite types an access path walks through, one per struct/union on
 * the path, with the member the path takes marked. Built from the raw spec (every component,
 * anonymous members included) so the tables show what the bytes really are.
 */
import { BtfKind } from '../btf/types.ts';
import type { Btf, CompositeType, TypeId } from '../btf/types.ts';
import { isFieldBasedKind } from '../btfext/relo-kind.ts';
import type { AccessSpec } from '../core/spec.ts';
import { cTypeName } from './c-names.ts';

export interface LayoutRow {
  readonly index: number;
  /** '' for an anonymous member */
  readonly name: string;
  readonly type: string;
  /** byte offset (bit offset / 8, floored) */
  readonly offset: number;
  readonly bitOffset: number;
  /** bytes, undefined when BTF cannot size the type */
  readonly size: number | undefined;
  /** bitfield width, 0 for a plain member */
  readonly bits: number;
  /** the path goes through this member */
  readonly onPath: boolean;
}

export interface LayoutTable {
  readonly typeId: TypeId;
  readonly title: string;
  readonly size: number;
  readonly rows: readonly LayoutRow[];
}

function sizeOf(btf: Btf, id: TypeId): number | undefined {
  try {
    return btf.resolveSize(id);
  } catch {
    return undefined;
  }
}

/** Tables along a field-based spec; type- and enum-based specs get the root's table, if any. */
export function layoutsForSpec(spec: AccessSpec): LayoutTable[] {
  const { btf } = spec;
  const out: LayoutTable[] = [];
  let cur = btf.skipModsAndTypedefs(spec.rootTypeId);
  if (!isFieldBasedKind(spec.kind)) {
    const t = btf.type(cur);
    if (t.kind === BtfKind.Struct || t.kind === BtfKind.Union) out.push(table(btf, cur, t, -1));
    return out;
  }
  // raw[0] indexes the root as an array; the components after it walk members and elements
  for (let k = 1; k < spec.raw.length && out.length < 64; k++) {
    const idx = spec.raw[k]!;
    const t = btf.type(cur);
    if (t.kind === BtfKind.Struct || t.kind === BtfKind.Union) {
      out.push(table(btf, cur, t, idx));
      const m = t.members[idx];
      if (!m) break;
      cur = btf.skipModsAndTypedefs(m.type);
    } else if (t.kind === BtfKind.Array) {
      cur = btf.skipModsAndTypedefs(t.type);
    } else break;
  }
  // a candidate that failed at its first member still shows the type it was compared with
  if (out.length === 0) {
    const t = btf.type(btf.skipModsAndTypedefs(spec.rootTypeId));
    if (t.kind === BtfKind.Struct || t.kind === BtfKind.Union) out.push(table(btf, t.id, t, -1));
  }
  return out;
}

function table(btf: Btf, id: TypeId, t: CompositeType, onPath: number): LayoutTable {
  return {
    typeId: id,
    title: `${cTypeName(btf, id)} [${id}]`,
    size: t.size,
    rows: t.members.map((m, i) => ({
      index: i,
      name: m.name,
      type: cTypeName(btf, m.type),
      offset: Math.floor(m.bitOffset / 8),
      bitOffset: m.bitOffset,
      size: m.bitfieldSize ? undefined : sizeOf(btf, m.type),
      bits: m.bitfieldSize,
      onPath: i === onPath,
    })),
  };
}

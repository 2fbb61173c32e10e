/**
 * The layout a spec walks through, step by step: for each struct/union on the path the member
 * taken (name, bit offset, size, type), for each array the index and element size. Shown side
 * by side for the local and the target spec, it says why a value changed.
 */
import { BtfKind } from '../btf/types.ts';
import type { Btf, TypeId } from '../btf/types.ts';
import { isFieldBasedKind } from '../btfext/relo-kind.ts';
import { kindWord, resolveSizeOrErrno, skipMods } from './btf-util.ts';
import type { AccessSpec } from './spec.ts';

export interface LayoutStep {
  /** 'index' for the pointer/array steps, 'member' for struct/union members */
  readonly step: 'index' | 'member';
  /** the struct/union/array (or root) this step is taken in */
  readonly in: string;
  readonly inId: TypeId;
  /** size of that type in bytes (-1 when it has none) */
  readonly inSize: number;
  /** member name ('' for an anonymous member) or array index */
  readonly member?: string;
  readonly index: number;
  /** bit offset of the step within `in` */
  readonly bitOffset: number;
  /** bitfield width, 0 for a plain member */
  readonly bitfieldSize: number;
  /** type reached, and its size */
  readonly type: string;
  readonly typeId: TypeId;
  readonly size: number;
}

function label(btf: Btf, id: TypeId): string {
  return `${kindWord(btf, id)} ${btf.name(id) || '<anon>'}`;
}

/** Steps of a field spec's raw path (empty for type and enum kinds, and partial specs stop early). */
export function specLayout(spec: AccessSpec): LayoutStep[] {
  if (!isFieldBasedKind(spec.kind) || spec.raw.length === 0) return [];
  const { btf } = spec;
  const out: LayoutStep[] = [];
  let id = skipMods(btf, spec.rootTypeId);
  const rootSize = resolveSizeOrErrno(btf, id);
  out.push({
    step: 'index', in: label(btf, spec.rootTypeId), inId: spec.rootTypeId, inSize: rootSize, index: spec.raw[0]!,
    bitOffset: rootSize < 0 ? 0 : spec.raw[0]! * rootSize * 8, bitfieldSize: 0, type: label(btf, id), typeId: id, size: rootSize,
  });
  for (let i = 1; i < spec.raw.length; i++) {
    const t = btf.type(id);
    const idx = spec.raw[i]!;
    if ((t.kind === BtfKind.Struct || t.kind === BtfKind.Union) && idx >= 0 && idx < t.members.length) {
      const m = t.members[idx]!;
      const mt = skipMods(btf, m.type);
      out.push({
        step: 'member', in: label(btf, id), inId: id, inSize: t.size, member: m.name, index: idx, bitOffset: m.bitOffset,
        bitfieldSize: m.bitfieldSize, type: label(btf, m.type), typeId: m.type, size: resolveSizeOrErrno(btf, mt),
      });
      id = mt;
    } else if (t.kind === BtfKind.Array) {
      const el = skipMods(btf, t.type);
      const sz = resolveSizeOrErrno(btf, el);
      out.push({
        step: 'index', in: label(btf, id), inId: id, inSize: resolveSizeOrErrno(btf, id), index: idx,
        bitOffset: sz < 0 ? 0 : idx * sz * 8, bitfieldSize: 0, type: label(btf, t.type), typeId: t.type, size: sz,
      });
      id = el;
    } else break;
  }
  return out;
}

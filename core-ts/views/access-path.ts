/**
 * A relocation's access written the way the C source wrote it: `task_struct->mm`,
 * `inode->i_ctime.tv_sec`, `sizeof(struct task_struct)`, `enum pid_type::PIDTYPE_MAX`.
 *
 * It comes from the high-level spec libbpf builds (named members and array indexes only), so
 * anonymous structs and unions on the way disappear exactly as they do in C. The root is named
 * after its type because the variable's name is not in the object.
 */
import { isEnumvalBasedKind, isFieldBasedKind, reloKindName, ReloKind } from '../btfext/relo-kind.ts';
import type { AccessSpec } from '../core/spec.ts';
import { cTypeName } from './c-names.ts';

export function cAccessPath(spec: AccessSpec): string {
  const { btf, rootTypeId, kind, accessors } = spec;
  const root = cTypeName(btf, rootTypeId);
  if (isFieldBasedKind(kind)) {
    const base = btf.name(rootTypeId) || 'anon';
    const a0 = accessors[0];
    let expr = a0 && a0.idx !== 0 ? `${base}[${a0.idx}]` : base;
    for (let k = 1; k < accessors.length; k++) {
      const a = accessors[k]!;
      if (a.name === undefined) expr += `[${a.idx}]`;
      else expr += (k === 1 && (!a0 || a0.idx === 0) ? '->' : '.') + a.name;
    }
    return expr;
  }
  if (isEnumvalBasedKind(kind)) {
    const a = accessors[0];
    return a?.name !== undefined ? `${root}::${a.name}` : root;
  }
  if (kind === ReloKind.TypeSize) return `sizeof(${root})`;
  return root;
}

/** The same for a relocation whose spec could not be built: the record's raw fields. */
export function rawAccessPath(kind: number, localTypeKind: string, localTypeName: string, accessStr: string): string {
  return `${localTypeKind} ${localTypeName || '<anon>'} "${accessStr}" (${reloKindName(kind)})`;
}

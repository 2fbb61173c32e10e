/**
 * Matching a local spec against one candidate (bpf_core_spec_match / bpf_core_match_member).
 *
 * The target spec is built by speculative pushes and pops in exactly libbpf's order, because a
 * non-matching candidate is logged with whatever partial state that leaves behind (including
 * a raw entry and bit offset a failed nested search does not undo).
 */
import { BtfKind } from '../btf/types.ts';
import type { Btf, TypeId } from '../btf/types.ts';
import { ReloKind, isEnumvalBasedKind, isFieldBasedKind, isTypeBasedKind } from '../btfext/relo-kind.ts';
import { essentialNamesEqual, isAnyEnum, resolveSizeOrErrno, skipMods } from './btf-util.ts';
import { fieldsAreCompat, typesAreCompat, typesMatch } from './compat.ts';
import { Errno } from './errno.ts';
import type { CoreLog } from './log.ts';
import { SPEC_MAX_LEN, emptySpec, isFlexArray } from './spec.ts';
import type { Accessor, AccessSpec } from './spec.ts';

export interface MatchResult {
  /** 1 matched, 0 not matched, < 0 errno */
  readonly result: number;
  /** the candidate spec in the state libbpf leaves it (logged either way) */
  readonly spec: AccessSpec;
  /** when not matched: which local accessor failed (index into local accessors) */
  readonly failedAt?: number;
  /** when not matched: the target type (modifiers skipped) that accessor was applied to */
  readonly failedTargetId?: TypeId;
}

/**
 * bpf_core_match_member: find the local named member in target composite `targId`, searching
 * anonymous members depth-first. Returns 1/0/errno and the next target type id.
 */
function matchMember(
  localBtf: Btf,
  localAcc: Accessor,
  targBtf: Btf,
  targIdIn: TypeId,
  spec: AccessSpec,
  depth: number,
): { found: number; next: TypeId } {
  const targId = skipMods(targBtf, targIdIn);
  const tt = targBtf.type(targId);
  if (!(tt.kind === BtfKind.Struct || tt.kind === BtfKind.Union)) return { found: 0, next: 0 };
  // anonymous nesting deeper than the raw-spec limit cannot be recorded anyway
  if (depth > SPEC_MAX_LEN) return { found: -Errno.E2BIG, next: 0 };

  const lt = localBtf.type(localAcc.typeId);
  if (!(lt.kind === BtfKind.Struct || lt.kind === BtfKind.Union)) return { found: -Errno.EINVAL, next: 0 };
  const localMember = lt.members[localAcc.idx]!;
  const localName = localMember.name;

  for (let i = 0; i < tt.members.length; i++) {
    const m = tt.members[i]!;
    if (spec.raw.length === SPEC_MAX_LEN) return { found: -Errno.E2BIG, next: 0 };

    // speculate that this member is the one
    spec.bitOffset = (spec.bitOffset + m.bitOffset) >>> 0;
    spec.raw.push(i);

    if (m.name === '') {
      const r = matchMember(localBtf, localAcc, targBtf, m.type, spec, depth + 1);
      if (r.found !== 0) return r;
    } else if (m.name === localName) {
      spec.accessors.push({ typeId: targId, idx: i, name: m.name });
      const found = fieldsAreCompat(localBtf, localMember.type, targBtf, m.type);
      // an incompatible same-name member ends the search; only its accessor is taken back
      if (found === 0) spec.accessors.pop();
      return { found, next: m.type };
    }
    spec.bitOffset = (spec.bitOffset - m.bitOffset) >>> 0;
    spec.raw.pop();
  }
  return { found: 0, next: 0 };
}

/** bpf_core_spec_match */
export function matchSpec(local: AccessSpec, targBtf: Btf, targIdIn: TypeId, log: CoreLog): MatchResult {
  const spec = emptySpec(targBtf, targIdIn, local.kind);
  let targId = targIdIn;

  if (isTypeBasedKind(local.kind)) {
    const result =
      local.kind === ReloKind.TypeMatches
        ? typesMatch(local.btf, local.rootTypeId, targBtf, targId, log)
        : typesAreCompat(local.btf, local.rootTypeId, targBtf, targId, log);
    return { result, spec };
  }

  const acc0 = local.accessors[0]!;
  if (isEnumvalBasedKind(local.kind)) {
    targId = skipMods(targBtf, targId);
    const tt = targBtf.type(targId);
    if (!isAnyEnum(tt.kind) || !(tt.kind === BtfKind.Enum || tt.kind === BtfKind.Enum64)) {
      return { result: 0, spec, failedAt: 0 };
    }
    const localName = acc0.name ?? '';
    for (let i = 0; i < tt.values.length; i++) {
      const name = tt.values[i]!.name;
      if (essentialNamesEqual(localName, name)) {
        spec.accessors.push({ typeId: targId, idx: i, name });
        spec.raw.push(i);
        return { result: 1, spec };
      }
    }
    return { result: 0, spec, failedAt: 0 };
  }

  if (!isFieldBasedKind(local.kind)) return { result: -Errno.EINVAL, spec };

  for (let i = 0; i < local.accessors.length; i++) {
    const la = local.accessors[i]!;
    targId = skipMods(targBtf, targId);
    const tt = targBtf.type(targId);

    if (la.name !== undefined) {
      const r = matchMember(local.btf, la, targBtf, targId, spec, 0);
      if (r.found <= 0) return { result: r.found, spec, failedAt: i, failedTargetId: targId };
      targId = r.next;
      continue;
    }
    // the first accessor indexes the root itself; later ones need an array here
    if (i > 0) {
      if (tt.kind !== BtfKind.Array) return { result: 0, spec, failedAt: i, failedTargetId: targId };
      const prev = spec.accessors[spec.accessors.length - 1];
      const flex = prev !== undefined && isFlexArray(targBtf, prev, tt.nelems);
      if (!flex && la.idx >>> 0 >= tt.nelems) return { result: 0, spec, failedAt: i, failedTargetId: targId };
      targId = skipMods(targBtf, tt.type);
    }
    if (spec.raw.length === SPEC_MAX_LEN) return { result: -Errno.E2BIG, spec, failedAt: i };
    spec.accessors.push({ typeId: targId, idx: la.idx, name: undefined });
    spec.raw.push(la.idx | 0);
    const sz = resolveSizeOrErrno(targBtf, targId);
    if (sz < 0) return { result: sz, spec, failedAt: i };
    spec.bitOffset = (spec.bitOffset + Math.imul(Math.imul(la.idx, sz), 8)) >>> 0;
  }
  return { result: 1, spec };
}

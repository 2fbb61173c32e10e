/**
 * The three type relations of libbpf's CO-RE code. They differ on purpose (see notes §2.5):
 * - fieldsAreCompat: the last field of a field relocation (struct and union mix freely);
 * - typesAreCompat: TYPE_EXISTS / TYPE_SIZE / TYPE_ID_TARGET (shape through ptr/array/proto);
 * - typesMatch: TYPE_MATCHES (names of members and enumerators, sizes of ints).
 * Each returns 1 (yes), 0 (no) or a negative errno, as libbpf does.
 */
import { BtfKind, IntEncoding } from '../btf/types.ts';
import type { Btf, BtfType, TypeId } from '../btf/types.ts';
import { essentialNamesEqual, isAnyEnum, isComposite, kflag, kindWord, kindsCoreCompat, sizeField, skipMods } from './btf-util.ts';
import { Errno } from './errno.ts';
import type { CoreLog } from './log.ts';

const MAX_DEPTH = 32;

function intOffset(t: BtfType): number {
  return t.kind === BtfKind.Int ? t.bitOffset : 0;
}
function intEncoding(t: BtfType): number {
  return t.kind === BtfKind.Int ? t.encoding : 0;
}

/** The element/pointee id a PTR or ARRAY refers to. */
function inner(t: BtfType): TypeId {
  return t.kind === BtfKind.Array ? t.type : (t as { type: TypeId }).type;
}

/** bpf_core_fields_are_compat */
export function fieldsAreCompat(localBtf: Btf, localId: TypeId, targBtf: Btf, targId: TypeId): number {
  // an array chain is bounded by the number of types; a longer one is a cycle
  for (let steps = 0; steps <= localBtf.typeCount + targBtf.typeCount; steps++) {
    localId = skipMods(localBtf, localId);
    targId = skipMods(targBtf, targId);
    const lt = localBtf.type(localId);
    const tt = targBtf.type(targId);

    if (isComposite(lt.kind) && isComposite(tt.kind)) return 1;
    if (!kindsCoreCompat(lt.kind, tt.kind)) return 0;

    switch (lt.kind) {
      case BtfKind.Ptr:
      case BtfKind.Float:
        return 1;
      case BtfKind.Fwd:
      case BtfKind.Enum:
      case BtfKind.Enum64: {
        const ln = lt.name;
        const tn = tt.name;
        // an anonymous side matches anything; sizes are not compared
        return ln === '' || tn === '' || essentialNamesEqual(ln, tn) ? 1 : 0;
      }
      case BtfKind.Int:
        return intOffset(lt) === 0 && intOffset(tt) === 0 ? 1 : 0;
      case BtfKind.Array:
        localId = inner(lt);
        targId = inner(tt);
        continue;
      default:
        return 0;
    }
  }
  return -Errno.EINVAL;
}

/** bpf_core_types_are_compat (level 32 for function-prototype nesting). */
export function typesAreCompat(localBtf: Btf, localId: TypeId, targBtf: Btf, targId: TypeId, log: CoreLog, level = MAX_DEPTH): number {
  // root kinds must agree before modifiers are skipped too
  if (!kindsCoreCompat(localBtf.kind(localId), targBtf.kind(targId))) return 0;

  let depth = MAX_DEPTH;
  for (;;) {
    depth--;
    if (depth < 0) return -Errno.EINVAL;
    localId = skipMods(localBtf, localId);
    targId = skipMods(targBtf, targId);
    const lt = localBtf.type(localId);
    const tt = targBtf.type(targId);
    if (!kindsCoreCompat(lt.kind, tt.kind)) return 0;

    switch (lt.kind) {
      case BtfKind.Void:
      case BtfKind.Struct:
      case BtfKind.Union:
      case BtfKind.Enum:
      case BtfKind.Fwd:
      case BtfKind.Enum64:
        return 1;
      case BtfKind.Int:
        return intOffset(lt) === 0 && intOffset(tt) === 0 ? 1 : 0;
      case BtfKind.Ptr:
      case BtfKind.Array:
        localId = inner(lt);
        targId = inner(tt);
        continue;
      case BtfKind.FuncProto: {
        if (tt.kind !== BtfKind.FuncProto) return 0;
        if (lt.params.length !== tt.params.length) return 0;
        for (let i = 0; i < lt.params.length; i++) {
          if (level <= 0) return -Errno.EINVAL;
          const err = typesAreCompat(
            localBtf,
            skipMods(localBtf, lt.params[i]!.type),
            targBtf,
            skipMods(targBtf, tt.params[i]!.type),
            log,
            level - 1,
          );
          if (err <= 0) return err;
        }
        localId = skipMods(localBtf, lt.type);
        targId = skipMods(targBtf, tt.type);
        continue;
      }
      default:
        log.warn(`unexpected kind ${kindWord(localBtf, localId)} relocated, local [${localId}], target [${targId}]\n`);
        return 0;
    }
  }
}

/** bpf_core_names_match: essential names equal; an anonymous target matches only an anonymous local. */
function namesMatch(localName: string, targName: string): boolean {
  if (targName === '') return localName === '';
  return essentialNamesEqual(localName, targName);
}

function enumsMatch(lt: BtfType, tt: BtfType): number {
  if (sizeField(lt) !== sizeField(tt)) return 0;
  const lv = (lt as { values: readonly { name: string }[] }).values;
  const tv = (tt as { values: readonly { name: string }[] }).values;
  if (lv.length > tv.length) return 0;
  for (const l of lv) {
    if (!tv.some((t) => namesMatch(l.name, t.name))) return 0;
  }
  return 1;
}

function compositesMatch(localBtf: Btf, lt: BtfType, targBtf: Btf, tt: BtfType, behindPtr: boolean, level: number, log: CoreLog): number {
  if (!(lt.kind === BtfKind.Struct || lt.kind === BtfKind.Union)) return 0;
  if (!(tt.kind === BtfKind.Struct || tt.kind === BtfKind.Union)) return 0;
  if (lt.members.length > tt.members.length) return 0;
  for (const lm of lt.members) {
    let matched = false;
    for (const tm of tt.members) {
      if (!namesMatch(lm.name, tm.name)) continue;
      const err = typesMatchAt(localBtf, lm.type, targBtf, tm.type, behindPtr, level - 1, log);
      if (err < 0) return err;
      if (err > 0) {
        matched = true;
        break;
      }
    }
    if (!matched) return 0;
  }
  return 1;
}

/** bpf_core_types_match */
export function typesMatch(localBtf: Btf, localId: TypeId, targBtf: Btf, targId: TypeId, log: CoreLog): number {
  return typesMatchAt(localBtf, localId, targBtf, targId, false, MAX_DEPTH, log);
}

function typesMatchAt(
  localBtf: Btf,
  localId: TypeId,
  targBtf: Btf,
  targId: TypeId,
  behindPtr: boolean,
  level: number,
  log: CoreLog,
): number {
  if (level <= 0) return -Errno.EINVAL;
  let depth = MAX_DEPTH;
  for (;;) {
    depth--;
    if (depth < 0) return -Errno.EINVAL;
    localId = skipMods(localBtf, localId);
    targId = skipMods(targBtf, targId);
    const lt = localBtf.type(localId);
    const tt = targBtf.type(targId);
    if (!namesMatch(lt.name, tt.name)) return 0;
    const lk = lt.kind;
    const tk = tt.kind;

    switch (lk) {
      case BtfKind.Void:
        return lk === tk ? 1 : 0;
      case BtfKind.Fwd: {
        const lf = kflag(lt);
        if (behindPtr) {
          if (lk === tk) return lf === kflag(tt) ? 1 : 0;
          // a forward declaration's kflag says union (1) or struct (0)
          return (tk === BtfKind.Struct && !lf) || (tk === BtfKind.Union && lf) ? 1 : 0;
        }
        if (lk !== tk) return 0;
        return lf === kflag(tt) ? 1 : 0;
      }
      case BtfKind.Enum:
      case BtfKind.Enum64:
        if (!isAnyEnum(tk)) return 0;
        return enumsMatch(lt, tt);
      case BtfKind.Struct:
      case BtfKind.Union:
        if (behindPtr) {
          if (lk === tk) return 1;
          if (tk !== BtfKind.Fwd) return 0;
          return (lk === BtfKind.Union) === kflag(tt) ? 1 : 0;
        }
        if (lk !== tk) return 0;
        return compositesMatch(localBtf, lt, targBtf, tt, behindPtr, level, log);
      case BtfKind.Int: {
        if (lk !== tk) return 0;
        const ls = intEncoding(lt) & IntEncoding.Signed;
        const ts = intEncoding(tt) & IntEncoding.Signed;
        return sizeField(lt) === sizeField(tt) && ls === ts ? 1 : 0;
      }
      case BtfKind.Ptr:
        if (lk !== tk) return 0;
        behindPtr = true;
        localId = inner(lt);
        targId = inner(tt);
        continue;
      case BtfKind.Array: {
        if (lt.kind !== BtfKind.Array || tt.kind !== BtfKind.Array) return 0;
        if (lt.nelems !== tt.nelems) return 0;
        localId = lt.type;
        targId = tt.type;
        continue;
      }
      case BtfKind.FuncProto: {
        if (lt.kind !== BtfKind.FuncProto || tt.kind !== BtfKind.FuncProto) return 0;
        if (lt.params.length !== tt.params.length) return 0;
        for (let i = 0; i < lt.params.length; i++) {
          const err = typesMatchAt(localBtf, lt.params[i]!.type, targBtf, tt.params[i]!.type, behindPtr, level - 1, log);
          if (err <= 0) return err;
        }
        localId = lt.type;
        targId = tt.type;
        continue;
      }
      default:
        log.warn(`unexpected kind ${kindWord(localBtf, localId)} relocated, local [${localId}], target [${targId}]\n`);
        return 0;
    }
  }
}

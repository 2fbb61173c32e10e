/**
 * Relocation values (bpf_core_calc_relo and its per-family helpers): the value the compiler
 * put in the instruction according to the local spec, and the value for the target spec.
 * All arithmetic is done in the widths libbpf uses (u32 for offsets and shifts, u64 values).
 */
import { CorelabError } from '../errors.ts';
import { BtfKind, IntEncoding } from '../btf/types.ts';
import type { Btf, BtfType, TypeId } from '../btf/types.ts';
import { ReloKind, isEnumvalBasedKind, isFieldBasedKind, isTypeBasedKind, reloKindName } from '../btfext/relo-kind.ts';
import { isAnyEnum, resolveSizeOrErrno, skipMods } from './btf-util.ts';
import { Errno } from './errno.ts';
import type { CoreLog } from './log.ts';
import type { CoreRelo } from './relo.ts';
import type { AccessSpec } from './spec.ts';

export interface ReloRes {
  /** expected value in the instruction (checked unless !validate) */
  origVal: bigint;
  /** value to patch in */
  newVal: bigint;
  /** instruction must be poisoned, load goes on */
  poison: boolean;
  validate: boolean;
  /** field size changed in a way a load/store cannot be resized for */
  failMemszAdjust: boolean;
  origSz: number;
  origTypeId: TypeId;
  newSz: number;
  newTypeId: TypeId;
}

export function emptyRes(): ReloRes {
  return {
    origVal: 0n,
    newVal: 0n,
    poison: false,
    validate: true,
    failMemszAdjust: false,
    origSz: 0,
    origTypeId: 0,
    newSz: 0,
    newTypeId: 0,
  };
}

interface FieldOut {
  val: bigint;
  fieldSz: number;
  typeId: TypeId;
  validate: boolean;
}

/**
 * libbpf 1.1.2 computes FIELD_SIGNED from the int-encoding word that follows the type record,
 * whatever the kind (fixed in 1.3.0). This reads the word that record layout puts there.
 */
function encodingWordSigned(btf: Btf, t: BtfType): boolean {
  let word = 0;
  switch (t.kind) {
    case BtfKind.Int:
      return (t.encoding & IntEncoding.Signed) !== 0;
    case BtfKind.Enum:
    case BtfKind.Enum64:
      word = t.values[0]?.nameOff ?? 0;
      break;
    case BtfKind.Struct:
    case BtfKind.Union:
      word = t.members[0]?.nameOff ?? 0;
      break;
    case BtfKind.FuncProto:
      word = t.params[0]?.nameOff ?? 0;
      break;
    case BtfKind.Array:
      word = t.type;
      break;
    default:
      // a 12-byte record: the next type's name offset follows it
      if (t.id + 1 < btf.typeCount && t.id + 1 >= btf.startId) word = btf.type(t.id + 1).nameOff;
  }
  return ((word >>> 24) & 0x0f & IntEncoding.Signed) !== 0;
}

/** bpf_core_calc_field_relo. `spec` undefined = no target matched. */
function calcFieldRelo(
  progName: string,
  relo: CoreRelo,
  spec: AccessSpec | undefined,
  endian: 'little' | 'big',
  log: CoreLog,
): { err: number; out: FieldOut } {
  const out: FieldOut = { val: 0n, fieldSz: 0, typeId: 0, validate: true };
  if (relo.kind === ReloKind.FieldExists) {
    out.val = spec ? 1n : 0n;
    return { err: 0, out };
  }
  if (!spec) return { err: -Errno.EUCLEAN, out };

  const acc = spec.accessors[spec.accessors.length - 1]!;
  const btf = spec.btf;

  if (acc.name === undefined) {
    // the path ends on an array element
    if (relo.kind === ReloKind.FieldByteOffset) {
      out.val = BigInt(Math.floor((spec.bitOffset >>> 0) / 8));
      const sz = resolveSizeOrErrno(btf, acc.typeId);
      if (sz < 0) return { err: -Errno.EINVAL, out };
      out.fieldSz = sz;
      out.typeId = acc.typeId;
    } else if (relo.kind === ReloKind.FieldByteSize) {
      const sz = resolveSizeOrErrno(btf, acc.typeId);
      if (sz < 0) return { err: -Errno.EINVAL, out };
      out.val = BigInt(sz);
    } else {
      // "relo %d" prints the kind and "insn #%d" the section-relative index (libbpf's quirk)
      log.warn(
        `prog '${progName}': relo ${relo.kind | 0} at insn #${Math.trunc((relo.insnOff >>> 0) / 8) | 0} can't be applied to array access\n`,
      );
      return { err: -Errno.EINVAL, out };
    }
    return { err: 0, out };
  }

  const t = btf.type(acc.typeId);
  if (!(t.kind === BtfKind.Struct || t.kind === BtfKind.Union)) {
    throw new CorelabError('invalid', `CO-RE field accessor on [${acc.typeId}], which is not a struct or union`, {
      section: '.BTF',
    });
  }
  const m = t.members[acc.idx]!;
  const fieldTypeId = skipMods(btf, m.type);
  const mt = btf.type(fieldTypeId);
  const bitOff = spec.bitOffset >>> 0;
  let bitSz = m.bitfieldSize >>> 0;
  const bitfield = bitSz > 0;
  let byteSz: number;
  let byteOff: number;

  if (bitfield) {
    byteSz = 'size' in mt ? (mt.size as number) >>> 0 : 0;
    if (byteSz === 0) {
      throw new CorelabError(
        'invalid',
        `bitfield member ${m.name || '<anon>'} of [${acc.typeId}] has a type without a size: libbpf 1.1.2 would divide by zero`,
        { section: '.BTF' },
      );
    }
    byteOff = Math.floor(Math.floor(bitOff / 8) / byteSz) * byteSz;
    // widen the load until it covers the whole bitfield
    while ((bitOff + bitSz - byteOff * 8) >>> 0 > (byteSz * 8) >>> 0) {
      if (byteSz >= 8) {
        log.warn(
          `prog '${progName}': relo ${relo.kind | 0} at insn #${Math.trunc((relo.insnOff >>> 0) / 8) | 0} can't be satisfied for bitfield\n`,
        );
        return { err: -Errno.E2BIG, out };
      }
      byteSz *= 2;
      byteOff = Math.floor(Math.floor(bitOff / 8) / byteSz) * byteSz;
    }
  } else {
    const sz = resolveSizeOrErrno(btf, fieldTypeId);
    if (sz < 0) return { err: -Errno.EINVAL, out };
    byteSz = sz;
    byteOff = Math.floor(bitOff / 8);
    bitSz = (byteSz * 8) >>> 0;
  }

  // the compiler may pick another load width for bitfields: only signedness/rshift are checked
  out.validate = !bitfield;

  switch (relo.kind) {
    case ReloKind.FieldByteOffset:
      out.val = BigInt(byteOff);
      if (!bitfield) {
        out.fieldSz = byteSz;
        out.typeId = fieldTypeId;
      }
      break;
    case ReloKind.FieldByteSize:
      out.val = BigInt(byteSz);
      break;
    case ReloKind.FieldSigned:
      out.val = (isAnyEnum(mt.kind) && (mt as { signed: boolean }).signed) || encodingWordSigned(btf, mt) ? 1n : 0n;
      out.validate = true;
      break;
    case ReloKind.FieldLShiftU64:
      out.val =
        endian === 'little'
          ? BigInt((64 - (bitOff + bitSz - byteOff * 8)) >>> 0)
          : BigInt(((8 - byteSz) * 8 + (bitOff - byteOff * 8)) >>> 0);
      break;
    case ReloKind.FieldRShiftU64:
      out.val = BigInt((64 - bitSz) >>> 0);
      out.validate = true;
      break;
    default:
      return { err: -Errno.EOPNOTSUPP, out };
  }
  return { err: 0, out };
}

/** bpf_core_calc_type_relo */
function calcTypeRelo(relo: CoreRelo, spec: AccessSpec | undefined): { err: number; val: bigint; validate: boolean } {
  if (!spec) return { err: 0, val: 0n, validate: true };
  switch (relo.kind) {
    case ReloKind.TypeIdTarget:
      // ids may be renumbered by linking; never checked
      return { err: 0, val: BigInt(spec.rootTypeId >>> 0), validate: false };
    case ReloKind.TypeExists:
    case ReloKind.TypeMatches:
      return { err: 0, val: 1n, validate: true };
    case ReloKind.TypeSize: {
      const sz = resolveSizeOrErrno(spec.btf, spec.rootTypeId);
      if (sz < 0) return { err: -Errno.EINVAL, val: 0n, validate: true };
      return { err: 0, val: BigInt(sz), validate: true };
    }
    default:
      return { err: -Errno.EOPNOTSUPP, val: 0n, validate: true };
  }
}

/** bpf_core_calc_enumval_relo */
function calcEnumvalRelo(relo: CoreRelo, spec: AccessSpec | undefined): { err: number; val: bigint } {
  switch (relo.kind) {
    case ReloKind.EnumvalExists:
      return { err: 0, val: spec ? 1n : 0n };
    case ReloKind.EnumvalValue: {
      if (!spec) return { err: -Errno.EUCLEAN, val: 0n };
      const acc = spec.accessors[0]!;
      const t = spec.btf.type(acc.typeId);
      if (t.kind === BtfKind.Enum) {
        // stored as __s32 and widened to u64: sign-extended whatever the enum's signedness
        return { err: 0, val: BigInt.asUintN(64, BigInt(t.values[acc.idx]!.value | 0)) };
      }
      if (t.kind === BtfKind.Enum64) return { err: 0, val: BigInt.asUintN(64, t.values[acc.idx]!.value) };
      throw new CorelabError('invalid', `enum-value accessor on [${acc.typeId}], which is not an enum`, { section: '.BTF' });
    }
    default:
      return { err: -Errno.EOPNOTSUPP, val: 0n };
  }
}

function isPtr(btf: Btf, id: TypeId): boolean {
  return btf.kind(id) === BtfKind.Ptr;
}
function isUnsignedInt(btf: Btf, id: TypeId): boolean {
  const t = btf.type(id);
  // libbpf compares the whole encoding with SIGNED, so signed char (SIGNED|CHAR) passes as unsigned
  return t.kind === BtfKind.Int && t.encoding !== IntEncoding.Signed;
}

/**
 * bpf_core_calc_relo: values for one (local, target) pair; target undefined = nothing matched.
 * Returns 0 or a negative errno; poisoning is reported in `res.poison`, not as an error.
 */
export function calcRelo(
  progName: string,
  relo: CoreRelo,
  reloIdx: number,
  local: AccessSpec,
  targ: AccessSpec | undefined,
  endian: 'little' | 'big',
  log: CoreLog,
): { err: number; res: ReloRes } {
  const res = emptyRes();
  let err = -Errno.EOPNOTSUPP;

  if (isFieldBasedKind(relo.kind)) {
    const l = calcFieldRelo(progName, relo, local, endian, log);
    res.origVal = l.out.val;
    res.origSz = l.out.fieldSz;
    res.origTypeId = l.out.typeId;
    res.validate = l.out.validate;
    err = l.err;
    if (!err) {
      const t = calcFieldRelo(progName, relo, targ, endian, log);
      res.newVal = t.out.val;
      res.newSz = t.out.fieldSz;
      res.newTypeId = t.out.typeId;
      err = t.err;
    }
    if (!err && res.origSz !== res.newSz) {
      // resizing a load/store is safe only for pointers and unsigned ints (zero extension)
      const ok =
        (isPtr(local.btf, res.origTypeId) && isPtr(targ!.btf, res.newTypeId)) ||
        (isUnsignedInt(local.btf, res.origTypeId) && isUnsignedInt(targ!.btf, res.newTypeId));
      res.failMemszAdjust = !ok;
    }
  } else if (isTypeBasedKind(relo.kind)) {
    const l = calcTypeRelo(relo, local);
    res.origVal = l.val;
    res.validate = l.validate;
    err = l.err;
    if (!err) {
      const t = calcTypeRelo(relo, targ);
      res.newVal = t.val;
      err = t.err;
    }
  } else if (isEnumvalBasedKind(relo.kind)) {
    const l = calcEnumvalRelo(relo, local);
    res.origVal = l.val;
    err = l.err;
    if (!err) {
      const t = calcEnumvalRelo(relo, targ);
      res.newVal = t.val;
      err = t.err;
    }
  }

  if (err === -Errno.EUCLEAN) {
    res.poison = true;
    err = 0;
  } else if (err === -Errno.EOPNOTSUPP) {
    log.warn(
      `prog '${progName}': relo #${reloIdx}: unrecognized CO-RE relocation ${reloKindName(relo.kind)} (${relo.kind | 0}) at insn #${Math.trunc((relo.insnOff >>> 0) / 8) | 0}\n`,
    );
  }
  return { err, res };
}

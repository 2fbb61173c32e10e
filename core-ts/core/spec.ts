/**
 * Access specs: libbpf's bpf_core_parse_spec (local side) and bpf_core_format_spec.
 *
 * A spec has a raw form (one entry per access-string component, anonymous members included)
 * and a high-level form (only named members and array indexes), plus the bit offset the path
 * reaches. Target specs built while matching use the same structure.
 */
import { CorelabError } from '../errors.ts';
import { BtfKind } from '../btf/types.ts';
import type { Btf, TypeId } from '../btf/types.ts';
import { isEnumvalBasedKind, isFieldBasedKind, isTypeBasedKind, reloKindName } from '../btfext/relo-kind.ts';
import { isAnyEnum, isComposite, isValidId, kindWord, resolveSizeOrErrno, skipMods, strAt, vlen } from './btf-util.ts';
import { Errno } from './errno.ts';
import type { CoreLog } from './log.ts';
import type { CoreRelo } from './relo.ts';

/** BPF_CORE_SPEC_MAX_LEN */
export const SPEC_MAX_LEN = 64;
/** libbpf formats specs into a 256-byte buffer */
export const SPEC_BUF_SIZE = 256;

export interface Accessor {
  /** the struct/union holding the member, or the array element type */
  readonly typeId: TypeId;
  /** member index or array index (u32) */
  readonly idx: number;
  /** member name; undefined for an array accessor */
  readonly name: string | undefined;
}

export interface AccessSpec {
  readonly btf: Btf;
  /** root type as written in the record (typedefs not skipped) */
  readonly rootTypeId: TypeId;
  readonly kind: number;
  /** high-level accessors */
  readonly accessors: Accessor[];
  /** raw accessor indexes (s32) */
  readonly raw: number[];
  /** bit offset of the path (u32 arithmetic, as libbpf) */
  bitOffset: number;
}

export function emptySpec(btf: Btf, rootTypeId: TypeId, kind: number): AccessSpec {
  return { btf, rootTypeId, kind, accessors: [], raw: [], bitOffset: 0 };
}

export type ParseResult = { readonly ok: true; readonly spec: AccessSpec } | { readonly ok: false; readonly err: number };

const fail = (errno: number): ParseResult => ({ ok: false, err: -errno });

/** u32 wrap-around of a possibly huge product, done exactly. */
export function wrapU32(x: bigint): number {
  return Number(BigInt.asUintN(32, x));
}

const isCSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/**
 * sscanf(s, "%d%n"): leading white space, an optional sign, at least one digit. glibc converts
 * through strtol (saturating at the long range) and stores the int's low 32 bits.
 */
function scanInt(s: string, pos: number): { value: number; next: number } | undefined {
  let p = pos;
  while (p < s.length && isCSpace(s.charCodeAt(p))) p++;
  let neg = false;
  if (s[p] === '+' || s[p] === '-') {
    neg = s[p] === '-';
    p++;
  }
  const digitsAt = p;
  while (p < s.length && s.charCodeAt(p) >= 0x30 && s.charCodeAt(p) <= 0x39) p++;
  if (p === digitsAt) return undefined;
  let v = BigInt(s.slice(digitsAt, p));
  if (neg) v = -v;
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < LONG_MIN) v = LONG_MIN;
  return { value: Number(BigInt.asIntN(32, v)), next: p };
}

/** libbpf reads here from memory it does not own; we refuse instead of guessing. */
function outsideList(what: string, idx: number, n: number, rootId: TypeId): never {
  throw new CorelabError(
    'unsupported',
    `CO-RE access string of [${rootId}] uses ${what} index ${idx} of ${n}: libbpf 1.1.2 would read outside the list (undefined behaviour)`,
    { section: '.BTF.ext' },
  );
}

/** bpf_core_parse_spec. `progName` only appears in its one warning. */
export function parseSpec(progName: string, btf: Btf, relo: CoreRelo, log: CoreLog): ParseResult {
  const specStr = strAt(btf, relo.accessStrOff);
  if (specStr === undefined || specStr === '' || specStr[0] === ':') return fail(Errno.EINVAL);

  const spec = emptySpec(btf, relo.typeId, relo.kind);
  if (isTypeBasedKind(relo.kind)) return specStr === '0' ? { ok: true, spec } : fail(Errno.EINVAL);

  let pos = 0;
  while (pos < specStr.length) {
    if (specStr[pos] === ':') pos++;
    const r = scanInt(specStr, pos);
    if (!r) return fail(Errno.EINVAL);
    if (spec.raw.length === SPEC_MAX_LEN) return fail(Errno.E2BIG);
    pos = r.next;
    spec.raw.push(r.value);
  }
  if (spec.raw.length === 0) return fail(Errno.EINVAL);
  if (!isValidId(btf, relo.typeId)) return fail(Errno.EINVAL);

  let id = skipMods(btf, relo.typeId);
  let accessIdx = spec.raw[0]!;
  spec.accessors.push({ typeId: id, idx: accessIdx >>> 0, name: undefined });

  if (isEnumvalBasedKind(relo.kind)) {
    const t = btf.type(id);
    if (!isAnyEnum(t.kind) || spec.raw.length > 1 || accessIdx >= vlen(t)) return fail(Errno.EINVAL);
    if (accessIdx < 0) outsideList('enumerator', accessIdx, vlen(t), relo.typeId);
    const values = (t as { values: readonly { name: string }[] }).values;
    spec.accessors[0] = { typeId: id, idx: accessIdx, name: values[accessIdx]!.name };
    return { ok: true, spec };
  }

  if (!isFieldBasedKind(relo.kind)) return fail(Errno.EINVAL);

  let sz = resolveSizeOrErrno(btf, id);
  if (sz < 0) return { ok: false, err: sz };
  spec.bitOffset = wrapU32(BigInt(accessIdx) * BigInt(sz) * 8n);

  for (let i = 1; i < spec.raw.length; i++) {
    id = skipMods(btf, id);
    const t = btf.type(id);
    accessIdx = spec.raw[i]!;

    if (isComposite(t.kind) && (t.kind === BtfKind.Struct || t.kind === BtfKind.Union)) {
      if (accessIdx >= t.members.length) return fail(Errno.EINVAL);
      if (accessIdx < 0) outsideList('member', accessIdx, t.members.length, relo.typeId);
      const m = t.members[accessIdx]!;
      spec.bitOffset = (spec.bitOffset + m.bitOffset) >>> 0;
      if (m.nameOff !== 0) {
        const name = strAt(btf, m.nameOff);
        if (!name) return fail(Errno.EINVAL);
        spec.accessors.push({ typeId: id, idx: accessIdx, name });
      }
      id = m.type;
    } else if (t.kind === BtfKind.Array) {
      const elemId = skipMods(btf, t.type);
      id = elemId;
      const flex = isFlexArray(btf, spec.accessors[spec.accessors.length - 1]!, t.nelems);
      if (!flex && accessIdx >>> 0 >= t.nelems) return fail(Errno.EINVAL);
      spec.accessors.push({ typeId: id, idx: accessIdx >>> 0, name: undefined });
      sz = resolveSizeOrErrno(btf, id);
      if (sz < 0) return { ok: false, err: sz };
      spec.bitOffset = wrapU32(BigInt(spec.bitOffset) + BigInt(accessIdx) * BigInt(sz) * 8n);
    } else {
      // libbpf prints the access string after its parser consumed it: always empty here
      log.warn(
        `prog '${progName}': relo for [${relo.typeId >>> 0}]  (at idx ${i}) captures type [${id}] of unexpected kind ${kindWord(btf, id)}\n`,
      );
      return fail(Errno.EINVAL);
    }
  }
  return { ok: true, spec };
}

/**
 * A zero-length array that is the last member of its struct, reached through that named member
 * (`prev` is the accessor before the array step).
 */
export function isFlexArray(btf: Btf, prev: Accessor, nelems: number): boolean {
  if (prev.name === undefined || nelems > 0) return false;
  return prev.idx === vlen(btf.type(prev.typeId)) - 1;
}

export interface FormattedSpec {
  /** what lands in libbpf's 256-byte buffer (at most 255 characters) */
  readonly text: string;
  /** untruncated length (snprintf's return), to tell whether the buffer overflowed */
  readonly fullLength: number;
}

/** bpf_core_format_spec, truncation included. */
export function formatSpec(spec: AccessSpec): FormattedSpec {
  const full = formatSpecFull(spec);
  return { text: full.length >= SPEC_BUF_SIZE ? full.slice(0, SPEC_BUF_SIZE - 1) : full, fullLength: full.length };
}

export function formatSpecText(spec: AccessSpec): string {
  return formatSpec(spec).text;
}

function formatSpecFull(spec: AccessSpec): string {
  const { btf } = spec;
  const rootName = btf.name(spec.rootTypeId);
  let s = `<${reloKindName(spec.kind)}> [${spec.rootTypeId >>> 0}] ${kindWord(btf, spec.rootTypeId)} ${rootName || '<anon>'}`;
  if (isTypeBasedKind(spec.kind)) return s;

  if (isEnumvalBasedKind(spec.kind)) {
    const t = btf.type(skipMods(btf, spec.rootTypeId));
    // the enumerator named by raw[0]; a reset target spec has 0 there
    const idx = spec.raw.length ? spec.raw[0]! : 0;
    if (t.kind === BtfKind.Enum) {
      const e = t.values[idx];
      if (!e) outsideList('enumerator', idx, t.values.length, spec.rootTypeId);
      return s + `::${e.name} = ${t.signed ? e.value | 0 : e.value >>> 0}`;
    }
    if (t.kind === BtfKind.Enum64) {
      const e = t.values[idx];
      if (!e) outsideList('enumerator', idx, t.values.length, spec.rootTypeId);
      return s + `::${e.name} = ${t.signed ? BigInt.asIntN(64, e.value) : BigInt.asUintN(64, e.value)}`;
    }
    throw new CorelabError(
      'unsupported',
      `enum-value spec of [${spec.rootTypeId}] resolves to a ${kindWord(btf, t.id)}: libbpf 1.1.2 would print enumerator data from a non-enum type (undefined behaviour)`,
      { section: '.BTF' },
    );
  }

  if (isFieldBasedKind(spec.kind)) {
    spec.accessors.forEach((a, i) => {
      if (a.name !== undefined) s += `.${a.name}`;
      else if (i > 0 || a.idx > 0) s += `[${a.idx >>> 0}]`;
    });
    s += ` (${spec.raw.map((r) => String(r | 0)).join(':')}`;
    const bo = spec.bitOffset >>> 0;
    s += bo % 8 ? ` @ offset ${Math.floor(bo / 8)}.${bo % 8})` : ` @ offset ${bo / 8})`;
  }
  return s;
}

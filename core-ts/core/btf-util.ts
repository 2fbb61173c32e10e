/**
 * Small BTF questions the CO-RE steps ask over and over, answered the way libbpf's inline
 * helpers answer them (btf_kind_str, btf_is_composite, btf_kind_core_compat, …).
 */
import { CorelabError } from '../errors.ts';
import { btfStrOrUndefined } from '../btf/parse.ts';
import { BtfKind } from '../btf/types.ts';
import type { Btf, BtfType, TypeId } from '../btf/types.ts';
import { Errno } from './errno.ts';

/** libbpf.c's btf_kind_str words (lower case, unlike bpftool's). */
const KIND_WORDS: readonly string[] = [
  'void', 'int', 'ptr', 'array', 'struct', 'union', 'enum', 'fwd', 'typedef', 'volatile',
  'const', 'restrict', 'func', 'func_proto', 'var', 'datasec', 'float', 'decl_tag', 'type_tag', 'enum64',
];

export function kindWordOf(kind: number): string {
  return KIND_WORDS[kind] ?? 'unknown';
}

export function kindWord(btf: Btf, id: TypeId): string {
  return kindWordOf(btf.kind(id));
}

/** A string-section lookup that, like btf__name_by_offset, gives undefined (NULL) when out of range. */
export function strAt(btf: Btf, off: number): string | undefined {
  return btfStrOrUndefined(btf, off);
}

export function isValidId(btf: Btf, id: TypeId): boolean {
  return Number.isInteger(id) && id >= 0 && id < btf.typeCount;
}

export function isComposite(kind: number): boolean {
  return kind === BtfKind.Struct || kind === BtfKind.Union;
}

export function isAnyEnum(kind: number): boolean {
  return kind === BtfKind.Enum || kind === BtfKind.Enum64;
}

/** Same kind, except that ENUM and ENUM64 stand for each other. */
export function kindsCoreCompat(a: number, b: number): boolean {
  return a === b || (isAnyEnum(a) && isAnyEnum(b));
}

/** libbpf's btf_vlen for the kinds that have members/values/params; 0 otherwise. */
export function vlen(t: BtfType): number {
  switch (t.kind) {
    case BtfKind.Struct:
    case BtfKind.Union:
      return t.members.length;
    case BtfKind.Enum:
    case BtfKind.Enum64:
      return t.values.length;
    case BtfKind.FuncProto:
      return t.params.length;
    case BtfKind.Datasec:
      return t.vars.length;
    default:
      return 0;
  }
}

/** The size field of a type record (0 for kinds that carry a type id there instead). */
export function sizeField(t: BtfType): number {
  switch (t.kind) {
    case BtfKind.Int:
    case BtfKind.Struct:
    case BtfKind.Union:
    case BtfKind.Enum:
    case BtfKind.Enum64:
    case BtfKind.Datasec:
    case BtfKind.Float:
      return t.size;
    default:
      return 0;
  }
}

/** kflag of a type record, for the kinds where the model exposes it. */
export function kflag(t: BtfType): boolean {
  switch (t.kind) {
    case BtfKind.Struct:
    case BtfKind.Union:
      return t.kflag;
    case BtfKind.Enum:
    case BtfKind.Enum64:
      return t.signed;
    case BtfKind.Fwd:
      return t.isUnion;
    default:
      return false;
  }
}

/** skip_mods_and_typedefs: the id reached after const/volatile/restrict/type_tag/typedef. */
export function skipMods(btf: Btf, id: TypeId): TypeId {
  return btf.skipModsAndTypedefs(id);
}

/**
 * btf__resolve_size with libbpf's return convention: the size, or a negative errno
 * (-EINVAL for unsizable types and bad ids, -E2BIG for overflow).
 */
export function resolveSizeOrErrno(btf: Btf, id: TypeId): number {
  try {
    return btf.resolveSize(id);
  } catch (e) {
    if (e instanceof CorelabError) return e.kind === 'too-large' ? -Errno.E2BIG : -Errno.EINVAL;
    throw e;
  }
}

/** Length of the part of a name before its flavor suffix (libbpf's bpf_core_essential_name_len). */
export function essentialNameLen(name: string): number {
  // The last "X___Y" with X and Y not '_' separates the flavor; scanning backwards finds it first.
  for (let i = name.length - 5; i >= 0; i--) {
    if (
      name.charCodeAt(i) !== 0x5f &&
      name.charCodeAt(i + 1) === 0x5f &&
      name.charCodeAt(i + 2) === 0x5f &&
      name.charCodeAt(i + 3) === 0x5f &&
      name.charCodeAt(i + 4) !== 0x5f
    ) {
      return i + 1;
    }
  }
  return name.length;
}

export function essentialName(name: string): string {
  return name.slice(0, essentialNameLen(name));
}

/** The two names are equal once their flavor suffixes are dropped. */
export function essentialNamesEqual(a: string, b: string): boolean {
  const la = essentialNameLen(a);
  return la === essentialNameLen(b) && a.slice(0, la) === b.slice(0, la);
}

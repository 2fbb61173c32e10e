/**
 * The BTF model: what a BTF type *is*, independent of how it was encoded.
 * Decoding lives in parse.ts; this file is the contract every other module codes against.
 */

export type TypeId = number;

/** BTF_KIND_* numbers, as in the kernel's uapi btf.h. */
export const BtfKind = {
  Void: 0,
  Int: 1,
  Ptr: 2,
  Array: 3,
  Struct: 4,
  Union: 5,
  Enum: 6,
  Fwd: 7,
  Typedef: 8,
  Volatile: 9,
  Const: 10,
  Restrict: 11,
  Func: 12,
  FuncProto: 13,
  Var: 14,
  Datasec: 15,
  Float: 16,
  DeclTag: 17,
  TypeTag: 18,
  Enum64: 19,
} as const;
export type BtfKind = (typeof BtfKind)[keyof typeof BtfKind];

/** libbpf's btf_kind_str words (used by bpftool dumps and libbpf logs). */
export const BTF_KIND_NAMES: readonly string[] = [
  'UNKN', 'INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'FWD', 'TYPEDEF', 'VOLATILE',
  'CONST', 'RESTRICT', 'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC', 'FLOAT', 'DECL_TAG', 'TYPE_TAG', 'ENUM64',
];

/** BTF_INT_* encoding bits. */
export const IntEncoding = { Signed: 1, Char: 2, Bool: 4 } as const;

/** BTF_FUNC_* linkage (vlen of a FUNC). */
export const FuncLinkage = { Static: 0, Global: 1, Extern: 2 } as const;
/** BTF_VAR_* linkage. */
export const VarLinkage = { Static: 0, GlobalAllocated: 1, GlobalExtern: 2 } as const;

interface TypeBase {
  readonly id: TypeId;
  /** '' for anonymous */
  readonly name: string;
  readonly nameOff: number;
}

export interface VoidType extends TypeBase { readonly kind: typeof BtfKind.Void }
export interface IntType extends TypeBase {
  readonly kind: typeof BtfKind.Int;
  readonly size: number;
  /** IntEncoding bits */
  readonly encoding: number;
  /** BTF_INT_OFFSET, in bits */
  readonly bitOffset: number;
  /** BTF_INT_BITS */
  readonly bits: number;
}
export interface PtrType extends TypeBase { readonly kind: typeof BtfKind.Ptr; readonly type: TypeId }
export interface ArrayType extends TypeBase {
  readonly kind: typeof BtfKind.Array;
  readonly type: TypeId;
  readonly indexType: TypeId;
  readonly nelems: number;
}
export interface Member {
  readonly name: string;
  readonly nameOff: number;
  readonly type: TypeId;
  /** offset in bits from the start of the struct */
  readonly bitOffset: number;
  /** 0 unless kflag is set and the member is a bitfield */
  readonly bitfieldSize: number;
}
export interface CompositeType extends TypeBase {
  readonly kind: typeof BtfKind.Struct | typeof BtfKind.Union;
  readonly size: number;
  /** kflag: member offsets carry bitfield sizes */
  readonly kflag: boolean;
  readonly members: readonly Member[];
}
export interface EnumValue { readonly name: string; readonly nameOff: number; readonly value: number }
export interface EnumType extends TypeBase {
  readonly kind: typeof BtfKind.Enum;
  readonly size: number;
  /** kflag: values are signed */
  readonly signed: boolean;
  /** value as stored: signed 32-bit if `signed`, else unsigned 32-bit */
  readonly values: readonly EnumValue[];
}
export interface Enum64Value { readonly name: string; readonly nameOff: number; readonly value: bigint }
export interface Enum64Type extends TypeBase {
  readonly kind: typeof BtfKind.Enum64;
  readonly size: number;
  readonly signed: boolean;
  /** value as stored: signed 64-bit if `signed`, else unsigned 64-bit */
  readonly values: readonly Enum64Value[];
}
export interface FwdType extends TypeBase { readonly kind: typeof BtfKind.Fwd; readonly isUnion: boolean }
export interface RefType extends TypeBase {
  readonly kind:
    | typeof BtfKind.Typedef
    | typeof BtfKind.Volatile
    | typeof BtfKind.Const
    | typeof BtfKind.Restrict
    | typeof BtfKind.TypeTag;
  readonly type: TypeId;
}
export interface FuncType extends TypeBase {
  readonly kind: typeof BtfKind.Func;
  /** the FUNC_PROTO */
  readonly type: TypeId;
  readonly linkage: number;
}
export interface Param { readonly name: string; readonly nameOff: number; readonly type: TypeId }
export interface FuncProtoType extends TypeBase {
  readonly kind: typeof BtfKind.FuncProto;
  /** return type; 0 = void */
  readonly type: TypeId;
  readonly params: readonly Param[];
}
export interface VarType extends TypeBase {
  readonly kind: typeof BtfKind.Var;
  readonly type: TypeId;
  readonly linkage: number;
}
export interface VarSecInfo { readonly type: TypeId; readonly offset: number; readonly size: number }
export interface DatasecType extends TypeBase {
  readonly kind: typeof BtfKind.Datasec;
  readonly size: number;
  readonly vars: readonly VarSecInfo[];
}
export interface FloatType extends TypeBase { readonly kind: typeof BtfKind.Float; readonly size: number }
export interface DeclTagType extends TypeBase {
  readonly kind: typeof BtfKind.DeclTag;
  readonly type: TypeId;
  /** -1 for the type itself, else member/param index */
  readonly componentIdx: number;
}

export type BtfType =
  | VoidType
  | IntType
  | PtrType
  | ArrayType
  | CompositeType
  | EnumType
  | Enum64Type
  | FwdType
  | RefType
  | FuncType
  | FuncProtoType
  | VarType
  | DatasecType
  | FloatType
  | DeclTagType;

/** Raw header fields, as read (for `info` and dumps). */
export interface BtfHeader {
  readonly magic: number;
  readonly version: number;
  readonly flags: number;
  readonly hdrLen: number;
  readonly typeOff: number;
  readonly typeLen: number;
  readonly strOff: number;
  readonly strLen: number;
  /** present only in the 32-byte header */
  readonly layoutOff?: number;
  readonly layoutLen?: number;
}

/**
 * A parsed BTF (base or split). Types are decoded lazily from an index built by one scan
 * of the type section; `type(id)` is cheap after the first call for an id.
 * Ids follow libbpf: 0 is void; a split BTF's own ids start at base.typeCount.
 */
export interface Btf {
  readonly endian: 'little' | 'big';
  readonly header: BtfHeader;
  readonly base: Btf | undefined;
  /** first id owned by this BTF (1 for a base BTF; base.typeCount for split) */
  readonly startId: TypeId;
  /** like btf__type_cnt: one past the last valid id (void included, base included) */
  readonly typeCount: number;
  /** pointer size in bytes, as libbpf determines it (from `long`), falling back to 8 */
  readonly ptrSize: number;
  /**
   * how ptrSize was decided: found a `long` spelling, inherited from base, fallback, or set from
   * the ELF class of the container (libbpf's btf_parse_elf does btf__set_pointer_size)
   */
  readonly ptrSizeSource: 'long' | 'base' | 'fallback' | 'elf';

  /** The type with this id (base ids delegate to the base). Throws `not-found` when out of range. */
  type(id: TypeId): BtfType;
  /** Kind without decoding the whole type. */
  kind(id: TypeId): BtfKind;
  /** Name without decoding the whole type ('' for anonymous / void). */
  name(id: TypeId): string;
  /** String at a string-section offset (split: offsets continue after the base's strings). */
  str(off: number): string;

  /** libbpf's btf__resolve_size: throws CorelabError 'invalid' / 'too-large' like -EINVAL / -E2BIG. */
  resolveSize(id: TypeId): number;
  /** libbpf's btf__align_of. */
  alignOf(id: TypeId): number;
  /** Skip typedef/volatile/const/restrict/type_tag; returns the first other id. */
  skipModsAndTypedefs(id: TypeId): TypeId;
  /** Ids (in increasing order) of types with exactly this name, optionally of one kind. */
  findByName(name: string, kind?: BtfKind): TypeId[];
}

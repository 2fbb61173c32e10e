/**
 * CO-RE relocation kinds: the numbers of the uapi `enum bpf_core_relo_kind` (as clang writes them
 * into `.BTF.ext`) and the words libbpf prints for them in its logs.
 */

export const ReloKind = {
  FieldByteOffset: 0,
  FieldByteSize: 1,
  FieldExists: 2,
  FieldSigned: 3,
  FieldLShiftU64: 4,
  FieldRShiftU64: 5,
  TypeIdLocal: 6,
  TypeIdTarget: 7,
  TypeExists: 8,
  TypeSize: 9,
  EnumvalExists: 10,
  EnumvalValue: 11,
  TypeMatches: 12,
} as const;
export type ReloKind = (typeof ReloKind)[keyof typeof ReloKind];

/** Indexed by kind number. Note the numbering is not the order of the words in libbpf's switch. */
const WORDS: readonly string[] = [
  'byte_off',
  'byte_sz',
  'field_exists',
  'signed',
  'lshift_u64',
  'rshift_u64',
  'local_type_id',
  'target_type_id',
  'type_exists',
  'type_size',
  'enumval_exists',
  'enumval_value',
  'type_matches',
];

/** libbpf's word for a kind; any number outside the enum is "unknown", as libbpf prints it. */
export function reloKindName(kind: number): string {
  return Number.isInteger(kind) && kind >= 0 && kind < WORDS.length ? WORDS[kind]! : 'unknown';
}

export function isReloKind(kind: number): kind is ReloKind {
  return Number.isInteger(kind) && kind >= 0 && kind < WORDS.length;
}

/** Kinds whose access string walks members/array elements ("0:1:0:5"). */
export function isFieldBasedKind(kind: number): boolean {
  return kind >= ReloKind.FieldByteOffset && kind <= ReloKind.FieldRShiftU64;
}

/** Kinds about a whole type; their access string is "0". */
export function isTypeBasedKind(kind: number): boolean {
  return (kind >= ReloKind.TypeIdLocal && kind <= ReloKind.TypeSize) || kind === ReloKind.TypeMatches;
}

/** Kinds about one enumerator; their access string is the enumerator's index. */
export function isEnumvalBasedKind(kind: number): boolean {
  return kind === ReloKind.EnumvalExists || kind === ReloKind.EnumvalValue;
}

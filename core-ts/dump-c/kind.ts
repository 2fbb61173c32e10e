/**
 * BTF_KIND_* as a const enum, for the dumper's hot switches: the bundler turns each
 * `Kind.X` into its number, so a switch is a jump over literals instead of a chain of
 * property loads (which also cost a deoptimisation the first time a new kind shows up).
 * Same numbers as BtfKind in btf/types.ts (tests/unit/dump-c.test.ts checks them).
 */
export const enum Kind {
  Void = 0,
  Int = 1,
  Ptr = 2,
  Array = 3,
  Struct = 4,
  Union = 5,
  Enum = 6,
  Fwd = 7,
  Typedef = 8,
  Volatile = 9,
  Const = 10,
  Restrict = 11,
  Func = 12,
  FuncProto = 13,
  Var = 14,
  Datasec = 15,
  Float = 16,
  DeclTag = 17,
  TypeTag = 18,
  Enum64 = 19,
}

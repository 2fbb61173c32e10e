import type { Enum64Type, EnumType, TypeId } from '../btf/types.ts';
import { BtfKind } from '../btf/types.ts';
import { countName, tagName } from './names.ts';
import { indent, type DumpState } from './state.ts';

/** `enum X` (a use by name). */
export function emitEnumFwd(st: DumpState, id: TypeId, t: EnumType | Enum64Type): void {
  st.print('enum ' + tagName(st, id, t));
}

/**
 * `enum X { A = 1, … }` at level `lvl` (no trailing `;`). Enumerators share the
 * identifier namespace with typedefs, so each printing of one counts towards `___N`.
 * An enum without enumerators prints as a bare `enum X`.
 */
export function emitEnumDef(st: DumpState, id: TypeId, t: EnumType | Enum64Type, lvl: number): void {
  st.print(t.nameOff !== 0 ? 'enum ' + tagName(st, id, t) : 'enum');
  const values = t.values;
  if (values.length === 0) return;
  st.print(' {');
  const pfx = '\n' + indent(lvl + 1);
  // ENUM64 values carry a C suffix so that the compiler keeps them 64-bit
  const suffix = t.kind === BtfKind.Enum64 ? (t.signed ? 'LL' : 'ULL') : '';
  for (const v of values) {
    const dups = countName(st.identNames, v.name);
    const name = dups > 1 ? `${v.name}___${dups}` : v.name;
    st.print(`${pfx}${name} = ${v.value}${suffix},`);
  }
  st.print('\n' + indent(lvl) + '}');
  if (st.rules.enumModeAttributes) emitModeAttribute(st, t);
}

/** libbpf 1.1's way of keeping an enum's size: 1 byte → mode(byte), 8 bytes → mode(word). */
function emitModeAttribute(st: DumpState, t: EnumType | Enum64Type): void {
  if (t.size === 1) {
    st.print(' __attribute__((mode(byte)))');
  } else if (t.size === 8 && st.ptrSize === 8) {
    // an ENUM64 with some value above 32 bits is 64-bit by itself
    const needsWord =
      t.kind === BtfKind.Enum || t.values.every((v) => BigInt.asUintN(64, v.value) >> 32n === 0n);
    if (needsWord) st.print(' __attribute__((mode(word)))');
  }
}

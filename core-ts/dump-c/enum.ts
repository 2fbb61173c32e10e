import { Kind } from './kind.ts';
import type { TypeId } from '../btf/types.ts';
import { printName, printTagName } from './names.ts';
import type { DumpState } from './state.ts';

/** `enum X` (a use by name). */
export function emitEnumFwd(st: DumpState, id: TypeId): void {
  st.print('enum ');
  printTagName(st, id);
}

/**
 * `enum X { A = 1, … }` at level `lvl` (no trailing `;`). Enumerators share the
 * identifier namespace with typedefs, so each printing of one counts towards `___N`.
 * An enum without enumerators prints as a bare `enum X`.
 */
export function emitEnumDef(st: DumpState, id: TypeId, lvl: number): void {
  const tb = st.tb;
  const w = tb.words;
  if (tb.nameOff(id) !== 0) emitEnumFwd(st, id);
  else st.print('enum');
  const n = tb.vlen(id);
  if (n === 0) return;
  st.print(' {');
  const is64 = tb.kind(id) === Kind.Enum64;
  const signed = tb.kflag(id);
  const step = is64 ? 3 : 2;
  const out = st.out;
  for (let k = 0, e = tb.extra(id); k < n; k++, e += step) {
    st.newline(lvl + 1);
    const pos = tb.namePos(w[e]!);
    const dups = st.identNames.add(pos);
    // enumerators are not cut at 255 bytes: libbpf prints them straight
    printName(st, pos, 0);
    if (dups > 1) {
      out.print('___');
      out.uint(dups);
    }
    out.print(' = ');
    const lo = w[e + 1]!;
    if (!is64) {
      if (signed) out.int(lo | 0);
      else out.uint(lo);
    } else {
      // ENUM64 values carry a C suffix so that the compiler keeps them 64-bit
      printValue64(st, lo, w[e + 2]!, signed);
      out.print(signed ? 'LL' : 'ULL');
    }
    out.byte(0x2c);
  }
  st.newline(lvl);
  out.byte(0x7d);
  if (st.rules.enumModeAttributes) emitModeAttribute(st, id);
}

function printValue64(st: DumpState, lo: number, hi: number, signed: boolean): void {
  if (hi === 0) st.out.uint(lo);
  else if (signed && hi === 0xffffffff && lo >= 0x80000000) st.out.int(lo - 0x100000000);
  else {
    const raw = (BigInt(hi) << 32n) | BigInt(lo);
    st.print(String(signed ? BigInt.asIntN(64, raw) : raw));
  }
}

/** libbpf 1.1's way of keeping an enum's size: 1 byte → mode(byte), 8 bytes → mode(word). */
function emitModeAttribute(st: DumpState, id: TypeId): void {
  const tb = st.tb;
  const size = tb.sizeOrType(id);
  if (size === 1) {
    st.print(' __attribute__((mode(byte)))');
  } else if (size === 8 && st.ptrSize === 8) {
    // an ENUM64 with some value above 32 bits is 64-bit by itself
    let needsWord = true;
    if (tb.kind(id) === Kind.Enum64) {
      const n = tb.vlen(id);
      for (let k = 0, e = tb.extra(id); k < n; k++, e += 3) {
        if (tb.words[e + 2] !== 0) needsWord = false;
      }
    }
    if (needsWord) st.print(' __attribute__((mode(word)))');
  }
}

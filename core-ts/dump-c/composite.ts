import { Kind } from './kind.ts';
import type { TypeId } from '../btf/types.ts';
import { emitTypeDecl } from './decl.ts';
import { alignOf, emitBitPadding, isStructPacked, sizeOf } from './layout.ts';
import { printTagName } from './names.ts';
import type { DumpState } from './state.ts';

/** `struct X` / `union X` (a declaration, or a use by name). */
export function emitStructFwd(st: DumpState, id: TypeId): void {
  const tb = st.tb;
  st.print(tb.kind(id) === Kind.Struct ? 'struct' : 'union');
  if (tb.nameOff(id) !== 0) {
    st.out.byte(0x20);
    printTagName(st, id);
  }
}

/** The full `struct X { … }` body at nesting level `lvl` (no trailing `;`). */
export function emitStructDef(st: DumpState, id: TypeId, lvl: number): void {
  const tb = st.tb;
  const w = tb.words;
  const isStruct = tb.kind(id) === Kind.Struct;
  const align = alignOf(st, id);
  const packed = isStruct && isStructPacked(st, id);
  emitStructFwd(st, id);
  st.print(' {');

  const kflag = tb.kflag(id);
  const n = tb.vlen(id);
  const size = tb.sizeOrType(id);
  let off = 0;
  let prevBitfield = false;
  for (let k = 0, m = tb.extra(id); k < n; k++, m += 3) {
    const type = w[m + 1]!;
    const raw = w[m + 2]!;
    const bits = kflag ? raw >>> 24 : 0;
    const bitOffset = kflag ? raw & 0xffffff : raw;
    const mAlign = packed ? 1 : alignOf(st, type);
    emitBitPadding(st, off, bitOffset, mAlign, prevBitfield && bits !== 0, lvl + 1);
    st.newline(lvl + 1);
    emitTypeDecl(st, type, tb.namePos(w[m]!), 0, lvl + 1);
    if (bits) {
      st.print(': ');
      st.out.uint(bits);
      off = bitOffset + bits;
      prevBitfield = true;
    } else {
      off = bitOffset + sizeOf(st, type) * 8;
      prevBitfield = false;
    }
    st.out.byte(0x3b);
  }
  // unions end where their largest member does; structs are padded out to their size
  if (isStruct) emitBitPadding(st, off, size * 8, align, false, lvl + 1);

  // `struct empty {}` stays on one line
  if (n || size) st.newline(lvl);
  st.out.byte(0x7d);
  if (packed) st.print(' __attribute__((packed))');
}

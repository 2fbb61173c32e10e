import { BtfKind, type CompositeType, type TypeId } from '../btf/types.ts';
import { emitTypeDecl } from './decl.ts';
import { alignOf, emitBitPadding, isStructPacked, sizeOf } from './layout.ts';
import { tagName } from './names.ts';
import { indent, type DumpState } from './state.ts';

/** `struct X` / `union X` (a declaration, or a use by name). */
export function emitStructFwd(st: DumpState, id: TypeId, t: CompositeType): void {
  const kw = t.kind === BtfKind.Struct ? 'struct' : 'union';
  st.print(t.nameOff !== 0 ? `${kw} ${tagName(st, id, t)}` : kw);
}

/** The full `struct X { … }` body at nesting level `lvl` (no trailing `;`). */
export function emitStructDef(st: DumpState, id: TypeId, t: CompositeType, lvl: number): void {
  const isStruct = t.kind === BtfKind.Struct;
  const align = alignOf(st, id);
  const packed = isStruct && isStructPacked(st, t);
  const kw = isStruct ? 'struct' : 'union';
  st.print(t.nameOff !== 0 ? `${kw} ${tagName(st, id, t)} {` : `${kw} {`);

  const inner = indent(lvl + 1);
  let off = 0;
  let prevBitfield = false;
  for (const m of t.members) {
    const bits = m.bitfieldSize;
    const mAlign = packed ? 1 : alignOf(st, m.type);
    emitBitPadding(st, off, m.bitOffset, mAlign, prevBitfield && bits !== 0, inner);
    st.print('\n' + inner);
    emitTypeDecl(st, m.type, m.name, lvl + 1);
    if (bits) {
      st.print(`: ${bits}`);
      off = m.bitOffset + bits;
      prevBitfield = true;
    } else {
      off = m.bitOffset + sizeOf(st, m.type) * 8;
      prevBitfield = false;
    }
    st.print(';');
  }
  // unions end where their largest member does; structs are padded out to their size
  if (isStruct) emitBitPadding(st, off, t.size * 8, align, false, inner);

  // `struct empty {}` stays on one line
  if (t.members.length || t.size) st.print('\n' + indent(lvl) + '}');
  else st.print('}');
  if (packed) st.print(' __attribute__((packed))');
}

import { BtfKind, type BtfType, type RefType, type TypeId } from '../btf/types.ts';
import { emitStructDef, emitStructFwd } from './composite.ts';
import { emitFwdDef, emitTypeDecl } from './decl.ts';
import { emitEnumDef } from './enum.ts';
import { identName, tagName } from './names.ts';
import { EMITTED, EMITTING, NOT_EMITTED, type DumpState } from './state.ts';

/**
 * GCC's Arm NEON polynomial types exist only inside GCC; BTF has them as INTs named
 * __PolyN_t, so the header aliases them to plain integer types.
 */
const POLY_ALIASES: ReadonlyMap<string, string> = new Map([
  ['__Poly8_t', 'unsigned char'],
  ['__Poly16_t', 'unsigned short'],
  ['__Poly64_t', 'unsigned long long'],
  ['__Poly128_t', 'unsigned __int128'],
]);

/** `__builtin_va_list` is the compiler's own; redefining it breaks the build. */
function isBuiltinTypedef(t: BtfType): boolean {
  return t.nameOff !== 0 && t.name === '__builtin_va_list';
}

function emitTypedefDef(st: DumpState, id: TypeId, t: RefType, lvl: number): void {
  const name = identName(st, id, t);
  // old GCC described __gnuc_va_list as a typedef of void; give it its real meaning
  if (t.type === 0 && name === '__gnuc_va_list') {
    st.print('typedef __builtin_va_list __gnuc_va_list');
    return;
  }
  st.print('typedef ');
  emitTypeDecl(st, t.type, name, lvl);
}

/**
 * Pass 2: print what `id` needs and, at top level (`contId` 0), `id` itself. `contId` is
 * the named struct/union (or typedef) whose definition we are inside: a reference back to
 * it needs no forward declaration. A definition reached again while it is being printed
 * gets a forward declaration instead (struct/union), or is printed early (typedef, which
 * doubles as its own forward declaration).
 */
export function emitType(st: DumpState, id: TypeId, contId: TypeId, depth = 0): void {
  const es = st.emit[id];
  if (es === EMITTED) return;
  const t = st.btf.type(id);

  if (es === EMITTING) {
    if (st.fwdEmitted[id]) return;
    if (t.kind === BtfKind.Struct || t.kind === BtfKind.Union) {
      if (id === contId) return;
      // an anonymous struct cannot be forward-declared; libbpf warns and carries on
      if (t.nameOff === 0) return;
      emitStructFwd(st, id, t);
      st.print(';\n\n');
      st.fwdEmitted[id] = 1;
    } else if (t.kind === BtfKind.Typedef) {
      if (!isBuiltinTypedef(t)) {
        emitTypedefDef(st, id, t, 0);
        st.print(';\n\n');
      }
      st.fwdEmitted[id] = 1;
    }
    return;
  }

  st.checkDepth(depth, id, 'emission');
  const d = depth + 1;
  const topLevel = contId === 0;
  switch (t.kind) {
    case BtfKind.Int: {
      const name = tagName(st, id, t);
      const alias = POLY_ALIASES.get(name);
      if (alias !== undefined) st.print(`typedef ${alias} ${name};\n\n`);
      st.emit[id] = EMITTED;
      break;
    }
    case BtfKind.Enum:
    case BtfKind.Enum64:
      if (topLevel) {
        emitEnumDef(st, id, t, 0);
        st.print(';\n\n');
      }
      st.emit[id] = EMITTED;
      break;
    case BtfKind.Ptr:
    case BtfKind.Volatile:
    case BtfKind.Const:
    case BtfKind.Restrict:
    case BtfKind.TypeTag:
    case BtfKind.Array:
      emitType(st, t.type, contId, d);
      break;
    case BtfKind.Fwd:
      emitFwdDef(st, id, t);
      st.print(';\n\n');
      st.emit[id] = EMITTED;
      break;
    case BtfKind.Typedef:
      st.emit[id] = EMITTING;
      emitType(st, t.type, id, d);
      if (!st.fwdEmitted[id] && !isBuiltinTypedef(t)) {
        emitTypedefDef(st, id, t, 0);
        st.print(';\n\n');
      }
      st.emit[id] = EMITTED;
      break;
    case BtfKind.Struct:
    case BtfKind.Union:
      st.emit[id] = EMITTING;
      if (topLevel || t.nameOff === 0) {
        // the body will be printed here: its member types need their declarations first
        const inner = t.nameOff === 0 ? contId : id;
        for (const m of t.members) emitType(st, m.type, inner, d);
      } else if (!st.fwdEmitted[id] && id !== contId) {
        emitStructFwd(st, id, t);
        st.print(';\n\n');
        st.fwdEmitted[id] = 1;
      }
      if (topLevel) {
        emitStructDef(st, id, t, 0);
        st.print(';\n\n');
        st.emit[id] = EMITTED;
      } else {
        // only declared so far; the definition comes later from the queue
        st.emit[id] = NOT_EMITTED;
      }
      break;
    case BtfKind.FuncProto:
      emitType(st, t.type, contId, d);
      for (const p of t.params) emitType(st, p.type, contId, d);
      break;
    default:
      // FUNC, VAR, DATASEC, DECL_TAG: not part of a C header
      break;
  }
}

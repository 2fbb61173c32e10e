import { Kind } from './kind.ts';
import type { TypeId } from '../btf/types.ts';
import { emitStructDef, emitStructFwd } from './composite.ts';
import { emitFwdDef, emitTypeDecl } from './decl.ts';
import { emitEnumDef } from './enum.ts';
import { identSuffix, nameIs, printName, tagSuffix } from './names.ts';
import { EMITTED, EMITTING, NOT_EMITTED, type DumpState } from './state.ts';

/**
 * GCC's Arm NEON polynomial types exist only inside GCC; BTF has them as INTs named
 * __PolyN_t, so the header aliases them to plain integer types.
 */
const POLY_ALIASES: readonly (readonly [string, string])[] = [
  ['__Poly8_t', 'unsigned char'],
  ['__Poly16_t', 'unsigned short'],
  ['__Poly64_t', 'unsigned long long'],
  ['__Poly128_t', 'unsigned __int128'],
];

/** The alias for an INT printed as `name` (its bytes at `pos`, no suffix), if it is one. */
function polyAlias(st: DumpState, pos: number): string | undefined {
  const s = st.tb.strs;
  // cheap refusal first: every alias starts with "__P"
  if (s[pos] !== 0x5f || s[pos + 1] !== 0x5f || s[pos + 2] !== 0x50) return undefined;
  for (const [name, alias] of POLY_ALIASES) if (nameIs(s, pos, name)) return alias;
  return undefined;
}

/** `__builtin_va_list` is the compiler's own; redefining it breaks the build. */
function isBuiltinTypedef(st: DumpState, id: TypeId): boolean {
  const tb = st.tb;
  const off = tb.nameOff(id);
  return off !== 0 && nameIs(tb.strs, tb.namePos(off), '__builtin_va_list');
}

function emitTypedefDef(st: DumpState, id: TypeId, lvl: number): void {
  const tb = st.tb;
  const suffix = identSuffix(st, id);
  const pos = tb.namePos(tb.nameOff(id));
  const target = tb.sizeOrType(id);
  // old GCC described __gnuc_va_list as a typedef of void; give it its real meaning
  if (target === 0 && suffix === 0 && nameIs(tb.strs, pos, '__gnuc_va_list')) {
    st.print('typedef __builtin_va_list __gnuc_va_list');
    return;
  }
  st.print('typedef ');
  emitTypeDecl(st, target, pos, suffix, lvl);
}

/**
 * Pass 2: print what `id` needs and, at top level (`contId` 0), `id` itself. `contId` is
 * the named struct/union (or typedef) whose definition we are inside: a reference back to
 * it needs no forward declaration. A definition reached again while it is being printed
 * gets a forward declaration instead (struct/union), or is printed early (typedef, which
 * doubles as its own forward declaration).
 */
export function emitType(st: DumpState, id: TypeId, contId: TypeId, depth = 0): void {
  const tb = st.tb;
  const es = st.emit[id];
  if (es === EMITTED) return;
  if (!tb.valid(id)) throw tb.outOfRange(id);
  const kind = tb.kind(id);

  if (es === EMITTING) {
    if (st.fwdEmitted[id]) return;
    if (kind === Kind.Struct || kind === Kind.Union) {
      if (id === contId) return;
      // an anonymous struct cannot be forward-declared; libbpf warns and carries on
      if (tb.nameOff(id) === 0) return;
      emitStructFwd(st, id);
      st.print(';\n\n');
      st.fwdEmitted[id] = 1;
    } else if (kind === Kind.Typedef) {
      if (!isBuiltinTypedef(st, id)) {
        emitTypedefDef(st, id, 0);
        st.print(';\n\n');
      }
      st.fwdEmitted[id] = 1;
    }
    return;
  }

  st.checkDepth(depth, id, 'emission');
  const d = depth + 1;
  const topLevel = contId === 0;
  switch (kind) {
    case Kind.Int: {
      const suffix = tagSuffix(st, id);
      const off = tb.nameOff(id);
      const alias = off !== 0 && suffix === 0 ? polyAlias(st, tb.namePos(off)) : undefined;
      if (alias !== undefined) {
        st.print('typedef ');
        st.print(alias);
        st.out.byte(0x20);
        printName(st, tb.namePos(off), 0);
        st.print(';\n\n');
      }
      st.emit[id] = EMITTED;
      break;
    }
    case Kind.Enum:
    case Kind.Enum64:
      if (topLevel) {
        emitEnumDef(st, id, 0);
        st.print(';\n\n');
      }
      st.emit[id] = EMITTED;
      break;
    case Kind.Ptr:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
      emitType(st, tb.sizeOrType(id), contId, d);
      break;
    case Kind.Array:
      emitType(st, tb.words[tb.extra(id)]!, contId, d);
      break;
    case Kind.Fwd:
      emitFwdDef(st, id);
      st.print(';\n\n');
      st.emit[id] = EMITTED;
      break;
    case Kind.Typedef:
      st.emit[id] = EMITTING;
      emitType(st, tb.sizeOrType(id), id, d);
      if (!st.fwdEmitted[id] && !isBuiltinTypedef(st, id)) {
        emitTypedefDef(st, id, 0);
        st.print(';\n\n');
      }
      st.emit[id] = EMITTED;
      break;
    case Kind.Struct:
    case Kind.Union: {
      st.emit[id] = EMITTING;
      const named = tb.nameOff(id) !== 0;
      if (topLevel || !named) {
        // the body will be printed here: its member types need their declarations first
        const inner = named ? id : contId;
        const n = tb.vlen(id);
        for (let k = 0, m = tb.extra(id); k < n; k++, m += 3) emitType(st, tb.words[m + 1]!, inner, d);
      } else if (!st.fwdEmitted[id] && id !== contId) {
        emitStructFwd(st, id);
        st.print(';\n\n');
        st.fwdEmitted[id] = 1;
      }
      if (topLevel) {
        emitStructDef(st, id, 0);
        st.print(';\n\n');
        st.emit[id] = EMITTED;
      } else {
        // only declared so far; the definition comes later from the queue
        st.emit[id] = NOT_EMITTED;
      }
      break;
    }
    case Kind.FuncProto: {
      emitType(st, tb.sizeOrType(id), contId, d);
      const n = tb.vlen(id);
      for (let k = 0, p = tb.extra(id); k < n; k++, p += 2) emitType(st, tb.words[p + 1]!, contId, d);
      break;
    }
    default:
      // FUNC, VAR, DATASEC, DECL_TAG: not part of a C header
      break;
  }
}

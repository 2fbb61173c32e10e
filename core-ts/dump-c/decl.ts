import { BtfKind, type FwdType, type TypeId } from '../btf/types.ts';
import { emitStructDef, emitStructFwd } from './composite.ts';
import { emitEnumDef, emitEnumFwd } from './enum.ts';
import { identName, tagName } from './names.ts';
import { MAX_CHAIN_DEPTH, type DumpState } from './state.ts';
import { CorelabError } from '../errors.ts';

/** A chain of ids from the outermost declarator (bottom) to the terminal type (top). */
interface DeclStack {
  readonly ids: TypeId[];
  cnt: number;
}

/**
 * Print a declaration of `fname` with type `id` (a member, a parameter, a typedef's
 * target) in C syntax. The BTF chain runs from the outside in (typedef → array → ptr →
 * const → int), C reads inside out, so the chain is stacked down to its terminal type and
 * printed back from there.
 */
export function emitTypeDecl(st: DumpState, id: TypeId, fname: string, lvl: number): void {
  const ids: TypeId[] = [];
  const btf = st.btf;
  for (;;) {
    ids.push(id);
    if (id === 0) break;
    if (ids.length > MAX_CHAIN_DEPTH) {
      throw new CorelabError('loop', `declaration chain deeper than ${MAX_CHAIN_DEPTH} at id [${id}] (a reference cycle)`, {
        section: '.BTF',
      });
    }
    const t = btf.type(id);
    switch (t.kind) {
      case BtfKind.Ptr:
      case BtfKind.Volatile:
      case BtfKind.Const:
      case BtfKind.Restrict:
      case BtfKind.FuncProto:
      case BtfKind.TypeTag:
      case BtfKind.Array:
        id = t.type;
        continue;
      default:
        // terminal types, and kinds that have no place in a declaration (libbpf warns
        // "unexpected type in decl chain" and prints what it can)
        break;
    }
    break;
  }
  emitTypeChain(st, { ids, cnt: ids.length }, fname, lvl);
}

function isMod(kind: number): boolean {
  return kind === BtfKind.Volatile || kind === BtfKind.Const || kind === BtfKind.Restrict || kind === BtfKind.TypeTag;
}

/** Qualifiers sitting right above a terminal type go before it: `const char`. */
function emitMods(st: DumpState, decls: DeclStack): void {
  while (decls.cnt) {
    const id = decls.ids[decls.cnt - 1]!;
    const kind = st.btf.kind(id);
    if (kind === BtfKind.Volatile) st.print('volatile ');
    else if (kind === BtfKind.Const) st.print('const ');
    else if (kind === BtfKind.Restrict) st.print('restrict ');
    else return;
    decls.cnt--;
  }
}

/** Drop qualifiers C cannot express where they are (on arrays, GCC's volatile noreturn protos). */
function dropMods(st: DumpState, decls: DeclStack): void {
  while (decls.cnt && isMod(st.btf.kind(decls.ids[decls.cnt - 1]!))) decls.cnt--;
}

function emitName(st: DumpState, name: string, lastWasPtr: boolean): void {
  st.print(name !== '' && !lastWasPtr ? ' ' + name : name);
}

function emitTypeChain(st: DumpState, decls: DeclStack, fname: string, lvl: number): void {
  const btf = st.btf;
  // true at the start so that a lone `*` (from a function-pointer frame) hugs its name
  let lastWasPtr = true;
  while (decls.cnt) {
    const id = decls.ids[--decls.cnt]!;
    if (id === 0) {
      emitMods(st, decls);
      st.print('void');
      lastWasPtr = false;
      continue;
    }
    const t = btf.type(id);
    switch (t.kind) {
      case BtfKind.Int:
      case BtfKind.Float:
        emitMods(st, decls);
        st.print(t.name);
        break;
      case BtfKind.Struct:
      case BtfKind.Union:
        emitMods(st, decls);
        // anonymous ones are defined inline
        if (t.nameOff === 0) emitStructDef(st, id, t, lvl);
        else emitStructFwd(st, id, t);
        break;
      case BtfKind.Enum:
      case BtfKind.Enum64:
        emitMods(st, decls);
        if (t.nameOff === 0) emitEnumDef(st, id, t, lvl);
        else emitEnumFwd(st, id, t);
        break;
      case BtfKind.Fwd:
        emitMods(st, decls);
        emitFwdDef(st, id, t);
        break;
      case BtfKind.Typedef:
        emitMods(st, decls);
        st.print(identName(st, id, t));
        break;
      case BtfKind.Ptr:
        st.print(lastWasPtr ? '*' : ' *');
        break;
      case BtfKind.Volatile:
        st.print(' volatile');
        break;
      case BtfKind.Const:
        st.print(' const');
        break;
      case BtfKind.Restrict:
        st.print(' restrict');
        break;
      case BtfKind.TypeTag:
        emitMods(st, decls);
        st.print(` __attribute__((btf_type_tag("${t.name}")))`);
        break;
      case BtfKind.Array: {
        dropMods(st, decls);
        if (decls.cnt === 0) {
          emitName(st, fname, lastWasPtr);
          st.print(`[${t.nelems}]`);
          return;
        }
        const multidim = btf.kind(decls.ids[decls.cnt - 1]!) === BtfKind.Array;
        if (fname !== '' && !lastWasPtr) st.print(' ');
        // `int a[2][3]` needs no parentheses, `int (*p)[3]` does
        if (!multidim) st.print('(');
        emitTypeChain(st, decls, fname, lvl);
        if (!multidim) st.print(')');
        st.print(`[${t.nelems}]`);
        return;
      }
      case BtfKind.FuncProto: {
        dropMods(st, decls);
        if (decls.cnt) {
          st.print(' (');
          emitTypeChain(st, decls, fname, lvl);
          st.print(')');
        } else {
          emitName(st, fname, lastWasPtr);
        }
        st.print('(');
        const params = t.params;
        const n = params.length;
        if (n === 0 || (n === 1 && params[0]!.type === 0)) {
          st.print(st.rules.voidForNoArgs ? 'void)' : ')');
          return;
        }
        for (let i = 0; i < n; i++) {
          if (i > 0) st.print(', ');
          const p = params[i]!;
          // a trailing void parameter marks varargs
          if (i === n - 1 && p.type === 0) {
            st.print('...');
            break;
          }
          emitTypeDecl(st, p.type, p.name, lvl);
        }
        st.print(')');
        return;
      }
      default:
        // FUNC, VAR, DATASEC, DECL_TAG have no C spelling here; libbpf warns and stops
        return;
    }
    lastWasPtr = t.kind === BtfKind.Ptr;
  }
  emitName(st, fname, lastWasPtr);
}

/** `struct X` / `union X` for a FWD (kflag says union); the space stays even when anonymous. */
export function emitFwdDef(st: DumpState, id: TypeId, t: FwdType): void {
  st.print((t.isUnion ? 'union ' : 'struct ') + tagName(st, id, t));
}

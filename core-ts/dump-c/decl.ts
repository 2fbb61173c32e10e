import { Kind } from './kind.ts';
import type { TypeId } from '../btf/types.ts';
import { emitStructDef, emitStructFwd } from './composite.ts';
import { emitEnumDef, emitEnumFwd } from './enum.ts';
import { identSuffix, printName, printRawName, printTagName } from './names.ts';
import type { DumpState } from './state.ts';
import { MAX_CHAIN_DEPTH, MAX_DECL_NESTING, declTooDeep, nestedTooDeep } from './faults.ts';

/**
 * Print a declaration of the name at string position `namePos` (with `___N` suffix
 * `suffix`, 0 for none) with type `id` — a member, a parameter, a typedef's target — in C
 * syntax. The BTF chain runs from the outside in (typedef → array → ptr → const → int), C
 * reads inside out, so the chain is stacked down to its terminal type and printed back
 * from there.
 */
export function emitTypeDecl(st: DumpState, id: TypeId, namePos: number, suffix: number, lvl: number): void {
  const tb = st.tb;
  if (st.declNest >= MAX_DECL_NESTING) throw nestedTooDeep(id);
  st.declNest++;
  const base = st.declTop;
  for (;;) {
    st.pushDecl(id);
    if (id === 0) break;
    if (st.declTop - base > MAX_CHAIN_DEPTH) {
      throw declTooDeep(id);
    }
    if (!tb.valid(id)) throw tb.outOfRange(id);
    const kind = tb.kind(id);
    if (
      kind === Kind.Ptr ||
      kind === Kind.Volatile ||
      kind === Kind.Const ||
      kind === Kind.Restrict ||
      kind === Kind.FuncProto ||
      kind === Kind.TypeTag
    ) {
      id = tb.sizeOrType(id);
      continue;
    }
    if (kind === Kind.Array) {
      id = tb.words[tb.extra(id)]!;
      continue;
    }
    // terminal types, and kinds that have no place in a declaration (libbpf warns
    // "unexpected type in decl chain" and prints what it can)
    break;
  }
  // the chain being printed is st.declIds[declBase, declBase + declCnt); a nested
  // declaration (a member of an inline struct, a parameter) stacks its own above it
  const outerBase = st.declBase;
  const outerCnt = st.declCnt;
  st.declBase = base;
  st.declCnt = st.declTop - base;
  emitTypeChain(st, namePos, suffix, lvl);
  st.declBase = outerBase;
  st.declCnt = outerCnt;
  st.declTop = base;
  st.declNest--;
}

function isMod(kind: number): boolean {
  return kind === Kind.Volatile || kind === Kind.Const || kind === Kind.Restrict || kind === Kind.TypeTag;
}

/** Qualifiers sitting right above a terminal type go before it: `const char`. */
function emitMods(st: DumpState): void {
  while (st.declCnt) {
    const kind = st.tb.kind(st.declIds[st.declBase + st.declCnt - 1]!);
    if (kind === Kind.Volatile) st.print('volatile ');
    else if (kind === Kind.Const) st.print('const ');
    else if (kind === Kind.Restrict) st.print('restrict ');
    else return;
    st.declCnt--;
  }
}

/** Drop qualifiers C cannot express where they are (on arrays, GCC's volatile noreturn protos). */
function dropMods(st: DumpState): void {
  while (st.declCnt && isMod(st.tb.kind(st.declIds[st.declBase + st.declCnt - 1]!))) st.declCnt--;
}

function hasName(st: DumpState, namePos: number, suffix: number): boolean {
  return suffix !== 0 || st.tb.strs[namePos] !== 0;
}

function emitName(st: DumpState, namePos: number, suffix: number, lastWasPtr: boolean): void {
  if (!lastWasPtr && hasName(st, namePos, suffix)) st.out.byte(0x20);
  printName(st, namePos, suffix);
}

function emitTypeChain(st: DumpState, namePos: number, suffix: number, lvl: number): void {
  const tb = st.tb;
  // true at the start so that a lone `*` (from a function-pointer frame) hugs its name
  let lastWasPtr = true;
  while (st.declCnt) {
    // (re-read: a nested declaration may have grown the stack)
    const id = st.declIds[st.declBase + --st.declCnt]!;
    if (id === 0) {
      emitMods(st);
      st.print('void');
      lastWasPtr = false;
      continue;
    }
    const kind = tb.kind(id);
    switch (kind) {
      case Kind.Int:
      case Kind.Float:
        emitMods(st);
        printRawName(st, id);
        break;
      case Kind.Struct:
      case Kind.Union:
        emitMods(st);
        // anonymous ones are defined inline
        if (tb.nameOff(id) === 0) emitStructDef(st, id, lvl);
        else emitStructFwd(st, id);
        break;
      case Kind.Enum:
      case Kind.Enum64:
        emitMods(st);
        if (tb.nameOff(id) === 0) emitEnumDef(st, id, lvl);
        else emitEnumFwd(st, id);
        break;
      case Kind.Fwd:
        emitMods(st);
        emitFwdDef(st, id);
        break;
      case Kind.Typedef: {
        emitMods(st);
        const s = identSuffix(st, id);
        printName(st, tb.namePos(tb.nameOff(id)), s);
        break;
      }
      case Kind.Ptr:
        st.print(lastWasPtr ? '*' : ' *');
        break;
      case Kind.Volatile:
        st.print(' volatile');
        break;
      case Kind.Const:
        st.print(' const');
        break;
      case Kind.Restrict:
        st.print(' restrict');
        break;
      case Kind.TypeTag:
        emitMods(st);
        st.print(' __attribute__((btf_type_tag("');
        printRawName(st, id);
        st.print('")))');
        break;
      case Kind.Array: {
        dropMods(st);
        const nelems = tb.words[tb.extra(id) + 2]!;
        if (st.declCnt === 0) {
          emitName(st, namePos, suffix, lastWasPtr);
          printDim(st, nelems);
          return;
        }
        const multidim = tb.kind(st.declIds[st.declBase + st.declCnt - 1]!) === Kind.Array;
        if (!lastWasPtr && hasName(st, namePos, suffix)) st.out.byte(0x20);
        // `int a[2][3]` needs no parentheses, `int (*p)[3]` does
        if (!multidim) st.out.byte(0x28);
        emitTypeChain(st, namePos, suffix, lvl);
        if (!multidim) st.out.byte(0x29);
        printDim(st, nelems);
        return;
      }
      case Kind.FuncProto: {
        dropMods(st);
        if (st.declCnt) {
          st.print(' (');
          emitTypeChain(st, namePos, suffix, lvl);
          st.out.byte(0x29);
        } else {
          emitName(st, namePos, suffix, lastWasPtr);
        }
        st.out.byte(0x28);
        const w = tb.words;
        const n = tb.vlen(id);
        const p0 = tb.extra(id);
        if (n === 0 || (n === 1 && w[p0 + 1] === 0)) {
          st.print(st.rules.voidForNoArgs ? 'void)' : ')');
          return;
        }
        for (let i = 0, p = p0; i < n; i++, p += 2) {
          if (i > 0) st.print(', ');
          const type = w[p + 1]!;
          // a trailing void parameter marks varargs
          if (i === n - 1 && type === 0) {
            st.print('...');
            break;
          }
          emitTypeDecl(st, type, tb.namePos(w[p]!), 0, lvl);
        }
        st.out.byte(0x29);
        return;
      }
      default:
        // FUNC, VAR, DATASEC, DECL_TAG have no C spelling here; libbpf warns and stops
        return;
    }
    lastWasPtr = kind === Kind.Ptr;
  }
  emitName(st, namePos, suffix, lastWasPtr);
}

function printDim(st: DumpState, nelems: number): void {
  st.out.byte(0x5b);
  st.out.uint(nelems);
  st.out.byte(0x5d);
}

/** `struct X` / `union X` for a FWD (kflag says union); the space stays even when anonymous. */
export function emitFwdDef(st: DumpState, id: TypeId): void {
  st.print(st.tb.kflag(id) ? 'union ' : 'struct ');
  printTagName(st, id);
}

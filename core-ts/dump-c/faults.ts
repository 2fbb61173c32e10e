import { CorelabError } from '../errors.ts';

/**
 * Every way a C dump can stop, numbered for the WebAssembly dumper (wasm/assembly/dump-c.ts
 * uses the same numbers) and worded here once, for both dumpers.
 */
export const enum DumpFault {
  Range = 1,
  Cycle = 2,
  Depth = 3,
  OrderKind = 4,
  RefKind = 5,
  DeclDepth = 6,
  AlignLoop = 7,
  Pad = 8,
  Root = 9,
  Memory = 10,
  Nesting = 11,
}

/** Deepest type chain followed; a deeper one is a reference cycle (see state.ts). */
export const MAX_CHAIN_DEPTH = 2048;

/**
 * Most declarations printed inside one another: anonymous structs/unions defined inline in
 * their parent, function pointers among the parameters of function pointers. Each level is a
 * few frames of recursion, and the TypeScript dumper's stack gives out around 1,300 levels;
 * no compiler output comes near (kernels nest a handful). bpftool has no such limit.
 */
export const MAX_DECL_NESTING = 512;

const at = { section: '.BTF' } as const;

/** A walk reached an id past the end. */
export function outOfRange(count: number, id: number): CorelabError {
  return new CorelabError('not-found', `BTF type id ${id} is out of range (valid: 0..${count - 1})`, at);
}

export function unsatisfiableCycle(id: number): CorelabError {
  return new CorelabError('loop', `unsatisfiable type cycle, id:[${id}]`, at);
}

export type DepthWalk = 'ordering' | 'emission' | 'alignment';
const WALKS: readonly DepthWalk[] = ['ordering', 'emission', 'alignment'];

export function tooDeep(walk: DepthWalk, id: number): CorelabError {
  return new CorelabError('loop', `${walk}: type chain deeper than ${MAX_CHAIN_DEPTH} at id [${id}] (a reference cycle)`, at);
}

export function unorderableKind(id: number, kind: number): CorelabError {
  return new CorelabError('invalid', `type [${id}] of kind ${kind} cannot be ordered for a C header`, at);
}

export function foreignKind(id: number, kind: number): CorelabError {
  return new CorelabError('invalid', `type [${id}] has kind ${kind}, which a C header cannot hold`, at);
}

export function declTooDeep(id: number): CorelabError {
  return new CorelabError('loop', `declaration chain deeper than ${MAX_CHAIN_DEPTH} at id [${id}] (a reference cycle)`, at);
}

export function alignmentLoop(id: number): CorelabError {
  return new CorelabError('loop', `alignment of type [${id}] depends on itself`, at);
}

export function paddingGap(cur: number, next: number): CorelabError {
  return new CorelabError('too-large', `padding gap of ${next - cur} bits (from bit ${cur} to ${next}) in a struct`, at);
}

export function nestedTooDeep(id: number): CorelabError {
  return new CorelabError(
    'too-large',
    `declarations nested deeper than ${MAX_DECL_NESTING} at id [${id}] (anonymous types or function pointers inside one another)`,
    at,
  );
}

/** A root handed to the dumper is not a type id of this BTF. */
export function badRoot(count: number, id: number): CorelabError {
  return new CorelabError('not-found', `type id ${id} is not in this BTF (ids 0..${count - 1})`, at);
}

/**
 * The error for a fault of the WebAssembly dumper. `roots` are the caller's own root values
 * (a Root fault names the one at position `a`, as the caller wrote it).
 */
export function faultError(f: { code: number; id: number; a: number; b: number }, count: number, roots?: readonly number[]): CorelabError {
  switch (f.code) {
    case DumpFault.Range:
      return outOfRange(count, f.id);
    case DumpFault.Cycle:
      return unsatisfiableCycle(f.id);
    case DumpFault.Depth:
      return tooDeep(WALKS[f.a] ?? 'ordering', f.id);
    case DumpFault.OrderKind:
      return unorderableKind(f.id, f.a);
    case DumpFault.RefKind:
      return foreignKind(f.id, f.a);
    case DumpFault.DeclDepth:
      return declTooDeep(f.id);
    case DumpFault.AlignLoop:
      return alignmentLoop(f.id);
    case DumpFault.Pad:
      return paddingGap(f.a, f.b);
    case DumpFault.Nesting:
      return nestedTooDeep(f.id);
    case DumpFault.Root:
      return badRoot(count, roots?.[f.a] ?? f.id);
    default:
      return new CorelabError('too-large', 'the C dumper ran out of WebAssembly memory', at);
  }
}

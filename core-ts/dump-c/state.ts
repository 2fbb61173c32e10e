import type { Btf, TypeId } from '../btf/types.ts';
import { CorelabError } from '../errors.ts';
import { TextSink } from './sink.ts';
import { flavorRules, type DumpFlavor, type FlavorRules } from './flavor.ts';

// Per-type pass states, kept in byte arrays (one entry per type id, void included).
export const NOT_ORDERED = 0;
export const ORDERING = 1;
export const ORDERED = 2;
export const NOT_EMITTED = 0;
export const EMITTING = 1;
export const EMITTED = 2;

/**
 * Deepest type chain we follow. Real BTF chains are short (embedding depth, a few
 * modifiers); only a malformed cycle such as a pointer to itself gets near this, and
 * it becomes a `loop` error instead of a stack overflow.
 */
export const MAX_CHAIN_DEPTH = 2048;

/** Everything the two passes share; one instance per generated header. */
export class DumpState {
  readonly btf: Btf;
  readonly flavor: DumpFlavor;
  readonly rules: FlavorRules;
  /** pointer size in bytes (the width of `long` padding); 8 when the BTF does not tell, as on a 64-bit host */
  readonly ptrSize: number;
  readonly order: Uint8Array;
  readonly emit: Uint8Array;
  readonly fwdEmitted: Uint8Array;
  readonly nameResolved: Uint8Array;
  readonly referenced: Uint8Array;
  /** `NAME___N` names, only for types that got a suffix */
  readonly uniqueNames = new Map<TypeId, string>();
  /** occurrences of struct/union/enum tags */
  readonly tagNames = new Map<string, number>();
  /** occurrences of typedef names and enumerators (one C namespace) */
  readonly identNames = new Map<string, number>();
  /** top-level definitions queued by the ordering pass for the current root */
  queue: TypeId[] = [];
  /** the text produced so far */
  readonly out = new TextSink();
  /** btf__align_of per id, computed once (-1: not yet) */
  readonly aligns: Int32Array;

  constructor(btf: Btf, flavor: DumpFlavor) {
    this.btf = btf;
    this.flavor = flavor;
    this.rules = flavorRules(flavor);
    this.ptrSize = btf.ptrSize > 0 ? btf.ptrSize : 8;
    const n = btf.typeCount;
    this.order = new Uint8Array(n);
    this.emit = new Uint8Array(n);
    this.fwdEmitted = new Uint8Array(n);
    this.nameResolved = new Uint8Array(n);
    this.referenced = new Uint8Array(n);
    this.aligns = new Int32Array(n).fill(-1);
    // void needs no definition
    this.order[0] = ORDERED;
    this.emit[0] = EMITTED;
  }

  print(s: string): void {
    this.out.print(s);
  }

  /** Throw `loop` when a walk gets deeper than any sane type chain. */
  checkDepth(depth: number, id: TypeId, what: string): void {
    if (depth > MAX_CHAIN_DEPTH) {
      throw new CorelabError('loop', `${what}: type chain deeper than ${MAX_CHAIN_DEPTH} at id [${id}] (a reference cycle)`, {
        section: '.BTF',
      });
    }
  }
}

const TABS = '\t\t\t\t\t\t\t\t\t\t\t\t\t';

/** Indent of a nesting level; btf_dump caps it at 13 tabs. */
export function indent(lvl: number): string {
  return lvl >= TABS.length ? TABS : TABS.slice(0, lvl);
}

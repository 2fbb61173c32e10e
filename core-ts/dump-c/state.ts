import type { Btf, TypeId } from '../btf/types.ts';
import { MAX_CHAIN_DEPTH, tooDeep, type DepthWalk } from './faults.ts';
import { TextSink } from '../bytes/sink.ts';
import { flavorRules, type DumpFlavor, type FlavorRules } from './flavor.ts';
import { NameCounts } from './names.ts';
import { typeTable, type TypeTable } from './table.ts';

// Per-type pass states, kept in byte arrays (one entry per type id, void included).
export const NOT_ORDERED = 0;
export const ORDERING = 1;
export const ORDERED = 2;
export const NOT_EMITTED = 0;
export const EMITTING = 1;
export const EMITTED = 2;

/**
 * Deepest type chain we follow (MAX_CHAIN_DEPTH, faults.ts). Real BTF chains are short
 * (embedding depth, a few modifiers); only a malformed cycle such as a pointer to itself gets
 * near it, and it becomes a `loop` error instead of a stack overflow.
 */
export { MAX_CHAIN_DEPTH };

/** Buffer size when the text is streamed out. */
const STREAM_CHUNK = 1 << 17;

/** btf_dump caps indentation at 13 tabs. */
const MAX_INDENT = 13;

/** Everything the two passes share; one instance per generated header. */
export class DumpState {
  readonly btf: Btf;
  /** the types as flat records (what the passes read) */
  readonly tb: TypeTable;
  readonly flavor: DumpFlavor;
  readonly rules: FlavorRules;
  /** pointer size in bytes (the width of `long` padding); 8 when the BTF does not tell, as on a 64-bit host */
  readonly ptrSize: number;
  /** the BTF's own pointer size, as btf__resolve_size uses it */
  readonly btfPtrSize: number;
  readonly order: Uint8Array;
  readonly emit: Uint8Array;
  readonly fwdEmitted: Uint8Array;
  readonly nameResolved: Uint8Array;
  readonly referenced: Uint8Array;
  /** the `___N` a type's name got (0: none) */
  readonly suffix: Uint32Array;
  /** occurrences of struct/union/enum tags (sized by `sizeNames`) */
  tagNames: NameCounts;
  /** occurrences of typedef names and enumerators (one C namespace) */
  identNames: NameCounts;
  /**
   * Top-level definitions queued by the ordering pass; the current root's start at
   * `queueStart`. A type is queued at most once in a whole dump (it is ORDERED after), so
   * one array of typeCount entries holds every root's queue.
   */
  readonly queue: Uint32Array;
  queueLen = 0;
  /** declarator chains being printed, stacked one above the other when they nest */
  declIds = new Uint32Array(1024);
  declTop = 0;
  /** emitTypeDecl calls open inside one another (MAX_DECL_NESTING) */
  declNest = 0;
  /** the chain emitTypeChain is printing: declIds[declBase, declBase + declCnt) */
  declBase = 0;
  declCnt = 0;
  /** the text produced so far */
  readonly out: TextSink;
  /** btf__align_of per id, computed once: 0 not yet, 1 in progress, else alignment + 2 */
  readonly aligns: Int32Array;

  constructor(btf: Btf, flavor: DumpFlavor, write?: (chunk: Uint8Array) => void) {
    this.btf = btf;
    this.tb = typeTable(btf);
    this.flavor = flavor;
    this.rules = flavorRules(flavor);
    this.btfPtrSize = btf.ptrSize;
    this.ptrSize = this.btfPtrSize > 0 ? this.btfPtrSize : 8;
    const n = btf.typeCount;
    this.order = new Uint8Array(n);
    this.emit = new Uint8Array(n);
    this.fwdEmitted = new Uint8Array(n);
    this.nameResolved = new Uint8Array(n);
    this.referenced = new Uint8Array(n);
    this.suffix = new Uint32Array(n);
    this.queue = new Uint32Array(n);
    this.aligns = new Int32Array(n);
    // void has no record to compute it from: btf__align_of says 0
    this.aligns[0] = 2;
    this.tagNames = new NameCounts(this.tb.strs, 0);
    this.identNames = new NameCounts(this.tb.strs, 0);
    // a vmlinux.h is about half the size of its BTF; pages never written cost nothing
    this.out = write
      ? new TextSink(STREAM_CHUNK, write)
      : new TextSink(this.tb.words.length * 4 + this.tb.strs.length + (1 << 16));
    // void needs no definition
    this.order[0] = ORDERED;
    this.emit[0] = EMITTED;
  }

  /** Size the name tables for this many tags and identifiers (the counts markReferenced finds). */
  sizeNames(tags: number, idents: number): void {
    this.tagNames = new NameCounts(this.tb.strs, tags);
    this.identNames = new NameCounts(this.tb.strs, idents);
  }

  /** Push a declarator id (see emitTypeDecl). */
  pushDecl(id: TypeId): void {
    if (this.declTop === this.declIds.length) {
      const grown = new Uint32Array(this.declIds.length * 2);
      grown.set(this.declIds);
      this.declIds = grown;
    }
    this.declIds[this.declTop++] = id;
  }

  print(s: string): void {
    this.out.print(s);
  }

  /** A newline and the indent of nesting level `lvl`. */
  newline(lvl: number): void {
    this.out.byte(10);
    this.out.tabs(lvl < MAX_INDENT ? lvl : MAX_INDENT);
  }

  /** Throw `loop` when a walk gets deeper than any sane type chain. */
  checkDepth(depth: number, id: TypeId, what: DepthWalk): void {
    if (depth > MAX_CHAIN_DEPTH) throw tooDeep(what, id);
  }
}

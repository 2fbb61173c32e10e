// `format c` (vmlinux.h) in WebAssembly: the twin of core-ts/dump-c/, pass for pass.
//
// The host copies the flat type table of core-ts/dump-c/table.ts (host-order record words, the
// record index per id, the string area) into memory it gets from alloc(), calls prepare(), then
// dumpAll() or dumpRoots(). Text goes out through the imported `flush` in chunks of OUT_CAP
// bytes. AssemblyScript has no exceptions, so a failure sets `errCode` (+ errId, errA, errB)
// and every caller returns at once: nothing is printed after the point where the TS twin throws.
// The host words the error (core-ts/dump-c/faults.ts), so both paths give the same message.

@external("env", "flush")
declare function hostFlush(ptr: usize, len: u32): void;

// ---- faults (numbers shared with core-ts/dump-c/faults.ts) ----
const F_RANGE: i32 = 1; // a type id past the end (errId)
const F_CYCLE: i32 = 2; // unsatisfiable cycle at errId
const F_DEPTH: i32 = 3; // chain deeper than MAX_CHAIN_DEPTH at errId; errA: 0 ordering, 1 emission, 2 alignment
const F_ORDER_KIND: i32 = 4; // errId has kind errA, which cannot be ordered
const F_REF_KIND: i32 = 5; // errId has kind errA, which a header cannot hold
const F_DECL_DEPTH: i32 = 6; // declarator chain too deep at errId
const F_ALIGN_LOOP: i32 = 7; // alignment of errId depends on itself
const F_PAD: i32 = 8; // padding gap from bit errA to bit errB
const F_ROOT: i32 = 9; // root number errA is not a type id
const F_MEMORY: i32 = 10; // linear memory could not grow
const F_NESTING: i32 = 11; // declarations nested deeper than MAX_DECL_NESTING at errId

export let errCode: i32 = 0;
export let errId: u32 = 0;
export let errA: f64 = 0;
export let errB: f64 = 0;

function fail(code: i32, id: u32, a: f64, b: f64): void {
  // the first fault is the one the TS twin throws
  if (errCode != 0) return;
  errCode = code;
  errId = id;
  errA = a;
  errB = b;
}

// ---- memory: a bump allocator, reset per dump ----
let top: usize = 0;
// Memory past this was never written (fresh pages from memory.grow are zero): zeroing it again
// would only fault in pages that a dump may never touch, and page faults dominate a cold run.
let dirtyEnd: usize = 0;

export function reset(): void {
  top = (__heap_base + 15) & ~(<usize>15);
  dirtyEnd = <usize>memory.size() << 16;
  errCode = 0;
  errId = 0;
  errA = 0;
  errB = 0;
}

/** `bytes` of memory for the host to fill (0 if memory cannot grow). */
export function alloc(bytes: u32): usize {
  const p = top;
  const end: u64 = (<u64>p + <u64>bytes + 15) & ~(<u64>15);
  const have: u64 = <u64>memory.size() << 16;
  if (end > have) {
    if (end > 0xffff0000) {
      fail(F_MEMORY, 0, 0, 0);
      return 0;
    }
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) {
      fail(F_MEMORY, 0, 0, 0);
      return 0;
    }
  }
  top = <usize>end;
  return p;
}

function allocZero(bytes: u32): usize {
  const p = alloc(bytes);
  if (p != 0 && p < dirtyEnd) {
    const end = p + <usize>bytes;
    memory.fill(p, 0, (end < dirtyEnd ? end : dirtyEnd) - p);
  }
  return p;
}

// ---- BTF kinds ----
const K_INT: u32 = 1;
const K_PTR: u32 = 2;
const K_ARRAY: u32 = 3;
const K_STRUCT: u32 = 4;
const K_UNION: u32 = 5;
const K_ENUM: u32 = 6;
const K_FWD: u32 = 7;
const K_TYPEDEF: u32 = 8;
const K_VOLATILE: u32 = 9;
const K_CONST: u32 = 10;
const K_RESTRICT: u32 = 11;
const K_FUNC: u32 = 12;
const K_FUNC_PROTO: u32 = 13;
const K_VAR: u32 = 14;
const K_DATASEC: u32 = 15;
const K_FLOAT: u32 = 16;
const K_DECL_TAG: u32 = 17;
const K_TYPE_TAG: u32 = 18;
const K_ENUM64: u32 = 19;

// ---- the type table (see core-ts/dump-c/table.ts) ----
let W: usize = 0; // record words
let R: usize = 0; // word index of each id's record
let S: usize = 0; // string area
let SL: u32 = 0; // its length
let N: u32 = 0; // type count, void included
let PTR: u32 = 8; // pointer size for alignment and padding
let BTF_PTR: i32 = 8; // the BTF's own pointer size (btf__resolve_size)
let VOID_FOR_NO_ARGS: bool = true;
let ENUM_MODE: bool = false;

@inline function w(i: u32): u32 {
  return load<u32>(W + (<usize>i << 2));
}
@inline function recOf(id: u32): u32 {
  return load<u32>(R + (<usize>id << 2));
}
@inline function kindOf(id: u32): u32 {
  return (w(recOf(id) + 1) >>> 24) & 0x7f;
}
@inline function vlenOf(id: u32): u32 {
  return w(recOf(id) + 1) & 0xffffff;
}
@inline function kflagOf(id: u32): bool {
  return (w(recOf(id) + 1) >>> 31) == 1;
}
@inline function nameOffOf(id: u32): u32 {
  return w(recOf(id));
}
@inline function sizeOrType(id: u32): u32 {
  return w(recOf(id) + 2);
}
@inline function extraOf(id: u32): u32 {
  return recOf(id) + 3;
}
@inline function namePos(off: u32): u32 {
  return off < SL ? off : 0;
}
/** A string byte, or -1 past the end of the area (the TS twin reads `undefined` there). */
@inline function sb(p: u64): i32 {
  return p < <u64>SL ? <i32>load<u8>(S + <usize>p) : -1;
}

// ---- per-type pass states ----
const NOT_ORDERED: u8 = 0;
const ORDERING: u8 = 1;
const ORDERED: u8 = 2;
const NOT_EMITTED: u8 = 0;
const EMITTING: u8 = 1;
const EMITTED: u8 = 2;
const MAX_CHAIN_DEPTH: i32 = 2048;
const WEAK: i32 = 0;
const STRONG: i32 = 1;

// One byte of flags per id (every page of a per-id array is a page fault on a cold run):
// bits 0-1 ordering state, 2-3 emission state, 4 forward-declared, 5 name resolved, 6 referenced.
let FL: usize = 0;
const FWD_BIT: u8 = 16;
const NRES_BIT: u8 = 32;
const REF_BIT: u8 = 64;
let SUF: usize = 0; // u32 per id
let Q: usize = 0; // u32 per id
let QLEN: u32 = 0;
let AL: usize = 0; // u8 per id: 0 not yet, 1 in progress, else alignment + 2 (alignments are <= 8)

let DECL: usize = 0; // u32 stack of declarator ids
let DECL_CAP: u32 = 0;
let DECL_TOP: u32 = 0;
let DECL_BASE: u32 = 0;
let DECL_CNT: u32 = 0;
let DECL_NEST: u32 = 0; // emitTypeDecl calls open inside one another
const MAX_DECL_NESTING: u32 = 512;

@inline function ld8(base: usize, id: u32): u8 {
  return load<u8>(base + <usize>id);
}
@inline function st8(base: usize, id: u32, v: u8): void {
  store<u8>(base + <usize>id, v);
}
@inline function ordOf(id: u32): u8 {
  return ld8(FL, id) & 3;
}
@inline function setOrd(id: u32, v: u8): void {
  st8(FL, id, (ld8(FL, id) & ~(<u8>3)) | v);
}
@inline function emsOf(id: u32): u8 {
  return (ld8(FL, id) >> 2) & 3;
}
@inline function setEms(id: u32, v: u8): void {
  st8(FL, id, (ld8(FL, id) & ~(<u8>12)) | (v << 2));
}
@inline function hasFlag(id: u32, bit: u8): bool {
  return (ld8(FL, id) & bit) != 0;
}
@inline function setFlag(id: u32, bit: u8): void {
  st8(FL, id, ld8(FL, id) | bit);
}
@inline function ld32(base: usize, i: u32): u32 {
  return load<u32>(base + (<usize>i << 2));
}
@inline function st32(base: usize, i: u32, v: u32): void {
  store<u32>(base + (<usize>i << 2), v);
}

function pushDecl(id: u32): bool {
  if (DECL_TOP == DECL_CAP) {
    const cap = DECL_CAP * 2;
    const grown = alloc(cap << 2);
    if (grown == 0) return false;
    memory.copy(grown, DECL, <usize>DECL_CAP << 2);
    DECL = grown;
    DECL_CAP = cap;
  }
  st32(DECL, DECL_TOP++, id);
  return true;
}
@inline function declAt(i: u32): u32 {
  return ld32(DECL, i);
}

// ---- output ----
const OUT_CAP: u32 = 1 << 17;
let OB: usize = 0;
let OL: u32 = 0;

function flushOut(): void {
  if (OL > 0) {
    hostFlush(OB, OL);
    OL = 0;
  }
}
@inline function outByte(c: u32): void {
  if (OL >= OUT_CAP) flushOut();
  store<u8>(OB + <usize>OL, <u8>c);
  OL++;
}
/** Room for `n` more bytes in the chunk (n <= OUT_CAP). */
@inline function room(n: u32): void {
  if (OL + n > OUT_CAP) flushOut();
}
/** An ASCII literal (read from AssemblyScript's UTF-16 static data: no call per character). */
function print(s: string): void {
  const n = <u32>s.length;
  room(n);
  const src = changetype<usize>(s);
  const dst = OB + <usize>OL;
  for (let i: usize = 0; i < <usize>n; i++) store<u8>(dst + i, <u8>load<u16>(src + (i << 1)));
  OL += n;
}
function tabs(n: u32): void {
  room(n);
  memory.fill(OB + <usize>OL, 9, n);
  OL += n;
}
function newline(lvl: u32): void {
  outByte(10);
  tabs(lvl < 13 ? lvl : 13);
}
/** The NUL-terminated name at `pos`, at most `max` bytes; returns the bytes written. */
function cstr(pos: u32, max: u32): u32 {
  let lim: u64 = <u64>pos + <u64>max;
  if (lim > <u64>SL) lim = <u64>SL;
  const end = <usize>lim;
  const start = S + <usize>pos;
  let p = start;
  const stop = S + end;
  while (p < stop && load<u8>(p) != 0) p++;
  const n = <u32>(p - start);
  // names longer than a chunk (only in crafted BTF) go out in pieces
  let done: u32 = 0;
  while (done < n) {
    if (OL == OUT_CAP) flushOut();
    let k = n - done;
    if (k > OUT_CAP - OL) k = OUT_CAP - OL;
    memory.copy(OB + <usize>OL, start + <usize>done, k);
    OL += k;
    done += k;
  }
  return n;
}
const DIGITS: usize = memory.data(24);
function u64dec(v: u64): void {
  let n = 0;
  do {
    store<u8>(DIGITS + <usize>n, <u8>(48 + <u32>(v % 10)));
    n++;
    v /= 10;
  } while (v > 0);
  while (n > 0) outByte(load<u8>(DIGITS + <usize>--n));
}
@inline function uint(v: u32): void {
  u64dec(<u64>v);
}
function i64dec(v: i64): void {
  if (v < 0) {
    outByte(0x2d);
    u64dec(<u64>0 - <u64>v);
  } else u64dec(<u64>v);
}

// ---- names: occurrence counts per C namespace (core-ts/dump-c/names.ts) ----
const MAX_NAME_LEN: u32 = 255;
// A table: [keys ptr, extra-counts ptr, capacity, used]. keys[i] is the string position + 1 of
// slot i's name (0: empty); extra[i] its occurrences beyond the first. Most names occur once, so
// the extra array stays mostly untouched, and untouched fresh pages cost nothing.
const TAGS: usize = memory.data(16);
const IDENTS: usize = memory.data(16);

function namesInit(t: usize, expected: u32): bool {
  let cap: u64 = 64;
  while (cap < 2 * <u64>expected) cap *= 2;
  if (cap > 0x10000000) {
    fail(F_MEMORY, 0, 0, 0);
    return false;
  }
  const keys = allocZero(<u32>cap << 2);
  const extra = allocZero(<u32>cap << 2);
  if (keys == 0 || extra == 0) return false;
  store<u32>(t, <u32>keys);
  store<u32>(t, <u32>extra, 4);
  store<u32>(t, <u32>cap, 8);
  store<u32>(t, 0, 12);
  return true;
}

@inline function hashAt(pos: u32): u32 {
  let h: u32 = 0x811c9dc5;
  const end = S + <usize>SL;
  for (let p = S + <usize>pos; p < end; p++) {
    const c = <u32>load<u8>(p);
    if (c == 0) break;
    h = (h ^ c) * 0x01000193;
  }
  return h;
}

function sameName(a: u32, b: u32): bool {
  let x: u64 = a;
  let y: u64 = b;
  for (;;) {
    const cx = sb(x++);
    if (cx != sb(y++)) return false;
    if (cx <= 0) return true;
  }
  return false; // not reached: the loop returns
}

/** Double a table's capacity, reinserting every name. */
function namesGrow(t: usize): bool {
  const keys = <usize>load<u32>(t);
  const extra = <usize>load<u32>(t, 4);
  const cap = load<u32>(t, 8);
  const ncap = cap * 2;
  const nkeys = allocZero(ncap << 2);
  const nextra = allocZero(ncap << 2);
  if (nkeys == 0 || nextra == 0) return false;
  const mask = ncap - 1;
  for (let j: u32 = 0; j < cap; j++) {
    const k = load<u32>(keys + (<usize>j << 2));
    if (k == 0) continue;
    let i = hashAt(k - 1) & mask;
    while (load<u32>(nkeys + (<usize>i << 2)) != 0) i = (i + 1) & mask;
    store<u32>(nkeys + (<usize>i << 2), k);
    const e = load<u32>(extra + (<usize>j << 2));
    if (e != 0) store<u32>(nextra + (<usize>i << 2), e);
  }
  store<u32>(t, <u32>nkeys);
  store<u32>(t, <u32>nextra, 4);
  store<u32>(t, ncap, 8);
  return true;
}

/** One more occurrence of the name at `pos` in table `t`; its count (0 when memory ran out). */
function namesAdd(t: usize, pos: u32): u32 {
  const used = load<u32>(t, 12);
  if ((used + 1) * 2 > load<u32>(t, 8) && !namesGrow(t)) return 0;
  const keys = <usize>load<u32>(t);
  const mask = load<u32>(t, 8) - 1;
  let i = hashAt(pos) & mask;
  for (;;) {
    const at = keys + (<usize>i << 2);
    const k = load<u32>(at);
    if (k == 0) {
      store<u32>(at, pos + 1);
      store<u32>(t, used + 1, 12);
      return 1;
    }
    if (k - 1 == pos || sameName(k - 1, pos)) {
      const e = <usize>load<u32>(t, 4) + (<usize>i << 2);
      const c = load<u32>(e) + 1;
      store<u32>(e, c);
      return c + 1;
    }
    i = (i + 1) & mask;
  }
  return 0; // not reached: the table always has a free slot
}

/** Whether the name at `pos` is exactly the ASCII `lit`. */
function nameIs(pos: u32, lit: string): bool {
  const n = lit.length;
  for (let i = 0; i < n; i++) if (sb(<u64>pos + <u64>i) != lit.charCodeAt(i)) return false;
  return sb(<u64>pos + <u64>n) == 0;
}

function resolveSuffix(id: u32, t: usize): u32 {
  const off = nameOffOf(id);
  if (off == 0) return 0;
  if (hasFlag(id, NRES_BIT)) return ld32(SUF, id);
  setFlag(id, NRES_BIT);
  const kind = kindOf(id);
  if (kind == K_FWD || (kind == K_ENUM && vlenOf(id) == 0)) return 0;
  const dups = namesAdd(t, namePos(off));
  if (dups > 1) {
    st32(SUF, id, dups);
    return dups;
  }
  return 0;
}

const SUFFIX_TEXT: usize = memory.data(16);

function printName(pos: u32, suffix: u32): void {
  if (suffix == 0) {
    cstr(pos, 0x7fffffff);
    return;
  }
  const n = cstr(pos, MAX_NAME_LEN);
  if (n + 13 <= MAX_NAME_LEN) {
    print('___');
    uint(suffix);
    return;
  }
  // cut "___N" where btf_dump's 256-byte buffer ends
  let len: u32 = 3;
  store<u8>(SUFFIX_TEXT, 0x5f);
  store<u8>(SUFFIX_TEXT, 0x5f, 1);
  store<u8>(SUFFIX_TEXT, 0x5f, 2);
  let digits: u32 = 1;
  for (let x = suffix; x >= 10; x /= 10) digits++;
  let x = suffix;
  for (let k: u32 = 0; k < digits; k++) {
    store<u8>(SUFFIX_TEXT + <usize>(3 + digits - 1 - k), <u8>(48 + x % 10));
    x /= 10;
  }
  len += digits;
  if (n < MAX_NAME_LEN) {
    const room = MAX_NAME_LEN - n;
    const m = room < len ? room : len;
    for (let k: u32 = 0; k < m; k++) outByte(load<u8>(SUFFIX_TEXT + <usize>k));
  }
}

function printTagName(id: u32): void {
  const suffix = resolveSuffix(id, TAGS);
  printName(namePos(nameOffOf(id)), suffix);
}
@inline function identSuffix(id: u32): u32 {
  return resolveSuffix(id, IDENTS);
}
@inline function tagSuffix(id: u32): u32 {
  return resolveSuffix(id, TAGS);
}
function printRawName(id: u32): void {
  cstr(namePos(nameOffOf(id)), 0x7fffffff);
}

// ---- set-up (core-ts/dump-c/state.ts, referenced.ts) ----
export function prepare(words: usize, rec: usize, strs: usize, strsLen: u32, count: u32, ptrSize: u32, btfPtrSize: i32, flags: u32): i32 {
  W = words;
  R = rec;
  S = strs;
  SL = strsLen;
  N = count;
  PTR = ptrSize;
  BTF_PTR = btfPtrSize;
  VOID_FOR_NO_ARGS = (flags & 1) != 0;
  ENUM_MODE = (flags & 2) != 0;
  // flag 4: `rec` holds byte offsets (the type scan's, so the host need not convert them)
  if ((flags & 4) != 0) {
    for (let i: u32 = 0; i < count; i++) st32(R, i, ld32(R, i) >>> 2);
  }
  FL = allocZero(count);
  SUF = allocZero(count << 2);
  Q = allocZero(count << 2);
  AL = allocZero(count);
  DECL_CAP = 1024;
  DECL = alloc(DECL_CAP << 2);
  OB = alloc(OUT_CAP);
  if (errCode != 0) return errCode;
  QLEN = 0;
  DECL_TOP = 0;
  DECL_BASE = 0;
  DECL_CNT = 0;
  OL = 0;
  if (count > 0) {
    store<u8>(AL, 2);
    setOrd(0, ORDERED);
    setEms(0, EMITTED);
  }
  let tags: u32 = 0;
  let idents: u32 = 0;
  for (let id: u32 = 1; id < N; id++) {
    const r = recOf(id);
    const info = w(r + 1);
    const x = r + 3;
    const kind = (info >>> 24) & 0x7f;
    switch (kind) {
      case K_ENUM:
      case K_ENUM64:
        tags++;
        idents += info & 0xffffff;
        break;
      case K_INT:
        tags++;
        break;
      case K_FWD:
      case K_FLOAT:
        break;
      case K_TYPEDEF:
        idents++;
        markRef(w(r + 2));
        break;
      case K_PTR:
      case K_VOLATILE:
      case K_CONST:
      case K_RESTRICT:
      case K_TYPE_TAG:
      case K_FUNC:
      case K_VAR:
      case K_DECL_TAG:
        markRef(w(r + 2));
        break;
      case K_ARRAY:
        markRef(w(x + 1));
        markRef(w(x));
        break;
      case K_STRUCT:
      case K_UNION:
      case K_DATASEC: {
        if (kind != K_DATASEC) tags++;
        const n = info & 0xffffff;
        let m = x + (kind == K_DATASEC ? 0 : 1);
        for (let k: u32 = 0; k < n; k++, m += 3) markRef(w(m));
        break;
      }
      case K_FUNC_PROTO: {
        const n = info & 0xffffff;
        let p = x + 1;
        for (let k: u32 = 0; k < n; k++, p += 2) markRef(w(p));
        break;
      }
      default:
        fail(F_REF_KIND, id, <f64>kind, 0);
        return errCode;
    }
  }
  if (!namesInit(TAGS, tags) || !namesInit(IDENTS, idents)) return errCode;
  return 0;
}

@inline function markRef(t: u32): void {
  if (t < N) setFlag(t, REF_BIT);
}

// ---- pass 1: ordering (core-ts/dump-c/order.ts) ----
function queuePush(id: u32): void {
  if (QLEN < N) st32(Q, QLEN++, id);
}

function orderType(id: u32, throughPtr: bool, depth: i32): i32 {
  if (id >= N) {
    fail(F_RANGE, id, 0, 0);
    return WEAK;
  }
  const state = ordOf(id);
  if (state == ORDERED) return STRONG;
  const kind = kindOf(id);
  if (state == ORDERING) {
    if ((kind == K_STRUCT || kind == K_UNION) && throughPtr && nameOffOf(id) != 0) return WEAK;
    fail(F_CYCLE, id, 0, 0);
    return WEAK;
  }
  if (depth > MAX_CHAIN_DEPTH) {
    fail(F_DEPTH, id, 0, 0);
    return WEAK;
  }
  const d = depth + 1;
  switch (kind) {
    case K_INT:
    case K_FLOAT:
      setOrd(id, ORDERED);
      return WEAK;
    case K_PTR: {
      const r = orderType(sizeOrType(id), true, d);
      if (errCode != 0) return WEAK;
      setOrd(id, ORDERED);
      return r;
    }
    case K_ARRAY:
      return orderType(w(extraOf(id)), false, d);
    case K_STRUCT:
    case K_UNION: {
      const named = nameOffOf(id) != 0;
      if (throughPtr && named) return WEAK;
      setOrd(id, ORDERING);
      const n = vlenOf(id);
      let m = extraOf(id);
      for (let k: u32 = 0; k < n; k++, m += 3) {
        orderType(w(m + 1), false, d);
        if (errCode != 0) return WEAK;
      }
      if (named) queuePush(id);
      setOrd(id, ORDERED);
      return STRONG;
    }
    case K_ENUM:
    case K_ENUM64:
    case K_FWD:
      if (nameOffOf(id) != 0 || !hasFlag(id, REF_BIT)) queuePush(id);
      setOrd(id, ORDERED);
      return STRONG;
    case K_TYPEDEF: {
      const r = orderType(sizeOrType(id), throughPtr, d);
      if (errCode != 0) return WEAK;
      if (throughPtr && r == WEAK) return WEAK;
      queuePush(id);
      setOrd(id, ORDERED);
      return STRONG;
    }
    case K_VOLATILE:
    case K_CONST:
    case K_RESTRICT:
    case K_TYPE_TAG:
      return orderType(sizeOrType(id), throughPtr, d);
    case K_FUNC_PROTO: {
      let r = orderType(sizeOrType(id), throughPtr, d);
      if (errCode != 0) return WEAK;
      const n = vlenOf(id);
      let p = extraOf(id);
      for (let k: u32 = 0; k < n; k++, p += 2) {
        if (orderType(w(p + 1), throughPtr, d) == STRONG) r = STRONG;
        if (errCode != 0) return WEAK;
      }
      return r;
    }
    case K_FUNC:
    case K_VAR:
    case K_DATASEC:
    case K_DECL_TAG:
      setOrd(id, ORDERED);
      return WEAK;
    default:
      fail(F_ORDER_KIND, id, <f64>kind, 0);
      return WEAK;
  }
}

// ---- layout (core-ts/dump-c/layout.ts) ----
function alignOf(id: u32, depth: i32): i32 {
  if (id >= N) return 0;
  const cached = <i32>load<u8>(AL + <usize>id);
  if (cached > 1) return cached - 2;
  if (cached != 0) {
    fail(F_ALIGN_LOOP, id, 0, 0);
    return 0;
  }
  if (depth > MAX_CHAIN_DEPTH) {
    fail(F_DEPTH, id, 2, 0);
    return 0;
  }
  store<u8>(AL + <usize>id, 1);
  const a = computeAlign(id, depth + 1);
  if (errCode != 0) return 0;
  store<u8>(AL + <usize>id, <u8>(a + 2));
  return a;
}

function computeAlign(id: u32, depth: i32): i32 {
  switch (kindOf(id)) {
    case K_INT:
    case K_ENUM:
    case K_ENUM64:
    case K_FLOAT: {
      const size = sizeOrType(id);
      return <i32>(PTR < size ? PTR : size);
    }
    case K_PTR:
      return <i32>PTR;
    case K_TYPEDEF:
    case K_VOLATILE:
    case K_CONST:
    case K_RESTRICT:
    case K_TYPE_TAG:
      return alignOf(sizeOrType(id), depth);
    case K_ARRAY:
      return alignOf(w(extraOf(id)), depth);
    case K_STRUCT:
    case K_UNION: {
      const kflag = kflagOf(id);
      const n = vlenOf(id);
      let max: i32 = 1;
      let m = extraOf(id);
      for (let k: u32 = 0; k < n; k++, m += 3) {
        const a = alignOf(w(m + 1), depth);
        if (errCode != 0) return 0;
        if (a <= 0) return a;
        if (a > max) max = a;
        const off = w(m + 2);
        if (kflag && (off >>> 24) != 0) continue;
        if (<u64>(kflag ? off & 0xffffff : off) % (8 * <u64>a) != 0) return 1;
      }
      return sizeOrType(id) % <u32>max != 0 ? 1 : max;
    }
    default:
      return 0;
  }
}

const U32_MAX: u64 = 0xffffffff;

/** btf__resolve_size clamped at 0 (libbpf's MAX_RESOLVE_DEPTH steps). */
function sizeOf(typeId: u32): u64 {
  let id = typeId;
  let nelems: u64 = 1;
  let size: i64 = -1;
  for (let i = 0; i < 32; i++) {
    if (id == 0 || id >= N) break;
    const kind = kindOf(id);
    if (kind == 0 || kind == K_FWD) break;
    let follow = false;
    switch (kind) {
      case K_INT:
      case K_STRUCT:
      case K_UNION:
      case K_ENUM:
      case K_ENUM64:
      case K_DATASEC:
      case K_FLOAT:
        size = <i64>sizeOrType(id);
        break;
      case K_PTR:
        size = <i64>BTF_PTR;
        break;
      case K_TYPEDEF:
      case K_VOLATILE:
      case K_CONST:
      case K_RESTRICT:
      case K_VAR:
      case K_DECL_TAG:
      case K_TYPE_TAG:
        id = sizeOrType(id);
        follow = true;
        break;
      case K_ARRAY: {
        const x = extraOf(id);
        const ne = <u64>w(x + 2);
        if (nelems != 0 && ne > U32_MAX / nelems) return 0;
        nelems *= ne;
        id = w(x);
        follow = true;
        break;
      }
      default:
        return 0;
    }
    if (!follow) break;
  }
  if (size < 0) return 0;
  if (nelems != 0 && <u64>size > U32_MAX / nelems) return 0;
  return nelems * <u64>size;
}

function isStructPacked(id: u32): bool {
  const kflag = kflagOf(id);
  const n = vlenOf(id);
  let maxAlign: i32 = 1;
  let m = extraOf(id);
  for (let k: u32 = 0; k < n; k++, m += 3) {
    const align = alignOf(w(m + 1), 0);
    if (errCode != 0) return false;
    const off = w(m + 2);
    const bitfield = kflag && (off >>> 24) != 0;
    if (align != 0 && !bitfield && <u64>(kflag ? off & 0xffffff : off) % (8 * <u64>align) != 0) return true;
    if (align > maxAlign) maxAlign = align;
  }
  return sizeOrType(id) % <u32>maxAlign != 0;
}

const MAX_PAD_MARKERS: f64 = <f64>(1 << 20);

@inline function roundUp(x: i64, to: i64): i64 {
  return ((x + to - 1) / to) * to;
}
@inline function padWidth(i: i32): i64 {
  return i == 0 ? <i64>PTR * 8 : <i64>(32 >> (i - 1));
}

function padLine(lvl: u32, i: i32, bits: i64): void {
  newline(lvl);
  if (i == 0) print('long');
  else if (i == 1) print('int');
  else if (i == 2) print('short');
  else print('char');
  print(': ');
  u64dec(<u64>bits);
  outByte(0x3b);
}

function emitBitPadding(cur: i64, next: i64, nextAlign: i32, inBitfield: bool, lvl: u32): void {
  if (cur >= next) return;
  let pad: i32 = 0;
  let padBits: i64 = 0;
  let newOff: i64 = 0;
  for (let i = 0; i < 4; i++) {
    pad = i;
    padBits = padWidth(i);
    newOff = roundUp(cur, padBits);
    if (newOff <= next) break;
  }
  if (newOff > cur && newOff <= next) {
    // an alignment of 0 (no natural alignment) never matches, as NaN does not in the twin
    const alignTo = <i64>nextAlign * 8;
    const compilerGetsThere = alignTo > 0 && roundUp(cur, alignTo) == newOff;
    if (inBitfield || (newOff == next && !compilerGetsThere) || (newOff != next && next - newOff <= newOff - cur)) {
      padLine(lvl, pad, inBitfield ? newOff - cur : 0);
    }
    cur = newOff;
  }
  if (<f64>(next - cur) / <f64>padBits > MAX_PAD_MARKERS) {
    fail(F_PAD, 0, <f64>cur, <f64>next);
    return;
  }
  while (cur != next) {
    const left = next - cur;
    const bits = left < padBits ? left : padBits;
    if (bits == padBits) {
      padLine(lvl, pad, padBits);
      cur += bits;
      continue;
    }
    for (let i = 3; i >= 0; i--) {
      const width = padWidth(i);
      pad = i;
      padBits = width;
      if (width < bits) continue;
      padLine(lvl, i, bits);
      cur += bits;
      break;
    }
  }
}

// ---- struct/union, enum, fwd (composite.ts, enum.ts, decl.ts) ----
function emitStructFwd(id: u32): void {
  print(kindOf(id) == K_STRUCT ? 'struct' : 'union');
  if (nameOffOf(id) != 0) {
    outByte(0x20);
    printTagName(id);
  }
}

function emitStructDef(id: u32, lvl: u32): void {
  const isStruct = kindOf(id) == K_STRUCT;
  const align = alignOf(id, 0);
  if (errCode != 0) return;
  const packed = isStruct && isStructPacked(id);
  if (errCode != 0) return;
  emitStructFwd(id);
  print(' {');
  const kflag = kflagOf(id);
  const n = vlenOf(id);
  const size = sizeOrType(id);
  let off: i64 = 0;
  let prevBitfield = false;
  let m = extraOf(id);
  for (let k: u32 = 0; k < n; k++, m += 3) {
    const type = w(m + 1);
    const raw = w(m + 2);
    const bits = kflag ? raw >>> 24 : 0;
    const bitOffset = kflag ? raw & 0xffffff : raw;
    let mAlign: i32 = 1;
    if (!packed) {
      mAlign = alignOf(type, 0);
      if (errCode != 0) return;
    }
    emitBitPadding(off, <i64>bitOffset, mAlign, prevBitfield && bits != 0, lvl + 1);
    if (errCode != 0) return;
    newline(lvl + 1);
    emitTypeDecl(type, namePos(w(m)), 0, lvl + 1);
    if (errCode != 0) return;
    if (bits != 0) {
      print(': ');
      uint(bits);
      off = <i64>bitOffset + <i64>bits;
      prevBitfield = true;
    } else {
      off = <i64>bitOffset + <i64>(sizeOf(type) * 8);
      prevBitfield = false;
    }
    outByte(0x3b);
  }
  if (isStruct) {
    emitBitPadding(off, <i64>size * 8, align, false, lvl + 1);
    if (errCode != 0) return;
  }
  if (n != 0 || size != 0) newline(lvl);
  outByte(0x7d);
  if (packed) print(' __attribute__((packed))');
}

function emitEnumFwd(id: u32): void {
  print('enum ');
  printTagName(id);
}

function emitEnumDef(id: u32, lvl: u32): void {
  if (nameOffOf(id) != 0) emitEnumFwd(id);
  else print('enum');
  const n = vlenOf(id);
  if (n == 0) return;
  print(' {');
  const is64 = kindOf(id) == K_ENUM64;
  const signed = kflagOf(id);
  const step: u32 = is64 ? 3 : 2;
  let e = extraOf(id);
  for (let k: u32 = 0; k < n; k++, e += step) {
    newline(lvl + 1);
    const pos = namePos(w(e));
    const dups = namesAdd(IDENTS, pos);
    printName(pos, 0);
    if (dups > 1) {
      print('___');
      uint(dups);
    }
    print(' = ');
    const lo = w(e + 1);
    if (!is64) {
      if (signed) i64dec(<i64><i32>lo);
      else uint(lo);
    } else {
      const v: u64 = (<u64>w(e + 2) << 32) | <u64>lo;
      if (signed) i64dec(<i64>v);
      else u64dec(v);
      print(signed ? 'LL' : 'ULL');
    }
    outByte(0x2c);
  }
  newline(lvl);
  outByte(0x7d);
  if (ENUM_MODE) emitModeAttribute(id);
}

function emitModeAttribute(id: u32): void {
  const size = sizeOrType(id);
  if (size == 1) {
    print(' __attribute__((mode(byte)))');
  } else if (size == 8 && PTR == 8) {
    let needsWord = true;
    if (kindOf(id) == K_ENUM64) {
      const n = vlenOf(id);
      let e = extraOf(id);
      for (let k: u32 = 0; k < n; k++, e += 3) {
        if (w(e + 2) != 0) needsWord = false;
      }
    }
    if (needsWord) print(' __attribute__((mode(word)))');
  }
}

function emitFwdDef(id: u32): void {
  print(kflagOf(id) ? 'union ' : 'struct ');
  printTagName(id);
}

// ---- declarations (decl.ts) ----
function emitTypeDecl(id0: u32, namePosV: u32, suffix: u32, lvl: u32): void {
  let id = id0;
  if (DECL_NEST >= MAX_DECL_NESTING) {
    fail(F_NESTING, id, 0, 0);
    return;
  }
  DECL_NEST++;
  const base = DECL_TOP;
  // (a `while` with a flag: AssemblyScript 0.28 dropped the code after this loop in its `for (;;)` form)
  let more = true;
  while (more) {
    if (!pushDecl(id)) return;
    if (id == 0) break;
    if (<i32>(DECL_TOP - base) > MAX_CHAIN_DEPTH) {
      fail(F_DECL_DEPTH, id, 0, 0);
      return;
    }
    if (id >= N) {
      fail(F_RANGE, id, 0, 0);
      return;
    }
    const kind = kindOf(id);
    if (kind == K_PTR || kind == K_VOLATILE || kind == K_CONST || kind == K_RESTRICT || kind == K_FUNC_PROTO || kind == K_TYPE_TAG) {
      id = sizeOrType(id);
    } else if (kind == K_ARRAY) {
      id = w(extraOf(id));
    } else {
      more = false;
    }
  }
  const outerBase = DECL_BASE;
  const outerCnt = DECL_CNT;
  DECL_BASE = base;
  DECL_CNT = DECL_TOP - base;
  emitTypeChain(namePosV, suffix, lvl);
  DECL_BASE = outerBase;
  DECL_CNT = outerCnt;
  DECL_TOP = base;
  DECL_NEST--;
}

@inline function isMod(kind: u32): bool {
  return kind == K_VOLATILE || kind == K_CONST || kind == K_RESTRICT || kind == K_TYPE_TAG;
}

function emitMods(): void {
  while (DECL_CNT != 0) {
    const kind = kindOf(declAt(DECL_BASE + DECL_CNT - 1));
    if (kind == K_VOLATILE) print('volatile ');
    else if (kind == K_CONST) print('const ');
    else if (kind == K_RESTRICT) print('restrict ');
    else return;
    DECL_CNT--;
  }
}

function dropMods(): void {
  while (DECL_CNT != 0 && isMod(kindOf(declAt(DECL_BASE + DECL_CNT - 1)))) DECL_CNT--;
}

@inline function hasName(pos: u32, suffix: u32): bool {
  return suffix != 0 || sb(<u64>pos) != 0;
}

function emitName(pos: u32, suffix: u32, lastWasPtr: bool): void {
  if (!lastWasPtr && hasName(pos, suffix)) outByte(0x20);
  printName(pos, suffix);
}

function printDim(nelems: u32): void {
  outByte(0x5b);
  uint(nelems);
  outByte(0x5d);
}

function emitTypeChain(pos: u32, suffix: u32, lvl: u32): void {
  let lastWasPtr = true;
  while (DECL_CNT != 0) {
    const id = declAt(DECL_BASE + --DECL_CNT);
    if (id == 0) {
      emitMods();
      print('void');
      lastWasPtr = false;
      continue;
    }
    const kind = kindOf(id);
    switch (kind) {
      case K_INT:
      case K_FLOAT:
        emitMods();
        printRawName(id);
        break;
      case K_STRUCT:
      case K_UNION:
        emitMods();
        if (nameOffOf(id) == 0) {
          emitStructDef(id, lvl);
          if (errCode != 0) return;
        } else emitStructFwd(id);
        break;
      case K_ENUM:
      case K_ENUM64:
        emitMods();
        if (nameOffOf(id) == 0) emitEnumDef(id, lvl);
        else emitEnumFwd(id);
        break;
      case K_FWD:
        emitMods();
        emitFwdDef(id);
        break;
      case K_TYPEDEF: {
        emitMods();
        const s = identSuffix(id);
        printName(namePos(nameOffOf(id)), s);
        break;
      }
      case K_PTR:
        print(lastWasPtr ? '*' : ' *');
        break;
      case K_VOLATILE:
        print(' volatile');
        break;
      case K_CONST:
        print(' const');
        break;
      case K_RESTRICT:
        print(' restrict');
        break;
      case K_TYPE_TAG:
        emitMods();
        print(' __attribute__((btf_type_tag("');
        printRawName(id);
        print('")))');
        break;
      case K_ARRAY: {
        dropMods();
        const nelems = w(extraOf(id) + 2);
        if (DECL_CNT == 0) {
          emitName(pos, suffix, lastWasPtr);
          printDim(nelems);
          return;
        }
        const multidim = kindOf(declAt(DECL_BASE + DECL_CNT - 1)) == K_ARRAY;
        if (!lastWasPtr && hasName(pos, suffix)) outByte(0x20);
        if (!multidim) outByte(0x28);
        emitTypeChain(pos, suffix, lvl);
        if (errCode != 0) return;
        if (!multidim) outByte(0x29);
        printDim(nelems);
        return;
      }
      case K_FUNC_PROTO: {
        dropMods();
        if (DECL_CNT != 0) {
          print(' (');
          emitTypeChain(pos, suffix, lvl);
          if (errCode != 0) return;
          outByte(0x29);
        } else {
          emitName(pos, suffix, lastWasPtr);
        }
        outByte(0x28);
        const n = vlenOf(id);
        const p0 = extraOf(id);
        if (n == 0 || (n == 1 && w(p0 + 1) == 0)) {
          print(VOID_FOR_NO_ARGS ? 'void)' : ')');
          return;
        }
        let p = p0;
        for (let i: u32 = 0; i < n; i++, p += 2) {
          if (i > 0) print(', ');
          const type = w(p + 1);
          if (i == n - 1 && type == 0) {
            print('...');
            break;
          }
          emitTypeDecl(type, namePos(w(p)), 0, lvl);
          if (errCode != 0) return;
        }
        outByte(0x29);
        return;
      }
      default:
        return;
    }
    lastWasPtr = kind == K_PTR;
  }
  emitName(pos, suffix, lastWasPtr);
}

// ---- pass 2: emission (emit.ts) ----
function polyAlias(pos: u32): string | null {
  if (sb(<u64>pos) != 0x5f || sb(<u64>pos + 1) != 0x5f || sb(<u64>pos + 2) != 0x50) return null;
  if (nameIs(pos, '__Poly8_t')) return 'unsigned char';
  if (nameIs(pos, '__Poly16_t')) return 'unsigned short';
  if (nameIs(pos, '__Poly64_t')) return 'unsigned long long';
  if (nameIs(pos, '__Poly128_t')) return 'unsigned __int128';
  return null;
}

function isBuiltinTypedef(id: u32): bool {
  const off = nameOffOf(id);
  return off != 0 && nameIs(namePos(off), '__builtin_va_list');
}

function emitTypedefDef(id: u32, lvl: u32): void {
  const suffix = identSuffix(id);
  const pos = namePos(nameOffOf(id));
  const target = sizeOrType(id);
  if (target == 0 && suffix == 0 && nameIs(pos, '__gnuc_va_list')) {
    print('typedef __builtin_va_list __gnuc_va_list');
    return;
  }
  print('typedef ');
  emitTypeDecl(target, pos, suffix, lvl);
}

function emitType(id: u32, contId: u32, depth: i32): void {
  if (id >= N) {
    fail(F_RANGE, id, 0, 0);
    return;
  }
  const es = emsOf(id);
  if (es == EMITTED) return;
  const kind = kindOf(id);
  if (es == EMITTING) {
    if (hasFlag(id, FWD_BIT)) return;
    if (kind == K_STRUCT || kind == K_UNION) {
      if (id == contId) return;
      if (nameOffOf(id) == 0) return;
      emitStructFwd(id);
      print(';\n\n');
      setFlag(id, FWD_BIT);
    } else if (kind == K_TYPEDEF) {
      if (!isBuiltinTypedef(id)) {
        emitTypedefDef(id, 0);
        if (errCode != 0) return;
        print(';\n\n');
      }
      setFlag(id, FWD_BIT);
    }
    return;
  }
  if (depth > MAX_CHAIN_DEPTH) {
    fail(F_DEPTH, id, 1, 0);
    return;
  }
  const d = depth + 1;
  const topLevel = contId == 0;
  switch (kind) {
    case K_INT: {
      const suffix = tagSuffix(id);
      const off = nameOffOf(id);
      if (off != 0 && suffix == 0) {
        const alias = polyAlias(namePos(off));
        if (alias !== null) {
          print('typedef ');
          print(alias);
          outByte(0x20);
          printName(namePos(off), 0);
          print(';\n\n');
        }
      }
      setEms(id, EMITTED);
      break;
    }
    case K_ENUM:
    case K_ENUM64:
      if (topLevel) {
        emitEnumDef(id, 0);
        print(';\n\n');
      }
      setEms(id, EMITTED);
      break;
    case K_PTR:
    case K_VOLATILE:
    case K_CONST:
    case K_RESTRICT:
    case K_TYPE_TAG:
      emitType(sizeOrType(id), contId, d);
      break;
    case K_ARRAY:
      emitType(w(extraOf(id)), contId, d);
      break;
    case K_FWD:
      emitFwdDef(id);
      print(';\n\n');
      setEms(id, EMITTED);
      break;
    case K_TYPEDEF:
      setEms(id, EMITTING);
      emitType(sizeOrType(id), id, d);
      if (errCode != 0) return;
      if (!hasFlag(id, FWD_BIT) && !isBuiltinTypedef(id)) {
        emitTypedefDef(id, 0);
        if (errCode != 0) return;
        print(';\n\n');
      }
      setEms(id, EMITTED);
      break;
    case K_STRUCT:
    case K_UNION: {
      setEms(id, EMITTING);
      const named = nameOffOf(id) != 0;
      if (topLevel || !named) {
        const inner = named ? id : contId;
        const n = vlenOf(id);
        let m = extraOf(id);
        for (let k: u32 = 0; k < n; k++, m += 3) {
          emitType(w(m + 1), inner, d);
          if (errCode != 0) return;
        }
      } else if (!hasFlag(id, FWD_BIT) && id != contId) {
        emitStructFwd(id);
        print(';\n\n');
        setFlag(id, FWD_BIT);
      }
      if (topLevel) {
        emitStructDef(id, 0);
        if (errCode != 0) return;
        print(';\n\n');
        setEms(id, EMITTED);
      } else {
        setEms(id, NOT_EMITTED);
      }
      break;
    }
    case K_FUNC_PROTO: {
      emitType(sizeOrType(id), contId, d);
      if (errCode != 0) return;
      const n = vlenOf(id);
      let p = extraOf(id);
      for (let k: u32 = 0; k < n; k++, p += 2) {
        emitType(w(p + 1), contId, d);
        if (errCode != 0) return;
      }
      break;
    }
    default:
      break;
  }
}

/** One root: order it, then print what it queued (CDumper.dumpType). */
function dumpType(id: u32): void {
  const start = QLEN;
  DECL_TOP = 0;
  DECL_NEST = 0;
  orderType(id, false, 0);
  if (errCode != 0) return;
  for (let i = start; i < QLEN; i++) {
    emitType(ld32(Q, i), 0, 0);
    if (errCode != 0) return;
  }
}

/** Every type id from 1 on, as bpftool does. Returns the fault code (0: none). */
export function dumpAll(): i32 {
  for (let id: u32 = 1; id < N; id++) {
    dumpType(id);
    if (errCode != 0) break;
  }
  flushOut();
  return errCode;
}

/** The `n` root ids at `roots` (u32 each; an id past the end is F_ROOT with its position). */
export function dumpRoots(roots: usize, n: u32): i32 {
  for (let i: u32 = 0; i < n; i++) {
    const id = ld32(roots, i);
    if (id >= N) {
      fail(F_ROOT, id, <f64>i, 0);
      break;
    }
    dumpType(id);
    if (errCode != 0) break;
  }
  flushOut();
  return errCode;
}

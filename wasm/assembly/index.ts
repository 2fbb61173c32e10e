// corelab's WebAssembly hot path (AssemblyScript). The host copies bytes into linear memory at
// addresses it chooses above heapStart() and reads results back; nothing here allocates.
// Each export has a TypeScript twin in core-ts/hotpath/twin.ts that must give identical results.
// The C dumper (dump-c.ts, twin: core-ts/dump-c/) is part of the same module.
export { reset, alloc, prepare, dumpAll, dumpRoots, errCode, errId, errA, errB } from './dump-c';

// Set when scanTypes fails: which record and why (the host turns them into a CorelabError).
export let errOffset: u32 = 0;
export let errValue: u32 = 0;
export let errIndex: u32 = 0;

export function heapStart(): usize {
  return __heap_base;
}

@inline function rd32(p: usize, le: bool): u32 {
  const v = load<u32>(p);
  return le ? v : bswap<u32>(v);
}

/** Bytes of a type record of this kind and vlen (struct btf_type is 12); -1 = unknown kind. */
@inline function recordSize(kind: u32, vlen: u32): i32 {
  switch (kind) {
    case 2: case 7: case 8: case 9: case 10: case 11: case 12: case 16: case 18:
      return 12;
    case 1: case 14: case 17:
      return 16;
    case 3:
      return 24;
    case 4: case 5: case 15: case 19:
      return 12 + 12 * <i32>vlen;
    case 6: case 13:
      return 12 + 8 * <i32>vlen;
    default:
      return -1;
  }
}

/**
 * One pass over a BTF type section at [buf+typeStart, buf+typeStart+typeLen): for each record,
 * its offset (relative to buf), info word and name offset go to three u32 arrays at `out`
 * (each `maxTypes` long). Returns the number of types, or
 *  -1 unknown kind (errOffset = record, errValue = kind),
 *  -2 record runs past the section (errOffset = record, errValue = kind),
 *  -3 stray bytes after the last record (errOffset = where they start).
 * vlen is the 24-bit field and kind the 7-bit one (2026 UAPI; old files have zeros there).
 */
export function scanTypes(buf: usize, typeStart: u32, typeLen: u32, le: bool, out: usize, maxTypes: u32): i32 {
  const offs = out;
  const infos = out + (<usize>maxTypes << 2);
  const names = out + (<usize>maxTypes << 3);
  let p: u32 = typeStart;
  const end: u32 = typeStart + typeLen;
  let n: u32 = 0;
  while (p + 12 <= end && n < maxTypes) {
    const info = rd32(buf + p + 4, le);
    const kind = (info >>> 24) & 0x7f;
    const size = recordSize(kind, info & 0xffffff);
    if (size < 0) {
      errOffset = p + 4;
      errValue = kind;
      errIndex = n;
      return -1;
    }
    if (<u64>p + <u64>size > <u64>end) {
      errOffset = p;
      errValue = kind;
      errIndex = n;
      return -2;
    }
    store<u32>(offs + (<usize>n << 2), p);
    store<u32>(infos + (<usize>n << 2), info);
    store<u32>(names + (<usize>n << 2), rd32(buf + p, le));
    n++;
    p += <u32>size;
  }
  if (p != end) {
    errOffset = p;
    errValue = 0;
    errIndex = n;
    return -3;
  }
  return <i32>n;
}

/** Length of a NUL-terminated string at s, at most `max` bytes (max if no NUL). */
@inline function strLen(s: usize, max: u32): u32 {
  let i: u32 = 0;
  while (i < max && load<u8>(s + i) != 0) i++;
  return i;
}

/** libbpf's essential name: cut at the last "X___Y" where neither X nor Y is '_'. */
function essentialLen(s: usize, n: u32): u32 {
  for (let i: i32 = <i32>n - 5; i >= 0; i--) {
    const p = s + <usize>i;
    if (load<u8>(p) != 0x5f && load<u8>(p, 1) == 0x5f && load<u8>(p, 2) == 0x5f && load<u8>(p, 3) == 0x5f && load<u8>(p, 4) != 0x5f) {
      return <u32>i + 1;
    }
  }
  return n;
}

/** FNV-1a, 32-bit. */
@inline function hashBytes(s: usize, n: u32): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i: u32 = 0; i < n; i++) {
    h ^= load<u8>(s + i);
    h *= 0x01000193;
  }
  return h;
}

/**
 * Index `n` types by essential name. Inputs: the string section at `strs` (strLen bytes; a split
 * BTF's host passes base strings followed by its own, so offsets index directly) and the name
 * offsets at `names`. Outputs: `hashes[i]` and `elen[i]` (essential length; 0 for anonymous or a
 * bad offset) per type, and chained buckets: `buckets[h & (nb-1)]` holds 1 + the newest type
 * index of the bucket, `next[i]` 1 + the previous one (0 ends a chain). nb is a power of two.
 */
export function buildNameIndex(strs: usize, strLen_: u32, names: usize, n: u32, hashes: usize, elen: usize, buckets: usize, nb: u32, next: usize): void {
  memory.fill(buckets, 0, <usize>nb << 2);
  const mask = nb - 1;
  for (let i: u32 = 0; i < n; i++) {
    const off = load<u32>(names + (<usize>i << 2));
    let e: u32 = 0;
    let h: u32 = 0;
    if (off != 0 && off < strLen_) {
      const s = strs + off;
      e = essentialLen(s, strLen(s, strLen_ - off));
      h = hashBytes(s, e);
    }
    store<u32>(hashes + (<usize>i << 2), h);
    store<u32>(elen + (<usize>i << 2), e);
    if (e == 0) {
      store<u32>(next + (<usize>i << 2), 0);
      continue;
    }
    const b = buckets + (<usize>(h & mask) << 2);
    store<u32>(next + (<usize>i << 2), load<u32>(b));
    store<u32>(b, i + 1);
  }
}

/**
 * Type indexes whose essential name equals the `qlen` bytes at `q`, written ascending to `out`
 * (room for `max`); returns how many matched (which may exceed max: the host retries larger).
 */
export function lookupName(strs: usize, names: usize, hashes: usize, elen: usize, buckets: usize, nb: u32, next: usize, q: usize, qlen: u32, out: usize, max: u32): u32 {
  const h = hashBytes(q, qlen);
  let cur = load<u32>(buckets + (<usize>(h & (nb - 1)) << 2));
  let k: u32 = 0;
  while (cur != 0) {
    const i = cur - 1;
    if (load<u32>(hashes + (<usize>i << 2)) == h && load<u32>(elen + (<usize>i << 2)) == qlen) {
      const s = strs + load<u32>(names + (<usize>i << 2));
      if (memory.compare(s, q, qlen) == 0) {
        if (k < max) store<u32>(out + (<usize>k << 2), i);
        k++;
      }
    }
    cur = load<u32>(next + (<usize>i << 2));
  }
  // chains run newest first; callers want id order
  const m = k < max ? k : max;
  for (let a: u32 = 0, b: u32 = m - 1; m > 0 && a < b; a++, b--) {
    const pa = out + (<usize>a << 2);
    const pb = out + (<usize>b << 2);
    const t = load<u32>(pa);
    store<u32>(pa, load<u32>(pb));
    store<u32>(pb, t);
  }
  return k;
}

/** BPF size bits (BPF_W/H/B/DW) for a memory access of `bytes`; -1 for any other width. */
@inline function sizeBits(bytes: u32): i32 {
  switch (bytes) {
    case 4: return 0x00;
    case 2: return 0x08;
    case 1: return 0x10;
    case 8: return 0x18;
    default: return -1;
  }
}

@inline function wr32(p: usize, v: u32, le: bool): void {
  store<u32>(p, le ? v : bswap<u32>(v));
}

@inline function wr16(p: usize, v: u16, le: bool): void {
  store<u16>(p, le ? v : bswap<u16>(v));
}

/**
 * Apply `nrec` patch records (4 u32 each: slot, op, lo, hi) in order to `nslots` 8-byte
 * instructions at `insns`. Ops: 0 imm32 := lo; 1 off16 := low 16 bits of lo; 2 memory size :=
 * lo bytes (mode and class kept); 3 imm64 := lo in this slot, hi in the next; 4 poison this slot
 * (call helper 0xbad2310, registers and offset zeroed; an ld_imm64 comes as two records).
 * Returns nrec, or the index of the first bad record (errValue: 1 slot out of range, 2 unknown
 * op, 3 bad size); records before it have been applied.
 */
export function patchInsns(insns: usize, nslots: u32, recs: usize, nrec: u32, le: bool): u32 {
  for (let k: u32 = 0; k < nrec; k++) {
    const r = recs + (<usize>k << 4);
    const slot = load<u32>(r);
    const op = load<u32>(r, 4);
    const lo = load<u32>(r, 8);
    const hi = load<u32>(r, 12);
    const need: u32 = op == 3 ? 2 : 1;
    if (slot >= nslots || nslots - slot < need) {
      errIndex = k;
      errValue = 1;
      return k;
    }
    const p = insns + (<usize>slot << 3);
    switch (op) {
      case 0:
        wr32(p + 4, lo, le);
        break;
      case 1:
        wr16(p + 2, <u16>lo, le);
        break;
      case 2: {
        const bits = sizeBits(lo);
        if (bits < 0) {
          errIndex = k;
          errValue = 3;
          return k;
        }
        const code = load<u8>(p);
        store<u8>(p, (code & 0xe7) | <u8>bits);
        break;
      }
      case 3:
        wr32(p + 4, lo, le);
        wr32(p + 12, hi, le);
        break;
      case 4:
        store<u8>(p, 0x85);
        store<u8>(p, 0, 1);
        store<u16>(p + 2, 0);
        wr32(p + 4, 0x0bad2310, le);
        break;
      default:
        errIndex = k;
        errValue = 2;
        return k;
    }
  }
  return nrec;
}

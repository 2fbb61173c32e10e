/** The TypeScript twin of wasm/assembly/index.ts: same algorithms, same tables, same answers. */
import { bucketCount, PATCH_WORDS, PatchOp, recordSize, type HotPath, type NameIndex, type PatchResult, type TypeScan } from './types.ts';

function scanTypes(bytes: Uint8Array, typeStart: number, typeLen: number, le: boolean): TypeScan {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const max = Math.floor(typeLen / 12);
  const offs = new Uint32Array(max);
  const infos = new Uint32Array(max);
  const names = new Uint32Array(max);
  const end = typeStart + typeLen;
  let p = typeStart;
  let n = 0;
  while (p + 12 <= end && n < max) {
    const info = dv.getUint32(p + 4, le);
    const kind = (info >>> 24) & 0x7f;
    const size = recordSize(kind, info & 0xffffff);
    if (size < 0) return { ok: false, error: 'unknown-kind', offset: p + 4, kind, index: n };
    if (p + size > end) return { ok: false, error: 'truncated', offset: p, kind, index: n };
    offs[n] = p;
    infos[n] = info;
    names[n] = dv.getUint32(p, le);
    n++;
    p += size;
  }
  if (p !== end) return { ok: false, error: 'stray', offset: p, kind: 0, index: n };
  return { ok: true, count: n, offs: offs.subarray(0, n), infos: infos.subarray(0, n), names: names.subarray(0, n) };
}

/** libbpf's essential name length over bytes: cut at the last "X___Y" (X, Y not '_'). */
export function essentialLenBytes(s: Uint8Array, start: number, n: number): number {
  for (let i = n - 5; i >= 0; i--) {
    const p = start + i;
    if (s[p] !== 0x5f && s[p + 1] === 0x5f && s[p + 2] === 0x5f && s[p + 3] === 0x5f && s[p + 4] !== 0x5f) return i + 1;
  }
  return n;
}

export function fnv1a(s: Uint8Array, start: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) {
    h ^= s[start + i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const enc = new TextEncoder();

class TwinNameIndex implements NameIndex {
  private readonly strs: Uint8Array;
  private readonly names: Uint32Array;
  private readonly hashes: Uint32Array;
  private readonly elen: Uint32Array;
  private readonly buckets: Uint32Array;
  private readonly next: Uint32Array;

  constructor(strs: Uint8Array, names: Uint32Array) {
    const n = names.length;
    const nb = bucketCount(n);
    this.strs = strs;
    this.names = names;
    this.hashes = new Uint32Array(n);
    this.elen = new Uint32Array(n);
    this.buckets = new Uint32Array(nb);
    this.next = new Uint32Array(n);
    const mask = nb - 1;
    const strLen = strs.length;
    for (let i = 0; i < n; i++) {
      const off = names[i]!;
      let e = 0;
      let h = 0;
      if (off !== 0 && off < strLen) {
        // One pass hashes the whole name; only a name with a run of three underscores can carry
        // a flavor, and only then is the essential prefix measured and hashed again.
        let p = off;
        let run = 0;
        let flavored = false;
        h = 0x811c9dc5;
        for (; p < strLen; p++) {
          const c = strs[p]!;
          if (c === 0) break;
          if (c === 0x5f) {
            if (++run === 3) flavored = true;
          } else run = 0;
          h = Math.imul(h ^ c, 0x01000193);
        }
        h >>>= 0;
        e = p - off;
        if (flavored) {
          const full = e;
          e = essentialLenBytes(strs, off, full);
          if (e !== full) h = fnv1a(strs, off, e);
        }
      }
      this.hashes[i] = h;
      this.elen[i] = e;
      if (e === 0) continue;
      const b = h & mask;
      this.next[i] = this.buckets[b]!;
      this.buckets[b] = i + 1;
    }
  }

  lookup(essential: string): number[] {
    const q = enc.encode(essential);
    const qlen = q.length;
    if (qlen === 0) return [];
    const h = fnv1a(q, 0, qlen);
    const out: number[] = [];
    let cur = this.buckets[h & (this.buckets.length - 1)]!;
    while (cur !== 0) {
      const i = cur - 1;
      if (this.hashes[i] === h && this.elen[i] === qlen) {
        const s = this.names[i]!;
        let same = true;
        for (let k = 0; k < qlen; k++) {
          if (this.strs[s + k] !== q[k]) {
            same = false;
            break;
          }
        }
        if (same) out.push(i);
      }
      cur = this.next[i]!;
    }
    return out.reverse();
  }

  tables() {
    return { hashes: this.hashes, elen: this.elen, buckets: this.buckets, next: this.next };
  }
}

/** BPF size bits for a memory access of `bytes`, or -1. */
function sizeBits(bytes: number): number {
  switch (bytes) {
    case 4: return 0x00;
    case 2: return 0x08;
    case 1: return 0x10;
    case 8: return 0x18;
    default: return -1;
  }
}

function patchInsns(insns: Uint8Array, records: Uint32Array, le: boolean): PatchResult {
  const out = insns.slice();
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const nslots = Math.floor(out.length / 8);
  const nrec = Math.floor(records.length / PATCH_WORDS);
  for (let k = 0; k < nrec; k++) {
    const r = k * PATCH_WORDS;
    const slot = records[r]!;
    const op = records[r + 1]!;
    const lo = records[r + 2]!;
    const hi = records[r + 3]!;
    const need = op === PatchOp.Imm64 ? 2 : 1;
    if (slot >= nslots || nslots - slot < need) return { ok: false, error: 'range', record: k };
    const p = slot * 8;
    switch (op) {
      case PatchOp.Imm:
        dv.setUint32(p + 4, lo, le);
        break;
      case PatchOp.Off:
        dv.setUint16(p + 2, lo & 0xffff, le);
        break;
      case PatchOp.MemSize: {
        const bits = sizeBits(lo);
        if (bits < 0) return { ok: false, error: 'size', record: k };
        out[p] = (out[p]! & 0xe7) | bits;
        break;
      }
      case PatchOp.Imm64:
        dv.setUint32(p + 4, lo, le);
        dv.setUint32(p + 12, hi, le);
        break;
      case PatchOp.Poison:
        out[p] = 0x85;
        out[p + 1] = 0;
        dv.setUint16(p + 2, 0, le);
        dv.setUint32(p + 4, POISON_HELPER, le);
        break;
      default:
        return { ok: false, error: 'op', record: k };
    }
  }
  return { ok: true, bytes: out };
}

/** libbpf's invalid helper id for poisoned instructions */
const POISON_HELPER = 0x0bad2310;

export const tsHotPath: HotPath = {
  name: 'ts',
  scanTypes,
  nameIndex: (strs, names) => new TwinNameIndex(strs, names),
  patchInsns,
};

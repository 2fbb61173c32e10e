/** Host side of the WebAssembly hot path: memory layout, copies in and out. */
import { wasmCDump } from './dump-c-wasm.ts';
import { engineInstance, instantiate as newEngine, type EngineExports as Exports } from './module.ts';
import { bucketCount, PATCH_WORDS, type HotPath, type NameIndex, type PatchResult, type TypeScan } from './types.ts';

const instantiate = (): Exports => newEngine().x;

const align8 = (n: number): number => (n + 7) & ~7;

/** Grow the instance's memory so that [0, bytes) is addressable. */
function ensure(x: Exports, bytes: number): void {
  const have = x.memory.buffer.byteLength;
  if (bytes > have) x.memory.grow(Math.ceil((bytes - have) / 65536));
}

function scanTypes(bytes: Uint8Array, typeStart: number, typeLen: number, le: boolean): TypeScan {
  const x = engineInstance().x;
  const max = Math.floor(typeLen / 12);
  const heap = align8(x.heapStart());
  const out = heap + align8(typeLen);
  ensure(x, out + max * 12);
  new Uint8Array(x.memory.buffer, heap, typeLen).set(bytes.subarray(typeStart, typeStart + typeLen));
  // Only the type section is copied: passing buf = heap - typeStart keeps record offsets
  // relative to the whole blob (wasm32 address arithmetic wraps), as the TS twin reports them.
  const n = x.scanTypes((heap - typeStart) >>> 0, typeStart, typeLen, le ? 1 : 0, out, max);
  if (n < 0) {
    const offset = x.errOffset.value as number;
    const kind = x.errValue.value as number;
    const error = n === -1 ? 'unknown-kind' : n === -2 ? 'truncated' : 'stray';
    return { ok: false, error, offset, kind, index: x.errIndex.value as number };
  }
  const buf = x.memory.buffer;
  return {
    ok: true,
    count: n,
    offs: new Uint32Array(buf, out, n).slice(),
    infos: new Uint32Array(buf, out + max * 4, n).slice(),
    names: new Uint32Array(buf, out + max * 8, n).slice(),
  };
}

const enc = new TextEncoder();

class WasmNameIndex implements NameIndex {
  private readonly x: Exports;
  private readonly n: number;
  private readonly nb: number;
  private readonly at: { strs: number; names: number; hashes: number; elen: number; buckets: number; next: number; q: number };
  private qCap = 256;
  private outCap = 64;

  constructor(strs: Uint8Array, names: Uint32Array) {
    const x = instantiate();
    const n = names.length;
    const nb = bucketCount(n);
    let p = align8(x.heapStart());
    const take = (bytes: number): number => {
      const a = p;
      p = align8(p + bytes);
      return a;
    };
    const at = {
      strs: take(strs.length + 1),
      names: take(n * 4),
      hashes: take(n * 4),
      elen: take(n * 4),
      buckets: take(nb * 4),
      next: take(n * 4),
      q: 0,
    };
    at.q = p;
    ensure(x, p + this.qCap + this.outCap * 4);
    new Uint8Array(x.memory.buffer, at.strs, strs.length).set(strs);
    new Uint32Array(x.memory.buffer, at.names, n).set(names);
    x.buildNameIndex(at.strs, strs.length, at.names, n, at.hashes, at.elen, at.buckets, nb, at.next);
    this.x = x;
    this.n = n;
    this.nb = nb;
    this.at = at;
  }

  lookup(essential: string): number[] {
    const q = enc.encode(essential);
    if (q.length === 0) return [];
    const x = this.x;
    const a = this.at;
    for (;;) {
      if (q.length > this.qCap) this.qCap = q.length;
      const outAt = align8(a.q + this.qCap);
      ensure(x, outAt + this.outCap * 4);
      new Uint8Array(x.memory.buffer, a.q, q.length).set(q);
      const k = x.lookupName(a.strs, a.names, a.hashes, a.elen, a.buckets, this.nb, a.next, a.q, q.length, outAt, this.outCap);
      if (k <= this.outCap) return Array.from(new Uint32Array(x.memory.buffer, outAt, k));
      this.outCap = k;
    }
  }

  tables() {
    const b = this.x.memory.buffer;
    const a = this.at;
    return {
      hashes: new Uint32Array(b, a.hashes, this.n).slice(),
      elen: new Uint32Array(b, a.elen, this.n).slice(),
      buckets: new Uint32Array(b, a.buckets, this.nb).slice(),
      next: new Uint32Array(b, a.next, this.n).slice(),
    };
  }
}

let patcher: Exports | undefined;

function patchInsns(insns: Uint8Array, records: Uint32Array, le: boolean): PatchResult {
  const x = (patcher ??= instantiate());
  const nslots = Math.floor(insns.length / 8);
  const nrec = Math.floor(records.length / PATCH_WORDS);
  const at = align8(x.heapStart());
  const recAt = at + nslots * 8;
  ensure(x, recAt + nrec * PATCH_WORDS * 4);
  const mem = x.memory.buffer;
  new Uint8Array(mem, at, nslots * 8).set(insns.subarray(0, nslots * 8));
  new Uint32Array(mem, recAt, nrec * PATCH_WORDS).set(records.subarray(0, nrec * PATCH_WORDS));
  const done = x.patchInsns(at, nslots, recAt, nrec, le ? 1 : 0);
  if (done < nrec) {
    const why = x.errValue.value as number;
    return { ok: false, error: why === 1 ? 'range' : why === 2 ? 'op' : 'size', record: done };
  }
  // a trailing partial slot is not an instruction: kept as it was, as the twin does
  const out = insns.slice();
  out.set(new Uint8Array(x.memory.buffer, at, nslots * 8));
  return { ok: true, bytes: out };
}

export const wasmHotPath: HotPath = {
  name: 'wasm',
  scanTypes,
  nameIndex: (strs, names) => new WasmNameIndex(strs, names),
  patchInsns,
  cDump: wasmCDump,
};

/** Can this host run it? (a CSP or an old runtime may forbid WebAssembly) */
export function wasmAvailable(): boolean {
  try {
    engineInstance();
    return true;
  } catch {
    return false;
  }
}

/**
 * The hot-path benchmark body, shared by Node and Chromium (bench/hotpath.mjs bundles it):
 * WebAssembly vs the TypeScript twin on one BTF — the type scan (wasm: copy-in included), the
 * whole parseBtf, and the essential-name index with `names.length` struct lookups. Pure
 * TypeScript, no host APIs beyond performance.now().
 */
import { btfView, parseBtfHeader } from '../core-ts/btf/header.ts';
import { parseBtf } from '../core-ts/btf/parse.ts';
import { BtfKind } from '../core-ts/btf/types.ts';
import { dumpC } from '../core-ts/dump-c/index.ts';
import { selectHotPath, tsHotPath, wasmHotPath } from '../core-ts/hotpath/index.ts';
import type { HotPath } from '../core-ts/hotpath/index.ts';

export interface Timing {
  median: number;
  min: number;
}
export interface BenchResult {
  types: number;
  bytes: number;
  runs: number;
  wasm: EngineResult;
  ts: EngineResult;
}

/**
 * Median and min of `runs` timings of each function, run interleaved (a, b, a, b, …) so that a
 * busy machine slows both alike.
 */
function timeBoth(runs: number, a: () => void, b: () => void): [Timing, Timing] {
  for (let i = 0; i < 3; i++) {
    a();
    b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    a();
    ta.push(performance.now() - t0);
    t0 = performance.now();
    b();
    tb.push(performance.now() - t0);
  }
  const st = (t: number[]): Timing => {
    t.sort((x, y) => x - y);
    return { median: t[t.length >> 1]!, min: t[0]! };
  };
  return [st(ta), st(tb)];
}

/** `count` named STRUCTs spread evenly over the id range, without flavor suffixes, first of their name. */
export function pickStructNames(bytes: Uint8Array, count: number): string[] {
  const btf = parseBtf(bytes);
  const structs: string[] = [];
  const seen = new Set<string>();
  for (let id = 1; id < btf.typeCount; id++) {
    if (btf.kind(id) !== BtfKind.Struct) continue;
    const n = btf.name(id);
    if (n === '' || n.includes('___') || seen.has(n)) continue;
    seen.add(n);
    structs.push(n);
  }
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(structs[Math.floor(((i + 0.5) * structs.length) / count)]!);
  return out;
}

export interface EngineResult {
  scan: Timing;
  parse: Timing;
  indexAndLookups: Timing;
  lookups: Timing;
  parseIndexLookups: Timing;
  dumpC: Timing;
  ids: number[];
  /** length and FNV-1a of the C dump, to check that both dumpers agree */
  dumpBytes: number;
  dumpHash: number;
}

function fnv(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

export function runHotpathBench(bytes: Uint8Array, names: string[], runs: number): BenchResult {
  const v = btfView(bytes, '.BTF');
  const lay = parseBtfHeader(v);
  const typeLen = lay.header.typeLen;
  const strs = bytes.subarray(lay.strStart, lay.strStart + lay.header.strLen);
  const btf = parseBtf(bytes);
  const types = btf.typeCount - 1;
  const s = tsHotPath.scanTypes(bytes, lay.typeStart, typeLen, v.le);
  if (!s.ok) throw new Error('scan failed');
  const find = (idx: ReturnType<HotPath['nameIndex']>): number[] =>
    names.map((n) => {
      for (const i of idx.lookup(n)) {
        const id = i + 1;
        if (btf.kind(id) === BtfKind.Struct && btf.name(id) === n) return id;
      }
      return -1;
    });
  const ids: Record<'wasm' | 'ts', number[]> = { wasm: [], ts: [] };
  const per = (hp: HotPath) => ({
    scan: () => {
      if (!hp.scanTypes(bytes, lay.typeStart, typeLen, v.le).ok) throw new Error('scan failed');
    },
    parse: () => {
      selectHotPath(hp.name);
      parseBtf(bytes);
    },
    indexAndLookups: () => {
      ids[hp.name] = find(hp.nameIndex(strs, s.names));
    },
    // what a first CO-RE candidate search costs from bytes: parse, name index, lookups
    parseIndexLookups: () => {
      selectHotPath(hp.name);
      const b = parseBtf(bytes);
      const r = hp.scanTypes(bytes, lay.typeStart, typeLen, v.le);
      if (!r.ok || b.typeCount !== btf.typeCount) throw new Error('scan failed');
      find(hp.nameIndex(strs, r.names));
    },
  });
  const w = per(wasmHotPath);
  const t = per(tsHotPath);
  const builtW = wasmHotPath.nameIndex(strs, s.names);
  const builtT = tsHotPath.nameIndex(strs, s.names);
  const [scanW, scanT] = timeBoth(runs, w.scan, t.scan);
  const [parseW, parseT] = timeBoth(runs, w.parse, t.parse);
  const [ilW, ilT] = timeBoth(runs, w.indexAndLookups, t.indexAndLookups);
  const [lW, lT] = timeBoth(runs, () => find(builtW), () => find(builtT));
  const [pW, pT] = timeBoth(runs, w.parseIndexLookups, t.parseIndexLookups);
  selectHotPath('auto');
  const dumps: Record<'wasm' | 'ts', Uint8Array> = { wasm: new Uint8Array(0), ts: new Uint8Array(0) };
  const [dW, dT] = timeBoth(
    runs,
    () => void (dumps.wasm = dumpC(btf, { engine: 'wasm' }).bytes),
    () => void (dumps.ts = dumpC(btf, { engine: 'ts' }).bytes),
  );
  return {
    types,
    bytes: bytes.length,
    runs,
    wasm: { scan: scanW, parse: parseW, indexAndLookups: ilW, lookups: lW, parseIndexLookups: pW, dumpC: dW, ids: ids.wasm, dumpBytes: dumps.wasm.length, dumpHash: fnv(dumps.wasm) },
    ts: { scan: scanT, parse: parseT, indexAndLookups: ilT, lookups: lT, parseIndexLookups: pT, dumpC: dT, ids: ids.ts, dumpBytes: dumps.ts.length, dumpHash: fnv(dumps.ts) },
  };
}

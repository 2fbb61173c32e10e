import { describe, expect, it } from 'vitest';
import { btfView, parseBtfHeader } from '../../core-ts/btf/header.ts';
import { btfSection } from '../../core-ts/btf/load.ts';
import { parseElf } from '../../core-ts/elf/index.ts';
import { tsHotPath, wasmHotPath, type NameIndex, type TypeScan } from '../../core-ts/hotpath/index.ts';
import { corpusKernels, corpusObjects, kernelBase, readKernelBtf, readObject } from '../corpus.ts';
import { fuzzReader } from '../support/mutate.ts';

/**
 * The WebAssembly hot path and its TypeScript twin must agree byte for byte: the type scan
 * (offsets, info words, name offsets, or the same error at the same place) and the
 * essential-name index (its tables and every lookup), on every corpus BTF and on fuzzed ones.
 */
interface Input {
  name: string;
  bytes: Uint8Array;
  baseStrs?: Uint8Array;
}

function layout(bytes: Uint8Array) {
  const v = btfView(bytes, '.BTF');
  const lay = parseBtfHeader(v);
  return { le: v.le, typeStart: lay.typeStart, typeLen: lay.header.typeLen, strs: bytes.subarray(lay.strStart, lay.strStart + lay.header.strLen) };
}

function inputs(): Input[] {
  const out: Input[] = [];
  for (const k of corpusKernels()) {
    const bytes = readKernelBtf(k);
    const base = kernelBase(k);
    out.push({ name: `kernel ${k.name}`, bytes, ...(base ? { baseStrs: layout(readKernelBtf(base)).strs } : {}) });
  }
  for (const o of corpusObjects()) {
    const elf = parseElf(readObject(o));
    out.push({ name: `object ${o.group}/${o.endian}/${o.name}`, bytes: elf.data(btfSection(elf)).slice() });
  }
  return out;
}

/** Scan results compared as bytes: toEqual on 100k-element typed arrays is needlessly slow. */
function sameScan(a: TypeScan, b: TypeScan): void {
  if (!a.ok || !b.ok) {
    expect(a).toEqual(b);
    return;
  }
  expect(a.count).toBe(b.count);
  for (const k of ['offs', 'infos', 'names'] as const) expect(sameU32(a[k], b[k]), k).toBe(true);
}

function sameU32(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

function sameTables(a: ReturnType<NameIndex['tables']>, b: ReturnType<NameIndex['tables']>): void {
  for (const k of ['hashes', 'elen', 'buckets', 'next'] as const) expect(sameU32(a[k], b[k]), k).toBe(true);
}

function concat(a: Uint8Array | undefined, b: Uint8Array): Uint8Array {
  if (!a) return b;
  const r = new Uint8Array(a.length + b.length);
  r.set(a);
  r.set(b, a.length);
  return r;
}

const all = inputs();

describe('hot path twins agree on the corpus', () => {
  it(`covers kernels and objects (${all.length} BTFs)`, () => {
    expect(all.filter((i) => i.name.startsWith('kernel')).length).toBeGreaterThanOrEqual(7);
    expect(all.filter((i) => i.name.startsWith('object')).length).toBeGreaterThan(100);
  });

  it.each(all.map((i) => [i.name, i] as const))('%s', (_n, inp) => {
    const { le, typeStart, typeLen, strs } = layout(inp.bytes);
    const a = wasmHotPath.scanTypes(inp.bytes, typeStart, typeLen, le);
    const b = tsHotPath.scanTypes(inp.bytes, typeStart, typeLen, le);
    sameScan(a, b);
    if (!a.ok || !b.ok) throw new Error('corpus BTF failed to scan');
    const allStrs = concat(inp.baseStrs, strs);
    const ia = wasmHotPath.nameIndex(allStrs, a.names);
    const ib = tsHotPath.nameIndex(allStrs, b.names);
    sameTables(ia.tables(), ib.tables());
    // every distinct essential name, plus names that are absent
    const dec = new TextDecoder();
    const seen = new Set<string>(['', 'no_such_type', 'task_struct___flavor', '___']);
    for (let i = 0; i < a.names.length && seen.size < 3000; i++) {
      const off = a.names[i]!;
      let e = off;
      while (e < allStrs.length && allStrs[e] !== 0) e++;
      const name = dec.decode(allStrs.subarray(off, e));
      seen.add(name.replace(/(?<=[^_])___[^_].*$/, ''));
    }
    for (const name of seen) expect(ia.lookup(name)).toEqual(ib.lookup(name));
  });
});

it('hot path twins agree on 100,000 mutated BTFs (scan and name index)', () => {
  // Mutate whole BTFs but keep each seed's header geometry (the parser has already checked the
  // header by the time it scans), clamped to the mutated length: the edits land in the type
  // records and strings, which is what the hot path reads.
  const seeds = all.filter((i) => i.name.startsWith('object')).slice(0, 40);
  const geo = new Map(seeds.map((s) => [s.bytes, layout(s.bytes)]));
  let compared = 0;
  let i = 0;
  const order = seeds.map((s) => s.bytes);
  const stats = fuzzReader(
    order,
    (bytes) => {
      const g = geo.get(order[i++ % order.length]!)!;
      const typeStart = Math.min(g.typeStart, bytes.length);
      const typeLen = Math.min(g.typeLen, bytes.length - typeStart);
      const strStart = Math.min(typeStart + typeLen, bytes.length);
      const strs = bytes.subarray(strStart, Math.min(bytes.length, strStart + g.strs.length));
      const a = wasmHotPath.scanTypes(bytes, typeStart, typeLen, g.le);
      const b = tsHotPath.scanTypes(bytes, typeStart, typeLen, g.le);
      sameScan(a, b);
      if (a.ok && b.ok) sameTables(wasmHotPath.nameIndex(strs, a.names).tables(), tsHotPath.nameIndex(strs, b.names).tables());
      compared++;
    },
    { runs: 100_000 },
  );
  console.log(`hot path twin fuzz: ${compared} compared, ${JSON.stringify(stats)}`);
  expect(compared).toBe(100_000);
}, 600_000);

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TargetSet } from '../../core-ts/core/candidates.ts';
import type { PatchRecord } from '../../core-ts/core/patch.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import { applyPatches } from '../../core-ts/hotpath/apply.ts';
import { PATCH_WORDS, tsHotPath, wasmHotPath, type PatchResult } from '../../core-ts/hotpath/index.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import { corpusObjects, readObject } from '../corpus.ts';
import { goldenPairs, pairTarget, type GoldenPair } from '../diff/relo-support.ts';

/**
 * Instruction patching on the hot path. (1) Replaying the engine's patch records over each
 * function's original bytes, through WebAssembly and through the TypeScript twin, gives exactly
 * the engine's patched instructions — on every pair of tests/golden/relo (whose instructions the
 * relo diff test checks against libbpf 1.1.2). (2) The two paths agree byte for byte (bytes or the
 * same error at the same record) on 100,000 fuzzed instruction buffers and patch lists.
 */
const ROOT = join(import.meta.dirname, '../..');

type Pair = GoldenPair;
const pairs = goldenPairs();
const targetsFor = (p: Pair): TargetSet => pairTarget(p).set;

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

describe('hot-path patching replays the engine', () => {
  it('has golden pairs (tests/oracle/regen.sh)', () => expect(pairs.length).toBeGreaterThan(400));

  it('on every golden pair: wasm and TS replays equal the engine’s patched instructions', () => {
    const tally = { pairs: 0, functions: 0, patchedFunctions: 0, records: 0, poison: 0, identical: 0 };
    const bad: string[] = [];
    for (const p of pairs) {
      const bytes = new Uint8Array(readFileSync(join(ROOT, p.object)));
      expect(createHash('sha256').update(bytes).digest('hex'), `${p.object} changed: run tests/oracle/regen.sh`).toBe(p.object_sha256);
      const obj = parseBpfObject(bytes);
      const res = relocateObject(obj, targetsFor(p));
      const byProg = new Map<string, PatchRecord[]>();
      for (const r of res.relocations) {
        if (r.program === undefined || r.patches.length === 0) continue;
        const l = byProg.get(r.program) ?? [];
        l.push(...r.patches);
        byProg.set(r.program, l);
      }
      const names = res.functions.map((f) => f.name);
      expect(new Set(names).size, `${p.golden}: function names are unique`).toBe(names.length);
      tally.pairs++;
      for (const f of res.functions) {
        const recs = byProg.get(f.name) ?? [];
        const w = applyPatches(f.before, recs, obj.endian, wasmHotPath);
        const t = applyPatches(f.before, recs, obj.endian, tsHotPath);
        tally.functions++;
        if (recs.length) tally.patchedFunctions++;
        tally.records += recs.length;
        tally.poison += recs.filter((r) => r.what === 'poison').length;
        if (same(w, f.after) && same(t, f.after)) tally.identical++;
        else bad.push(`${p.golden} ${f.name}`);
      }
    }
    console.log(`hot-path patch replay: ${JSON.stringify(tally)}`);
    expect(bad.slice(0, 10)).toEqual([]);
    expect(tally.identical).toBe(tally.functions);
    expect(tally.records).toBeGreaterThan(10_000);
    expect(tally.poison).toBeGreaterThan(100);
  }, 600_000);
});

/** xorshift32: deterministic, and far cheaper per case than an arbitrary framework */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

function sameResult(a: PatchResult, b: PatchResult): boolean {
  if (a.ok && b.ok) return same(a.bytes, b.bytes);
  if (!a.ok && !b.ok) return a.error === b.error && a.record === b.record;
  return false;
}

it('wasm and TS patching agree on 100,000 fuzzed instruction buffers and patch lists', () => {
  // seeds: real programs of the corpus (both byte orders), cut to random windows, plus noise
  const progs: { bytes: Uint8Array; le: boolean }[] = [];
  for (const o of corpusObjects()) {
    if (progs.length >= 400) break;
    try {
      const obj = parseBpfObject(readObject(o));
      for (const p of obj.programs) progs.push({ bytes: p.insns, le: obj.endian === 'little' });
    } catch {
      // objects our reader refuses are covered elsewhere
    }
  }
  expect(progs.length).toBeGreaterThan(50);
  const r = rng(0x5eed1234);
  const SPECIAL = [0, 1, 2, 3, 4, 5, 7, 8, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];
  const word = (): number => (r() % 4 === 0 ? SPECIAL[r() % SPECIAL.length]! : r());
  const stats = { cases: 0, ok: 0, range: 0, op: 0, size: 0, records: 0 };
  for (let c = 0; c < 100_000; c++) {
    const src = progs[r() % progs.length]!;
    let insns: Uint8Array;
    if (r() % 8 === 0) {
      insns = new Uint8Array(r() % 200);
      for (let i = 0; i < insns.length; i++) insns[i] = r();
    } else {
      const slots = src.bytes.length >>> 3;
      const from = slots ? r() % slots : 0;
      insns = src.bytes.slice(from * 8, Math.min(src.bytes.length, (from + 1 + (r() % 64)) * 8));
    }
    const le = r() % 5 === 0 ? !src.le : src.le;
    const nslots = insns.length >>> 3;
    const nrec = r() % 12;
    const recs = new Uint32Array(nrec * PATCH_WORDS);
    for (let k = 0; k < nrec; k++) {
      const q = k * PATCH_WORDS;
      // mostly valid records (slot in range, known op, real sizes), some of every kind of bad one
      recs[q] = r() % 16 === 0 ? word() : nslots ? r() % nslots : 0;
      recs[q + 1] = r() % 32 === 0 ? word() : r() % 5;
      recs[q + 2] = recs[q + 1] === 2 && r() % 8 !== 0 ? [1, 2, 4, 8][r() % 4]! : word();
      recs[q + 3] = word();
    }
    const a = wasmHotPath.patchInsns(insns, recs, le);
    const b = tsHotPath.patchInsns(insns, recs, le);
    if (!sameResult(a, b)) {
      expect({ insns: Buffer.from(insns).toString('hex'), recs: Array.from(recs), le, a, b }).toBe('identical');
    }
    stats.cases++;
    stats.records += nrec;
    if (a.ok) stats.ok++;
    else stats[a.error]++;
  }
  console.log(`hot-path patch fuzz: ${JSON.stringify(stats)}`);
  expect(stats.cases).toBe(100_000);
  // both outcomes and every error are exercised
  expect(Math.min(stats.ok, stats.range, stats.op, stats.size)).toBeGreaterThan(500);
}, 600_000);

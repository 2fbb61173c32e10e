import fc from 'fast-check';
import { CorelabError } from '../../core-ts/errors.ts';

/**
 * Mutations of a valid input that real-world corruption and hostile files produce:
 * truncation, bit flips, overwritten words (huge counts and offsets), byte-order flips,
 * inserted and deleted bytes. Each case is a list of edits applied in order.
 */
export type Edit =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; bit: number }
  | { op: 'word'; at: number; value: number; width: 1 | 2 | 4 | 8 }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'delete'; at: number; len: number };

const SPECIAL = [0, 1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0xfff, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

export function editArb(len: number): fc.Arbitrary<Edit> {
  const at = fc.nat({ max: Math.max(0, len - 1) });
  // Headers live at the front: bias a good share of edits there.
  const head = fc.nat({ max: Math.min(len - 1, 127) });
  const pos = fc.oneof(at, head);
  return fc.oneof(
    fc.record({ op: fc.constant('truncate' as const), at }),
    fc.record({ op: fc.constant('flip' as const), at: pos, bit: fc.nat({ max: 7 }) }),
    fc.record({
      op: fc.constant('word' as const),
      at: pos,
      value: fc.oneof(fc.constantFrom(...SPECIAL), fc.nat()),
      width: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
    }),
    fc.record({ op: fc.constant('insert' as const), at, bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 16 }) }),
    fc.record({ op: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) }),
  );
}

export function applyEdits(src: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let b = src.slice();
  for (const e of edits) {
    switch (e.op) {
      case 'truncate':
        b = b.slice(0, e.at);
        break;
      case 'flip':
        if (e.at < b.length) b[e.at]! ^= 1 << e.bit;
        break;
      case 'word': {
        for (let i = 0; i < e.width && e.at + i < b.length; i++) b[e.at + i] = i < 4 ? (e.value >>> (8 * i)) & 0xff : 0;
        break;
      }
      case 'insert': {
        const at = Math.min(e.at, b.length);
        const n = new Uint8Array(b.length + e.bytes.length);
        n.set(b.subarray(0, at));
        n.set(e.bytes, at);
        n.set(b.subarray(at), at + e.bytes.length);
        b = n;
        break;
      }
      case 'delete': {
        const at = Math.min(e.at, b.length);
        b = new Uint8Array([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at + e.len))]);
        break;
      }
    }
  }
  return b;
}

export interface FuzzStats {
  cases: number;
  ok: number;
  typedErrors: number;
  slowestMs: number;
  errorKinds: Record<string, number>;
}

/**
 * Run `body` on `runs` mutated copies of the seeds. Every case must return or throw a
 * CorelabError; anything else (TypeError, RangeError, stack overflow) fails the property,
 * and so does a case slower than `maxMsPerCase` — a runaway detector, not a speed goal
 * (those live in bench/): 10 s by default, since a loaded CI machine can stall a 1 ms case
 * for a second.
 */
export function fuzzReader(
  seeds: readonly Uint8Array[],
  body: (input: Uint8Array) => void,
  opts: { runs: number; maxMsPerCase?: number; seed?: number },
): FuzzStats {
  const stats: FuzzStats = { cases: 0, ok: 0, typedErrors: 0, slowestMs: 0, errorKinds: {} };
  const maxMs = opts.maxMsPerCase ?? 10_000;
  const arb = fc.nat({ max: seeds.length - 1 }).chain((i) =>
    fc.tuple(fc.constant(i), fc.array(editArb(seeds[i]!.length), { minLength: 1, maxLength: 4 })),
  );
  fc.assert(
    fc.property(arb, ([i, edits]) => {
      const input = applyEdits(seeds[i]!, edits);
      const t0 = performance.now();
      stats.cases++;
      try {
        body(input);
        stats.ok++;
      } catch (e) {
        if (!(e instanceof CorelabError)) throw e;
        stats.typedErrors++;
        stats.errorKinds[e.kind] = (stats.errorKinds[e.kind] ?? 0) + 1;
      }
      const ms = performance.now() - t0;
      if (ms > stats.slowestMs) stats.slowestMs = ms;
      if (ms > maxMs) throw new Error(`case took ${ms.toFixed(0)} ms (limit ${maxMs} ms)`);
    }),
    { numRuns: opts.runs, seed: opts.seed ?? 0x5eed, endOnFailure: true },
  );
  return stats;
}

/**
 * fuzzReader on one seed whose first `keep` bytes (a header) are restored in every mutant, and
 * whose length stays the seed's: the mutations land behind a valid header, in the records and
 * strings a reader only reaches once the header checks pass.
 */
export function fuzzBehindHeader(
  seed: Uint8Array,
  keep: number,
  body: (input: Uint8Array) => void,
  opts: { runs: number; maxMsPerCase?: number; seed?: number },
): FuzzStats {
  return fuzzReader(
    [seed],
    (input) => {
      const fixed = new Uint8Array(seed.length);
      fixed.set(input.subarray(0, seed.length));
      fixed.set(seed.subarray(0, keep));
      body(fixed);
    },
    opts,
  );
}

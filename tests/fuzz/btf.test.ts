import { expect, it } from 'vitest';
import { CorelabError } from '../../core-ts/errors.ts';
import { parseBtf } from '../../core-ts/btf/parse.ts';
import { dumpRawBytes } from '../../core-ts/btf/dump-raw.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { progsBtfSeeds } from '../corpus.ts';
import { fuzzReader } from '../support/mutate.ts';
import { buildBtf, everyKind, type RawType } from '../unit/btf/builder.ts';

const RUNS = 100_000;
/** Types that refer to themselves or each other: every walker must still stop. */
const CYCLES: RawType[] = [
  { kind: 1, name: 'long', st: 8, words: [(1 << 24) | 64] },
  { kind: 8, name: 'self', st: 2 },
  { kind: 10, st: 4 },
  { kind: 9, st: 3 },
  { kind: 4, name: 'loop', vlen: 2, st: 16, words: [{ s: 'a' }, 5, 0, { s: 'b' }, 6, 64] },
  { kind: 3, words: [5, 1, 4] },
  { kind: 18, name: 'tag', st: 6 },
  { kind: 3, words: [8, 1, 0xffffffff] },
  { kind: 3, words: [7, 1, 0xffffffff] },
  { kind: 17, name: 'dt', st: 10, words: [0] },
  { kind: 14, name: 'v', st: 11, words: [1] },
];


function guarded(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof CorelabError)) throw e;
  }
}

function exercise(btf: Btf): void {
  for (let id = 0; id < btf.typeCount; id++) {
    guarded(() => btf.type(id));
    guarded(() => btf.name(id));
    guarded(() => btf.resolveSize(id));
    guarded(() => btf.alignOf(id));
    guarded(() => btf.skipModsAndTypedefs(id));
  }
  guarded(() => btf.findByName('int'));
  guarded(() => btf.ptrSize);
  dumpRawBytes(btf);
}

it(`BTF reader: ${RUNS} mutated inputs end in a result or a CorelabError`, () => {
  const kinds = everyKind();
  const base = parseBtf(buildBtf(kinds));
  const splitSeed = buildBtf(
    [{ kind: 4, name: 'm', vlen: 1, st: 8, words: [{ s: 'f' }, base.typeCount + 1, 0] }, { kind: 2, st: base.typeCount }],
    { strBase: base.header.strLen },
  );
  const seeds = [
    buildBtf(kinds),
    buildBtf(kinds, { endian: 'big' }),
    buildBtf(kinds, { hdrLen: 32, layout: [0x0c04, 0] }),
    buildBtf(CYCLES),
    buildBtf(CYCLES, { endian: 'big', hdrLen: 32 }),
    splitSeed,
    ...progsBtfSeeds(),
  ];
  const stats = fuzzReader(
    seeds,
    (input) => {
      exercise(parseBtf(input));
    },
    { runs: RUNS },
  );
  // split parsing of mutants on a fixed base, fewer cases
  const splitStats = fuzzReader([splitSeed], (input) => exercise(parseBtf(input, { base })), { runs: RUNS / 10, seed: 7 });
  // deep pass: the header and total length are put back, so the mutations hit type records
  // and strings behind a valid header (most header mutants stop at the header checks)
  let deep = { cases: 0, ok: 0 };
  seeds.forEach((seed, i) => {
    const st = fuzzReader(
      [seed],
      (input) => {
        const fixed = new Uint8Array(seed.length);
        fixed.set(input.subarray(0, seed.length));
        fixed.set(seed.subarray(0, 32));
        exercise(i === 5 ? parseBtf(fixed, { base }) : parseBtf(fixed));
      },
      { runs: 4000, seed: 100 + i },
    );
    deep = { cases: deep.cases + st.cases, ok: deep.ok + st.ok };
  });
  console.log(`BTF fuzz: ${JSON.stringify(stats)}; split: ${JSON.stringify(splitStats)}; deep: ${JSON.stringify(deep)}`);
  expect(deep.ok).toBeGreaterThan(deep.cases / 10);
  expect(stats.cases).toBe(RUNS);
  expect(stats.ok).toBeGreaterThan(0);
  expect(stats.typedErrors).toBeGreaterThan(0);
  expect(splitStats.ok).toBeGreaterThan(0);
}, 600_000);

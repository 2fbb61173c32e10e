/**
 * The C dumper on mutated BTF: it reads type records straight from the blob (dump-c/table.ts),
 * so every mutant must end in text or a CorelabError — never a crash, a hang, or a read
 * outside the records. Mutants behind a valid header reach the records and names. (The
 * per-case limit catches hangs; a mutant struct size can ask for ~1M padding lines, which is
 * slow but bounded by layout.ts.)
 */
import { expect, it } from 'vitest';
import { parseBtf } from '../../core-ts/btf/parse.ts';
import { dumpC } from '../../core-ts/dump-c/index.ts';
import { CorelabError } from '../../core-ts/errors.ts';
import { progsBtfSeeds } from '../corpus.ts';
import { fuzzBehindHeader, fuzzReader } from '../support/mutate.ts';
import { buildBtf, everyKind } from '../unit/btf/builder.ts';

const RUNS = 20_000;

function dumpBoth(bytes: Uint8Array): void {
  const btf = parseBtf(bytes);
  for (const flavor of ['bpftool-7.1', 'libbpf-1.1'] as const) {
    const r = dumpC(btf, { flavor });
    if (r.error && !(r.error instanceof CorelabError)) throw r.error;
    void r.text;
  }
}

it(`dump-c: ${RUNS} mutated BTFs end in text or a CorelabError`, () => {
  const seeds = [buildBtf(everyKind()), buildBtf(everyKind(), { endian: 'big' }), ...progsBtfSeeds()];
  const stats = fuzzReader(seeds, dumpBoth, { runs: RUNS, maxMsPerCase: 10_000, seed: 0xc0de });
  // header kept, mutations land in the records and strings
  let deep = { cases: 0, ok: 0 };
  seeds.forEach((seed, i) => {
    const st = fuzzBehindHeader(seed, 24, dumpBoth, { runs: 3000, seed: 200 + i, maxMsPerCase: 10_000 });
    deep = { cases: deep.cases + st.cases, ok: deep.ok + st.ok };
  });
  console.log(`dump-c fuzz: ${JSON.stringify(stats)}; deep: ${JSON.stringify(deep)}`);
  expect(stats.cases).toBe(RUNS);
  expect(deep.ok).toBeGreaterThan(deep.cases / 10);
}, 600_000);

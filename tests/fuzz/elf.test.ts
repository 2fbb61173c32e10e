import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseElf, SHT } from '../../core-ts/elf/index.ts';
import { requireTool } from '../support/tools.ts';
import { fuzzReader } from '../support/mutate.ts';

const RUNS = 100_000;

function seeds(): Uint8Array[] {
  const dir = mkdtempSync(join(tmpdir(), 'corelab-elffuzz-'));
  writeFileSync(join(dir, 's.c'), 'int g; static __attribute__((noinline)) int f(int x){return x+g;}\n__attribute__((section("tp/a"))) int p(void*c){return f(1);}\n');
  const out: Uint8Array[] = [];
  for (const t of ['bpf', 'bpfeb', 'i386-linux-gnu']) {
    const o = join(dir, `${t}.o`);
    // no -g: small seeds keep 100k cases fast; the header/section/symbol paths are the same
    execFileSync(requireTool('clang-19'), ['-O2', '-target', t, '-c', join(dir, 's.c'), '-o', o]);
    out.push(new Uint8Array(readFileSync(o)));
  }
  return out;
}

it(`ELF reader: ${RUNS} mutated inputs end in a model or a CorelabError`, () => {
  const stats = fuzzReader(
    seeds(),
    (input) => {
      const elf = parseElf(input);
      for (const s of elf.sections) {
        elf.data(s);
        elf.view(s);
        if (s.type === SHT.REL || s.type === SHT.RELA) elf.relocations(s);
      }
      elf.symbols();
    },
    { runs: RUNS },
  );
  console.log(`ELF fuzz: ${JSON.stringify(stats)}`);
  expect(stats.cases).toBe(RUNS);
  expect(stats.typedErrors).toBeGreaterThan(0);
  expect(stats.ok).toBeGreaterThan(0);
}, 300_000);

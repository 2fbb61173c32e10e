/**
 * Mutated objects through the whole CO-RE pass: every outcome is a result or a CorelabError,
 * never another exception (and never a hang: every loop is bounded by the input).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorelabError } from '../../core-ts/errors.ts';
import { loadBtf } from '../../core-ts/btf/load.ts';
import { parseElf } from '../../core-ts/elf/index.ts';
import { makeTargetSet } from '../../core-ts/core/candidates.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';

const ROOT = join(import.meta.dirname, '../..');
const DIR = join(ROOT, '.cache/corpus/selftests/bpf');

describe('CO-RE pass on mutated .BTF / .BTF.ext / program text', () => {
  it('throws nothing but CorelabError over 3000 mutants', () => {
    expect(existsSync(DIR), `${DIR} missing: run bash tests/corpus/build.sh`).toBe(true);
    const objs = readdirSync(DIR)
      .filter((f) => f.startsWith('test_core_reloc') && f.endsWith('.o'))
      .map((f) => new Uint8Array(readFileSync(join(DIR, f))));
    expect(objs.length).toBeGreaterThan(10);
    const target = makeTargetSet(loadBtf(new Uint8Array(readFileSync(join(ROOT, 'tests/kernels/debian-6.12.117-amd64.btf.xz')))).btf);
    let seed = 4242;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % n;
    };
    const outcomes = new Map<string, number>();
    const crashes: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const src = objs[rnd(objs.length)]!;
      // the type data, the records, and the instructions they patch
      const secs = parseElf(src).sections.filter((s) => s.name === '.BTF' || s.name === '.BTF.ext' || (s.flags & 4) !== 0);
      const sec = secs[rnd(secs.length)]!;
      const b = src.slice();
      for (let k = 1 + rnd(4); k > 0; k--) b[sec.offset + rnd(Math.max(1, sec.size))] = rnd(3) === 0 ? 0xff : rnd(256);
      let key = 'relocated';
      try {
        if (!relocateObject(parseBpfObject(b), target).ok) key = 'libbpf-error';
      } catch (e) {
        if (e instanceof CorelabError) key = e.kind;
        else crashes.push(`${sec.name}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
      }
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    expect(crashes.slice(0, 5)).toEqual([]);
    // the mutants must exercise both paths
    expect(outcomes.get('relocated') ?? 0).toBeGreaterThan(100);
    expect(3000 - (outcomes.get('relocated') ?? 0)).toBeGreaterThan(50);
  });
});

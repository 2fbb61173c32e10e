import { describe, expect, it } from 'vitest';
import { btfSection } from '../../core-ts/btf/load.ts';
import { parseBtf } from '../../core-ts/btf/parse.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { dumpC, type DumpCOptions, type DumpCResult } from '../../core-ts/dump-c/index.ts';
import { findRootTypes } from '../../core-ts/dump-c/roots.ts';
import { parseElf } from '../../core-ts/elf/index.ts';
import { CorelabError } from '../../core-ts/errors.ts';
import { hotPathReport } from '../../core-ts/hotpath/index.ts';
import { corpusKernels, corpusObjects, kernelBase, readKernelBtf, readObject } from '../corpus.ts';
import { fuzzBehindHeader, fuzzReader } from '../support/mutate.ts';
import { buildBtf, everyKind } from './btf/builder.ts';

/**
 * The C dumper in WebAssembly (wasm/assembly/dump-c.ts) and its TypeScript twin (core-ts/dump-c/)
 * must print the same bytes and stop with the same error at the same place: on every corpus BTF
 * in both flavours, with roots, streamed, and on fuzzed BTFs. (Agreement with bpftool itself is
 * tests/diff/btf-dump-c*.test.ts, which runs the default path: WebAssembly.)
 */
interface Input {
  name: string;
  btf: () => Btf;
}

function inputs(): Input[] {
  const out: Input[] = [];
  for (const k of corpusKernels()) {
    const base = kernelBase(k);
    out.push({
      name: `kernel ${k.name}`,
      btf: () => parseBtf(readKernelBtf(k), base ? { base: parseBtf(readKernelBtf(base)) } : {}),
    });
  }
  for (const o of corpusObjects()) {
    out.push({
      name: `object ${o.group}/${o.endian}/${o.name}`,
      btf: () => {
        const elf = parseElf(readObject(o));
        return parseBtf(elf.data(btfSection(elf)), { ptrSize: elf.class === 32 ? 4 : 8 });
      },
    });
  }
  return out;
}

function same(a: DumpCResult, b: DumpCResult, what: string): void {
  expect(Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes)) === 0, `${what}: bytes (ts ${a.bytes.length}, wasm ${b.bytes.length})`).toBe(true);
  expect(b.error?.kind, `${what}: error kind`).toBe(a.error?.kind);
  expect(b.error?.message, `${what}: error message`).toBe(a.error?.message);
}

function both(btf: Btf, opts: DumpCOptions, what: string): DumpCResult {
  const a = dumpC(btf, { ...opts, engine: 'ts' });
  const b = dumpC(btf, { ...opts, engine: 'wasm' });
  same(a, b, what);
  return b;
}

const all = inputs();

describe('C dump twins agree on the corpus', () => {
  it(`the default path dumps in WebAssembly; covers kernels and objects (${all.length} BTFs)`, () => {
    expect(hotPathReport().functions.cDump).toBe('wasm');
    expect(all.filter((i) => i.name.startsWith('kernel')).length).toBeGreaterThanOrEqual(7);
    expect(all.filter((i) => i.name.startsWith('object')).length).toBeGreaterThan(100);
  });

  it.each(all.map((i) => [i.name, i] as const))('%s', (_n, inp) => {
    const btf = inp.btf();
    const r = both(btf, {}, 'bpftool-7.1');
    both(btf, { flavor: 'libbpf-1.1', header: false }, 'libbpf-1.1');
    expect(r.bytes.length).toBeGreaterThan(0);
  });
});

describe('C dump twins agree on roots, streaming and errors', () => {
  const kernel = all.find((i) => i.name.startsWith('kernel host-6.18'))?.btf() ?? all[0]!.btf();

  it('roots: some types and what they need, in the order given', () => {
    const roots = [...findRootTypes(kernel, 'task_struct'), ...findRootTypes(kernel, 'sk_buff'), ...findRootTypes(kernel, 'typedef u64')];
    const r = both(kernel, { roots }, 'roots');
    expect(r.error).toBeUndefined();
    expect(r.text).toContain('struct task_struct {');
  });

  it('roots: a bad root stops the dump where it comes, after what came before', () => {
    for (const bad of [kernel.typeCount, -1, 1.5, 2 ** 40]) {
      const roots = [...findRootTypes(kernel, 'sk_buff'), bad, 1];
      const r = both(kernel, { roots }, `bad root ${bad}`);
      expect(r.error).toBeInstanceOf(CorelabError);
      expect(r.error?.message).toContain(`type id ${bad} is not in this BTF`);
      expect(r.text).toContain('struct sk_buff {');
    }
  });

  it('streamed in chunks: the same bytes as in one piece', () => {
    for (const engine of ['ts', 'wasm'] as const) {
      const chunks: Uint8Array[] = [];
      const r = dumpC(kernel, { engine, write: (c) => chunks.push(c.slice()) });
      expect(r.bytes.length).toBe(0);
      const whole = dumpC(kernel, { engine: 'ts' }).bytes;
      expect(Buffer.compare(Buffer.concat(chunks), Buffer.from(whole)), engine).toBe(0);
      expect(chunks.length).toBeGreaterThan(1);
    }
  });
});

describe('C dump twins agree on fuzzed BTFs', () => {
  it('20,000 mutants: same bytes, same error', () => {
    const seeds = [buildBtf(everyKind()), buildBtf(everyKind(), { endian: 'big' })];
    for (const o of corpusObjects().filter((x) => x.group === 'progs').slice(0, 2)) {
      const elf = parseElf(readObject(o));
      seeds.push(elf.data(btfSection(elf)).slice());
    }
    let dumped = 0;
    const check = (bytes: Uint8Array): void => {
      let btf: Btf;
      try {
        btf = parseBtf(bytes);
      } catch {
        return;
      }
      dumped++;
      both(btf, {}, 'mutant');
    };
    fuzzReader(seeds, check, { runs: 12_000, maxMsPerCase: 10_000, seed: 0xd0c });
    // header kept, so that the mutations land in records and strings
    seeds.forEach((seed, i) => fuzzBehindHeader(seed, 24, check, { runs: 2000, seed: 300 + i, maxMsPerCase: 10_000 }));
    expect(dumped).toBeGreaterThan(1000);
  });
});

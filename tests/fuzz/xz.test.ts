import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CorelabError } from '../../core-ts/errors.ts';
import { xzDecompress } from '../../core-ts/xz/index.ts';
import { applyEdits, editArb, fuzzReader } from '../support/mutate.ts';
import { requireTool } from '../support/tools.ts';

const RUNS = 100_000;
const XZ = requireTool('xz');

/** Small valid .xz files covering the container's paths: checks, blocks, streams, filters. */
function seeds(): Uint8Array[] {
  const text = new TextEncoder().encode(
    'struct task_struct { int pid; struct list_head tasks; unsigned long flags; };\n'.repeat(12) + 'bpf_core_read\0\x01\x02\xe8\0\0\0\0',
  );
  const noise = new Uint8Array(300);
  let x = 12345;
  for (let i = 0; i < noise.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    noise[i] = x >>> 24;
  }
  const both = new Uint8Array([...text, ...noise, ...text.subarray(0, 200)]);
  const xz = (args: string[], data: Uint8Array): Uint8Array =>
    new Uint8Array(execFileSync(XZ, [...args, '-c'], { input: data }));
  const two = [xz(['-6'], text), xz(['-0', '--check=crc32'], noise)];
  return [
    xz(['-6'], text),
    xz(['-0', '--check=crc32'], both),
    xz(['-6', '--check=none'], noise),
    xz(['-6', '--check=sha256'], text.subarray(0, 100)),
    xz(['-1', '--block-size=256', '-T2'], both),
    xz(['--delta=dist=3', '--x86', '--lzma2=preset=0'], both),
    xz(['--arm64=start=4096', '--lzma2=preset=0'], both),
    xz(['--armthumb', '--sparc', '--lzma2=preset=0', '--check=none'], both),
    new Uint8Array([...two[0]!, 0, 0, 0, 0, ...two[1]!]),
  ];
}

const SEEDS = seeds();

it(`xz decoder: ${RUNS} mutated inputs end in bytes or a CorelabError`, () => {
  const stats = fuzzReader(
    SEEDS,
    (input) => {
      try {
        xzDecompress(input, { maxOutput: 4 << 20 });
      } catch (e) {
        // a typed error must also say where: section 'xz' and an offset inside the input
        if (e instanceof CorelabError && (e.section !== 'xz' || e.offset === undefined || e.offset < 0 || e.offset > input.length)) {
          throw new Error(`CorelabError without a proper location: ${e.describe()} (input ${input.length} bytes)`);
        }
        throw e;
      }
    },
    { runs: RUNS, seed: 0x7a },
  );
  console.log(`xz fuzz: ${JSON.stringify(stats)}`);
  expect(stats.cases).toBe(RUNS);
  expect(stats.typedErrors).toBeGreaterThan(RUNS / 2);
}, 180_000);

/**
 * Differential: our verdict and output must match `xz -dc`. Few inputs, since each spawns xz;
 * drawn from many mutated cases so that both inputs we accept and inputs we reject are checked.
 */
it('xz decoder agrees with xz -dc on 100 accepted and 100 rejected mutated inputs', () => {
  const arb = fc
    .nat({ max: SEEDS.length - 1 })
    .chain((i) => fc.tuple(fc.constant(i), fc.array(editArb(SEEDS[i]!.length), { minLength: 1, maxLength: 3 })));
  const accepted = new Map<string, [Uint8Array, Uint8Array]>();
  const rejected = new Map<string, [Uint8Array, CorelabError]>();
  for (const [i, edits] of fc.sample(arb, { numRuns: 20_000, seed: 0xd1f })) {
    const input = applyEdits(SEEDS[i]!, edits);
    const key = Buffer.from(input).toString('base64');
    try {
      const out = xzDecompress(input);
      if (accepted.size < 100) accepted.set(key, [input, out]);
    } catch (e) {
      if (!(e instanceof CorelabError)) throw e;
      if (rejected.size < 100) rejected.set(key, [input, e]);
    }
    if (accepted.size >= 100 && rejected.size >= 100) break;
  }
  expect(accepted.size).toBe(100);
  expect(rejected.size).toBe(100);
  for (const [input, out] of accepted.values()) {
    const ref = spawnSync(XZ, ['-dc'], { input, maxBuffer: 64 << 20 });
    if (ref.status !== 0) throw new Error(`we accept, xz rejects (${ref.stderr.toString().trim()}): ${Buffer.from(input).toString('hex')}`);
    expect(Buffer.compare(Buffer.from(out), ref.stdout)).toBe(0);
  }
  for (const [input, e] of rejected.values()) {
    const ref = spawnSync(XZ, ['-dc'], { input, maxBuffer: 64 << 20 });
    if (ref.status === 0) throw new Error(`we reject (${e.describe()}), xz accepts: ${Buffer.from(input).toString('hex')}`);
  }
}, 180_000);

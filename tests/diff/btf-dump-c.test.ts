/**
 * `format c` against Debian's bpftool 7.1, run live: every corpus kernel BTF (modules
 * with -B on their base) and the .BTF of every corpus object must come out byte-identical.
 * Where bpftool refuses an input (no .BTF, a cycle), corelab must refuse it too and have
 * printed the same text up to that point.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../support/tools.ts';
import { ROOT, corelabDump, firstDifference, kernelInputs, objectInputs, type DumpInput } from './btf-dump-c-support.ts';

function bpftool(input: DumpInput): { text: string; ok: boolean; stderr: string } {
  const args = [...(input.base ? ['-B', input.base] : []), 'btf', 'dump', 'file', input.file, 'format', 'c'];
  const r = spawnSync(requireTool('bpftool'), args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { text: r.stdout, ok: r.status === 0, stderr: r.stderr };
}

function check(input: DumpInput): void {
  const want = bpftool(input);
  const got = corelabDump(input, 'bpftool-7.1');
  expect(got.error === undefined, `corelab error: ${got.error}; bpftool: ${want.ok ? 'ok' : want.stderr}`).toBe(want.ok);
  expect(firstDifference(want.text, got.text)).toBe('');
}

describe('btf dump format c vs bpftool 7.1', () => {
  const kernels = kernelInputs();
  const objects = objectInputs();

  it('has a corpus to compare', () => {
    expect(kernels.length).toBeGreaterThanOrEqual(7);
    expect(kernels.some((k) => k.base)).toBe(true);
    expect(objects.filter((o) => o.name.includes('btf_dump_test_case_')).length).toBeGreaterThanOrEqual(14);
  });

  for (const k of kernels) it(`kernel ${k.name}`, () => check(k));

  it(`all ${objects.length} corpus objects`, () => {
    const bad: string[] = [];
    for (const o of objects) {
      try {
        check(o);
      } catch (e) {
        bad.push(`${o.name}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    console.log(`btf dump format c: ${objects.length - bad.length} of ${objects.length} objects identical to bpftool 7.1`);
    expect(bad).toEqual([]);
  });

  // the same through the bundled CLI (npm test builds it first), on the .xz files themselves
  it('CLI: corelab btf dump file MODULE.btf.xz -B BASE.btf.xz format c', () => {
    const cli = join(ROOT, 'dist/corelab.mjs');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: npm run build:cli`);
    const mod = join(ROOT, 'tests/kernels/modules/debian-6.12.117-amd64--nf_conntrack.btf.xz');
    const base = join(ROOT, 'tests/kernels/debian-6.12.117-amd64.btf.xz');
    const input = kernels.find((k) => k.name === 'debian-6.12.117-amd64--nf_conntrack');
    if (!input) throw new Error('debian-6.12.117-amd64--nf_conntrack is not in the corpus');
    const got = spawnSync(process.execPath, [cli, 'btf', 'dump', 'file', mod, '-B', base, 'format', 'c'], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    expect(got.status, got.stderr).toBe(0);
    expect(firstDifference(bpftool(input).text, got.stdout)).toBe('');
  });
});

/**
 * `format c` against Debian's bpftool 7.1, run live: every corpus kernel BTF (modules
 * with -B on their base) and the .BTF of every corpus object must come out byte-identical.
 * Where bpftool refuses an input (no .BTF, a cycle), corelab must refuse it too and have
 * printed the same text up to that point.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../support/tools.ts';
import { corelabDump, firstDifference, kernelInputs, objectInputs, type DumpInput } from './btf-dump-c-support.ts';

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
});

/**
 * `--flavor libbpf-1.1` against libbpf-dev 1.1.2's own btf_dump, through the harness in
 * tests/oracle/btf-dump-c/ (built here with cc -lbpf): every corpus kernel and object,
 * and single-type dumps (`--type`) against the harness given root ids.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBtf } from '../../core-ts/btf/load.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { VMLINUX_EPILOGUE, VMLINUX_PREAMBLE, dumpC, findRootTypes } from '../../core-ts/dump-c/index.ts';
import { requireTool } from '../support/tools.ts';
import { CACHE, ROOT, corelabDump, firstDifference, kernelInputs, objectInputs, type DumpInput } from './btf-dump-c-support.ts';

const SRC = join(ROOT, 'tests/oracle/btf-dump-c/btf-dump-c.c');
const BIN = join(CACHE, 'btf-dump-c');

function harness(input: DumpInput, ids: number[] = []): { text: string; ok: boolean; stderr: string } {
  const args = [...(input.base ? ['-B', input.base] : []), input.file, ...ids.map(String)];
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { text: r.stdout, ok: r.status === 0, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync('/usr/include/bpf/btf.h')) throw new Error('libbpf-dev is not installed (/usr/include/bpf/btf.h)');
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(BIN) || statSync(BIN).mtimeMs < statSync(SRC).mtimeMs) {
    execFileSync(requireTool('cc'), ['-O2', '-Wall', '-o', BIN, SRC, '-lbpf'], { stdio: 'pipe' });
  }
});

function check(input: DumpInput): void {
  const want = harness(input);
  const got = corelabDump(input, 'libbpf-1.1');
  expect(got.error === undefined, `corelab error: ${got.error}; libbpf: ${want.ok ? 'ok' : want.stderr}`).toBe(want.ok);
  expect(firstDifference(want.text, got.text)).toBe('');
}

describe('btf dump format c --flavor libbpf-1.1 vs libbpf 1.1.2 btf_dump', () => {
  const kernels = kernelInputs();
  const objects = objectInputs();

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
    console.log(`libbpf-1.1 flavour: ${objects.length - bad.length} of ${objects.length} objects identical to libbpf 1.1.2`);
    expect(bad).toEqual([]);
  });

  // the playground's layout views dump one type and what it needs
  const roots = ['task_struct', 'struct sk_buff', 'bpf_attr', 'enum bpf_map_type', 'pid_t', 'struct file_operations'];
  let host: { k: DumpInput; btf: Btf } | undefined;
  it.each(roots)('--type %s on the 6.18 kernel', (spec) => {
    if (!host) {
      const k = kernels.find((x) => x.name === 'host-6.18-amd64');
      if (!k) throw new Error('host-6.18-amd64 is not in the corpus');
      host = { k, btf: loadBtf(new Uint8Array(readFileSync(k.file))).btf };
    }
    const { k, btf } = host;
    const ids = findRootTypes(btf, spec);
    const want = harness(k, ids);
    expect(want.ok, want.stderr).toBe(true);
    const got = dumpC(btf, { flavor: 'libbpf-1.1', roots: ids });
    expect(got.error).toBeUndefined();
    // more than the bare preamble and epilogue
    expect(got.text.length).toBeGreaterThan(VMLINUX_PREAMBLE.length + VMLINUX_EPILOGUE.length);
    expect(firstDifference(want.text, got.text)).toBe('');
  });
});

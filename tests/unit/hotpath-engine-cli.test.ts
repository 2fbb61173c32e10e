import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/** `corelab info --engine`: which hot path runs, and forcing it by flag or CORELAB_ENGINE. */
const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/corelab.mjs');
const KERNEL = join(ROOT, 'tests/kernels/host-6.18-amd64.btf.xz');

function run(args: string[], env: Record<string, string> = {}) {
  expect(existsSync(CLI), 'dist/corelab.mjs missing: npm run build:cli').toBe(true);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, CORELAB_ENGINE: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

it('reports WebAssembly by default in Node (name index in TS, the measured faster one)', () => {
  const r = run(['info', '--engine', '--json']);
  expect(r.code).toBe(0);
  const e = JSON.parse(r.out).engine;
  expect(e.wasmAvailable).toBe(true);
  expect(e.active).toBe('wasm');
  expect(e.why).toMatch(/^WebAssembly \(auto/);
  expect(e.functions).toEqual({ scanTypes: 'wasm', nameIndex: 'ts', patchInsns: 'wasm', cDump: 'wasm' });
  const forced = JSON.parse(run(['info', '--engine', 'wasm', '--json']).out).engine;
  expect(forced.functions).toEqual({ scanTypes: 'wasm', nameIndex: 'wasm', patchInsns: 'wasm', cDump: 'wasm' });
});

it('--engine ts and CORELAB_ENGINE=ts force the twin; a file still reads the same', () => {
  expect(run(['info', '--engine', 'ts']).out).toMatch(/^engine: TypeScript \(forced\)\n/);
  expect(JSON.parse(run(['info', '--engine', '--json'], { CORELAB_ENGINE: 'ts' }).out).engine.active).toBe('ts');
  const ts = run(['info', '--engine', 'ts', KERNEL]);
  const wasm = run(['info', '--engine', 'wasm', KERNEL]);
  expect(ts.code).toBe(0);
  expect(ts.out.split('\n').slice(3)).toEqual(wasm.out.split('\n').slice(3));
  expect(ts.out).toContain('vmlinux BTF');
});

it('CORELAB_ENGINE=ts dumps format c with the TypeScript twin, byte-identical to the default (WebAssembly)', () => {
  expect(JSON.parse(run(['info', '--engine', '--json'], { CORELAB_ENGINE: 'ts' }).out).engine.functions.cDump).toBe('ts');
  const args = ['btf', 'dump', 'file', KERNEL, 'format', 'c'];
  const ts = run(args, { CORELAB_ENGINE: 'ts' });
  const wasm = run(args);
  expect(ts.code).toBe(0);
  expect(wasm.code).toBe(0);
  expect(ts.out.length).toBeGreaterThan(1_000_000);
  expect(ts.out === wasm.out).toBe(true);
});

it('refuses a bad CORELAB_ENGINE with a usage error', () => {
  const r = run(['info', '--engine'], { CORELAB_ENGINE: 'fast' });
  expect(r.code).toBe(2);
  expect(r.err).toContain("CORELAB_ENGINE must be ts, wasm or auto (got 'fast')");
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands/index.ts';
import { loadBtf } from '../../core-ts/btf/load.ts';
import { dumpJson } from '../../core-ts/btf/dump-json.ts';
import { requireTool } from '../support/tools.ts';

/**
 * The command index (names and summaries, modules loaded on demand) and the bundled CLI's
 * ending: it exits as soon as its output is out, which must never cut piped output short.
 */
const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/corelab.mjs');
const KERNELS = join(ROOT, 'tests/kernels');
const BASE = join(KERNELS, 'debian-6.12.117-amd64.btf.xz');
const MODULE = join(KERNELS, 'modules/debian-6.12.117-amd64--nf_conntrack.btf.xz');

function cli(args: string[]) {
  expect(existsSync(CLI), 'dist/corelab.mjs missing: npm run build:cli').toBe(true);
  const r = spawnSync(process.execPath, [CLI, ...args], { maxBuffer: 1 << 30, env: { ...process.env, CORELAB_TIMINGS: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr.toString('utf8') };
}

it('every command in the index loads a module whose usage starts with its name', async () => {
  const seen = new Set<string>();
  for (const entry of COMMANDS) {
    const name = entry.name.join(' ');
    expect(seen.has(name), `${name} listed twice`).toBe(false);
    seen.add(name);
    expect(entry.summary.length).toBeGreaterThan(0);
    const cmd = await entry.load();
    expect(typeof cmd.run).toBe('function');
    expect(cmd.usage.startsWith(`corelab ${name} `), cmd.usage).toBe(true);
  }
});

it('the bundle lists every command and loads each one on demand', async () => {
  const help = cli(['help']);
  expect(help.code).toBe(0);
  const text = help.out.toString('utf8');
  for (const entry of COMMANDS) {
    expect(text).toContain(`  ${entry.name.join(' ').padEnd(18)} ${entry.summary}\n`);
    const r = cli([...entry.name, '--help']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.toString('utf8')).toBe(`usage: ${(await entry.load()).usage}\n`);
  }
  const unknown = cli(['frobnicate']);
  expect(unknown.code).toBe(2);
  expect(unknown.err).toMatch(/^corelab: unknown command 'frobnicate'\n/);
});

it('piped output is complete: a 6.18 raw dump through a pipe is bpftool\'s, byte for byte', () => {
  // written with writeSync in 128 KB pieces, far past a pipe's buffer, then the process exits
  const raw = join(ROOT, 'tests/kernels/host-6.18-amd64.btf.xz');
  const xz = spawnSync('xz', ['-dc', raw], { maxBuffer: 1 << 30 });
  expect(xz.status).toBe(0);
  // bpftool reads raw BTF only from a file
  const dir = join(ROOT, '.cache');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'cli-commands-6.18.btf');
  writeFileSync(file, xz.stdout);
  const ref = spawnSync(requireTool('bpftool'), ['btf', 'dump', 'file', file], { maxBuffer: 1 << 30 });
  expect(ref.status).toBe(0);
  const ours = cli(['btf', 'dump', 'file', file]);
  expect(ours.code, ours.err).toBe(0);
  expect(ours.out.length).toBe(ref.stdout.length);
  expect(Buffer.compare(ours.out, ref.stdout)).toBe(0);
});

it('piped output is complete: a JSON dump written through process.stdout is whole', () => {
  // --json goes through the stream, not writeSync: the early exit must wait for it
  const ours = cli(['btf', 'dump', 'file', MODULE, '-B', BASE, '--json']);
  expect(ours.code, ours.err).toBe(0);
  const base = loadBtf(readFileSync(BASE)).btf;
  const expected = dumpJson(loadBtf(readFileSync(MODULE), { base }).btf);
  expect(ours.out.length).toBe(Buffer.byteLength(expected));
  expect(ours.out.toString('utf8')).toBe(expected);
});

/**
 * `corelab share` / `corelab share open`. The playground side is the playground's own engine
 * (web/src/engine/worker.ts, run in Node over a MessageChannel through Comlink, as the page runs it):
 * the CLI's link and case file for a case must be byte-identical to the ones the playground makes
 * for the same files, and each side must open the other's. Round trips must relocate as the
 * original does (`relocate --json`); a minimized kernel must reproduce every outcome (outcomeDiffs);
 * damage gives a typed CorelabError (exit 2 from the bundle).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/args.ts';
import { command as relocate } from '../../cli/commands/relocate.ts';
import { command as share } from '../../cli/commands/share.ts';
import { loadBtf } from '../../core-ts/btf/load.ts';
import { makeTargetSet } from '../../core-ts/core/candidates.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import { CorelabError } from '../../core-ts/errors.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import type { CaseBundle } from '../../core-ts/share/bundle.ts';
import { LINK_BUDGET, caseToFile, caseToFragment, fileToCase, fragmentToCase, hex } from '../../core-ts/share/link.ts';
import { outcomeDiffs } from '../../core-ts/share/minimize.ts';
import { sha256 } from '../../core-ts/xz/sha256.ts';
import type { EngineApi } from '../../web/src/engine/protocol.ts';
import { bundledByHash } from '../../web/src/ui/samples.ts';
import type { SamplesIndex } from '../../web/src/ui/samples.ts';
import { REPO_ROOT } from '../corpus.ts';

const SAMPLES = join(REPO_ROOT, 'public/samples');
const PROGS = join(REPO_ROOT, '.cache/corpus/progs/bpf');
const KERNELS = join(REPO_ROOT, 'tests/kernels');
const ARM64 = join(KERNELS, 'debian-6.1.0-50-arm64.btf.xz'); // not bundled with the playground
const K612 = join(KERNELS, 'debian-6.12.117-amd64.btf.xz'); // bundled (same bytes as public/samples')
const NF = join(KERNELS, 'modules/debian-6.12.117-amd64--nf_conntrack.btf.xz');
const CLI = join(REPO_ROOT, 'dist/corelab.mjs');
const samplesIndex = JSON.parse(readFileSync(join(SAMPLES, 'index.json'), 'utf8')) as SamplesIndex;
const BUNDLED = [...bundledByHash(samplesIndex).keys()];

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'corelab-share-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command in-process, capturing what it prints; files are real. */
async function run(cmd: typeof share, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    readFile: (p) => new Uint8Array(readFileSync(p)),
    writeFile: (p, d) => writeFileSync(p, d),
  };
  const code = await cmd.run(argv, io);
  return { code, out, err };
}

async function typedError(f: () => Promise<unknown>): Promise<CorelabError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(CorelabError);
    return e as CorelabError;
  }
  throw new Error('expected a CorelabError, nothing was thrown');
}

const relocJson = async (argv: string[]): Promise<string> => (await run(relocate, [...argv, '--json'])).out;
const fragmentOf = (url: string): string => url.trim().slice(url.indexOf('#') + 1);
const digest = (b: Uint8Array): string => `${b.length}:${hex(sha256(b))}`;

// ---- the playground's engine, in Node --------------------------------------------------------

let engine: Comlink.Remote<EngineApi>;
let channel: MessageChannel;
beforeAll(async () => {
  // the worker exposes its api on its global scope: give it one end of a channel
  channel = new MessageChannel();
  const port = channel.port1;
  const g = globalThis as unknown as Record<string, unknown>;
  g.addEventListener = (t: string, l: (e: unknown) => void) => port.addEventListener(t, l as never);
  g.removeEventListener = (t: string, l: (e: unknown) => void) => port.removeEventListener(t, l as never);
  g.postMessage = (m: unknown, tr?: Transferable[]) => port.postMessage(m, tr as never);
  port.start();
  await import('../../web/src/engine/worker.ts');
  engine = Comlink.wrap<EngineApi>(channel.port2 as unknown as Comlink.Endpoint);
});
afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(`playground engine: ${r.error.message}`);
  return r.value;
}

/** The playground's share of these files (dropped in this order), with this UI state. */
async function playgroundShare(files: readonly string[], ui: CaseBundle['ui']) {
  await engine.clear();
  for (const f of files) unwrap(await engine.addFile(f.split('/').pop()!, new Uint8Array(readFileSync(f))));
  unwrap(await engine.relocate());
  return unwrap(await engine.share(BUNDLED, ui));
}

// ---- cases -----------------------------------------------------------------------------------

interface Case {
  readonly id: string;
  readonly obj: string;
  readonly btf: string;
  readonly modules?: readonly string[];
  /** inputs carried by value in the link */
  readonly byValue: number;
  readonly minimized: boolean;
}

const CASES: readonly Case[] = [
  { id: 'sample object × bundled kernel', obj: join(SAMPLES, 'task_exe.bpf.o'), btf: join(SAMPLES, 'kernels/host-6.18-amd64.btf.xz'), byValue: 0, minimized: false },
  { id: 'sample object × bundled kernel (poisoned)', obj: join(SAMPLES, 'file_times.bpf.o'), btf: K612, byValue: 0, minimized: false },
  { id: 'own object × dropped arm64 kernel', obj: join(PROGS, 'core_fields.bpf.o'), btf: ARM64, byValue: 2, minimized: true },
  { id: 'own object × bundled kernel + module', obj: join(PROGS, 'edge_module.bpf.o'), btf: K612, modules: [NF], byValue: 2, minimized: false },
];

const shareArgv = (c: Case): string[] => [c.obj, '--btf', c.btf, ...(c.modules ?? []).flatMap((m) => ['--module', m])];

describe('corelab share makes what the playground makes', () => {
  for (const c of CASES) {
    it(`${c.id}: same link and case file as the playground's engine`, async () => {
      const casePath = join(work, `${c.id.replace(/\W+/g, '-')}.corelab`);
      const r = await run(share, [...shareArgv(c), '--case', casePath]);
      expect(r.code, r.err).toBe(0);
      expect(r.out.startsWith('http://127.0.0.1:4173/#v1.')).toBe(true);
      const fragment = fragmentOf(r.out);
      const ours = await fragmentToCase(fragment);
      expect(ours.inputs.filter((i) => i.bytes).length).toBe(c.byValue);
      expect(ours.inputs.some((i) => i.minimizedFrom)).toBe(c.minimized);

      const pg = await playgroundShare([c.obj, c.btf, ...(c.modules ?? [])], ours.ui);
      expect(pg.fragment).toBeDefined();
      expect(fragment).toBe(pg.fragment);
      expect(digest(new Uint8Array(readFileSync(casePath)))).toBe(digest(pg.file));
      expect(pg.minimized !== undefined).toBe(c.minimized);
    });

    it(`${c.id}: the playground opens the CLI's link to the same files \`share open\` writes`, async () => {
      const r = await run(share, shareArgv(c));
      const pg = unwrap(await engine.openCase(fragmentOf(r.out)));
      const dir = join(work, `open-${c.id.replace(/\W+/g, '-')}`);
      const o = await run(share, ['open', r.out.trim(), '-o', dir]);
      expect(o.code, o.err).toBe(0);
      const bundled = bundledByHash(samplesIndex);
      // the playground fetches by-reference inputs from samples/: the same files by sha256
      const theirs = [
        ...pg.byRef.map((x) => ({ name: x.name, bytes: digest(new Uint8Array(readFileSync(join(SAMPLES, bundled.get(x.sha256)!.path)))) })),
        ...pg.byValue.map((x) => ({ name: x.name, bytes: digest(x.bytes) })),
      ].sort((a, b) => a.name.localeCompare(b.name));
      const written = theirs.map((x) => ({ name: x.name, bytes: digest(new Uint8Array(readFileSync(join(dir, x.name.split('/').pop()!)))) }));
      expect(written).toEqual(theirs);
    });

    it(`${c.id}: the playground's link and case file open with \`share open\` and relocate as the originals`, async () => {
      const want = await relocJson(shareArgv(c));
      const pg = await playgroundShare([c.obj, c.btf, ...(c.modules ?? [])], { tab: 'log' });
      const caseFile = join(work, `pg-${c.id.replace(/\W+/g, '-')}.corelab`);
      writeFileSync(caseFile, pg.file);
      // the case file carries (or references) every file whole: relocation is identical
      const dir = join(work, `pg-open-${c.id.replace(/\W+/g, '-')}`);
      const o = await run(share, ['open', caseFile, '-o', dir]);
      expect(o.code, o.err).toBe(0);
      const words = o.out.trim().split(' ');
      expect(words.slice(0, 2)).toEqual(['corelab', 'relocate']);
      expect(await relocJson(words.slice(2))).toBe(want);

      // the link: identical too unless its kernel was minimized, which renumbers target ids
      const dirL = join(work, `pg-link-${c.id.replace(/\W+/g, '-')}`);
      const l = await run(share, ['open', `#${pg.fragment!}`, '-o', dirL]);
      expect(l.code, l.err).toBe(0);
      const lw = l.out.trim().split(' ').slice(2);
      if (!c.minimized) expect(await relocJson(lw)).toBe(want);
      const full = JSON.parse(want) as { relocations: { status: string }[] };
      const again = JSON.parse(await relocJson(lw)) as { relocations: { status: string }[] };
      expect(again.relocations.map((x) => x.status)).toEqual(full.relocations.map((x) => x.status));
    });
  }

  it('without -o, `share open` lists every input with its size and sha256', async () => {
    const r = await run(share, shareArgv(CASES[3]!));
    const l = await run(share, ['open', r.out.trim()]);
    expect(l.code).toBe(0);
    for (const f of [CASES[3]!.obj, K612, NF]) {
      const b = readFileSync(f);
      expect(l.out).toContain(`${f.split('/').pop()}  ${b.length} bytes  sha256 ${hex(sha256(new Uint8Array(b)))}`);
    }
    expect(l.out).toContain('module nf_conntrack');
  });

  it('--module NAME=PATH: the module travels under a file name the playground reads NAME from', async () => {
    const obj = join(PROGS, 'edge_module.bpf.o');
    const r = await run(share, [obj, '--btf', K612, '--module', `nfc=${NF}`]);
    expect(r.code, r.err).toBe(0);
    const b = await fragmentToCase(fragmentOf(r.out));
    expect(b.inputs[2]).toMatchObject({ role: 'module', name: 'nfc.btf.xz', module: 'nfc' });
    // the playground, given that file under that name, makes the same link
    const copy = join(work, 'nfc.btf.xz');
    writeFileSync(copy, readFileSync(NF));
    expect((await playgroundShare([obj, K612, copy], b.ui)).fragment).toBe(fragmentOf(r.out));
    const dir = join(work, 'renamed');
    const o = await run(share, ['open', r.out.trim(), '-o', dir]);
    expect(o.out.trim()).toBe(`corelab relocate ${join(dir, 'edge_module.bpf.o')} --btf ${join(dir, 'debian-6.12.117-amd64.btf.xz')} --module nfc=${join(dir, 'nfc.btf.xz')}`);
    expect(await relocJson(o.out.trim().split(' ').slice(2))).toBe(await relocJson([obj, '--btf', K612, '--module', `nfc=${NF}`]));
  });

  it('--base-url replaces the address before "#"', async () => {
    const r = await run(share, [...shareArgv(CASES[0]!), '--base-url', 'https://example.org/corelab/#old']);
    expect(r.out.startsWith('https://example.org/corelab/#v1.')).toBe(true);
  });
});

describe('the minimized kernel reproduces every relocation outcome', () => {
  const arm64 = loadBtf(readFileSync(ARM64)).btf;
  for (const name of ['core_fields', 'core_arrays', 'core_enums', 'core_types', 'edge_bitfields', 'edge_fields', 'edge_names', 'edge_zero_arr']) {
    it(`${name} × debian-6.1 arm64`, async () => {
      const path = join(PROGS, `${name}.bpf.o`);
      const r = await run(share, [path, '--btf', ARM64]);
      expect(r.code, r.err).toBe(0);
      const b = await fragmentToCase(fragmentOf(r.out));
      const k = b.inputs.find((i) => i.role === 'vmlinux')!;
      expect(k.minimizedFrom?.sha256).toBe(hex(sha256(new Uint8Array(readFileSync(ARM64)))));
      // relocated from the link's bytes, independently of the CLI's own check
      const obj = parseBpfObject(b.inputs.find((i) => i.role === 'object')!.bytes!);
      const full = relocateObject(parseBpfObject(new Uint8Array(readFileSync(path))), makeTargetSet(arm64));
      const min = relocateObject(obj, makeTargetSet(loadBtf(k.bytes!).btf));
      expect(full.relocations.length).toBeGreaterThan(0);
      expect(outcomeDiffs(full, min)).toEqual([]);
    });
  }

  it('--base: a split BTF on its base travels as one minimized BTF that reproduces every outcome', async () => {
    const path = join(PROGS, 'edge_module.bpf.o');
    const casePath = join(work, 'base.corelab');
    const r = await run(share, [path, '--btf', NF, '--base', K612, '--case', casePath]);
    expect(r.code, r.err).toBe(0);
    const base = loadBtf(readFileSync(K612)).btf;
    const full = relocateObject(parseBpfObject(new Uint8Array(readFileSync(path))), makeTargetSet(loadBtf(readFileSync(NF), { base }).btf));
    for (const b of [await fragmentToCase(fragmentOf(r.out)), await fileToCase(new Uint8Array(readFileSync(casePath)))]) {
      expect(b.inputs.map((i) => i.role)).toEqual(['object', 'vmlinux']);
      const k = b.inputs[1]!;
      expect(k.minimizedFrom?.name).toBe('debian-6.12.117-amd64--nf_conntrack.btf.xz');
      const min = relocateObject(parseBpfObject(b.inputs[0]!.bytes!), makeTargetSet(loadBtf(k.bytes!).btf));
      expect(outcomeDiffs(full, min)).toEqual([]);
    }
  });
});

describe('a case over the link budget', () => {
  it('with nothing bundled and a module (no minimization), the link is over 32K: warned, case file recommended', async () => {
    const c = CASES[3]!;
    const r = await run(share, [...shareArgv(c), '--samples', '']);
    expect(r.code).toBe(0);
    expect(r.out.trim().length).toBeGreaterThan(LINK_BUDGET);
    expect(r.err).toContain(`over the ${LINK_BUDGET}-character budget`);
    expect(r.err).toContain('--case OUT.corelab');
    expect(r.err).toContain('could not be minimized: module BTFs are loaded');
    const casePath = join(work, 'big.corelab');
    const w = await run(share, [...shareArgv(c), '--samples', '', '--case', casePath]);
    expect(w.err).toContain(`Share the case file ${casePath} instead`);
    // a link under the budget is not warned about
    const small = await run(share, shareArgv(c));
    expect(small.out.trim().length).toBeLessThanOrEqual(LINK_BUDGET);
    expect(small.err).not.toContain('budget');
  });
});

describe('damaged or unknown cases are typed errors', () => {
  let url = '';
  beforeAll(async () => {
    url = (await run(share, shareArgv(CASES[2]!))).out.trim();
  });
  const open = (arg: string, ...rest: string[]) => run(share, ['open', arg, ...rest]);

  it('a link cut in the middle', async () => {
    const e = await typedError(() => open(url.slice(0, Math.floor(url.length / 2))));
    expect(['truncated', 'invalid']).toContain(e.kind);
    expect(e.section).toBe('link');
  });
  it('a link without its check', async () => {
    const e = await typedError(() => open(url.slice(0, url.lastIndexOf('.'))));
    expect(e.kind).toBe('truncated');
  });
  it('a link with one character changed (wrong CRC)', async () => {
    const at = url.indexOf('#v1.') + 40;
    const bad = url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1);
    const e = await typedError(() => open(bad));
    expect(e.kind).toBe('invalid');
    expect(e.message).toMatch(/checksum/);
  });
  it('an unknown version', async () => {
    const e = await typedError(() => open(url.replace('#v1.', '#v9.')));
    expect(e.kind).toBe('bad-version');
  });
  it('a URL without a fragment', async () => {
    const e = await typedError(() => open('http://127.0.0.1:4173/'));
    expect(e.kind).toBe('invalid');
  });
  it('a case referencing a bundled file by a sha256 nobody bundles', async () => {
    const b = await fragmentToCase(fragmentOf(url));
    const unknown: CaseBundle = { ...b, inputs: b.inputs.map((i) => (i.role === 'vmlinux' ? { role: i.role, name: 'gone.btf.xz', sha256: 'ab'.repeat(32), size: 1234 } : i)) };
    const e = await typedError(async () => open(`#${await caseToFragment(unknown)}`));
    expect(e.kind).toBe('not-found');
    expect(e.message).toContain('ab'.repeat(32));
  });
  it("a case whose carried bytes do not match their sha256", async () => {
    const b = await fragmentToCase(fragmentOf(url));
    const lying: CaseBundle = { ...b, inputs: b.inputs.map((i) => (i.role === 'object' ? { ...i, sha256: '00'.repeat(32) } : i)) };
    const file = join(work, 'lying.corelab');
    writeFileSync(file, await caseToFile(lying));
    const e = await typedError(() => open(file, '-o', join(work, 'lying')));
    expect(e.kind).toBe('invalid');
    expect(existsSync(join(work, 'lying'))).toBe(false);
  });
  it('a case file cut short, and a file that is no case', async () => {
    const good = await caseToFile(await fragmentToCase(fragmentOf(url)));
    const cut = join(work, 'cut.corelab');
    writeFileSync(cut, good.subarray(0, good.length >> 1));
    await typedError(() => open(cut));
    const e = await typedError(() => open(join(PROGS, 'core_fields.bpf.o')));
    expect(e.kind).toBe('bad-magic');
  });
  it('a file holding a link opens like the link', async () => {
    const f = join(work, 'link.txt');
    writeFileSync(f, url + '\n');
    const r = await open(f);
    expect(r.out).toContain('core_fields.bpf.o');
  });
});

describe('the bundled CLI', () => {
  const cli = (args: string[]) => {
    expect(existsSync(CLI), 'dist/corelab.mjs missing: npm run build:cli').toBe(true);
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  it('shares, opens and reproduces; damage exits 2 with the error kind', () => {
    const dir = join(work, 'bundle');
    mkdirSync(dir, { recursive: true });
    const s = cli(['share', join(SAMPLES, 'file_times.bpf.o'), '--btf', K612]);
    expect(s.code, s.err).toBe(0);
    const o = cli(['share', 'open', s.out.trim(), '-o', dir]);
    expect(o.code, o.err).toBe(0);
    // both files bundled: resolved from public/samples by the bundle too
    expect(o.out.trim()).toBe(`corelab relocate ${join(dir, 'file_times.bpf.o')} --btf ${join(dir, 'debian-6.12.117-amd64.btf.xz')}`);
    const bad = cli(['share', 'open', s.out.trim().replace('#v1.', '#v2.')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/\[bad-version\]\n$/);
  });
});

/**
 * The playground in real Chromium (Debian's, through playwright-core). Expected values come
 * from the CLI (`corelab relocate --json`, itself checked against libbpf 1.1.2 elsewhere) and
 * from bpftool 7.1, run live here; nothing is typed in by hand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT, tableRows, waitForTable } from './harness.ts';
import { usePlayground } from './setup.ts';
import type { Server } from './harness.ts';

const SAMPLES = join(ROOT, 'public/samples');
let server: Server;
let browser: Browser;
/** every URL any page of these tests asked for */
const requested: string[] = [];

interface CliRelo {
  section: string;
  index: number;
  program: string | null;
  kind: string;
  status: string;
  new_value: string | null;
  patches: { insn: number; what: string; from: string; to: string }[];
}

function cliRelocate(obj: string, btf: string): { relocations: CliRelo[]; log: string[] } {
  // exit 1 is a load libbpf + the kernel would refuse (a reachable poisoned insn): still a result
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/corelab.mjs'), 'relocate', obj, '--btf', btf, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`corelab relocate ${obj} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function newPage(query = ''): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + query);
  return { ctx, page, errors };
}

const file = (path: string) => ({ name: path.split('/').pop()!, mimeType: 'application/octet-stream', buffer: readFileSync(path) });

usePlayground(4181, (s, b) => {
  server = s;
  browser = b;
});

describe('playground in Chromium', () => {
  test('runs in the system Chromium, not a downloaded one', async () => {
    const { ctx, page } = await newPage('?empty');
    const ua = await page.evaluate(() => navigator.userAgent);
    expect(ua).toMatch(/Chrome\/\d+/);
    expect(browser.version()).toBe(spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout.match(/[\d.]+/)![0]);
    await ctx.close();
  });

  for (const [obj, kernel] of [
    ['task_exe.bpf.o', 'host-6.18-amd64.btf.xz'],
    ['file_times.bpf.o', 'debian-6.12.117-amd64.btf.xz'],
    ['file_times.bpf.o', 'debian-6.1.0-56-amd64.btf.xz'],
  ] as const) {
    test(`drop ${obj} + ${kernel}: the same relocations and values as corelab relocate --json`, async () => {
      const objPath = join(SAMPLES, obj);
      const btfPath = join(SAMPLES, 'kernels', kernel);
      const cli = cliRelocate(objPath, btfPath);
      const { ctx, page, errors } = await newPage('?empty');
      await page.locator('body').drop({ files: [file(objPath), file(btfPath)] });
      await waitForTable(page, cli.relocations.length);
      const rows = await tableRows(page);
      expect(rows).toEqual(
        cli.relocations.map((r) => ({ key: `${r.section}#${r.index}`, status: r.status, kind: r.kind, newValue: r.new_value ?? '' })),
      );
      // both files were told apart by content
      await expect.poll(() => page.locator('[data-testid="file-object"]').count()).toBe(1);
      await expect.poll(() => page.locator('[data-testid="file-vmlinux"]').count()).toBe(1);
      // the raw log pane shows libbpf's lines verbatim
      await page.getByRole('tab', { name: 'libbpf log' }).click();
      expect(await page.locator('[data-testid="libbpf-log"]').textContent()).toBe(cli.log.join('\n'));
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }

  test('the diff editor marks exactly the patched instructions, and Monaco sees changes only there', async () => {
    const cli = cliRelocate(join(SAMPLES, 'task_exe.bpf.o'), join(SAMPLES, 'kernels/host-6.18-amd64.btf.xz'));
    const { ctx, page } = await newPage();
    await waitForTable(page, cli.relocations.length);
    await page.waitForSelector('[data-testid="diff-editor"][data-diff-ready="yes"]', { timeout: 60_000 });
    const d = await page.evaluate(() => (window as unknown as { __corelabEditors: { diff: () => unknown } }).__corelabEditors.diff()) as {
      changed: number[];
      marked: number[];
      lines: { fn: string; insn: number; slots: number; valueChanged: boolean }[];
    };
    // every CLI patch lands on a marked line, and every marked line holds a CLI patch
    const patches = cli.relocations.flatMap((r) => r.patches.map((p) => ({ fn: r.program!, insn: p.insn, changes: p.what === 'poison' || p.from !== p.to })));
    const lineOf = (p: { fn: string; insn: number }) => d.lines.findIndex((l) => l.fn === p.fn && p.insn >= l.insn && p.insn < l.insn + l.slots);
    for (const p of patches) expect(lineOf(p), `patch ${p.fn}+${p.insn}`).toBeGreaterThanOrEqual(0);
    for (const [i, l] of d.lines.entries()) expect(patches.some((p) => lineOf(p) === i), `marked line ${l.fn}+${l.insn}`).toBe(true);
    // Monaco's own diff: changed lines are marked lines, and every marked line whose bytes changed is a change
    expect(d.changed.length).toBeGreaterThan(0);
    for (const n of d.changed) expect(d.marked).toContain(n);
    const mustChange = d.marked.filter((_, i) => d.lines[i]!.valueChanged);
    for (const n of mustChange) expect(d.changed).toContain(n);
    await ctx.close();
  });

  test('a share link opened in a fresh page gives the same table and selection', async () => {
    const { ctx, page } = await newPage('?sample=file_times&kernel=debian-6.12');
    await waitForTable(page);
    const rows = await tableRows(page);
    await page.locator(`[data-testid="relo-table"] tbody tr[data-key="${rows[3]!.key}"]`).click();
    await page.getByRole('button', { name: 'Share link' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#v1.'));
    const link = page.url();
    expect(link.length).toBeLessThan(32 * 1024);
    await ctx.close();

    const fresh = await newPage();
    await fresh.page.goto(link);
    await waitForTable(fresh.page, rows.length);
    expect(await tableRows(fresh.page)).toEqual(rows);
    await expect.poll(() => fresh.page.locator('[data-testid="relo-table"] tr.selected').getAttribute('data-key')).toBe(rows[3]!.key);
    await fresh.ctx.close();
  });

  test('a link with a dropped (non-bundled) kernel carries it minimized and reproduces the table', async () => {
    const btfPath = join(ROOT, 'tests/kernels/debian-6.1.0-50-arm64.btf.xz');
    const cli = cliRelocate(join(SAMPLES, 'task_exe.bpf.o'), btfPath);
    const { ctx, page } = await newPage('?empty');
    await page.locator('body').drop({ files: [file(join(SAMPLES, 'task_exe.bpf.o')), file(btfPath)] });
    await waitForTable(page, cli.relocations.length);
    const rows = await tableRows(page);
    await page.getByRole('button', { name: 'Share link' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#v1.'));
    const link = page.url();
    // the 1 MB kernel would need about 1.4 MB of link; minimized, the case fits the budget
    expect(link.length).toBeLessThan(32 * 1024);
    await ctx.close();

    const fresh = await newPage();
    await fresh.page.goto(link);
    await waitForTable(fresh.page, rows.length);
    // target type ids are renumbered in a minimized BTF: those values alone may differ
    const masked = (rs: typeof rows) => rs.map((r) => (r.kind === 'target_type_id' ? { ...r, newValue: r.newValue === '0' ? '0' : 'id' } : r));
    expect(masked(await tableRows(fresh.page))).toEqual(masked(rows));
    expect(await fresh.page.locator('[data-testid="file-vmlinux"]').textContent()).toContain('.min.btf');
    await fresh.ctx.close();
  });

  test('a dropped case file and a link that carries the object by value reproduce the table', async () => {
    // a copy with one byte of padding changes the hash, so the object cannot be referenced
    const dir = mkdtempSync(join(tmpdir(), 'corelab-case-'));
    const obj = join(dir, 'mine.bpf.o');
    writeFileSync(obj, readFileSync(join(SAMPLES, 'file_times.bpf.o')));
    const { ctx, page } = await newPage('?empty');
    await page.locator('body').drop({ files: [{ name: 'mine.bpf.o', mimeType: 'application/octet-stream', buffer: Buffer.concat([readFileSync(obj), Buffer.alloc(8)]) }, file(join(SAMPLES, 'kernels/debian-6.1.0-56-amd64.btf.xz'))] });
    await waitForTable(page);
    const rows = await tableRows(page);
    await page.getByRole('button', { name: 'Share link' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#v1.'));
    const link = page.url();
    const dl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download case file' }).click();
    const casePath = join(dir, 'case.corelab');
    await (await dl).saveAs(casePath);
    await ctx.close();

    const a = await newPage();
    await a.page.goto(link);
    await waitForTable(a.page, rows.length);
    expect(await tableRows(a.page)).toEqual(rows);
    await a.ctx.close();

    const b = await newPage('?empty');
    await b.page.locator('body').drop({ files: [file(casePath)] });
    await waitForTable(b.page, rows.length);
    expect(await tableRows(b.page)).toEqual(rows);
    await b.ctx.close();
  });

  test('a corrupt file gives a clear message, and the page still works', async () => {
    const { ctx, page, errors } = await newPage('?empty');
    const elf = readFileSync(join(SAMPLES, 'task_exe.bpf.o'));
    await page.locator('body').drop({ files: [{ name: 'broken.bpf.o', mimeType: 'application/octet-stream', buffer: elf.subarray(0, 100) }] });
    const msg = page.locator('[data-testid="msg-error"]').first();
    await msg.waitFor({ timeout: 30_000 });
    const text = (await msg.textContent())!;
    expect(text).toContain('broken.bpf.o');
    expect(text).toMatch(/\[(truncated|out-of-bounds|invalid)\]/);
    await page.locator('body').drop({ files: [{ name: 'noise.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('hello, not a BTF') }] });
    await expect.poll(async () => (await page.locator('[data-testid="msg-error"]').allTextContents()).join('\n')).toContain('[bad-magic]');
    // the page is still usable: the good files load and relocate
    await page.locator('body').drop({ files: [file(join(SAMPLES, 'task_exe.bpf.o')), file(join(SAMPLES, 'kernels/debian-6.1.0-56-amd64.btf.xz'))] });
    await waitForTable(page);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  test('vmlinux.h in the editor is byte-identical to bpftool btf dump format c', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corelab-vmh-'));
    const raw = join(dir, 'vmlinux.btf');
    writeFileSync(raw, execFileSync('xz', ['-dc', join(SAMPLES, 'kernels/debian-6.1.0-56-amd64.btf.xz')], { maxBuffer: 1 << 28 }));
    const expected = execFileSync('/usr/sbin/bpftool', ['btf', 'dump', 'file', raw, 'format', 'c'], { maxBuffer: 1 << 28, encoding: 'utf8' });
    const { ctx, page } = await newPage('?sample=task_exe&kernel=debian-6.1');
    await waitForTable(page);
    await page.getByRole('tab', { name: 'vmlinux.h' }).click();
    await page.waitForSelector('[data-testid="vmlinux-editor"] .view-lines', { timeout: 90_000 });
    await page.waitForFunction(() => ((window as unknown as { __corelabEditors: { headerText?: () => string | undefined } }).__corelabEditors.headerText?.() ?? '').length > 0, null, { timeout: 60_000 });
    const text = await page.evaluate(() => (window as unknown as { __corelabEditors: { headerText: () => string } }).__corelabEditors.headerText());
    expect(text.length).toBe(expected.length);
    expect(text === expected).toBe(true);
    // go-to-type lands on the definition
    await page.getByLabel('Go to type').fill('task_struct');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    // Monaco renders spaces as U+00A0
    await expect.poll(async () => ((await page.locator('[data-testid="vmlinux-editor"] .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ')).toContain('struct task_struct {');
    await ctx.close();
  });

  test('a hung worker gives the timeout message, is restarted, and the case comes back', async () => {
    const { ctx, page } = await newPage('?watchdog=3000');
    await waitForTable(page);
    const before = await tableRows(page);
    const t0 = Date.now();
    const rejected = await page.evaluate(() => (window as unknown as { __corelab: { hang: (ms: number) => Promise<unknown> } }).__corelab.hang(12_000));
    expect(String(rejected)).toContain('WorkerTimeout');
    expect(Date.now() - t0).toBeLessThan(20_000);
    await expect.poll(async () => (await page.locator('[data-testid="msg-error"]').allTextContents()).join('\n'), { timeout: 10_000 }).toContain('Worker timeout');
    await waitForTable(page, before.length);
    expect(await tableRows(page)).toEqual(before);
    await ctx.close();
  });

  test('no request leaves the page: every URL is the local server (or blob:/data:)', () => {
    expect(requested.length).toBeGreaterThan(10);
    const foreign = requested.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
  });
});

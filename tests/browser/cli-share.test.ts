/**
 * `corelab share` end to end in the playground (Debian's Chromium): a link and a case file made by
 * the CLI open in a fresh page to the table `corelab relocate --json` gives for the original files,
 * with the relocation the CLI picked selected.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { ROOT, tableRows, waitForTable } from './harness.ts';
import { usePlayground } from './setup.ts';
import type { Server, TableRow } from './harness.ts';

const SAMPLES = join(ROOT, 'public/samples');
const CLI = join(ROOT, 'dist/corelab.mjs');
let server: Server;
let browser: Browser;

function corelab(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The table the playground should show, from `corelab relocate --json`; target ids masked when minimized. */
function expectedRows(obj: string, btf: string, masked: boolean): TableRow[] {
  const r = corelab(['relocate', obj, '--btf', btf, '--json']);
  if (r.code !== 0 && r.code !== 1) throw new Error(`corelab relocate failed (${r.code}): ${r.err}`);
  const j = JSON.parse(r.out) as { relocations: { section: string; index: number; status: string; kind: string; new_value: string | null }[] };
  return j.relocations.map((x) => mask({ key: `${x.section}#${x.index}`, status: x.status, kind: x.kind, newValue: x.new_value ?? '' }, masked));
}

const mask = (r: TableRow, masked: boolean): TableRow => (masked && r.kind === 'target_type_id' ? { ...r, newValue: r.newValue === '0' ? '0' : 'id' } : r);

usePlayground(4183, (s, b) => {
  server = s;
  browser = b;
});

const CASES = [
  { id: 'bundled sample × bundled kernel (poisoned)', obj: join(SAMPLES, 'file_times.bpf.o'), btf: join(SAMPLES, 'kernels/debian-6.12.117-amd64.btf.xz'), minimized: false },
  { id: 'bundled sample × dropped arm64 kernel (minimized)', obj: join(SAMPLES, 'task_exe.bpf.o'), btf: join(ROOT, 'tests/kernels/debian-6.1.0-50-arm64.btf.xz'), minimized: true },
];

describe('links and case files from the CLI in the playground', () => {
  for (const c of CASES) {
    test(`${c.id}: the CLI's link and case file open to relocate's table`, async () => {
      const want = expectedRows(c.obj, c.btf, c.minimized);
      const casePath = join(mkdtempSync(join(tmpdir(), 'corelab-cli-share-')), 'case.corelab');
      const s = corelab(['share', c.obj, '--btf', c.btf, '--base-url', server.url, '--case', casePath]);
      expect(s.code, s.err).toBe(0);
      const link = s.out.trim();
      const picked = want.find((r) => r.status === 'poisoned' || r.status === 'error')?.key;

      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(link);
      await waitForTable(page, want.length);
      expect((await tableRows(page)).map((r) => mask(r, c.minimized))).toEqual(want);
      if (picked) await expect.poll(() => page.locator('[data-testid="relo-table"] tr.selected').getAttribute('data-key')).toBe(picked);
      await ctx.close();

      const ctx2 = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page2 = await ctx2.newPage();
      await page2.goto(`${server.url}?empty`);
      await page2.locator('body').drop({ files: [{ name: 'case.corelab', mimeType: 'application/octet-stream', buffer: readFileSync(casePath) }] });
      // the case file carries the kernel whole: nothing is renumbered
      await waitForTable(page2, want.length);
      expect(await tableRows(page2)).toEqual(expectedRows(c.obj, c.btf, false));
      await ctx2.close();
    });
  }
});

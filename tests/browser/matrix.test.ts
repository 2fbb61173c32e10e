/**
 * The playground's kernel matrix in real Chromium. Expected grids come from the CLI run live
 * here (`corelab matrix OBJ --btf … --json`, whose relocations are checked against libbpf 1.1.2
 * elsewhere); nothing is typed in by hand.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT, tableRows, waitForTable } from './harness.ts';
import { usePlayground } from './setup.ts';
import type { Server } from './harness.ts';

const SAMPLES = join(ROOT, 'public/samples');
let server: Server;
let browser: Browser;
const requested: string[] = [];

interface SamplesIndex {
  kernels: { id: string; path: string }[];
}
const index = (): SamplesIndex => JSON.parse(readFileSync(join(SAMPLES, 'index.json'), 'utf8'));

interface CliCell {
  outcome: string;
  status: string;
  value?: string;
  summary: string;
}
interface CliMatrix {
  kernels: { name: string; ok: boolean; verdict: string }[];
  rows: { key: string; kind: string; access: string; differs: boolean; cells: CliCell[] }[];
}

function cliMatrix(obj: string, kernels: readonly string[], onlyDiffering = false): CliMatrix {
  const args = [join(ROOT, 'dist/corelab.mjs'), 'matrix', obj, ...kernels.flatMap((k) => ['--btf', k]), '--json', ...(onlyDiffering ? ['--only-differing'] : [])];
  // exit 1: some kernel would refuse the load, still a matrix
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`corelab matrix failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

interface GridCell {
  outcome: string;
  status: string;
  value: string;
  summary: string;
}
interface Grid {
  kernels: { name: string; ok: boolean; verdict: string }[];
  rows: { key: string; kind: string; access: string; differs: boolean; cells: GridCell[] }[];
}

/** The grid as the page shows it: kernel headers, and per row the cells' data and text. */
async function grid(page: Page): Promise<Grid> {
  return page.$eval('[data-testid="matrix-grid"]', (t) => ({
    kernels: [...t.querySelectorAll('thead th.kernel')].map((th) => {
      const e = th as HTMLElement;
      return { name: e.dataset.kernel!, ok: e.dataset.ok === 'yes', verdict: e.querySelector('.verdict')!.getAttribute('aria-label')! };
    }),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) => {
      const e = tr as HTMLElement;
      const tds = tr.querySelectorAll('td');
      return {
        key: e.dataset.key!,
        kind: tds[1]!.textContent!,
        access: tds[2]!.textContent!,
        differs: e.dataset.differs === 'yes',
        cells: [...tr.querySelectorAll('td.cell button')].map((b) => {
          const d = (b as HTMLElement).dataset;
          return { outcome: d.outcome!, status: d.status!, value: d.value!, summary: b.textContent! };
        }),
      };
    }),
  }));
}

/** What the grid must show for a CLI matrix (a cell without a value shows ''). */
function expected(m: CliMatrix): Grid {
  return {
    kernels: m.kernels.map((k) => ({ name: k.name, ok: k.ok, verdict: k.verdict })),
    rows: m.rows.map((r) => ({
      key: r.key,
      kind: r.kind,
      access: r.access,
      differs: r.differs,
      cells: r.cells.map((c) => ({ outcome: c.outcome, status: c.status, value: c.value ?? '', summary: c.summary })),
    })),
  };
}

async function newPage(query = '', colorScheme: 'light' | 'dark' = 'light'): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 1500, height: 900 }, colorScheme });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + query);
  return { ctx, page, errors };
}

async function openMatrix(page: Page, kernels: number, rows?: number): Promise<void> {
  await page.getByTestId('view-matrix').click();
  await waitForMatrix(page, kernels, rows);
}

async function waitForMatrix(page: Page, kernels: number, rows?: number): Promise<void> {
  await page.waitForFunction(
    ([k, n]) => {
      const t = document.querySelector('[data-testid="matrix-grid"]');
      const busy = document.querySelector('[data-testid="status"]')?.textContent?.endsWith('…');
      return t && !busy && t.querySelectorAll('thead th.kernel').length === k && (n === null || t.querySelectorAll('tbody tr').length === n);
    },
    [kernels, rows ?? null] as const,
    { timeout: 90_000 },
  );
}

const bundledPaths = (): string[] => index().kernels.map((k) => join(SAMPLES, k.path));

usePlayground(4183, (s, b) => {
  server = s;
  browser = b;
});

describe('kernel matrix in Chromium', () => {
  for (const sample of ['file_times', 'task_exe'] as const) {
    test(`${sample} over every bundled kernel: the grid is corelab matrix --json, cell by cell`, async () => {
      const cli = cliMatrix(join(SAMPLES, `${sample}.bpf.o`), bundledPaths());
      expect(cli.kernels.length).toBe(index().kernels.length);
      const { ctx, page, errors } = await newPage(`?sample=${sample}`);
      await waitForTable(page);
      await openMatrix(page, cli.kernels.length, cli.rows.length);
      expect(await grid(page)).toEqual(expected(cli));
      // the verdict sentence is the header's tooltip too
      for (const [i, k] of cli.kernels.entries()) expect(await page.locator('[data-testid="matrix-grid"] thead th.kernel').nth(i).getAttribute('title')).toBe(k.verdict);
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }

  test('a dropped kernel becomes a column after the bundled ones, as a fourth --btf', async () => {
    const dropped = join(ROOT, 'tests/kernels/debian-6.1.0-50-arm64.btf.xz');
    const obj = join(SAMPLES, 'task_exe.bpf.o');
    const cli = cliMatrix(obj, [...bundledPaths(), dropped]);
    const { ctx, page, errors } = await newPage('?sample=task_exe');
    await waitForTable(page);
    await page.locator('body').drop({ files: [{ name: 'debian-6.1.0-50-arm64.btf.xz', mimeType: 'application/octet-stream', buffer: readFileSync(dropped) }] });
    await expect.poll(() => page.locator('[data-testid="file-vmlinux"]').textContent(), { timeout: 60_000 }).toContain('debian-6.1.0-50-arm64');
    await waitForTable(page, cli.rows.length);
    await openMatrix(page, cli.kernels.length, cli.rows.length);
    expect(await grid(page)).toEqual(expected(cli));
    expect(errors).toEqual([]);
    await ctx.close();
  });

  test('only differing rows: the rows corelab matrix --only-differing keeps', async () => {
    const obj = join(SAMPLES, 'file_times.bpf.o');
    const all = cliMatrix(obj, bundledPaths());
    const diff = cliMatrix(obj, bundledPaths(), true);
    // the sample is chosen so that some rows differ and some do not
    expect(diff.rows.length).toBeGreaterThan(0);
    expect(diff.rows.length).toBeLessThan(all.rows.length);
    const { ctx, page } = await newPage('?sample=file_times');
    await waitForTable(page);
    await openMatrix(page, all.kernels.length, all.rows.length);
    await page.getByTestId('only-differing').check();
    await waitForMatrix(page, all.kernels.length, diff.rows.length);
    expect(await grid(page)).toEqual(expected(diff));
    await page.getByTestId('only-differing').uncheck();
    await waitForMatrix(page, all.kernels.length, all.rows.length);
    await ctx.close();
  });

  test('unticking a kernel drops its column; the rest is the CLI matrix over the others', async () => {
    const idx = index();
    const keep = idx.kernels.slice(1);
    const cli = cliMatrix(join(SAMPLES, 'file_times.bpf.o'), keep.map((k) => join(SAMPLES, k.path)));
    const { ctx, page } = await newPage('?sample=file_times');
    await waitForTable(page);
    await openMatrix(page, idx.kernels.length);
    await page.locator(`[data-testid="matrix-kernels"] input[data-kernel="b:${idx.kernels[0]!.id}"]`).uncheck();
    await waitForMatrix(page, keep.length, cli.rows.length);
    expect(await grid(page)).toEqual(expected(cli));
    await ctx.close();
  });

  test('a cell opens that relocation with that kernel in the table and the detail pane (mouse and keyboard)', async () => {
    const idx = index();
    const obj = join(SAMPLES, 'file_times.bpf.o');
    const cli = cliMatrix(obj, bundledPaths());
    // the sample opens on debian-6.12; pick a differing row on the first kernel (6.1)
    const { ctx, page } = await newPage('?sample=file_times&kernel=debian-6.12');
    await waitForTable(page);
    await openMatrix(page, cli.kernels.length, cli.rows.length);
    const r = cli.rows.findIndex((x) => x.differs && x.cells[0]!.outcome !== x.cells[1]!.outcome);
    expect(r).toBeGreaterThanOrEqual(0);
    const row = cli.rows[r]!;
    await page.locator(`[data-testid="matrix-grid"] button[data-r="${r}"][data-c="0"]`).click();
    await expect.poll(() => page.locator('[data-testid="file-vmlinux"]').textContent()).toContain(idx.kernels[0]!.path.split('/').pop());
    await expect.poll(() => page.getByLabel('Kernel', { exact: true }).inputValue()).toBe(idx.kernels[0]!.id);
    await waitForTable(page, cli.rows.length);
    // the relocation table behind it is now this kernel's: same outcome and value as the cell
    // (a cell's value is the one applied: a poisoned relocation has none, whatever the table computed)
    const t = (await tableRows(page)).find((x) => x.key === row.key)!;
    expect(t.status).toBe(row.cells[0]!.status);
    if (row.cells[0]!.outcome === 'patched') expect(t.newValue).toBe(row.cells[0]!.value);
    await expect.poll(() => page.locator('[data-testid="detail"] h2 code').textContent()).toBe(row.access);
    await expect.poll(() => page.locator('[data-testid="detail"] h2 .badge').getAttribute('class')).toContain(row.cells[0]!.status);
    await expect.poll(() => page.locator('[data-testid="matrix-grid"] td.cell.on button').getAttribute('data-r')).toBe(String(r));

    // keyboard: the picked cell holds the grid's tab stop; → moves to the next kernel, Enter opens it
    const on = page.locator('[data-testid="matrix-grid"] button[tabindex="0"]');
    await expect.poll(() => on.getAttribute('data-c')).toBe('0');
    await on.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement).dataset.c)).toBe('1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="file-vmlinux"]').textContent()).toContain(idx.kernels[1]!.path.split('/').pop());
    await waitForTable(page, cli.rows.length);
    const t2 = (await tableRows(page)).find((x) => x.key === row.key)!;
    expect(t2.status).toBe(row.cells[1]!.status);
    if (row.cells[1]!.outcome === 'patched') expect(t2.newValue).toBe(row.cells[1]!.value);
    await expect.poll(() => page.locator('[data-testid="detail"] h2 .badge').getAttribute('class')).toContain(row.cells[1]!.status);
    // the arrows moved focus within the grid, not the table's selection
    expect(await page.locator('[data-testid="relo-table"] tr.selected').getAttribute('data-key')).toBe(row.key);
    await ctx.close();
  });

  test('a share link reopens the matrix with the same kernels ticked and the toggle set', async () => {
    const idx = index();
    const { ctx, page } = await newPage('?sample=file_times');
    await waitForTable(page);
    await openMatrix(page, idx.kernels.length);
    await page.locator(`[data-testid="matrix-kernels"] input[data-kernel="b:${idx.kernels[2]!.id}"]`).uncheck();
    await page.getByTestId('only-differing').check();
    await waitForMatrix(page, 2);
    const before = await grid(page);
    await page.getByRole('button', { name: 'Share link' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#v1.'));
    const link = page.url();
    await ctx.close();

    const fresh = await newPage();
    await fresh.page.goto(link);
    await waitForMatrix(fresh.page, 2, before.rows.length);
    expect(await grid(fresh.page)).toEqual(before);
    expect(await fresh.page.getByTestId('only-differing').isChecked()).toBe(true);
    expect(await fresh.page.locator(`[data-testid="matrix-kernels"] input[data-kernel="b:${idx.kernels[2]!.id}"]`).isChecked()).toBe(false);
    await fresh.ctx.close();
  });

  test('cells are readable in the light and the dark theme (WCAG AA contrast), and the themes differ', async () => {
    const colours: Record<string, string[]> = {};
    for (const scheme of ['light', 'dark'] as const) {
      const { ctx, page } = await newPage('?sample=file_times', scheme);
      await waitForTable(page);
      await openMatrix(page, index().kernels.length);
      const cells = await page.$$eval('[data-testid="matrix-grid"] td.cell', (tds) => {
        // the cell's own background, or the page's where the cell has none
        const bg = (el: Element | null): string => {
          for (; el; el = el.parentElement) {
            const c = getComputedStyle(el).backgroundColor;
            if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
          }
          return 'rgb(255, 255, 255)';
        };
        return tds.map((td) => ({ outcome: td.className, fg: getComputedStyle(td.querySelector('button')!).color, bg: bg(td) }));
      });
      const rgb = (c: string): number[] => c.match(/[\d.]+/g)!.slice(0, 3).map(Number);
      const lum = (c: string): number => {
        const [r, g, b] = rgb(c).map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const ratio = (a: string, b: string): number => {
        const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
        return (hi! + 0.05) / (lo! + 0.05);
      };
      expect(new Set(cells.map((c) => c.outcome.replace(/ on$/, ''))).size).toBeGreaterThan(1);
      for (const c of cells) expect(ratio(c.fg, c.bg), `${scheme} ${c.outcome}: ${c.fg} on ${c.bg}`).toBeGreaterThanOrEqual(4.5);
      colours[scheme] = cells.map((c) => c.bg);
      await ctx.close();
    }
    expect(colours['dark']).not.toEqual(colours['light']);
  });

  test('no request leaves the page: every URL is the local server (or blob:/data:)', () => {
    expect(requested.length).toBeGreaterThan(10);
    const foreign = requested.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
  });
});

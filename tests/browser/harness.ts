/**
 * Shared set-up for the browser tests and the playground bench: build the playground once,
 * serve dist/web with `vite preview` on 127.0.0.1, and drive Debian's Chromium through
 * playwright-core (never a downloaded browser). A missing Chromium is a failure, not a skip.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const ROOT = join(import.meta.dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function buildPlayground(): void {
  if (process.env.CORELAB_SKIP_WEB_BUILD === '1' && existsSync(join(ROOT, 'dist/web/index.html'))) return;
  for (const [cmd, args] of [
    [process.execPath, ['scripts/build-wasm.mjs']],
    [process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']],
  ] as const) {
    const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  }
}

export interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

/** vite preview, spawned directly (not through npx, whose kill would orphan the server). */
export async function startServer(port: number): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`vite preview exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/** Wait until the table shows `n` rows (or any, when n is undefined) and nothing is busy. */
export async function waitForTable(page: Page, n?: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const t = document.querySelector('[data-testid="relo-table"]');
      const rows = document.querySelectorAll('[data-testid="relo-table"] tbody tr').length;
      const busy = document.querySelector('[data-testid="status"]')?.textContent?.endsWith('…');
      return t && !busy && (want === null ? rows > 0 : rows === want);
    },
    n ?? null,
    { timeout },
  );
}

export interface TableRow {
  key: string;
  status: string;
  kind: string;
  newValue: string;
}

export async function tableRows(page: Page): Promise<TableRow[]> {
  return page.$$eval('[data-testid="relo-table"] tbody tr', (trs) =>
    trs.map((tr) => {
      const e = tr as HTMLElement;
      return { key: e.dataset.key!, status: e.dataset.status!, kind: e.dataset.kind!, newValue: e.dataset.new! };
    }),
  );
}

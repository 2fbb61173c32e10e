/**
 * The set-up every browser test file shares (kept out of harness.ts, which the playground bench
 * imports outside vitest): the CLI bundle the tests compare with, the playground built and served
 * on the file's own port, one Chromium; all stopped after the file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildPlayground, launch, ROOT, startServer, type Server } from './harness.ts';

export function usePlayground(port: number, ready: (server: Server, browser: Browser) => void): void {
  let server: Server | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/corelab.mjs'))) execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT });
    buildPlayground();
    server = await startServer(port);
    browser = await launch();
    ready(server, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
}

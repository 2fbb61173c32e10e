// Screenshots of the main views into docs/ (run: npx tsx web/scripts/screenshots.mts; builds the app).
import { join } from 'node:path';
import { ROOT, buildPlayground, launch, startServer, waitForTable } from '../../tests/browser/harness.ts';

buildPlayground();
const server = await startServer(4193);
const browser = await launch();
try {
  for (const theme of ['light', 'dark'] as const) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: theme });
    const page = await ctx.newPage();
    await page.goto(server.url + '?sample=file_times&kernel=debian-6.12');
    await waitForTable(page);
    await page.locator('[data-testid="relo-table"] tbody tr[data-status="poisoned"]').first().click();
    await page.waitForSelector('[data-testid="diff-editor"][data-diff-ready="yes"]', { timeout: 60_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ROOT, `docs/playground-${theme}.png`) });
    if (theme === 'light') {
      await page.getByRole('tab', { name: 'vmlinux.h' }).click();
      await page.waitForSelector('[data-testid="vmlinux-editor"] .view-lines', { timeout: 90_000 });
      await page.getByLabel('Go to type').fill('inode');
      await page.getByRole('button', { name: 'Go', exact: true }).click();
      await page.waitForTimeout(800);
      await page.screenshot({ path: join(ROOT, 'docs/playground-vmlinux-h.png') });
      await page.getByRole('tab', { name: 'C source' }).click();
      await page.waitForTimeout(800);
      await page.screenshot({ path: join(ROOT, 'docs/playground-source.png') });
    }
    // the kernel matrix over the bundled kernels, a poisoned cell opened in the detail pane
    await page.getByRole('tab', { name: 'Bytecode before / after' }).click();
    await page.getByTestId('view-matrix').click();
    await page.waitForSelector('[data-testid="matrix-grid"]', { timeout: 90_000 });
    await page.locator('[data-testid="matrix-grid"] td.cell.poisoned button').first().click();
    await page.waitForSelector('[data-testid="diff-editor"][data-diff-ready="yes"]', { timeout: 60_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ROOT, `docs/playground-matrix${theme === 'light' ? '' : '-dark'}.png`) });
    await ctx.close();
  }
} finally {
  await browser.close();
  await server.stop();
}

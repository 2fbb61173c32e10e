// Browser tests of the playground (tests/browser/): real Chromium via playwright-core, run from
// Node. Separate from the main suite (vitest.config.ts excludes tests/browser) because they
// build the app and own a preview server and a browser for the whole file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default', './tests/support/closing-line-reporter.ts'],
  },
});

#!/usr/bin/env bash
# The one test command (npm test): build the wasm and the CLI, build the corpus, run every test
# (the main suite, then the playground in real Chromium), and print one closing line for both.
# Arguments go to the main suite's vitest (e.g. a file filter); then the browser tests are left out.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/build-wasm.mjs
node scripts/build-cli.mjs
bash tests/corpus/build.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
CORELAB_TEST_COUNTS="$work/main.json" CORELAB_RUN_LABEL=main npx vitest run "$@" || status=$?
if [ $# -eq 0 ]; then
  # builds wasm + dist/web itself, owns a preview server and a browser
  CORELAB_TEST_COUNTS="$work/browser.json" CORELAB_RUN_LABEL=browser npx vitest run -c vitest.browser.config.ts || status=$?
fi

# One closing line over both runs; a run that printed no counts (crashed) is a failure.
node - "$work" "$#" <<'JS' || status=1
const fs = require('fs');
const [dir, nargs] = process.argv.slice(2);
const runs = nargs === '0' ? ['main', 'browser'] : ['main'];
let passed = 0, failed = 0, skipped = 0, missing = [];
for (const r of runs) {
  const f = `${dir}/${r}.json`;
  if (!fs.existsSync(f)) { missing.push(r); continue; }
  const c = JSON.parse(fs.readFileSync(f, 'utf8'));
  passed += c.passed; failed += c.failed; skipped += c.skipped;
}
if (missing.length) console.error(`test: no results from the ${missing.join(' and ')} run`);
if (process.env.CI === 'true' && skipped > 0) {
  console.error(`CI: ${skipped} test(s) were skipped; in CI every test must run (a missing tool is a failure).`);
}
console.log(`\ntests: ${passed} passed, ${failed + missing.length} failed, ${skipped} skipped`);
process.exit(missing.length || (process.env.CI === 'true' && skipped > 0) ? 1 : 0);
JS
exit $status

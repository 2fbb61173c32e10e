#!/usr/bin/env bash
# The one test command (npm test): build the CLI, build the corpus, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/build-wasm.mjs
node scripts/build-cli.mjs
bash tests/corpus/build.sh

counts=$(mktemp)
trap 'rm -f "$counts"' EXIT
status=0
# the playground in real Chromium (tests/browser; builds wasm + dist/web itself), whole-suite runs only
if [ $# -eq 0 ]; then npx vitest run -c vitest.browser.config.ts || status=$?; fi
CORELAB_TEST_COUNTS="$counts" npx vitest run "$@" || status=$?

if [ "${CI:-}" = "true" ] && [ -s "$counts" ]; then
  skipped=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).skipped)' "$counts")
  if [ "$skipped" != "0" ]; then
    echo "CI: $skipped test(s) were skipped; in CI every test must run (a missing tool is a failure)." >&2
    status=1
  fi
fi
exit $status

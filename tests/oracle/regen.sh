#!/usr/bin/env bash
# Regenerates every golden file in tests/golden/relo/ from libbpf 1.1.2.
#   tests/oracle/regen.sh [--jobs N] [--filter SUBSTRING] [--list] [--reassemble]
# Needs root and the corpus (bash tests/corpus/build.sh). See regen.mjs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
make -s -C "$here" >&2
exec node "$here/regen.mjs" "$@"

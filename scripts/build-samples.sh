#!/usr/bin/env bash
# Rebuild the playground's bundled sample objects from their C sources (committed, so the
# playground opens without clang). Needs clang-19 and libbpf-dev.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT/public/samples"
for src in *.bpf.c; do
  # the prefix map keeps this checkout's path out of line_info (the playground shows file names)
  clang-19 -g -O2 -target bpf -D__TARGET_ARCH_x86 -I/usr/include/x86_64-linux-gnu \
    -fdebug-prefix-map="$PWD"=. -c "$src" -o "${src%.c}.o"
  echo "built public/samples/${src%.c}.o"
done
# the samples menu carries each file's sha256 (share links name bundled files by hash)
node "$ROOT/web/scripts/samples-index.mjs"

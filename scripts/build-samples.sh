#!/usr/bin/env bash
# Rebuild the playground's bundled sample objects from their C sources (committed, so the
# playground opens without clang). Needs clang-19 and libbpf-dev.
set -euo pipefail
cd "$(dirname "$0")/../public/samples"
for src in *.bpf.c; do
  clang-19 -g -O2 -target bpf -D__TARGET_ARCH_x86 -I/usr/include/x86_64-linux-gnu -c "$src" -o "${src%.c}.o"
  echo "built public/samples/${src%.c}.o"
done

#!/usr/bin/env bash
# run-oracle.sh OBJ TARGET [--base BASE] [--compact]
#
# Relocates OBJ against TARGET with libbpf 1.1.2 (really loading it into the
# running kernel; needs root) and prints one JSON document on stdout (see
# assemble.mjs). TARGET and BASE may be raw BTF, an ELF with .BTF, or either
# of those xz-compressed (.xz: decompressed to a temp file first). With
# --base, TARGET is split BTF on BASE and is flattened before libbpf sees it.
# Builds the oracle into .cache/oracle/ when needed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$root/.cache/oracle/relo-oracle"

usage() { echo "usage: run-oracle.sh OBJ TARGET [--base BASE] [--compact]" >&2; exit 2; }
obj= target= base= compact=
while [ $# -gt 0 ]; do
  case "$1" in
    --base) [ $# -ge 2 ] || usage; base=$2; shift 2 ;;
    --compact) compact=--compact; shift ;;
    -*) usage ;;
    *) if [ -z "$obj" ]; then obj=$1; elif [ -z "$target" ]; then target=$1; else usage; fi; shift ;;
  esac
done
[ -n "$obj" ] && [ -n "$target" ] || usage
for f in "$obj" "$target" ${base:+"$base"}; do
  [ -r "$f" ] || { echo "run-oracle.sh: cannot read $f" >&2; exit 1; }
done

# rebuild when the source is newer than the binary (make decides); quiet
make -s -C "$here" >&2

tmp=$(mktemp -d /tmp/relo-oracle.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
unxz_to() { # FILE NAME -> path of a readable uncompressed copy
  case "$1" in
    *.xz) xz -dc -- "$1" > "$tmp/$2"; echo "$tmp/$2" ;;
    *) (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")") ;;
  esac
}
target_path=$(unxz_to "$target" target.btf)
base_path=
[ -n "$base" ] && base_path=$(unxz_to "$base" base.btf)

# libbpf names the object by the path it was given ("failed to load object
# '...'"): run from the object's folder with its bare name, so the log does
# not depend on where the corpus lives.
objdir=$(cd "$(dirname "$obj")" && pwd)
objname=$(basename "$obj")
(cd "$objdir" && "$bin" "$objname" "$target_path" ${base_path:+--base "$base_path"}) > "$tmp/raw.json"
# report the target as given, not as the temp copy
node "$here/assemble.mjs" $compact --target-name "$(basename "$target")" ${base:+--base-name "$(basename "$base")"} < "$tmp/raw.json"

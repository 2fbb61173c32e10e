#!/usr/bin/env bash
# Compiles one BPF C file; called by build.sh through xargs -P.
# usage: compile-one.sh <src> <out.o> <clang args...>
# Never fails itself: a compile error is left in <out>.err for build.sh and the
# manifest writer to report, so one broken program does not stop the others.
set -u
src=$1 out=$2
shift 2
# build.sh's fixed mirror of the inputs (see BUILD there): compile in it, so
# that clang sees the same paths in every checkout; the object comes back here.
if [ -n "${CORELAB_BUILD_DIR:-}" ]; then
	out=$PWD/$out
	cd "$CORELAB_BUILD_DIR" || exit 1
fi
# The old object is replaced atomically (rename), never removed first: tests
# running meanwhile see either the old or the new file.
if clang-19 "$@" -c "$src" -o "$out.tmp" 2>"$out.log"; then
	mv "$out.tmp" "$out"
	rm -f "$out.log" "$out.err"
else
	rm -f "$out.tmp" "$out"
	mv "$out.log" "$out.err"
fi
exit 0

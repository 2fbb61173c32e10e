#!/usr/bin/env bash
# Compiles one BPF C file; called by build.sh through xargs -P.
# usage: compile-one.sh <src> <out.o> <clang args...>
# Never fails itself: a compile error is left in <out>.err for build.sh and the
# manifest writer to report, so one broken program does not stop the others.
set -u
src=$1 out=$2
shift 2
# build.sh's fixed mirror of the inputs (see BUILD there): compile in it, so
# that clang sees the same paths in every checkout -- the output's too: its
# path's length alone can reorder the BTF of some objects. The object is
# written at the same relative path inside the mirror, then moved here.
dest=$out
if [ -n "${CORELAB_BUILD_DIR:-}" ]; then
	dest=$PWD/$out
	cd "$CORELAB_BUILD_DIR" || exit 1
	mkdir -p "${out%/*}"
fi
# The old object is replaced atomically (rename), never removed first: tests
# running meanwhile see either the old or the new file.
if clang-19 "$@" -c "$src" -o "$out.tmp" 2>"$out.log"; then
	[ "$dest" = "$out" ] || mv "$out.tmp" "$dest.tmp"
	mv "$dest.tmp" "$dest"
	rm -f "$out.log" "$dest.log" "$dest.err"
else
	rm -f "$out.tmp" "$dest"
	mv "$out.log" "$dest.err"
fi
exit 0

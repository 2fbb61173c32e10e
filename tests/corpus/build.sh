#!/usr/bin/env bash
# Builds the test corpus into .cache/corpus/ (incremental; safe to rerun):
#   progs/{bpf,bpfeb}/*.bpf.o      tests/progs/*.bpf.c, both byte orders
#   selftests/{bpf,bpfeb}/*.bpf.o  CO-RE selftests from linux-source-6.12
#   libbpf-tools/*.bpf.o           objects cut out of Debian's libbpf-tools
#   kernels/*.btf                  decompressed tests/kernels (shared with tests/corpus.ts)
#   manifest.json                  everything above plus the kernel BTF list
# Prints one summary line. Exits 2 when a required tool is missing, 1 when a
# program fails to compile that is not listed in tests/corpus/known-failures.tsv.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=.cache/corpus
HERE=tests/corpus
JOBS=${CORELAB_JOBS:-2}
LINUX_TAR=${CORELAB_LINUX_SOURCE:-/usr/src/linux-source-6.12.tar.xz}
SRC=$OUT/src/linux-source-6.12
SELFTESTS=$SRC/tools/testing/selftests/bpf
INC=$OUT/selftests/include
# The 6.12 kernel BTF that selftests' vmlinux.h is generated from.
VMLINUX_BTF_XZ=tests/kernels/debian-6.12.117-amd64.btf.xz

t0=$(date +%s%N)

missing=()
for tool in clang-19 llvm-objdump-19 bpftool tar xz node flock; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -f /usr/include/bpf/bpf_helpers.h ] || missing+=("libbpf-dev (/usr/include/bpf/bpf_helpers.h)")
[ -f "$LINUX_TAR" ] || missing+=("linux-source-6.12 ($LINUX_TAR)")
command -v dpkg >/dev/null 2>&1 && dpkg -L libbpf-tools >/dev/null 2>&1 || missing+=("libbpf-tools")
if [ ${#missing[@]} -gt 0 ]; then
	echo "corpus: missing required tools: ${missing[*]}" >&2
	echo "corpus: install them (see .ci/run) and rerun bash tests/corpus/build.sh" >&2
	exit 2
fi

mkdir -p "$OUT"/src "$OUT"/progs/bpf "$OUT"/progs/bpfeb "$OUT"/selftests/bpf "$OUT"/selftests/bpfeb \
	"$OUT"/libbpf-tools "$OUT"/kernels "$INC"/bpf
JOBLIST=$OUT/.jobs
: >"$JOBLIST"
# One compile per line for xargs -L 1 (words joined by single spaces: a
# trailing blank would make xargs glue the next line on).
job() { printf '%s\n' "$*" >>"$JOBLIST"; }

# Output is newer than every listed input.
fresh() {
	local out=$1
	shift
	[ -e "$out" ] || return 1
	local dep
	for dep in "$@"; do
		[ "$out" -nt "$dep" ] || return 1
	done
}

# <dir>/.flags records a group's flags (and compiler); it is rewritten only
# when they change, and every output depends on it, so a change rebuilds the
# group. Old objects stay in place until replaced: tests of other people may
# be reading them meanwhile.
check_flags() {
	local dir=$1 flags=$2
	if [ "$(cat "$dir/.flags" 2>/dev/null)" != "$flags" ]; then
		printf '%s' "$flags" >"$dir/.flags"
	fi
}
CLANG_VERSION=$(clang-19 --version | head -1)
# Objects must be byte-identical wherever the checkout lives: golden files
# record each object's sha256. Mapping the checkout's path away in debug info
# is not enough: the order in which clang 19 emits BTF forward declarations
# follows the source files' real paths (core_kern.bpf.o came out with its FWDs
# in another order in a checkout elsewhere, and so did test_core_reloc_module
# with an output path of another length). So every compile runs in a mirror of
# its inputs at one fixed path, BUILD, writes its object there (compile-one.sh)
# and debug info names files relative to it. CORELAB_CORPUS_BUILD moves the
# mirror (objects then differ from the golden files' ones).
BUILD=${CORELAB_CORPUS_BUILD:-/tmp/corelab-corpus-build}
PREFIX_MAP="-fdebug-prefix-map=$BUILD=."
# (recorded in every group's .flags: objects built another way are rebuilt)
CLANG_VERSION="$CLANG_VERSION; in $BUILD, outputs there first"

# --- own programs ---------------------------------------------------------
PROG_HEADERS=(tests/progs/*.h /usr/include/bpf/bpf_helpers.h /usr/include/bpf/bpf_core_read.h)
for t in bpf bpfeb; do
	check_flags "$OUT/progs/$t" "$CLANG_VERSION|-g -O2 -target $t -Wall -Werror $PREFIX_MAP"
	for src in tests/progs/*.bpf.c; do
		name=${src##*/}
		name=${name%.c}
		out=$OUT/progs/$t/$name.o
		fresh "$out" "$src" "$OUT/progs/$t/.flags" "${PROG_HEADERS[@]}" && continue
		# Per-program extra flags, e.g. "// corelab-cflags: -mcpu=v4".
		extra=$(sed -n 's|^// corelab-cflags:||p' "$src" | head -1)
		# shellcheck disable=SC2086
		job "$src" "$out" -g -O2 -target "$t" -Wall -Werror "$PREFIX_MAP" $extra
	done
done

# --- target BTFs of the edge-case programs ---------------------------------
# tests/progs/targets/*.c only carry types: their objects' .BTF is the target
# (btf_custom_path) of tests/progs/edge_*.bpf.c. Big-endian copies are named
# NAME-eb.o so both can be told apart in golden file names.
mkdir -p "$OUT"/progs/targets/bpf "$OUT"/progs/targets/bpfeb
for t in bpf bpfeb; do
	check_flags "$OUT/progs/targets/$t" "$CLANG_VERSION|-g -O2 -target $t -Wall -Werror $PREFIX_MAP"
	for src in tests/progs/targets/*.c; do
		[ -f "$src" ] || continue
		name=${src##*/}
		name=${name%.c}
		[ $t = bpfeb ] && name=$name-eb
		out=$OUT/progs/targets/$t/$name.o
		fresh "$out" "$src" "$OUT/progs/targets/$t/.flags" && continue
		job "$src" "$out" -g -O2 -target "$t" -Wall -Werror "$PREFIX_MAP"
	done
done

# --- link parts -------------------------------------------------------------
# tests/progs/link/*.bpf.c are never used alone: "corelab-link:" lines of
# tests/progs/edge_*.bpf.c link them with those programs (below). Little-endian
# only, like every object the oracle loads.
mkdir -p "$OUT"/progs/link
check_flags "$OUT/progs/link" "$CLANG_VERSION|-g -O2 -target bpf -Wall -Werror $PREFIX_MAP"
for src in tests/progs/link/*.bpf.c; do
	[ -f "$src" ] || continue
	name=${src##*/}
	out=$OUT/progs/link/${name%.c}.o
	fresh "$out" "$src" "$OUT/progs/link/.flags" "${PROG_HEADERS[@]}" && continue
	job "$src" "$out" -g -O2 -target bpf -Wall -Werror "$PREFIX_MAP"
done

# --- kernel selftests -----------------------------------------------------
# Only the pieces the CO-RE programs need are extracted: the whole tree is huge.
TAR_ID="$(stat -c '%s %Y' "$LINUX_TAR") v1"
if [ "$(cat "$OUT/src/.extracted" 2>/dev/null)" != "$TAR_ID" ]; then
	rm -rf "$SRC"
	# The archive has many xz blocks, so xz can decompress them on both cores.
	xz -T"$JOBS" -dc "$LINUX_TAR" | tar -x -C "$OUT/src" --wildcards \
		'linux-source-6.12/tools/testing/selftests/bpf/progs/*' \
		'linux-source-6.12/tools/testing/selftests/bpf/*.h' \
		'linux-source-6.12/tools/testing/selftests/bpf/Makefile' \
		'linux-source-6.12/tools/include/uapi/*' \
		'linux-source-6.12/tools/lib/bpf/*.h'
	printf '%s' "$TAR_ID" >"$OUT/src/.extracted"
fi

# vmlinux.h and the libbpf headers go where the selftests Makefile puts them
# ($(OUTPUT)/tools/include). bpf_helper_defs.h is generated by the kernel
# build; libbpf-dev's copy stands in for it (no python needed).
VMLINUX_BTF=$OUT/kernels/$(basename "$VMLINUX_BTF_XZ" .xz)
fresh "$VMLINUX_BTF" "$VMLINUX_BTF_XZ" || { xz -dc "$VMLINUX_BTF_XZ" >"$VMLINUX_BTF.tmp" && mv "$VMLINUX_BTF.tmp" "$VMLINUX_BTF"; }
if ! fresh "$INC/.vmlinux.stamp" "$VMLINUX_BTF"; then
	bpftool btf dump file "$VMLINUX_BTF" format c >"$INC/.vmlinux.h.tmp"
	# Keep the old file (and its mtime) when nothing changed, as the kernel's
	# Makefile does, so that objects are not rebuilt for nothing.
	if cmp -s "$INC/.vmlinux.h.tmp" "$INC/vmlinux.h"; then rm "$INC/.vmlinux.h.tmp"; else mv "$INC/.vmlinux.h.tmp" "$INC/vmlinux.h"; fi
	touch "$INC/.vmlinux.stamp"
fi
for h in bpf_helpers.h bpf_core_read.h bpf_tracing.h bpf_endian.h usdt.bpf.h; do
	cmp -s "$SRC/tools/lib/bpf/$h" "$INC/bpf/$h" || cp "$SRC/tools/lib/bpf/$h" "$INC/bpf/$h"
done
cmp -s /usr/include/bpf/bpf_helper_defs.h "$INC/bpf/bpf_helper_defs.h" || cp /usr/include/bpf/bpf_helper_defs.h "$INC/bpf/"

# System include dirs as the Makefile's get_sys_includes computes them
# (-idirafter keeps <gnu/stubs-32.h> lookups working for the bpf target).
SYS_INCLUDES=$(clang-19 -v -E - </dev/null 2>&1 | sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }' | tr '\n' ' ')
for t in bpf bpfeb; do
	# tar keeps the archive's mtimes, so a new archive is detected here, not by mtime.
	check_flags "$OUT/selftests/$t" "$CLANG_VERSION|$SYS_INCLUDES|$TAR_ID|$PREFIX_MAP"
done
ST_DEPS=("$INC/vmlinux.h" "$INC"/bpf/*.h)
: >"$OUT/selftests/sources.txt"
for src in "$SELFTESTS"/progs/{btf__core_reloc_,btf_dump_test_case_,core_,test_core_}*.c; do
	[ -f "$src" ] || continue
	name=${src##*/}
	name=${name%.c}
	echo "$name" >>"$OUT/selftests/sources.txt"
	for t in bpf bpfeb; do
		if [ $t = bpf ]; then endian=-mlittle-endian; else endian=-mbig-endian; fi
		out=$OUT/selftests/$t/$name.bpf.o
		fresh "$out" "$src" "$OUT/selftests/$t/.flags" "${ST_DEPS[@]}" && continue
		# A recorded failure is not retried until an input changes.
		fresh "$out.err" "$src" "$OUT/selftests/$t/.flags" "${ST_DEPS[@]}" && continue
		# shellcheck disable=SC2086
		job "$src" "$out" -g -Wall -Werror -D__TARGET_ARCH_x86 $endian \
			-I"$INC" -I"$SELFTESTS" -I"$SRC/tools/include/uapi" \
			-Wno-compare-distinct-pointer-types $SYS_INCLUDES -DENABLE_ATOMICS_TESTS \
			-O2 --target=$t -mcpu=v3 "$PREFIX_MAP"
	done
done
built=$(wc -l <"$JOBLIST")
if [ "$built" -gt 0 ]; then
	# One build at a time per machine owns the mirror (another checkout may be
	# building too); compile-one.sh compiles in it and writes back here.
	exec 9>"$BUILD.lock"
	flock 9
	rm -rf "$BUILD"
	mkdir -p "$BUILD/tests" "$BUILD/$OUT/src" "$BUILD/${INC%/*}"
	cp -a tests/progs "$BUILD/tests/"
	cp -a "$OUT/src/." "$BUILD/$OUT/src/"
	cp -a "$INC" "$BUILD/$INC"
	CORELAB_BUILD_DIR=$BUILD xargs -P "$JOBS" -L 1 bash "$HERE/compile-one.sh" <"$JOBLIST"
	exec 9>&-
fi

# --- hand-patched edge programs ---------------------------------------------
# Variants of tests/progs/edge_*.bpf.c with rewritten .BTF.ext records, one per
# "corelab-patch:" line (little-endian objects only; the oracle cannot load
# big-endian ones). The script skips variants newer than their object.
for src in tests/progs/edge_*.bpf.c; do
	grep -q '^// corelab-patch:' "$src" || continue
	name=${src##*/}
	node tests/progs/patch-btfext.mjs "$src" "$OUT/progs/bpf/${name%.c}.o" "$OUT/progs/patched"
done

# --- legacy INT bit offsets ---------------------------------------------------
# "corelab-int-offset:" lines (tests/progs/patch-btf-int.mjs): a target T also
# gets T-intoff.o, an edge program P also progs/patched/P-intoff.bpf.o, with
# those INT encodings given a nonzero BTF_INT_OFFSET. Little-endian only.
for src in tests/progs/targets/*.c tests/progs/edge_*.bpf.c; do
	grep -q '^// corelab-int-offset:' "$src" || continue
	name=${src##*/}
	case $src in
	*.bpf.c) in=$OUT/progs/bpf/${name%.c}.o out=$OUT/progs/patched/${name%.bpf.c}-intoff.bpf.o ;;
	*) in=$OUT/progs/targets/bpf/${name%.c}.o out=$OUT/progs/targets/bpf/${name%.c}-intoff.o ;;
	esac
	mkdir -p "${out%/*}"
	node tests/progs/patch-btf-int.mjs "$src" "$in" "$out"
done

# --- linked edge programs -----------------------------------------------------
# "// corelab-link: NAME PART..." in tests/progs/edge_P.bpf.c gives
# progs/linked/P-NAME.bpf.o = `bpftool gen object` of the parts in that order
# ("." is P itself, other parts are tests/progs/link/*.bpf.c), e.g. to have a
# __weak function overridden by a strong one (notes §10 item 9).
mkdir -p "$OUT"/progs/linked
for src in tests/progs/edge_*.bpf.c; do
	grep -q '^// corelab-link:' "$src" || continue
	name=${src##*/}
	name=${name%.bpf.c}
	while read -r _ _ lname parts; do
		objs=()
		for part in $parts; do
			if [ "$part" = . ]; then objs+=("$OUT/progs/bpf/$name.bpf.o")
			else
				p=${part##*/}
				objs+=("$OUT/progs/link/${p%.c}.o")
			fi
		done
		out=$OUT/progs/linked/$name-$lname.bpf.o
		fresh "$out" "${objs[@]}" && continue
		bpftool gen object "$out.tmp" "${objs[@]}" >/dev/null
		mv "$out.tmp" "$out"
	done < <(grep '^// corelab-link:' "$src")
done

# --- libbpf-tools -----------------------------------------------------------
node "$HERE/extract-libbpf-tools.mjs" "$OUT/libbpf-tools" >/dev/null

# --- manifest ---------------------------------------------------------------
t1=$(date +%s%N)
node "$HERE/write-manifest.mjs" --root "$ROOT" --out "$OUT" --compiled "$built" --ms $(((t1 - t0) / 1000000))

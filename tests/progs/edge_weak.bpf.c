// SPDX-License-Identifier: GPL-2.0
/* §9: CO-RE records of eliminated __weak functions. Linked with a strong
 * wk_pick and wk_entry (tests/progs/link/edge_weak_strong.bpf.c) by
 * `bpftool gen object`, in both orders, one object per "corelab-link:" line
 * (NAME, then the parts: "." is this program). libbpf's linker keeps the code
 * and the .BTF.ext records of the weak copy that lost, but no symbol covers
 * them any more, so libbpf finds no program for their instructions
 * (find_prog_by_sec_insn) and skips each record with a debug line. Unlinked,
 * this object is the control: every weak function is kept and relocated.
 * corelab-targets: edge_weak_t */
// corelab-link: ws . link/edge_weak_strong.bpf.c
// corelab-link: sw link/edge_weak_strong.bpf.c .
#include "edge_common.h"

struct wk_s { int a; int b; int c; } PAI;
struct wk_only_weak { int x; } PAI;	/* used only by code that is eliminated */

/* overridden: both records skipped, and wk_only_weak is never searched for */
__weak __noinline int wk_pick(int x)
{
	OUT(1, bpf_core_field_offset(struct wk_only_weak, x));
	return x + bpf_core_field_offset(struct wk_s, a);
}

/* weak but never overridden: relocated as usual */
__weak __noinline int wk_keep(int x)
{
	return x + bpf_core_field_offset(struct wk_s, b);
}

SEC("raw_tp/sys_enter")
int wk_main(void *ctx)
{
	OUT(0, wk_pick(1) + wk_keep(2));
	return 0;
}

/* a weak entry program: the strong one replaces it inside the same section */
__weak SEC("raw_tp/sys_exit")
int wk_entry(void *ctx)
{
	OUT(2, bpf_core_field_offset(struct wk_s, a));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/* The strong half of tests/progs/edge_weak.bpf.c: it is only linked into it,
 * never used alone. No edge_common.h: its edge_result would be a second
 * strong definition, which the linker refuses. */
#include "../progs.h"

struct wk_s { int a; int b; int c; } __attribute__((preserve_access_index));
struct edge_out { __u64 v[64]; };
extern struct edge_out edge_result;

__noinline int wk_pick(int x)
{
	return x + bpf_core_field_offset(struct wk_s, c);
}

SEC("raw_tp/sys_exit")
int wk_entry(void *ctx)
{
	edge_result.v[3] = bpf_core_field_size(struct wk_s, c);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* §14: a zero-length array that is not the last member is bounds-checked
 * like any array, already in the local spec: "parsing … failed".
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct ezero { int z[0]; int after; } PAI;

SEC("raw_tp/sys_enter")
int zero_arr(void *ctx)
{
	struct ezero *p = ctx;

	OUT(0, bpf_core_field_offset(p->after));
	OUT(1, bpf_core_field_offset(p->z[1]));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

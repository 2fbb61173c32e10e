// SPDX-License-Identifier: GPL-2.0
/* §46: the target nests the field 70 anonymous structs deep, so the raw
 * spec passes 64 entries while matching: "error matching candidate" -E2BIG.
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_too_deep_t */
#include "edge_common.h"

struct edeep { int pad; int leaf; } PAI;

SEC("raw_tp/sys_enter")
int too_deep(void *ctx)
{
	struct edeep *p = ctx;

	OUT(0, bpf_core_field_offset(p->leaf));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

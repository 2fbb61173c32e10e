// SPDX-License-Identifier: GPL-2.0
/* §35: two matching candidates at different offsets: "field offset ambiguity".
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct eam_o { int x; } PAI;

SEC("raw_tp/sys_enter")
int ambig_off(void *ctx)
{
	struct eam_o *p = ctx;

	OUT(0, bpf_core_field_offset(p->x));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

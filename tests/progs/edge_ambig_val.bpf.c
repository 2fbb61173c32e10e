// SPDX-License-Identifier: GPL-2.0
/* §35: same offset but different sizes: "relocation decision ambiguity"
 * (offsets are compared first, then values).
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct eam_v { int x; } PAI;

SEC("raw_tp/sys_enter")
int ambig_val(void *ctx)
{
	struct eam_v *p = ctx;

	OUT(0, bpf_core_field_offset(p->x));	/* both candidates agree */
	OUT(1, bpf_core_field_size(p->x));	/* they do not */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

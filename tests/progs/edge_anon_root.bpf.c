// SPDX-License-Identifier: GPL-2.0
/* §4: a relocation whose local root type is anonymous fails the candidate
 * search with -EINVAL ("target candidate search failed"), except TYPE_ID_LOCAL.
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct ea_holder { struct { int x; int y; } in; } PAI;

SEC("raw_tp/sys_enter")
int anon_root(void *ctx)
{
	struct ea_holder *h = ctx;
	typeof(h->in) *in = ctx;

	OUT(0, bpf_core_type_id_local(typeof(h->in)));	/* fine: no search */
	OUT(1, bpf_core_field_offset(h->in.y));		/* fine: root is named */
	OUT(2, bpf_core_field_offset(in->y));		/* root is the anonymous struct */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

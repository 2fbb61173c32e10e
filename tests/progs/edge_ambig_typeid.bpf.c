// SPDX-License-Identifier: GPL-2.0
/* §36: two flavor candidates with different IDs make TYPE_ID_TARGET
 * ambiguous; TYPE_EXISTS on the same type is not.
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct eam_t { int x; } PAI;

SEC("raw_tp/sys_enter")
int ambig_typeid(void *ctx)
{
	OUT(0, bpf_core_type_exists(struct eam_t));
	OUT(1, bpf_core_type_id_kernel(struct eam_t));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

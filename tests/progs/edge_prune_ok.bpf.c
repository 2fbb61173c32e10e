// SPDX-License-Identifier: GPL-2.0
/* §6: the candidate list is pruned after each match, so order matters:
 * here b (only one flavor has it) comes first and prunes, then a is unique.
 * edge_prune_err.bpf.c reads them the other way round.
 * (Loads: the pruning keeps the second relocation unambiguous.)
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct epr { int a; int b; } PAI;

SEC("raw_tp/sys_enter")
int prune_ok(void *ctx)
{
	struct epr *p = ctx;

	OUT(0, bpf_core_field_offset(p->b));
	OUT(1, bpf_core_field_offset(p->a));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

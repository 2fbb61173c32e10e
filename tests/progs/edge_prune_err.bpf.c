// SPDX-License-Identifier: GPL-2.0
/* §6: as edge_prune_ok.bpf.c, but a is read first, while both flavors
 * are still candidates: "field offset ambiguity".
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct epr { int a; int b; } PAI;

SEC("raw_tp/sys_enter")
int prune_err(void *ctx)
{
	struct epr *p = ctx;

	OUT(0, bpf_core_field_offset(p->a));
	OUT(1, bpf_core_field_offset(p->b));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

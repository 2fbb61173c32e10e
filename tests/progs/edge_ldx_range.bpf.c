// SPDX-License-Identifier: GPL-2.0
/* §26: a load offset above 32767 in the target gives -ERANGE.
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct eldx { int a; int b; } PAI;

SEC("tp_btf/sys_enter")
int ldx_range(struct eldx *p)
{
	OUT(0, p->a);
	OUT(1, p->b);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

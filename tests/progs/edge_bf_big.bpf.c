// SPDX-License-Identifier: GPL-2.0
/* §33: a target bitfield that fits in no 8-byte load unit: "can't be satisfied
 * for bitfield" (the warning prints the kind number and the section insn index).
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct ebf { unsigned long long f: 60; } PAI;

SEC("raw_tp/sys_enter")
int bf_big(void *ctx)
{
	struct ebf *p = ctx;

	OUT(0, __builtin_preserve_field_info(p->f, BPF_FIELD_RSHIFT_U64));
	OUT(1, __builtin_preserve_field_info(p->f, BPF_FIELD_LSHIFT_U64));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

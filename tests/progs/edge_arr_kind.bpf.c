// SPDX-License-Identifier: GPL-2.0
/* §39: a kind other than byte_off/byte_sz on an array element: "relo %u at
 * insn #%u can't be applied to array access" (kind number, section insn index).
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

struct earr { int pad; int arr[4]; } PAI;

SEC("raw_tp/sys_enter")
int pad_prog(void *ctx)
{
	struct earr *p = ctx;

	OUT(0, bpf_core_field_offset(p->arr[2]));
	return 0;
}

SEC("raw_tp/sys_enter")
int arr_kind(void *ctx)
{
	struct earr *p = ctx;

	OUT(1, bpf_core_field_size(p->arr[1]));
	OUT(2, __builtin_preserve_field_info(p->arr[1], BPF_FIELD_SIGNED));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

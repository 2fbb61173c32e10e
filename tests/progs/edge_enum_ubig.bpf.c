// SPDX-License-Identifier: GPL-2.0
/* §30: a local unsigned 32-bit enumerator >= 2^31: clang emits the value
 * zero-extended, libbpf expects it sign-extended: "unexpected insn (LDIMM64) value".
 * A hard error aborts the whole load, so this case has an object of its own.
 * corelab-targets: edge_fatal_t */
#include "edge_common.h"

enum eub { UB_SMALL = 1, UB_BIG = 0xAAAAAAAA };

SEC("raw_tp/sys_enter")
int enum_ubig(void *ctx)
{
	OUT(0, bpf_core_enum_value(enum eub, UB_SMALL));
	OUT(1, bpf_core_enum_value(enum eub, UB_BIG));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

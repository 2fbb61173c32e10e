// SPDX-License-Identifier: GPL-2.0
/* Enumerator relocations: enumval_exists and enumval_value, on a 32-bit
 * enum, an enum flavor with an enumerator flavor, a typedef of an anonymous
 * enum, and a 64-bit enum (BTF_KIND_ENUM64). */
#include "progs.h"

/* The kernel's enum (values differ between releases; the relocation is
 * what carries the target's value). */
enum bpf_map_type___k {
	BPF_MAP_TYPE_RINGBUF___k = 27,
	BPF_MAP_TYPE_USER_RINGBUF___k = 31,
	BPF_MAP_TYPE_ARENA___k = 33,
	BPF_MAP_TYPE_CORELAB_NONE___k = 1000,
};

/* A 64-bit enum, as in the kernel's perf_callchain_context. */
enum perf_callchain_context {
	PERF_CONTEXT_HV = (__u64)-32,
	PERF_CONTEXT_KERNEL = (__u64)-128,
	PERF_CONTEXT_USER = (__u64)-512,
	PERF_CONTEXT_MAX = (__u64)-4095,
};

/* Signed 64-bit enum that no kernel has. */
enum corelab_signed64 {
	CORELAB_NEG = -5000000000LL,
	CORELAB_POS = 5000000000LL,
};

typedef enum {
	CORELAB_ANON_A = 1,
	CORELAB_ANON_B = 2,
} corelab_anon_enum_t;

struct out {
	__u64 v[16];
};

struct out result;

SEC("raw_tp/sys_enter")
int enums(void *ctx)
{
	result.v[0] = bpf_core_enum_value_exists(enum bpf_map_type___k, BPF_MAP_TYPE_RINGBUF___k);
	result.v[1] = bpf_core_enum_value(enum bpf_map_type___k, BPF_MAP_TYPE_RINGBUF___k);
	result.v[2] = bpf_core_enum_value_exists(enum bpf_map_type___k, BPF_MAP_TYPE_ARENA___k);
	result.v[3] = bpf_core_enum_value(enum bpf_map_type___k, BPF_MAP_TYPE_USER_RINGBUF___k);
	result.v[4] = bpf_core_enum_value_exists(enum bpf_map_type___k, BPF_MAP_TYPE_CORELAB_NONE___k);
	result.v[5] = bpf_core_enum_value_exists(enum perf_callchain_context, PERF_CONTEXT_KERNEL);
	result.v[6] = bpf_core_enum_value(enum perf_callchain_context, PERF_CONTEXT_USER);
	result.v[7] = bpf_core_enum_value(enum perf_callchain_context, PERF_CONTEXT_MAX);
	result.v[8] = bpf_core_enum_value(enum corelab_signed64, CORELAB_NEG);
	result.v[9] = bpf_core_enum_value_exists(corelab_anon_enum_t, CORELAB_ANON_B);
	result.v[10] = bpf_core_enum_value(corelab_anon_enum_t, CORELAB_ANON_A);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

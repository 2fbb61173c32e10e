// SPDX-License-Identifier: GPL-2.0
/* Type relocations: local_type_id, target_type_id, type_exists,
 * type_matches, type_size — for structs, unions, typedefs, an anonymous
 * struct behind a typedef, a pointer typedef and a type that exists in no
 * kernel. */
#include "progs.h"

struct list_head {
	struct list_head *next, *prev;
} __attribute__((preserve_access_index));

/* Same layout as the kernel's, so type_matches should hold. */
struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
} __attribute__((preserve_access_index));

/* Exists nowhere: every target-side answer must be 0. */
struct corelab_not_in_any_kernel {
	int x;
} __attribute__((preserve_access_index));

/* A flavor with a deliberately wrong member: exists, but does not match. */
struct list_head___wrong {
	int next;
} __attribute__((preserve_access_index));

typedef unsigned int u32;
typedef struct { int counter; } atomic_t;
typedef struct list_head *list_ptr_t;

union corelab_local_union {
	int a;
	long b;
};

struct out {
	__u64 v[20];
};

struct out result;

SEC("raw_tp/sys_enter")
int types(void *ctx)
{
	result.v[0] = bpf_core_type_id_local(struct list_head);
	result.v[1] = bpf_core_type_id_kernel(struct list_head);
	result.v[2] = bpf_core_type_id_local(union corelab_local_union);
	result.v[3] = bpf_core_type_id_local(atomic_t);
	result.v[4] = bpf_core_type_id_kernel(atomic_t);
	result.v[5] = bpf_core_type_exists(struct callback_head);
	result.v[6] = bpf_core_type_exists(struct corelab_not_in_any_kernel);
	result.v[7] = bpf_core_type_exists(struct list_head___wrong);
	result.v[8] = bpf_core_type_matches(struct callback_head);
	result.v[9] = bpf_core_type_matches(struct list_head___wrong);
	result.v[10] = bpf_core_type_matches(u32);
	result.v[11] = bpf_core_type_matches(list_ptr_t);
	result.v[12] = bpf_core_type_size(struct list_head);
	result.v[13] = bpf_core_type_size(atomic_t);
	result.v[14] = bpf_core_type_size(list_ptr_t);
	result.v[15] = bpf_core_type_size(struct corelab_not_in_any_kernel);
	result.v[16] = bpf_core_type_exists(u32);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/* Type relocations: compatibility, types_match, sizes.
 * corelab-targets: edge_types_t edge_types_nolong */
#include "edge_common.h"

/* §17: type compatibility recurses through pointers, arrays and protos. */
struct et_s { int a; } PAI;
typedef struct et_s *et_ptr_t;
typedef struct et_s et_arr_t[3];
typedef int (*et_fn_t)(struct et_s *, long);
typedef struct et_fwd_s *et_fwdptr_t;	/* target: pointer to a struct, local a fwd */
struct et_fwd_s2 { int a; };
typedef struct et_fwd_s2 *et_fwdptr2_t;	/* target: pointer to a fwd, local a struct */

/* §18: float is not handled by type compatibility or types_match. */
typedef float et_float_t;
typedef double et_double_t;

/* §19: types_match behind a pointer checks only name and kind. */
struct et_mm___wrong { int not_the_same; };
struct et_task___local { int pid; struct et_mm___wrong *mm; } PAI;
struct et_task___bad { long pid; } PAI;		/* int size differs */
/* §20: types_match of enums: local names a subset, values ignored,
 * sizes equal, enum <-> enum64 allowed. */
enum et_e { ETE_A = 1, ETE_B = 2 };
enum et_e___more { ETE_A___more = 1, ETE_Z = 3 };
enum et_e64 { ETE64_A = 0x100000000ULL };

/* §45: TYPE_SIZE of a typedef to a pointer is the target's pointer size;
 * §40: without a "long" in the target BTF, libbpf falls back to the host's. */
typedef void *et_voidp_t;

/* §25: an ALU patch truncates a value wider than 32 bits. */
typedef char et_big_t[16];

SEC("raw_tp/sys_enter")
int compat(void *ctx)
{
	OUT(0, bpf_core_type_exists(et_ptr_t));
	OUT(1, bpf_core_type_size(et_arr_t));
	OUT(2, bpf_core_type_exists(et_fn_t));
	OUT(3, bpf_core_type_exists(et_fwdptr_t));
	OUT(4, bpf_core_type_exists(et_fwdptr2_t));
	OUT(5, bpf_core_type_exists(et_float_t));
	OUT(6, bpf_core_type_size(et_double_t));
	OUT(7, bpf_core_type_matches(et_float_t));
	OUT(8, bpf_core_type_id_kernel(et_ptr_t));
	return 0;
}

SEC("raw_tp/sys_exit")
int matches(void *ctx)
{
	OUT(10, bpf_core_type_matches(struct et_task___local));
	OUT(11, bpf_core_type_matches(struct et_task___bad));
	OUT(12, bpf_core_type_matches(enum et_e));
	OUT(13, bpf_core_type_matches(enum et_e___more));
	OUT(14, bpf_core_type_matches(enum et_e64));
	OUT(15, bpf_core_type_matches(et_fn_t));
	OUT(16, bpf_core_type_matches(et_arr_t));
	OUT(17, bpf_core_type_matches(struct et_s));
	return 0;
}

SEC("raw_tp/task_rename")
int sizes(void *ctx)
{
	OUT(20, bpf_core_type_size(et_voidp_t));
	OUT(21, bpf_core_type_size(et_ptr_t));
	OUT(22, bpf_core_type_size(et_big_t));
	OUT(23, bpf_core_type_size(struct et_s));
	OUT(24, bpf_core_type_size(enum et_e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

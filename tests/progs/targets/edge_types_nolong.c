// SPDX-License-Identifier: GPL-2.0
/* A target BTF without any "long" type (as BTFGen output can be): libbpf
 * then takes the pointer size from the host (§40). Only int and char here. */
struct et_s { int a; };
typedef struct et_s *et_ptr_t;
typedef void *et_voidp_t;
typedef struct et_s et_arr_t[3];
typedef int (*et_fn_t)(struct et_s *, int);
enum et_e { ETE_A = 1, ETE_B = 2, ETE_C = 3 };
struct et_mm___x { char c; };
struct et_task { int pid; struct et_mm___x *mm; };
typedef char et_big_t[32];

et_ptr_t g1; et_voidp_t g2; et_arr_t g3; et_fn_t g4; enum et_e g5; struct et_task g6; et_big_t g7;

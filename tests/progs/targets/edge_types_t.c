// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_types.bpf.c. */
struct et_s { long x; int a; };
typedef struct et_s *et_ptr_t;
typedef struct et_s et_arr_t[5];
typedef int (*et_fn_t)(struct et_s *, int);
struct et_fwd_s { int b; };
typedef struct et_fwd_s *et_fwdptr_t;
struct et_fwd_s2;
typedef struct et_fwd_s2 *et_fwdptr2_t;
typedef float et_float_t;
typedef double et_double_t;
struct et_mm { long whatever; };
struct et_task { int pid; struct et_mm *mm; };
enum et_e { ETE_Z = 9, ETE_B = 7, ETE_A = 8 };
enum et_e64 { ETE64_A = 5 };
typedef void *et_voidp_t;
typedef char et_big_t[0x180000000ULL];

et_ptr_t g1; et_arr_t g2; et_fn_t g3; et_fwdptr_t g4; et_fwdptr2_t g5; et_float_t g6; et_double_t g7;
struct et_task g8; enum et_e g9; enum et_e64 g10; et_voidp_t g11; et_big_t *g12;

// SPDX-License-Identifier: GPL-2.0
/* Candidate search by essential name and root kind; enum values.
 * corelab-targets: edge_names_t edge_names_t2 */
#include "edge_common.h"

/* §1: only the last X___Y (X, Y not '_') is a flavor suffix. */
struct en_a___b___c { int x; } PAI;	/* essential name en_a___b */
struct en_plain___ { int x; } PAI;	/* no flavor: "foo___" has no Y */
struct en_four____bar { int x; } PAI;	/* no flavor: Y would be '_' */
struct en_flav___v1 { int x; } PAI;	/* essential name en_flav */
/* §43: the same access string on a second flavor is its own relocation
 * with its own candidate list. */
struct en_flav___v2 { int x; } PAI;

/* §3: the root kind must match without stripping typedefs. */
typedef struct { int a; } en_td_t;	/* target has only struct en_td_t */
typedef struct { int a; } en_td2_t;	/* target has typedef en_td2_t */
union en_su { int a; } PAI;		/* target has only struct en_su */
struct en_tfwd { int a; } PAI;		/* target has only a forward declaration */
/* §3: enum and enum64 count as one kind. */
enum en_e32 { E32_A = 1, E32_B = 2 };	/* target: enum64 */
enum en_e64 { E64_A = 0x100000000ULL, E64_B = 0x200000000ULL }; /* target: 4-byte enum */

/* §31: enumerator flavors are stripped; signed (kflag) enums print %d. */
enum en_sig { SIG_NEG___old = -7, SIG_POS = 5 };
/* §30: a target-only value >= 2^31 of an unsigned 32-bit enum is patched
 * in sign-extended. */
enum en_u { U_X = 1, U_Y = 2 };

/* §21, §22: a type no target has. */
struct en_missing { int a; } PAI;
enum en_missing_e { MISSING_A = 1 };

SEC("raw_tp/sys_enter")
int names(void *ctx)
{
	struct en_a___b___c *abc = ctx;
	struct en_plain___ *pl = ctx;
	struct en_four____bar *fb = ctx;
	struct en_flav___v1 *f1 = ctx;
	struct en_flav___v2 *f2 = ctx;

	OUT(0, bpf_core_field_offset(abc->x));
	OUT(1, bpf_core_field_offset(pl->x));
	OUT(2, bpf_core_field_offset(fb->x));
	OUT(3, bpf_core_field_offset(f1->x));
	OUT(4, bpf_core_field_offset(f2->x));
	OUT(5, bpf_core_type_exists(struct en_a___b___c));
	OUT(6, bpf_core_type_id_kernel(struct en_plain___));
	OUT(7, bpf_core_type_size(struct en_plain___));
	return 0;
}

SEC("raw_tp/sys_exit")
int kinds(void *ctx)
{
	union en_su *su = ctx;
	struct en_tfwd *fw = ctx;

	OUT(10, bpf_core_type_exists(en_td_t));
	OUT(11, bpf_core_type_size(en_td2_t));
	OUT(12, bpf_core_type_matches(en_td2_t));
	OUT(13, bpf_core_field_exists(su->a));
	OUT(14, bpf_core_type_exists(struct en_tfwd));
	OUT(15, bpf_core_field_exists(fw->a));
	OUT(16, bpf_core_enum_value(enum en_e32, E32_B));
	OUT(17, bpf_core_enum_value_exists(enum en_e32, E32_A));
	OUT(18, bpf_core_enum_value(enum en_e64, E64_B));
	OUT(19, bpf_core_type_size(enum en_e64));
	OUT(20, bpf_core_type_matches(enum en_e32));
	return 0;
}

SEC("raw_tp/task_rename")
int values(void *ctx)
{
	struct en_missing *m = ctx;

	OUT(30, bpf_core_enum_value(enum en_sig, SIG_NEG___old));
	OUT(31, bpf_core_enum_value(enum en_sig, SIG_POS));
	OUT(32, bpf_core_enum_value(enum en_u, U_X));
	OUT(33, bpf_core_enum_value_exists(enum en_u, U_Y));
	/* §21: no match gives 0, not poison */
	OUT(34, bpf_core_type_size(struct en_missing));
	OUT(35, bpf_core_type_id_kernel(struct en_missing));
	/* §22: never poisoned */
	OUT(36, bpf_core_field_exists(m->a));
	OUT(37, bpf_core_type_exists(struct en_missing));
	OUT(38, bpf_core_type_matches(struct en_missing));
	OUT(39, bpf_core_enum_value_exists(enum en_missing_e, MISSING_A));
	/* still local: no candidate search */
	OUT(40, bpf_core_type_id_local(struct en_missing));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

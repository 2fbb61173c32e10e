// SPDX-License-Identifier: GPL-2.0
/* Field relocations: access paths, arrays, compatibility, memory sizes.
 * corelab-targets: edge_fields_t edge_fields_t2 */
#include "edge_common.h"

/* §12: the first index multiplies the root size (target's size on the target side). */
struct ef_elem { int a; int b; } PAI;

/* §13: anonymous members appear in the raw spec only; the target search is
 * depth-first and the first same-name field decides. */
struct ef_anon {
	int pad;
	union {
		int u1;
		struct { short s1; short s2; };
	};
	int last;
} PAI;

/* §14, §15: flexible arrays and bounds (a zero-length array that is not
 * last: edge_zero_arr.bpf.c). */
struct ef_flex { int n; int data[]; } PAI;
struct ef_arr { int small[4]; int grid[2][3]; int flat[6]; } PAI;

/* §16: field compatibility. */
struct ef_inner { int i; } PAI;
enum ef_col { COL_R = 1 };
struct ef_compat {
	struct ef_inner su;	/* target: union */
	unsigned char isz;	/* target: long (any int size/sign) */
	struct ef_inner *ptr;	/* target: pointer to something else */
	enum ef_col en;		/* target: same-named enum */
	enum { ANON_A = 1 } anon_en; /* target: another anonymous enum */
	enum ef_col en_other;	/* target: differently named enum -> incompatible */
	int not_int;		/* target: a struct -> incompatible */
} PAI;

/* §37: a nested same-name member that is incompatible stops the search and
 * leaves the partial raw spec in the log. */
struct ef_part_in { int deep; } PAI;
struct ef_part { int x; struct ef_part_in in; } PAI;

/* §38: spec formatting: a nonzero first index, array steps, bitfield offsets,
 * and a spec longer than libbpf's 256-byte buffer. */
struct ef_bits { unsigned int lo: 3, mid: 7, hi: 22; } PAI;
struct ef_long_names_level_three_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {
	int leaf_member_with_a_rather_long_name_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb;
} PAI;
struct ef_long_names_level_two_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {
	struct ef_long_names_level_three_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa third_level_member_with_a_long_name_ccccccccccccccccccccccccccccccc[3];
} PAI;
struct ef_long_names_level_one_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {
	int pad;
	struct ef_long_names_level_two_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa second_level_member_with_a_long_name_dddddddddddddddddddddddddddddd;
} PAI;

/* §27, §28: direct loads whose field size changes in the target. */
struct ef_mem {
	unsigned int u32_to_u64;	/* unsigned <-> unsigned: load size adjusted */
	int s32_to_s64;			/* signed: poisoned, "accesses field incorrectly" */
	unsigned short same;		/* unchanged */
	void *p;			/* ptr <-> ptr */
	unsigned int arr[4];		/* 1.1.2 compares whole-array sizes */
	unsigned int arr2[4];		/* same element size, other dimension */
} PAI;

SEC("raw_tp/sys_enter")
int paths(void *ctx)
{
	struct ef_elem *e = ctx;
	struct ef_anon *an = ctx;
	struct ef_flex *fl = ctx;
	struct ef_arr *ar = ctx;

	OUT(0, bpf_core_field_offset(e[2].b));		/* §12: 2:1 */
	OUT(1, bpf_core_field_size(e[3].a));
	OUT(2, bpf_core_field_offset(an->u1));		/* §13 */
	OUT(3, bpf_core_field_offset(an->s2));
	OUT(4, bpf_core_field_offset(an->last));
	OUT(5, bpf_core_field_offset(fl->data[5]));	/* §14: flexible */
	OUT(7, bpf_core_field_offset(ar->small[3]));	/* §15: target has fewer elements */
	OUT(8, bpf_core_field_offset(ar->grid[1][2]));	/* §15: target is 1-D */
	OUT(9, bpf_core_field_size(ar->flat[5]));
	OUT(10, bpf_core_field_exists(ar->flat));
	return 0;
}

SEC("raw_tp/sys_exit")
int compat(void *ctx)
{
	struct ef_compat *c = ctx;
	struct ef_part *pt = ctx;
	struct ef_bits *b = ctx;
	struct ef_long_names_level_one_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa *ln = ctx;

	OUT(11, bpf_core_field_exists(c->su));
	OUT(12, bpf_core_field_size(c->isz));
	OUT(13, bpf_core_field_exists(c->ptr));
	OUT(14, bpf_core_field_exists(c->en));
	OUT(15, bpf_core_field_exists(c->anon_en));
	OUT(16, bpf_core_field_exists(c->en_other));
	OUT(17, bpf_core_field_exists(c->not_int));
	OUT(18, bpf_core_field_offset(pt->in.deep));	/* §37 */
	OUT(19, bpf_core_field_exists(b->mid));		/* §38: B.b offsets */
	OUT(20, bpf_core_field_exists(b->hi));
	OUT(21, bpf_core_field_offset(ln->second_level_member_with_a_long_name_dddddddddddddddddddddddddddddd
		.third_level_member_with_a_long_name_ccccccccccccccccccccccccccccccc[2]
		.leaf_member_with_a_rather_long_name_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb));
	return 0;
}

SEC("tp_btf/sys_enter")
int mem(struct ef_mem *m)
{
	/* direct loads: the CO-RE offset is in the LDX itself */
	__u64 sum = m->u32_to_u64;

	sum += m->same;
	sum += (__u64)m->p;
	sum += m->arr[1];
	sum += m->arr2[2];
	OUT(22, sum);
	/* §47: an unguarded poisoned load reached by the verifier */
	OUT(23, m->s32_to_s64);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

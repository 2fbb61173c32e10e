// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_fields.bpf.c. */
struct ef_elem { long pre; int a; int b; };		/* 16 bytes: p[2] moves to 32 */
struct ef_anon {
	long pad;
	struct {
		struct { int s0; short s2; };
		int u1;
	};
	union { char c; int last; };
};
struct ef_flex { long n; int data[]; };
struct ef_zero { int z[0]; int after; };
struct ef_arr { int small[2]; int grid[6]; int flat[8]; };
struct ef_inner { int i; };
union ef_inner_u { int i; long l; };
struct ef_other { char c; };
enum ef_col { COL_R = 1, COL_G };
enum ef_col2 { COL2 = 1 };
struct ef_compat {
	union ef_inner_u su;
	long isz;
	struct ef_other *ptr;
	enum ef_col en;
	enum { ANON_B = 2 } anon_en;
	enum ef_col2 en_other;
	struct ef_other not_int;
};
struct ef_part_in_t { int deep; };
struct ef_part { int x; int in; struct ef_part_in_t in2; };	/* "in" is an int: incompatible */
struct ef_bits { unsigned long long pad: 5, lo: 3, mid: 7, hi: 22; };
struct ef_long_names_level_three_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {
	long before;
	int leaf_member_with_a_rather_long_name_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb;
};
struct ef_long_names_level_two_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {
	struct ef_long_names_level_three_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa third_level_member_with_a_long_name_ccccccccccccccccccccccccccccccc[4];
};
struct ef_long_names_level_one_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {
	long pad[3];
	struct ef_long_names_level_two_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa second_level_member_with_a_long_name_dddddddddddddddddddddddddddddd;
};
struct ef_mem {
	long pre;
	unsigned long u32_to_u64;
	long s32_to_s64;
	unsigned short same;
	char *p;
	unsigned int arr[8];
	unsigned int arr2[2];
};

struct ef_elem g1; struct ef_anon g2; struct ef_flex g3; struct ef_zero g4; struct ef_arr g5;
struct ef_compat g6; struct ef_part g7; struct ef_bits g8;
struct ef_long_names_level_one_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa g9; struct ef_mem g10;

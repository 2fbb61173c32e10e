// SPDX-License-Identifier: GPL-2.0
/* Second target for edge_fields.bpf.c: same names, the local layouts mostly
 * kept (so most relocations match), a few members moved. */
struct ef_elem { int a; int b; };
struct ef_anon { int pad; union { int u1; struct { short s1; short s2; }; }; int last; };
struct ef_flex { int n; char data[]; };
struct ef_zero { int z[0]; int after; };
struct ef_arr { int small[4]; int grid[2][3]; int flat[6]; };
struct ef_inner { int i; };
enum ef_col { COL_R = 1 };
struct ef_compat {
	struct ef_inner su;
	unsigned char isz;
	struct ef_inner *ptr;
	enum ef_col en;
	enum { ANON_A = 1 } anon_en;
	enum ef_col en_other;
	int not_int;
};
struct ef_part_in { int deep; };
struct ef_part { int x; struct ef_part_in in; };
struct ef_bits { unsigned int lo: 3, mid: 7, hi: 22; };
struct ef_mem {
	unsigned int u32_to_u64;
	int s32_to_s64;
	unsigned short same;
	void *p;
	unsigned int arr[4];
	unsigned int arr2[4];
};
struct ef_elem g1; struct ef_anon g2; struct ef_flex g3; struct ef_zero g4; struct ef_arr g5;
struct ef_compat g6; struct ef_part g7; struct ef_bits g8; struct ef_mem g10;

// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_whole_array.bpf.c. */
struct ew_arr {
	long pre;
	unsigned int grow[8];
	unsigned int same[4];
	unsigned long wide[2];
	unsigned int shrink[2];
	int sgrow[8];
	unsigned int grid[2][4];
	unsigned int *ptrs[3];
};

struct ew_arr g1;

// SPDX-License-Identifier: GPL-2.0
/* §27, §28: direct loads whose relocation names a whole array field. libbpf
 * 1.1.2 takes the field's memory size from the whole array (v1.6 takes the
 * innermost element), so any change of dimension is a size change, and arrays
 * are neither pointers nor unsigned ints: "accesses field incorrectly", poison.
 * edge_fields.bpf.c's arr[1] names an element (0:4:1), not the array; here the
 * access string ends at the array (0:N), as in the newest selftest's
 * `a = __builtin_preserve_access_index(({ in->a; }))`.
 * corelab-targets: edge_whole_array_t */
#include "edge_common.h"

struct ew_arr {
	int pad;
	unsigned int grow[4];		/* target: [8]: poisoned in 1.1.2 (patched in v1.6+) */
	unsigned int same[4];		/* target: [4]: only the offset moves */
	unsigned int wide[4];		/* target: unsigned long [2], same 16 bytes: the 4-byte load is kept */
	unsigned int shrink[4];		/* target: [2] */
	int sgrow[4];			/* target: int [8] */
	unsigned int grid[2][3];	/* target: [2][4] */
	unsigned int *ptrs[2];		/* target: pointers [3] */
} PAI;

SEC("raw_tp/sys_enter")
int whole(void *ctx)
{
	struct ew_arr *m = ctx;
	unsigned int *g = __builtin_preserve_access_index(({ m->grow; }));
	unsigned int *s = __builtin_preserve_access_index(({ m->same; }));
	unsigned int *w = __builtin_preserve_access_index(({ m->wide; }));
	unsigned int *k = __builtin_preserve_access_index(({ m->shrink; }));
	int *sg = __builtin_preserve_access_index(({ m->sgrow; }));
	unsigned int (*gr)[3] = __builtin_preserve_access_index(({ m->grid; }));
	unsigned int **p = __builtin_preserve_access_index(({ m->ptrs; }));

	/* each first element load carries the array field's relocation in its off */
	OUT(0, g[0]);
	OUT(1, s[0]);
	OUT(2, w[0]);
	OUT(3, k[0]);
	OUT(4, sg[0]);
	OUT(5, gr[0][0]);
	OUT(6, p[0]);
	/* control: an element access (0:1:2) is sized by the element */
	OUT(7, m->grow[2]);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

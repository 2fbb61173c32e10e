// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_bitfields.bpf.c; also compiled big-endian
 * (edge_bitfields_t-eb). */
struct eb_bits {
	short pre;
	unsigned int a: 5;
	int b: 7;
	unsigned int c: 17;
	unsigned long long pad4: 4, wide: 60;	/* §33: just big enough */
	unsigned int plain: 11;
	unsigned int was_bf;
};
struct eb_bits g1;

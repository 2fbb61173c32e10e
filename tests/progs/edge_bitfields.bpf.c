// SPDX-License-Identifier: GPL-2.0
/* Bitfield relocations (byte_off, byte_sz, signed, lshift_u64, rshift_u64)
 * against little- and big-endian targets (a big-endian target changes the
 * LSHIFT formula... only if libbpf used the target's byte order: it does not).
 * corelab-targets: edge_bitfields_t edge_bitfields_t-eb */
#include "edge_common.h"

struct eb_bits {
	unsigned int a: 3;
	int b: 5;			/* signed */
	unsigned int c: 24;
	unsigned long long wide: 60;	/* §33: target packs it at bit 4 of a u64 */
	unsigned short plain;		/* §34: target makes it a bitfield */
	unsigned int was_bf: 9;		/* §34: target makes it a plain int */
} PAI;

#define BF_ALL(base, p, f)                                                     \
	do {                                                                   \
		OUT((base) + 0, bpf_core_field_offset(p->f));                  \
		OUT((base) + 1, bpf_core_field_size(p->f));                    \
		OUT((base) + 2, __builtin_preserve_field_info(p->f, BPF_FIELD_SIGNED)); \
		OUT((base) + 3, __builtin_preserve_field_info(p->f, BPF_FIELD_LSHIFT_U64)); \
		OUT((base) + 4, __builtin_preserve_field_info(p->f, BPF_FIELD_RSHIFT_U64)); \
	} while (0)

SEC("raw_tp/sys_enter")
int bits(void *ctx)
{
	struct eb_bits *p = ctx;

	BF_ALL(0, p, a);
	BF_ALL(5, p, b);
	BF_ALL(10, p, c);
	BF_ALL(15, p, wide);
	BF_ALL(20, p, plain);
	BF_ALL(25, p, was_bf);
	return 0;
}

SEC("raw_tp/sys_exit")
int read_bits(void *ctx)
{
	struct eb_bits *p = ctx;

	/* the way programs really read bitfields */
	OUT(30, BPF_CORE_READ_BITFIELD_PROBED(p, b));
	OUT(31, BPF_CORE_READ_BITFIELD_PROBED(p, wide));
	OUT(32, BPF_CORE_READ_BITFIELD_PROBED(p, was_bf));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

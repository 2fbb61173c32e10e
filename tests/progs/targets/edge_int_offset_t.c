// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_int_offset.bpf.c. The corpus also writes
 * edge_int_offset_t-intoff.o: this object with the "unsigned short" INT given a
 * legacy bit offset (tests/progs/patch-btf-int.mjs). Only the members meant to
 * see the patched int use unsigned short. */
// corelab-int-offset: unsigned short 4
struct eo_s { long pre; int plain; unsigned short legacy; unsigned short arr[2]; unsigned short wider; };
typedef unsigned short eo_u16_t;
typedef eo_u16_t *eo_u16p_t;

struct eo_s g1; eo_u16_t g2; eo_u16p_t g3;

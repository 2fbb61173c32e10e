// SPDX-License-Identifier: GPL-2.0
/* §16: legacy BTF_INT_OFFSET ints, rejected by field and type compatibility on
 * either side, ignored by types_match. clang never writes a nonzero INT bit
 * offset, so tests/progs/patch-btf-int.mjs rewrites the "unsigned short" INT:
 * of the target (edge_int_offset_t-intoff, from the target's own
 * "corelab-int-offset:" line) and of this object (edge_int_offset-intoff.bpf.o,
 * from the line below). The unpatched pair is the control: everything matches.
 * corelab-targets: edge_int_offset_t edge_int_offset_t-intoff */
// corelab-int-offset: unsigned short 4
#include "edge_common.h"

struct eo_s {
	int plain;		/* target: int, never patched */
	unsigned short legacy;	/* target: the patched unsigned short */
	unsigned short arr[2];	/* target: array of it (compat recurses into elements) */
	int wider;		/* target: the patched unsigned short; int sizes alone never matter */
} PAI;
typedef unsigned short eo_u16_t;	/* target: typedef to the patched int */
typedef eo_u16_t *eo_u16p_t;		/* behind a pointer */

SEC("raw_tp/sys_enter")
int fields(void *ctx)
{
	struct eo_s *s = ctx;

	/* bpf_core_fields_are_compat */
	OUT(0, bpf_core_field_exists(s->plain));
	OUT(1, bpf_core_field_exists(s->legacy));
	OUT(2, bpf_core_field_size(s->arr[1]));
	OUT(3, bpf_core_field_exists(s->arr));
	OUT(4, bpf_core_field_offset(s->wider));
	/* a direct load: poisoned when no candidate matches */
	OUT(5, s->legacy);
	return 0;
}

SEC("raw_tp/sys_exit")
int types(void *ctx)
{
	/* bpf_core_types_are_compat rejects the legacy int, also behind a pointer */
	OUT(10, bpf_core_type_exists(eo_u16_t));
	OUT(11, bpf_core_type_size(eo_u16_t));
	OUT(12, bpf_core_type_exists(eo_u16p_t));
	OUT(13, bpf_core_type_id_kernel(eo_u16_t));
	/* bpf_core_types_match compares only size and signedness of ints */
	OUT(14, bpf_core_type_matches(eo_u16_t));
	OUT(15, bpf_core_type_matches(eo_u16p_t));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

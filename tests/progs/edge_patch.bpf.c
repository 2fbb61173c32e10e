// SPDX-License-Identifier: GPL-2.0
/* Base of the hand-patched variants: tests/progs/patch-btfext.mjs rewrites one
 * CO-RE record per "corelab-patch:" line into an object of its own (most end
 * in a hard error). The unpatched object relocates cleanly.
 * corelab-targets: edge_patch_t */
#include "edge_common.h"

// §10: access strings clang never writes
// corelab-patch: access-empty raw_tp/sys_enter#0 access=
// corelab-patch: access-colon raw_tp/sys_enter#0 access=:1
// corelab-patch: access-trailing raw_tp/sys_enter#0 access=0:
// corelab-patch: access-double raw_tp/sys_enter#0 access=0::1
// corelab-patch: access-65 raw_tp/sys_enter#0 access=0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0
// corelab-patch: access-neg raw_tp/sys_enter#0 access=-1:1
// §11: type-based kinds need "0"; enumval kinds one index below vlen
// corelab-patch: type-not-zero raw_tp/sys_enter#2 access=1
// corelab-patch: enum-two raw_tp/sys_enter#3 access=0:0
// corelab-patch: enum-oob raw_tp/sys_enter#3 access=9
// an unknown kind; §32 FIELD_SIGNED of a pointer field (clang refuses to emit it)
// corelab-patch: kind-bad raw_tp/sys_enter#1 kind=13
// corelab-patch: signed-ptr raw_tp/sys_enter#4 kind=3
// §23: the instruction does not hold the local spec's value
// corelab-patch: orig-mismatch raw_tp/sys_enter#0 access=0:0
// §24: an ALU relocation on a BPF_X instruction
// corelab-patch: alu-x raw_tp/sys_enter#1 insn=op:0f
// §29: the second slot of an LD_IMM64 is not a patchable form; the map
// address load (src_reg still 0 during CO-RE) fails 64-bit validation
// corelab-patch: ldimm64-form raw_tp/sys_enter#3 insn=7
// corelab-patch: ldimm64-map raw_tp/sys_enter#3 insn=12
// an exit instruction: "trying to relocate unrecognized insn"
// corelab-patch: insn-exit raw_tp/sys_enter#1 insn=op:95
// §41: insn_off not a multiple of 8
// corelab-patch: insn-unaligned raw_tp/sys_enter#1 insn_off=4

struct epa { int a; int b; void *p; } PAI;
enum epa_e { EPA_X = 1, EPA_Y = 2 };

SEC("raw_tp/sys_enter")
int patch_base(void *ctx)
{
	struct epa *s = ctx;
	__u64 acc = (__u64)ctx;

	acc += bpf_core_field_offset(s->b);		/* #0 */
	acc += bpf_core_field_exists(s->a);		/* #1 */
	acc += bpf_core_type_exists(struct epa);	/* #2 */
	acc += bpf_core_enum_value(enum epa_e, EPA_Y);	/* #3 */
	acc += bpf_core_field_size(s->p);		/* #4 */
	acc *= (__u64)ctx;
	OUT(0, acc);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

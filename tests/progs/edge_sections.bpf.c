// SPDX-License-Identifier: GPL-2.0
/* Programs, sections and the shared candidate cache.
 * §39: relo #N counts per ELF section, insn #M per function; two programs
 * share one section; a .text subprogram is relocated once under its own name.
 * §8: a "?" section is not autoloaded: its relocations are skipped silently
 * and do not prune the cache. §6: the cache is shared by all programs and
 * sections. §7: a relocation without a match leaves the cache as it was.
 * corelab-targets: edge_sections_t */
#include "edge_common.h"

struct es_s { int a; int b; int only_in_v2; int nowhere; } PAI;

static __attribute__((noinline)) int sub_read(struct es_s *s)
{
	OUT(0, bpf_core_field_offset(s->b));
	return bpf_core_field_exists(s->a);
}

SEC("raw_tp/sys_enter")
int first(void *ctx)
{
	struct es_s *s = ctx;

	OUT(1, bpf_core_field_offset(s->a));	/* matches both flavors: no pruning needed */
	OUT(2, bpf_core_field_exists(s->nowhere));	/* §7: no candidate has it: cache unchanged */
	return sub_read(s);
}

SEC("raw_tp/sys_enter")
int second(void *ctx)
{
	struct es_s *s = ctx;

	OUT(3, bpf_core_field_size(s->b));		/* both flavors still candidates */
	OUT(7, bpf_core_field_exists(s->only_in_v2));	/* §6: prunes to es_s___v2 */
	return sub_read(s);
}

SEC("?raw_tp/sys_exit")
int not_loaded(void *ctx)
{
	struct es_s *s = ctx;

	/* would prune the candidates to es_s___v2 if it were processed */
	OUT(4, bpf_core_field_offset(s->only_in_v2));
	return 0;
}

SEC("raw_tp/task_rename")
int third(void *ctx)
{
	struct es_s *s = ctx;

	OUT(5, bpf_core_field_offset(s->b));
	OUT(6, bpf_core_type_size(struct es_s));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

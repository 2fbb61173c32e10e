// SPDX-License-Identifier: GPL-2.0
/* Types that only a module has (nf_conntrack). §5: libbpf looks at modules
 * only when vmlinux has no same-name same-kind type, and never with a custom
 * BTF path; the oracle therefore flattens the module's split BTF onto its
 * base, so candidates from the module get ids past the base's last one.
 * §42: TYPE_ID_TARGET of a module type is such an id. Against the bare
 * vmlinux the module-only types have no candidate at all.
 * corelab-targets: debian-6.12.117-amd64--nf_conntrack debian-6.12.117-amd64 */
#include "edge_common.h"

struct nf_conntrack_net {
	unsigned int expect_count;
	unsigned int users6;
	void *sysctl_header;
} PAI;
struct nf_conn_counter { __u64 bytes; } PAI;
struct nf_conntrack_l4proto { __u8 l4proto; __u16 nlattr_size; } PAI;
struct nf_conn { unsigned long status; } PAI;	/* in vmlinux */

SEC("raw_tp/sys_enter")
int module(void *ctx)
{
	struct nf_conntrack_net *cn = ctx;
	struct nf_conn_counter *cc = ctx;
	struct nf_conntrack_l4proto *l4 = ctx;
	struct nf_conn *ct = ctx;

	OUT(0, bpf_core_field_offset(cn->users6));
	OUT(1, bpf_core_field_offset(cn->sysctl_header));
	OUT(2, bpf_core_field_exists(cn->expect_count));
	OUT(3, bpf_core_field_offset(cc->bytes));
	OUT(4, bpf_core_type_id_kernel(struct nf_conn_counter));
	OUT(5, bpf_core_type_size(struct nf_conntrack_l4proto));
	OUT(6, bpf_core_field_size(l4->nlattr_size));
	OUT(7, bpf_core_field_offset(ct->status));
	OUT(8, bpf_core_type_id_kernel(struct nf_conn));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

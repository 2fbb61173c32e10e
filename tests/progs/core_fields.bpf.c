// SPDX-License-Identifier: GPL-2.0
/* Field relocations: byte_off, byte_sz, field_exists, signed, lshift_u64,
 * rshift_u64 — on plain members, nested members, arrays, bitfields and a
 * flavor (___old) of a real kernel struct. */
#include "progs.h"

struct mm_struct {
	unsigned long start_code;
	unsigned long end_code;
	int map_count;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
	unsigned int flags;
	char comm[16];
	struct task_struct *real_parent;
	struct mm_struct *mm;
	/* Bitfields exactly as the kernel declares them. */
	unsigned int sched_reset_on_fork : 1;
	unsigned int sched_contributes_to_load : 1;
	unsigned int in_execve : 1;
} __attribute__((preserve_access_index));

/* A flavor: matched by its essential name "task_struct"; 'state' is gone
 * from modern kernels, so its existence check must answer 0 there. */
struct task_struct___old {
	long state;
	int pid;
} __attribute__((preserve_access_index));

struct sock_common {
	unsigned short skc_family;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
	unsigned char sk_kern_sock : 1;
	unsigned char sk_no_check_tx : 1;
	unsigned short sk_type;
	int sk_rcvbuf;
} __attribute__((preserve_access_index));

struct out {
	__u64 v[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct out);
} results SEC(".maps");

SEC("tp_btf/sched_switch")
int fields(__u64 *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct task_struct___old *old = (void *)t;
	__u32 zero = 0;
	struct out *o = bpf_map_lookup_elem(&results, &zero);

	if (!o)
		return 0;
	o->v[0] = BPF_CORE_READ(t, real_parent, tgid);
	o->v[1] = BPF_CORE_READ(t, mm, map_count);
	o->v[2] = bpf_core_field_offset(t->comm);
	o->v[3] = bpf_core_field_size(t->comm);
	o->v[4] = bpf_core_field_size(t->comm[3]);
	o->v[5] = bpf_core_field_exists(old->state);
	if (bpf_core_field_exists(old->state))
		o->v[6] = BPF_CORE_READ(old, state);
	o->v[7] = __builtin_preserve_field_info(t->pid, BPF_FIELD_SIGNED);
	o->v[8] = __builtin_preserve_field_info(t->flags, BPF_FIELD_SIGNED);
	/* _PROBED reads through bpf_probe_read_kernel and uses all of
	 * byte_off, byte_sz, lshift_u64, rshift_u64 and signed. */
	o->v[9] = BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
	o->v[10] = BPF_CORE_READ_BITFIELD_PROBED(t, sched_contributes_to_load);
	o->v[11] = __builtin_preserve_field_info(t->sched_reset_on_fork, BPF_FIELD_LSHIFT_U64);
	o->v[12] = __builtin_preserve_field_info(t->sched_reset_on_fork, BPF_FIELD_RSHIFT_U64);
	o->v[13] = bpf_core_field_offset(t->mm->end_code);
	return 0;
}

SEC("fentry/tcp_v4_connect")
int sock_fields(struct sock *sk)
{
	/* Direct (BTF-typed) access: loads whose offsets are relocated in
	 * place, and a bitfield read without a helper call. */
	__u32 zero = 0;
	struct out *o = bpf_map_lookup_elem(&results, &zero);

	if (!o)
		return 0;
	o->v[0] = sk->__sk_common.skc_family;
	o->v[1] = sk->sk_type;
	o->v[2] = BPF_CORE_READ_BITFIELD(sk, sk_kern_sock);
	o->v[3] = BPF_CORE_READ_BITFIELD(sk, sk_no_check_tx);
	o->v[4] = bpf_core_field_size(sk->sk_rcvbuf);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

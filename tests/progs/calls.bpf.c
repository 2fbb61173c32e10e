// SPDX-License-Identifier: GPL-2.0
/* Every kind of call and of 64-bit immediate load: helper calls,
 * bpf-to-bpf calls (static and global subprograms), kfunc calls through
 * __ksym externs (one __weak), a callback passed by address (ld_imm64 of a
 * function), map references, global data, a typed ksym variable, a kconfig
 * extern and a plain 64-bit constant. */
#include "progs.h"

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct rq {
	int cpu;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct task_struct *bpf_task_from_pid(__s32 pid) __ksym __weak;
extern const struct rq runqueues __ksym;
extern int LINUX_KERNEL_VERSION __kconfig;

__u64 total = 0;               /* .bss */
__u64 scale = 3;               /* .data */
const volatile __u32 limit = 100; /* .rodata */

static __noinline __u64 mix(__u64 a, __u64 b)
{
	return (a ^ (b << 7)) * 0x9e3779b97f4a7c15ULL;
}

__noinline int global_sub(int x)
{
	return x > (int)limit ? x - (int)limit : x;
}

static long count_cb(__u64 index, void *ctx)
{
	__u64 *sum = ctx;

	*sum += mix(index, scale);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int calls(__u64 *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, sum = 0, *v;
	struct task_struct *t;
	const struct rq *rq;

	v = bpf_map_lookup_elem(&counts, &pid);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counts, &pid, &one, BPF_ANY);

	bpf_loop(8, count_cb, &sum, 0);
	total += sum + global_sub(pid) + LINUX_KERNEL_VERSION;

	t = bpf_task_from_pid(pid);
	if (t) {
		struct task_struct *again = bpf_task_acquire(t);

		if (again)
			bpf_task_release(again);
		bpf_task_release(t);
	}

	rq = bpf_this_cpu_ptr(&runqueues);
	bpf_ringbuf_output(&events, (void *)&rq->cpu, sizeof(rq->cpu), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

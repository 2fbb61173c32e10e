// SPDX-License-Identifier: MIT
// corelab sample: the classic CO-RE questions a tracing program asks of the kernel.
//  - a pointer chain through kernel structs: task->mm->exe_file->f_inode->i_ino
//  - a field renamed between kernels: task_struct.state became __state in 5.14
//  - a field that may not exist: an inode's i_ctime became __i_ctime in 6.6 (and i_ctime_sec in 6.11)
//  - a bitfield, an enum value and a type's size, all read the CO-RE way
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

// Local copies of just the kernel types we touch; preserve_access_index makes every
// access a CO-RE relocation, resolved against the running kernel's BTF at load time.
struct inode {
	unsigned long i_ino;
	struct timespec64 { long long tv_sec; long tv_nsec; } i_ctime;
} __attribute__((preserve_access_index));

struct inode___v66 {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
} __attribute__((preserve_access_index));

struct mm_struct {
	struct file *exe_file;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
	unsigned int __state;
	struct mm_struct *mm;
	struct task_struct *real_parent;
	unsigned int in_execve:1;
	char comm[16];
} __attribute__((preserve_access_index));

// Before 5.14 the field was called state (and was a long).
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

enum pid_type { PIDTYPE_PID, PIDTYPE_TGID, PIDTYPE_PGID, PIDTYPE_SID, PIDTYPE_MAX };

struct event {
	__u64 ino;
	__s64 ctime;
	__u32 pid, ppid, state, in_execve;
	__u64 pidtype_max;
	__u32 task_size;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

static __always_inline __u32 task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___pre514 *)t, state);
}

static __always_inline __s64 inode_ctime(struct inode *i)
{
	if (bpf_core_field_exists(((struct inode___v66 *)i)->__i_ctime))
		return BPF_CORE_READ((struct inode___v66 *)i, __i_ctime.tv_sec);
	return BPF_CORE_READ(i, i_ctime.tv_sec);
}

SEC("tp_btf/sched_process_exec")
int handle_exec(__u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	struct inode *ino = BPF_CORE_READ(task, mm, exe_file, f_inode);
	e->ino = BPF_CORE_READ(ino, i_ino);
	e->ctime = inode_ctime(ino);
	e->pid = BPF_CORE_READ(task, tgid);
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->state = task_state(task);
	e->in_execve = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
	e->pidtype_max = bpf_core_enum_value(enum pid_type, PIDTYPE_MAX);
	e->task_size = bpf_core_type_size(struct task_struct);
	BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

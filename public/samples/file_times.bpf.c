// SPDX-License-Identifier: MIT
// corelab sample: a program that is fine on one kernel and broken on another.
// It reads an inode's timestamps the way code written for 6.1 did, with no fallback:
// in 6.6 i_ctime became __i_ctime, in 6.7 i_mtime/i_atime became __i_mtime/__i_atime, and
// in 6.11 all three became i_*_sec/i_*_nsec. On newer kernels libbpf finds no match, poisons
// the loads, and the verifier rejects the program when it reaches one.
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

struct timespec64 {
	long long tv_sec;
	long tv_nsec;
} __attribute__((preserve_access_index));

struct inode {
	unsigned long i_ino;
	long long i_size;
	struct timespec64 i_atime;
	struct timespec64 i_mtime;
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
} __attribute__((preserve_access_index));

struct stamp {
	__u64 ino;
	__s64 size, atime, mtime, ctime;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} stamps SEC(".maps");

SEC("fentry/vfs_read")
int BPF_PROG(on_read, struct file *file)
{
	struct inode *ino = BPF_CORE_READ(file, f_inode);
	struct stamp *s = bpf_ringbuf_reserve(&stamps, sizeof(*s), 0);
	if (!s)
		return 0;
	s->ino = BPF_CORE_READ(ino, i_ino);
	s->size = BPF_CORE_READ(ino, i_size);
	s->atime = BPF_CORE_READ(ino, i_atime.tv_sec);
	s->mtime = BPF_CORE_READ(ino, i_mtime.tv_sec);
	s->ctime = BPF_CORE_READ(ino, i_ctime.tv_sec);
	bpf_ringbuf_submit(s, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

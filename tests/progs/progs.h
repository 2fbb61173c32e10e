/* Shared prelude for corelab's own BPF programs.
 * Only libbpf-dev headers are used; the few UAPI names they need are declared
 * here so the programs do not depend on kernel headers or a vmlinux.h. */
#ifndef CORELAB_PROGS_H
#define CORELAB_PROGS_H

typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef short __s16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

/* Values from include/uapi/linux/bpf.h. */
enum corelab_bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_RINGBUF = 27,
};
enum { BPF_ANY = 0 };

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#endif

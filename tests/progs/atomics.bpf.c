// SPDX-License-Identifier: GPL-2.0
// corelab-cflags: -mcpu=v3
/* Atomic read-modify-write on 32- and 64-bit globals: add/or/and/xor with
 * and without BPF_FETCH, xchg and cmpxchg. -mcpu=v3 is what makes clang
 * emit the fetch forms and the 32-bit ones. */
#include "progs.h"

__u64 c64;
__u32 c32;
__u64 seen64[10];
__u32 seen32[10];

SEC("fentry/do_nanosleep")
int atomics64(void *ctx)
{
	/* Results unused: the non-fetch forms. */
	__sync_fetch_and_add(&c64, 1);
	__sync_fetch_and_or(&c64, 2);
	__sync_fetch_and_and(&c64, 3);
	__sync_fetch_and_xor(&c64, 4);
	/* Results used: BPF_FETCH. */
	seen64[0] = __sync_fetch_and_add(&c64, 5);
	seen64[1] = __sync_fetch_and_or(&c64, 6);
	seen64[2] = __sync_fetch_and_and(&c64, 7);
	seen64[3] = __sync_fetch_and_xor(&c64, 8);
	seen64[4] = __sync_lock_test_and_set(&c64, 9);
	seen64[5] = __sync_val_compare_and_swap(&c64, 9, 10);
	return 0;
}

SEC("fentry/do_nanosleep")
int atomics32(void *ctx)
{
	__sync_fetch_and_add(&c32, 1);
	__sync_fetch_and_or(&c32, 2);
	__sync_fetch_and_and(&c32, 3);
	__sync_fetch_and_xor(&c32, 4);
	seen32[0] = __sync_fetch_and_add(&c32, 5);
	seen32[1] = __sync_fetch_and_or(&c32, 6);
	seen32[2] = __sync_fetch_and_and(&c32, 7);
	seen32[3] = __sync_fetch_and_xor(&c32, 8);
	seen32[4] = __sync_lock_test_and_set(&c32, 9);
	seen32[5] = __sync_val_compare_and_swap(&c32, 9, 10);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

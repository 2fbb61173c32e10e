// SPDX-License-Identifier: GPL-2.0
/* Every ALU64 and ALU32 operation in both source forms (K = immediate,
 * X = register), byte swaps, and loads/stores of every width. Written as
 * inline assembly so that the optimiser cannot drop or merge any of them. */
#include "progs.h"

SEC("socket")
int alu64(void *ctx)
{
	asm volatile(
		"r0 = 7;"
		"r1 = 3;"
		"r0 += 11;"   "r0 += r1;"
		"r0 -= 2;"    "r0 -= r1;"
		"r0 *= 5;"    "r0 *= r1;"
		"r0 /= 3;"    "r0 /= r1;"
		"r0 |= 0x100;" "r0 |= r1;"
		"r0 &= 0xfff;" "r0 &= r1;"
		"r0 <<= 4;"   "r0 <<= r1;"
		"r0 >>= 2;"   "r0 >>= r1;"
		"r0 = -r0;"
		"r0 %%= 1000;" "r0 %%= r1;"
		"r0 ^= 0x55;" "r0 ^= r1;"
		"r2 = -1;"    "r2 = r0;"
		"r0 s>>= 1;"  "r0 s>>= r1;"
		"r0 = -2147483648;"
		::: "r0", "r1", "r2");
	return 0;
}

SEC("socket")
int alu32(void *ctx)
{
	asm volatile(
		"w0 = 7;"
		"w1 = 3;"
		"w0 += 11;"   "w0 += w1;"
		"w0 -= 2;"    "w0 -= w1;"
		"w0 *= 5;"    "w0 *= w1;"
		"w0 /= 3;"    "w0 /= w1;"
		"w0 |= 0x100;" "w0 |= w1;"
		"w0 &= 0xfff;" "w0 &= w1;"
		"w0 <<= 4;"   "w0 <<= w1;"
		"w0 >>= 2;"   "w0 >>= w1;"
		"w0 = -w0;"
		"w0 %%= 1000;" "w0 %%= w1;"
		"w0 ^= 0x55;" "w0 ^= w1;"
		"w2 = -1;"    "w2 = w0;"
		"w0 s>>= 1;"  "w0 s>>= w1;"
		::: "r0", "r1", "r2");
	return 0;
}

SEC("socket")
int byteswap_and_memory(void *ctx)
{
	asm volatile(
		"r1 = 0x1234;"
		"r1 = be16 r1;" "r1 = be32 r1;" "r1 = be64 r1;"
		"r1 = le16 r1;" "r1 = le32 r1;" "r1 = le64 r1;"
		/* ST (immediate) and STX (register) of every size. */
		"*(u8 *)(r10 - 1) = 0x7f;"
		"*(u16 *)(r10 - 4) = 0x7fff;"
		"*(u32 *)(r10 - 8) = -1;"
		"*(u64 *)(r10 - 16) = 42;"
		"*(u8 *)(r10 - 17) = r1;"
		"*(u16 *)(r10 - 20) = r1;"
		"*(u32 *)(r10 - 24) = r1;"
		"*(u64 *)(r10 - 32) = r1;"
		/* LDX of every size. */
		"r2 = *(u8 *)(r10 - 1);"
		"r2 = *(u16 *)(r10 - 4);"
		"r2 = *(u32 *)(r10 - 8);"
		"r2 = *(u64 *)(r10 - 16);"
		::: "r1", "r2");
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// corelab-cflags: -mcpu=v4
/* cpu v4 instructions: sign-extending loads (ldsx), sign-extending moves
 * (movsx, 64- and 32-bit), signed division and modulo (sdiv/smod, both
 * widths), unconditional byte swaps (bswap16/32/64) and the 32-bit-offset
 * jump gotol. The compiled part shows what clang chooses by itself. */
#include "progs.h"

struct sample {
	__s8 b;
	__s16 h;
	__s32 w;
	__s64 d;
};

struct sample in;
__s64 out[12];

SEC("socket")
int v4_compiled(void *ctx)
{
	__s64 d = in.d;
	__s32 w = in.w;

	out[0] = in.b;		/* ldsx 8 */
	out[1] = in.h;		/* ldsx 16 */
	out[2] = in.w;		/* ldsx 32 */
	out[3] = (__s8)d;	/* movsx 8 -> 64 */
	out[4] = (__s16)d;
	out[5] = (__s32)d;
	out[6] = d / in.h;	/* sdiv */
	out[7] = d % in.h;	/* smod */
	out[8] = (__s32)(w / (__s32)in.b);
	out[9] = __builtin_bswap64(d);
	out[10] = __builtin_bswap32(w);
	out[11] = __builtin_bswap16((__u16)w);
	return 0;
}

SEC("socket")
int v4_asm(void *ctx)
{
	asm volatile(
		"r1 = -7;"
		"r2 = 2;"
		"r3 = (s8)r1;"   "r3 = (s16)r1;"  "r3 = (s32)r1;"
		"w3 = (s8)w1;"   "w3 = (s16)w1;"
		"r3 s/= r2;"     "r3 s/= 3;"
		"r3 s%%= r2;"    "r3 s%%= 3;"
		"w3 s/= w2;"     "w3 s/= 3;"
		"w3 s%%= w2;"    "w3 s%%= 3;"
		"r3 = bswap16 r3;" "r3 = bswap32 r3;" "r3 = bswap64 r3;"
		"*(u64 *)(r10 - 8) = r1;"
		"r4 = *(s8 *)(r10 - 8);"
		"r4 = *(s16 *)(r10 - 8);"
		"r4 = *(s32 *)(r10 - 8);"
		"gotol +1;"
		"r4 = 0;"
		"gotol +0;"
		::: "r1", "r2", "r3", "r4");
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

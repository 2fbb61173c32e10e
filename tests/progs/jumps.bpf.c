// SPDX-License-Identifier: GPL-2.0
/* Every conditional jump, JMP (64-bit compares) and JMP32 (32-bit), with
 * immediate and register operands, plus JA and EXIT. Forward offsets of 0
 * and 1 keep each test on its own line in the disassembly. */
#include "progs.h"

SEC("socket")
int jmp64(void *ctx)
{
	asm volatile(
		"r1 = 1;"
		"r2 = 2;"
		"if r1 == 1 goto +0;"   "if r1 == r2 goto +0;"
		"if r1 != 1 goto +0;"   "if r1 != r2 goto +0;"
		"if r1 > 1 goto +0;"    "if r1 > r2 goto +0;"
		"if r1 >= 1 goto +0;"   "if r1 >= r2 goto +0;"
		"if r1 < 1 goto +0;"    "if r1 < r2 goto +0;"
		"if r1 <= 1 goto +0;"   "if r1 <= r2 goto +0;"
		"if r1 s> -1 goto +0;"  "if r1 s> r2 goto +0;"
		"if r1 s>= -1 goto +0;" "if r1 s>= r2 goto +0;"
		"if r1 s< -1 goto +0;"  "if r1 s< r2 goto +0;"
		"if r1 s<= -1 goto +0;" "if r1 s<= r2 goto +0;"
		"if r1 & 4 goto +1;"    "if r1 & r2 goto +1;"
		"goto +1;"
		"r1 = 0;"
		"goto +0;"
		::: "r1", "r2");
	return 0;
}

SEC("socket")
int jmp32(void *ctx)
{
	asm volatile(
		"w1 = 1;"
		"w2 = 2;"
		"if w1 == 1 goto +0;"   "if w1 == w2 goto +0;"
		"if w1 != 1 goto +0;"   "if w1 != w2 goto +0;"
		"if w1 > 1 goto +0;"    "if w1 > w2 goto +0;"
		"if w1 >= 1 goto +0;"   "if w1 >= w2 goto +0;"
		"if w1 < 1 goto +0;"    "if w1 < w2 goto +0;"
		"if w1 <= 1 goto +0;"   "if w1 <= w2 goto +0;"
		"if w1 s> -1 goto +0;"  "if w1 s> w2 goto +0;"
		"if w1 s>= -1 goto +0;" "if w1 s>= w2 goto +0;"
		"if w1 s< -1 goto +0;"  "if w1 s< w2 goto +0;"
		"if w1 s<= -1 goto +0;" "if w1 s<= w2 goto +0;"
		"if w1 & 4 goto +1;"    "if w1 & w2 goto +1;"
		"w1 = 0;"
		::: "r1", "r2");
	return 0;
}

/* Compiled code: a loop with backward jumps and compiler-chosen compares. */
SEC("socket")
int loop(void *ctx)
{
	volatile int acc = 0;

	for (int i = 0; i < 10; i++) {
		if (i & 1)
			acc += i;
		else if (acc > 7)
			acc -= 3;
	}
	return acc;
}

char LICENSE[] SEC("license") = "GPL";

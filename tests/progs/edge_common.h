/* Shared bits of the edge-case programs (tests/progs/edge_*.bpf.c).
 * Each edge program exercises cases of notes §10 (numbers in comments) against
 * the target BTFs named on its "corelab-targets:" line; tests/oracle/regen.mjs
 * pairs them. Results go to a global array so that no relocated value is
 * optimised away. */
#ifndef CORELAB_EDGE_COMMON_H
#define CORELAB_EDGE_COMMON_H
#include "progs.h"

#define PAI __attribute__((preserve_access_index))

struct edge_out {
	__u64 v[64];
};
struct edge_out edge_result;
#define OUT(i, x) (edge_result.v[(i)] = (__u64)(x))

#endif

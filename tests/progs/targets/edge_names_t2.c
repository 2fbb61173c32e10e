// SPDX-License-Identifier: GPL-2.0
/* Second target for edge_names.bpf.c: unions where the first had structs,
 * typedef'd roots, and no enums at all. */
union en_a___b { int x; long y; };
struct en_a___b___c { int x; };		/* essential name en_a___b: a candidate too */
typedef struct en_flav { int x; } en_flav;
union en_su { char c; int a; };
struct en_tfwd { long l; int a; };
typedef int en_td_t;
struct en_missing___not { int a; };

union en_a___b g1; struct en_a___b___c g2; en_flav g3; union en_su g4; struct en_tfwd g5;
en_td_t g6; struct en_missing___not g7;

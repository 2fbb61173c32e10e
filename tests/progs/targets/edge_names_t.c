// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_names.bpf.c (its .BTF is given as btf_custom_path). */
struct en_a___b { long pad; int x; };	/* essential name en_a: not a candidate */
struct en_a { int x; };			/* must not be a candidate of en_a___b___c */
struct en_plain___ { short pad; int x; };
struct en_plain { int x; };		/* must not be a candidate of en_plain___ */
struct en_four____bar { char pad[12]; int x; };
struct en_four { int x; };
struct en_flav { long pad[2]; int x; };
struct en_flav___other { long pad[2]; int x; }; /* a second candidate, same offset: no ambiguity */
struct en_td_t { int a; };
typedef struct { int a; } en_td2_t;
struct en_su { int a; };
struct en_tfwd;
enum en_e32 { E32_A = 1, E32_B = 0x300000000ULL };
enum en_e64 { E64_A = 3, E64_B = 4 };
enum en_sig { SIG_POS = -5, SIG_NEG = 9 };
enum en_u { U_X = 0xBBBBBBBB, U_Y = 3 };

struct en_a___b g1; struct en_a g2; struct en_plain___ g3; struct en_plain g4;
struct en_four____bar g5; struct en_four g6; struct en_flav g7; struct en_flav___other g8;
struct en_td_t g9; en_td2_t g10; struct en_su g11; struct en_tfwd *g12;
enum en_e32 g13; enum en_e64 g14; enum en_sig g15; enum en_u g16;

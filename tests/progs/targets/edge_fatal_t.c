// SPDX-License-Identifier: GPL-2.0
/* Target BTF of the single-case programs that end in a hard error
 * (edge_anon_root, edge_ambig_*, edge_prune_*, edge_enum_ubig, edge_ldx_range,
 * edge_bf_big, edge_arr_kind, edge_zero_arr). */
struct ea_holder { long pad; struct { int y; int x; } in; };
struct eam_o___a { int x; };
struct eam_o___b { long pad; int x; };
struct eam_v___a { int x; };
struct eam_v___b { long x; };
struct eam_t___a { int x; };
struct eam_t___b { int x; };
struct epr___1 { int a; int b; };
struct epr___2 { long pad; int a; int c; };
enum eub { UB_SMALL = 1, UB_BIG = 0xBBBBBBBB };
struct eldx { int a; char pad[40000]; int b; };
struct ebf { char pad; unsigned long long f: 60; } __attribute__((packed));
struct earr { int pad; int arr[8]; };
struct ezero { int z[0]; int after; };

struct ea_holder g1; struct eam_o___a g2; struct eam_o___b g3; struct eam_v___a g4; struct eam_v___b g5;
struct eam_t___a g6; struct eam_t___b g7; struct epr___1 g8; struct epr___2 g9; enum eub g10;
struct eldx g11; struct ebf g12; struct earr g13; struct ezero g14;

// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_sections.bpf.c: two flavors of es_s that agree on a
 * and b but not on only_in_v2 (absent from the first) or the size. */
struct es_s { int a; int b; };
struct es_s___v2 { int a; int b; long only_in_v2; };
struct es_s g1; struct es_s___v2 g2;

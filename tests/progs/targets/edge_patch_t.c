// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_patch.bpf.c and its patched variants. */
struct epa { long pad; int b; int a; char *p; };
enum epa_e { EPA_Y = 7, EPA_X = 8 };
struct epa g1; enum epa_e g2;

// SPDX-License-Identifier: GPL-2.0
/* Target BTF for edge_weak.bpf.c and its linked objects. */
struct wk_s { long pre; int a; int b; int c; };
struct wk_only_weak { long pre; int x; };

struct wk_s g1; struct wk_only_weak g2;

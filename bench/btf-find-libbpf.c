// SPDX-License-Identifier: MIT
/*
 * libbpf 1.1.2 side of bench/hotpath.mjs: time btf__parse() of a BTF file, and
 * btf__find_by_name_kind(BTF_KIND_STRUCT) for each name of a list (libbpf scans
 * the types linearly on every call; it keeps no name index).
 *
 *   btf-find-libbpf BTF NAMES_FILE RUNS
 *
 * Prints JSON: median/min ms of parse, of all lookups on a parsed BTF, of parse +
 * lookups, and the id found per name (the JS side checks its own answers against it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/btf.h>

static double ms_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* sorts t in place */
static void report(const char *key, double *t, int n, int last)
{
	qsort(t, n, sizeof(*t), by_value);
	printf("\"%s\":{\"median\":%.4f,\"min\":%.4f}%s", key, t[n / 2], t[0], last ? "" : ",");
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s BTF NAMES_FILE RUNS\n", argv[0]);
		return 2;
	}
	int runs = atoi(argv[3]);
	FILE *f = fopen(argv[2], "r");
	if (!f || runs <= 0) {
		fprintf(stderr, "cannot read %s\n", argv[2]);
		return 2;
	}
	char *names[1024];
	char line[512];
	int n = 0;
	while (n < 1024 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0])
			names[n++] = strdup(line);
	}
	fclose(f);

	double *tp = calloc(runs, sizeof(double)), *tf = calloc(runs, sizeof(double)), *tb = calloc(runs, sizeof(double));
	int ids[1024];
	__u32 types = 0;

	for (int r = -3; r < runs; r++) { /* three warm-up rounds */
		double t0 = ms_now();
		struct btf *btf = btf__parse(argv[1], NULL);
		double t1 = ms_now();
		if (!btf) {
			fprintf(stderr, "btf__parse failed\n");
			return 1;
		}
		for (int i = 0; i < n; i++)
			ids[i] = btf__find_by_name_kind(btf, names[i], BTF_KIND_STRUCT);
		double t2 = ms_now();
		types = btf__type_cnt(btf) - 1;
		btf__free(btf);
		if (r >= 0) {
			tp[r] = t1 - t0;
			tf[r] = t2 - t1;
			tb[r] = t2 - t0;
		}
	}
	printf("{\"types\":%u,\"names\":%d,", types, n);
	report("parse", tp, runs, 0);
	report("lookups", tf, runs, 0);
	report("parseAndLookups", tb, runs, 0);
	printf("\"ids\":[");
	for (int i = 0; i < n; i++)
		printf("%d%s", ids[i], i + 1 < n ? "," : "");
	printf("]}\n");
	return 0;
}

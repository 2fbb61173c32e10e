// SPDX-License-Identifier: MIT
/*
 * libbpf side of bench/relocate.mjs: how long libbpf 1.1.2 takes to parse a
 * target BTF and to run its CO-RE loop over an object against it.
 *
 *   core-libbpf OBJ TARGET RUNS
 *
 * parse: btf__parse(TARGET), RUNS times.
 * core:  the object is opened with btf_custom_path = TARGET and loaded (libbpf
 *        1.1 relocates only while loading). A print callback that formats
 *        nothing stamps the clock at libbpf's first "found N CO-RE relocations"
 *        call and at every "relo #" call; the window between the first and the
 *        last stamp is the CO-RE loop (candidate searches, matching, patching),
 *        without the target parse that happens just before it.
 * Prints one JSON line: every sample in ms, the load errors, and ru_maxrss (KiB).
 * Build: cc -O2 -o core-libbpf core-libbpf.c -lbpf
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double first_stamp, last_stamp;

/* Only the format string is looked at: formatting would add to the window. */
static int on_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)ap;
	if (strstr(fmt, "CO-RE relocations")) {
		if (first_stamp == 0)
			first_stamp = now_ms();
		last_stamp = now_ms();
	} else if (strstr(fmt, "relo #") && first_stamp != 0) {
		last_stamp = now_ms();
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void print_samples(const char *name, double *v, int n)
{
	printf("\"%s\":[", name);
	for (int i = 0; i < n; i++)
		printf("%s%.4f", i ? "," : "", v[i]);
	printf("]");
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: core-libbpf OBJ TARGET RUNS\n");
		return 2;
	}
	const char *obj_path = argv[1], *target = argv[2];
	int runs = atoi(argv[3]);
	if (runs < 1)
		runs = 1;
	double *parse = calloc(runs, sizeof(double)), *core = calloc(runs, sizeof(double));
	int load_errors = 0;

	libbpf_set_print(on_print);
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		struct btf *btf = btf__parse(target, NULL);

		parse[i] = now_ms() - t0;
		if (!btf) {
			fprintf(stderr, "core-libbpf: btf__parse %s failed\n", target);
			return 1;
		}
		btf__free(btf);
	}
	for (int i = 0; i < runs; i++) {
		LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = target);
		struct bpf_object *obj = bpf_object__open_file(obj_path, &opts);

		if (!obj) {
			fprintf(stderr, "core-libbpf: cannot open %s\n", obj_path);
			return 1;
		}
		first_stamp = last_stamp = 0;
		if (bpf_object__load(obj))
			load_errors++;
		core[i] = last_stamp - first_stamp;
		bpf_object__close(obj);
	}
	qsort(parse, runs, sizeof(double), cmp_double);
	qsort(core, runs, sizeof(double), cmp_double);
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("{");
	print_samples("parse_ms", parse, runs);
	printf(",");
	print_samples("core_ms", core, runs);
	printf(",\"load_errors\":%d,\"maxrss_kib\":%ld}\n", load_errors, ru.ru_maxrss);
	return 0;
}

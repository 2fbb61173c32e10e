// Timer for libbpf 1.1.2's CO-RE pass, the reference for bench/relo.mjs.
// usage: relo-libbpf OBJ TARGET_BTF RUNS  -> one JSON line (medians in ms, peak RSS in KiB)
//
// target_parse: btf__parse(TARGET) on its own (libbpf does exactly this first in its CO-RE pass).
// core_loop:    from libbpf's first "sec '...': found N CO-RE relocations" debug call to its last
//               "prog '...': relo #N: ..." call during bpf_object__load — the candidate searches,
//               matching and patching. The print callback only compares format strings (no
//               formatting), so observing costs next to nothing. Programs are then really loaded
//               (root needed); their verdict does not matter here.
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

static double first_core, last_relo;
static long relo_lines;

static int on_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)ap;
	if (strstr(fmt, "CO-RE relocations") && !strncmp(fmt, "libbpf: sec '", 13)) {
		if (first_core == 0)
			first_core = now_ms();
	} else if (!strncmp(fmt, "libbpf: prog '%s': relo #", 25)) {
		last_relo = now_ms();
		relo_lines++;
	}
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s OBJ TARGET_BTF RUNS\n", argv[0]);
		return 2;
	}
	int runs = atoi(argv[3]);
	if (runs < 1)
		runs = 1;
	double *parse = calloc(runs, sizeof(double)), *loop = calloc(runs, sizeof(double));
	libbpf_set_print(on_print);
	int failed_loads = 0;
	for (int i = -1; i < runs; i++) { /* i = -1: warm-up */
		double t0 = now_ms();
		struct btf *t = btf__parse(argv[2], NULL);
		double t1 = now_ms();
		if (!t) {
			fprintf(stderr, "cannot parse %s\n", argv[2]);
			return 1;
		}
		btf__free(t);

		LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = argv[2]);
		struct bpf_object *obj = bpf_object__open_file(argv[1], &opts);
		if (!obj) {
			fprintf(stderr, "cannot open %s\n", argv[1]);
			return 1;
		}
		first_core = last_relo = 0;
		relo_lines = 0;
		if (bpf_object__load(obj))
			failed_loads++;
		bpf_object__close(obj);
		if (first_core == 0 || last_relo == 0) {
			fprintf(stderr, "no CO-RE log seen: is the print callback reached (libbpf-dev 1.1.2)?\n");
			return 1;
		}
		if (i >= 0) {
			parse[i] = t1 - t0;
			loop[i] = last_relo - first_core;
		}
	}
	qsort(parse, runs, sizeof(double), by_value);
	qsort(loop, runs, sizeof(double), by_value);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("{\"target_parse_ms\":%.3f,\"core_loop_ms\":%.3f,\"target_parse_min_ms\":%.3f,\"core_loop_min_ms\":%.3f,"
	       "\"relo_lines\":%ld,\"failed_loads\":%d,\"max_rss_kib\":%ld}\n",
	       parse[runs / 2], loop[runs / 2], parse[0], loop[0], relo_lines, failed_loads, ru.ru_maxrss);
	return 0;
}

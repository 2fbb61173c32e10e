// Timer for libbpf's BTF parser, the reference for bench/btf-parse.mjs.
// usage: btf-parse-libbpf FILE RUNS  -> prints one JSON line of medians in ms
// file:   btf__parse(path)          (open + read + parse, what bpftool does)
// memory: btf__new(bytes, size)     (parse of bytes already in memory: copy + header + type scan)
// decode: btf__new + btf__type_by_id and btf__name_by_offset for every id
#include <bpf/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s FILE RUNS\n", argv[0]);
		return 2;
	}
	int runs = atoi(argv[2]);
	if (runs < 1)
		runs = 1;
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *data = malloc(size);
	if (!data || fread(data, 1, size, f) != (size_t)size) {
		fprintf(stderr, "cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);

	double *t_file = calloc(runs, sizeof(double));
	double *t_mem = calloc(runs, sizeof(double));
	double *t_dec = calloc(runs, sizeof(double));
	unsigned int types = 0;
	unsigned long sink = 0;
	/* two warm-up rounds, not counted */
	for (int r = -2; r < runs; r++) {
		double t0 = now_ms();
		struct btf *b = btf__parse(argv[1], NULL);
		double t1 = now_ms();
		if (!b) {
			fprintf(stderr, "btf__parse failed\n");
			return 1;
		}
		btf__free(b);
		double t2 = now_ms();
		b = btf__new(data, size);
		double t3 = now_ms();
		if (!b) {
			fprintf(stderr, "btf__new failed\n");
			return 1;
		}
		btf__free(b);
		double t4 = now_ms();
		b = btf__new(data, size);
		types = btf__type_cnt(b);
		for (unsigned int id = 1; id < types; id++) {
			const struct btf_type *t = btf__type_by_id(b, id);
			const char *name = btf__name_by_offset(b, t->name_off);
			sink += t->info + (name ? name[0] : 0);
		}
		double t5 = now_ms();
		btf__free(b);
		if (r >= 0) {
			t_file[r] = t1 - t0;
			t_mem[r] = t3 - t2;
			t_dec[r] = t5 - t4;
		}
	}
	/* median() sorts, so [0] is the minimum afterwards */
	double mf = median(t_file, runs), mm = median(t_mem, runs), md = median(t_dec, runs);
	printf("{\"types\":%u,\"file_ms\":%.4f,\"memory_ms\":%.4f,\"decode_ms\":%.4f,"
	       "\"file_min_ms\":%.4f,\"memory_min_ms\":%.4f,\"decode_min_ms\":%.4f,\"sink\":%lu}\n",
	       types - 1, mf, mm, md, t_file[0], t_mem[0], t_dec[0], sink & 1);
	return 0;
}

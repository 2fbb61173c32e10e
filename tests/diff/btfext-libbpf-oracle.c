// Oracle for the .BTF.ext tests: feeds inputs to the system libbpf's btf_ext__new (1.1.2) and
// prints, per input, what libbpf decided and, if it accepted, every record it would use.
//
// stdin: a sequence of [u32 little-endian length][bytes]. stdout, one line per input:
//   ERR <errno> <last log line libbpf printed, or "-">
//   OK <subsections>   where each of func/line/core is "rec_size:len:nsec" followed by
//                      "|name_off,num_info,w0,w1,..." per block (all u32 words of each record's
//                      minimum size, in host order)
// Walking the records needs libbpf's private struct btf_ext; its 1.1.2 layout is spelled out below.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

struct ext_info_112 {
	void *info;
	uint32_t rec_size;
	uint32_t len;
	uint32_t *sec_idxs;
	int sec_cnt;
};
struct btf_ext_112 {
	void *data;
	struct ext_info_112 func, line, core;
	uint32_t data_size;
};

static char last_msg[1024];

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	// every line carries libbpf's "libbpf: " prefix; keep the message itself
	const char *msg = strncmp(buf, "libbpf: ", 8) == 0 ? buf + 8 : buf;
	if (*msg)
		memcpy(last_msg, msg, strlen(msg) + 1);
	return 0;
}

static void print_info(const struct ext_info_112 *in, unsigned words)
{
	printf(" %u:%u:%d", in->rec_size, in->len, in->sec_cnt);
	const uint8_t *p = in->info, *end = p + in->len;
	while (p && p < end) {
		uint32_t name_off, num;
		memcpy(&name_off, p, 4);
		memcpy(&num, p + 4, 4);
		printf("|%u,%u", name_off, num);
		const uint8_t *r = p + 8;
		for (uint32_t i = 0; i < num; i++, r += in->rec_size)
			for (unsigned w = 0; w < words; w++) {
				uint32_t x;
				memcpy(&x, r + 4 * w, 4);
				printf(",%u", x);
			}
		p = r;
	}
}

int main(void)
{
	libbpf_set_print(capture);
	uint32_t len;
	while (fread(&len, 4, 1, stdin) == 1) {
		uint8_t *buf = malloc(len ? len : 1);
		if (!buf || fread(buf, 1, len, stdin) != len)
			return 2;
		last_msg[0] = 0;
		struct btf_ext *ext = btf_ext__new(buf, len);
		long err = libbpf_get_error(ext);
		if (err) {
			printf("ERR %ld %s\n", -err, last_msg[0] ? last_msg : "-");
		} else {
			const struct btf_ext_112 *e = (const void *)ext;
			printf("OK");
			print_info(&e->func, 2);
			print_info(&e->line, 4);
			print_info(&e->core, 4);
			printf("\n");
			btf_ext__free(ext);
		}
		free(buf);
	}
	return 0;
}

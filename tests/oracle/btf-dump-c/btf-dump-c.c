// SPDX-License-Identifier: MIT
/*
 * Oracle for corelab's `--flavor libbpf-1.1`: the C dump of a BTF file done by the
 * btf_dump API of the libbpf this is linked with (libbpf-dev 1.1.2), wrapped in the same
 * header and footer bpftool 7.1 prints, types in id order.
 *
 *   cc -O2 -o btf-dump-c btf-dump-c.c -lbpf
 *   btf-dump-c [-B BASE] FILE [ID...]
 *
 * With IDs, only those types (and what they need) are dumped, like bpftool's root ids.
 * On a btf_dump error the footer is left out and the exit status is 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

static void to_stdout(void *ctx, const char *fmt, va_list args)
{
	(void)ctx;
	vfprintf(stdout, fmt, args);
}

static int dump(struct btf_dump *d, __u32 id)
{
	int err = btf_dump__dump_type(d, id);

	if (err)
		fprintf(stderr, "btf_dump__dump_type(%u): %s\n", id, strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	struct btf *base = NULL, *btf;
	struct btf_dump *d;
	int i = 1, err = 0;

	if (argc > 2 && strcmp(argv[1], "-B") == 0) {
		base = btf__parse(argv[2], NULL);
		if (!base) {
			fprintf(stderr, "cannot parse base %s: %s\n", argv[2], strerror(errno));
			return 2;
		}
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: btf-dump-c [-B BASE] FILE [ID...]\n");
		return 2;
	}
	btf = btf__parse_split(argv[i], base);
	if (!btf) {
		fprintf(stderr, "cannot parse %s: %s\n", argv[i], strerror(errno));
		return 2;
	}
	d = btf_dump__new(btf, to_stdout, NULL, NULL);
	if (!d) {
		fprintf(stderr, "btf_dump__new: %s\n", strerror(errno));
		return 1;
	}

	fputs("#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n"
	      "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	      "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	      "#endif\n\n", stdout);
	if (i + 1 < argc) {
		for (int k = i + 1; k < argc && !err; k++)
			err = dump(d, (__u32)strtoul(argv[k], NULL, 0));
	} else {
		__u32 n = btf__type_cnt(btf);

		for (__u32 id = 1; id < n && !err; id++)
			err = dump(d, id);
	}
	if (!err)
		fputs("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
		      "#endif /* __VMLINUX_H__ */\n", stdout);

	btf_dump__free(d);
	btf__free(btf);
	btf__free(base);
	return err ? 1 : 0;
}

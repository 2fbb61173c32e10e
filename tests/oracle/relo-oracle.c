// SPDX-License-Identifier: MIT
/*
 * relo-oracle: libbpf 1.1.2 as the reference for corelab's CO-RE engine.
 *
 *   relo-oracle OBJ TARGET_BTF [--base BASE_BTF]
 *
 * Opens OBJ with btf_custom_path = TARGET_BTF (raw BTF or an ELF with .BTF),
 * loads it into the running kernel and prints one JSON document of raw
 * facts on stdout:
 *   - every libbpf log line, in order, tagged with its level and whether the
 *     print call came from the CO-RE step (decided from the format string);
 *   - the object's functions and .BTF.ext CO-RE records, read from the ELF by
 *     this program (not by libbpf), to join with libbpf's log;
 *   - each program's final instructions (bpf_program__insns) and every
 *     BPF_PROG_LOAD attempt seen by the syscall wrapper (kernel verdict,
 *     verifier log).
 * Interpreting the log (relocation outcomes, per-function instructions,
 * masking) is left to assemble.mjs, so this file stays a thin recorder.
 *
 * With --base, TARGET_BTF is split BTF on BASE_BTF: libbpf 1.1.2 parses
 * btf_custom_path without a base, so both are written as one flat BTF (type
 * ids unchanged) to a temporary file that is used instead.
 *
 * Exit status: 0 when JSON was printed (whatever libbpf decided), 2 usage,
 * 1 when the oracle itself could not run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

/* ---------- small JSON writer ---------- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c); /* bytes, not UTF-8: keep them visible and lossless */
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_hex_insns(FILE *f, const void *p, size_t cnt)
{
	const unsigned char *b = p;

	fputc('[', f);
	for (size_t i = 0; b && i < cnt; i++) {
		fprintf(f, "%s\"", i ? "," : "");
		for (int j = 0; j < 8; j++)
			fprintf(f, "%02x", b[i * 8 + j]);
		fputc('"', f);
	}
	fputc(']', f);
}

/* ---------- BPF_PROG_LOAD capture (linked with -Wl,--wrap=syscall) ---------- */

struct load_attempt {
	char name[BPF_OBJ_NAME_LEN + 1];
	uint64_t insns_ptr;     /* equals bpf_program__insns() of the program being loaded */
	uint32_t insn_cnt;
	unsigned char *insns;   /* as submitted, copied before the call */
	uint32_t log_level;
	long ret;
	int err;
	char *log;              /* kernel's verifier log, before libbpf rewrites it */
};

static struct load_attempt *attempts;
static size_t n_attempts, cap_attempts;

long __real_syscall(long nr, ...);

long __wrap_syscall(long nr, ...)
{
	long a[6];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

	if (nr != __NR_bpf || a[0] != BPF_PROG_LOAD || !a[1])
		return __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);

	union bpf_attr *attr = (union bpf_attr *)a[1];
	struct load_attempt *r = NULL;

	if (n_attempts == cap_attempts) {
		size_t ncap = cap_attempts ? cap_attempts * 2 : 32;
		void *n = realloc(attempts, ncap * sizeof(*attempts));

		if (n) {
			attempts = n;
			cap_attempts = ncap;
		}
	}
	if (n_attempts < cap_attempts) {
		r = &attempts[n_attempts++];
		memset(r, 0, sizeof(*r));
		memcpy(r->name, attr->prog_name, BPF_OBJ_NAME_LEN);
		r->insns_ptr = attr->insns;
		r->insn_cnt = attr->insn_cnt;
		r->log_level = attr->log_level;
		r->insns = malloc((size_t)attr->insn_cnt * 8 + 1);
		if (r->insns && attr->insns)
			memcpy(r->insns, (void *)(uintptr_t)attr->insns, (size_t)attr->insn_cnt * 8);
	}
	long ret = __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	int saved = errno;

	if (r) {
		r->ret = ret;
		r->err = ret < 0 ? saved : 0;
		if (attr->log_level && attr->log_buf && attr->log_size) {
			const char *lb = (const char *)(uintptr_t)attr->log_buf;

			r->log = strndup(lb, attr->log_size);
		}
	}
	errno = saved;
	return ret;
}

/* ---------- libbpf log capture ---------- */

enum line_class { LINE_OTHER = 'o', LINE_CORE = 'c', LINE_VERIFIER = 'v' };

struct log_line {
	int pass;
	char level;     /* 'w' warn, 'i' info, 'd' debug */
	char cls;
	char *text;
};

static struct log_line *lines;
static size_t n_lines, cap_lines;
static char *pending;           /* text after the last '\n' of the previous call */
static char pending_level, pending_cls;
static int cur_pass;

/* Format strings printed by libbpf's CO-RE step (libbpf.c's CO-RE loop and
 * candidate search, relo_core.c). The callback sees the format, so the
 * classification needs no parsing of the formatted text. */
static const char *const core_fmt_prefixes[] = {
	"libbpf: prog '%s': relo #",
	"libbpf: prog '%s': relo %u at insn",
	"libbpf: prog '%s': relo %d at insn", /* 1.1.2's spelling (relo_core.c) */
	"libbpf: prog '%s': relo for [",
	"libbpf: CO-RE relocating [",
	"libbpf: sec '%s': found %d CO-RE relocations",
	"libbpf: sec '%s': skipping CO-RE relocation",
	"libbpf: unexpected kind %s relocated",
	"libbpf: failed to perform CO-RE relocations",
	"libbpf: failed to parse target BTF",
	NULL,
};

static bool fmt_is_core(const char *fmt)
{
	for (int i = 0; core_fmt_prefixes[i]; i++)
		if (!strncmp(fmt, core_fmt_prefixes[i], strlen(core_fmt_prefixes[i])))
			return true;
	return false;
}

static void push_line(char level, char cls, const char *text, size_t len)
{
	if (n_lines == cap_lines) {
		size_t ncap = cap_lines ? cap_lines * 2 : 256;
		void *n = realloc(lines, ncap * sizeof(*lines));

		if (!n)
			return;
		lines = n;
		cap_lines = ncap;
	}
	lines[n_lines].pass = cur_pass;
	lines[n_lines].level = level;
	lines[n_lines].cls = cls;
	lines[n_lines].text = strndup(text, len);
	n_lines++;
}

static int print_cb(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char lv = level == LIBBPF_WARN ? 'w' : level == LIBBPF_INFO ? 'i' : 'd';
	bool verifier_block = strstr(fmt, "-- BEGIN PROG LOAD LOG --\n%s") != NULL;
	char cls = fmt_is_core(fmt) ? LINE_CORE : LINE_OTHER;
	char *msg = NULL;

	if (vasprintf(&msg, fmt, args) < 0)
		return 0;

	/* A line may be finished by a later call (1.1.2 ends one warning with
	 * "\n "): join with the pending fragment, which keeps its own level and
	 * makes the joined line CO-RE if either part was. */
	char *text = msg;
	if (pending) {
		char *joined = NULL;

		if (asprintf(&joined, "%s%s", pending, msg) < 0)
			joined = NULL;
		if (pending_cls == LINE_CORE)
			cls = LINE_CORE;
		lv = pending_level;
		free(pending);
		pending = NULL;
		free(msg);
		msg = joined;
		text = msg;
		if (!text)
			return 0;
	}

	int line_no = 0;
	char *p = text;
	for (;;) {
		char *nl = strchr(p, '\n');

		if (!nl)
			break;
		char c = cls;
		/* inside "-- BEGIN PROG LOAD LOG --\n<log>-- END PROG LOAD LOG --" the
		 * lines between the markers are the (libbpf-rewritten) verifier log */
		if (verifier_block && line_no > 0 && strncmp(p, "-- END PROG LOAD LOG --", 23))
			c = LINE_VERIFIER;
		push_line(lv, c, p, nl - p);
		lv = level == LIBBPF_WARN ? 'w' : level == LIBBPF_INFO ? 'i' : 'd';
		line_no++;
		p = nl + 1;
	}
	if (*p) {
		pending = strdup(p);
		pending_level = lv;
		pending_cls = cls;
	}
	free(msg);
	return 0;
}

static void flush_pending(void)
{
	if (pending) {
		push_line(pending_level, pending_cls, pending, strlen(pending));
		free(pending);
		pending = NULL;
	}
}

/* ---------- the object's own ELF: functions and .BTF.ext CO-RE records ---------- */

struct func {
	char *name, *section;
	size_t sec_idx, sec_insn_off, insn_cnt;
	int bind;
};

struct core_rec {
	char *section;
	uint32_t index, insn_off, type_id, kind;
	char *access;
};

static struct func *funcs;
static size_t n_funcs;
static struct core_rec *recs;
static size_t n_recs;
static char elf_error[256];

static uint32_t rd32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads .BTF's string table and .BTF.ext's core_relo part. Little-endian
 * objects only: libbpf refuses to load the other byte order on this host. */
static void read_btf_ext(const unsigned char *btf, size_t btf_len,
			 const unsigned char *ext, size_t ext_len)
{
	if (btf_len < 24 || rd32(btf) != 0x0001eb9f) {
		snprintf(elf_error, sizeof(elf_error), ".BTF header not readable");
		return;
	}
	uint32_t hdr_len = rd32(btf + 4), str_off = rd32(btf + 16), str_len = rd32(btf + 20);

	if ((uint64_t)hdr_len + str_off + str_len > btf_len) {
		snprintf(elf_error, sizeof(elf_error), ".BTF string section out of bounds");
		return;
	}
	const char *strs = (const char *)btf + hdr_len + str_off;

	if (ext_len < 8 || (ext[0] | ext[1] << 8) != 0xeb9f) {
		snprintf(elf_error, sizeof(elf_error), ".BTF.ext header not readable");
		return;
	}
	uint32_t ext_hdr = rd32(ext + 4);

	if (ext_hdr < 32 || ext_len < 32)
		return; /* no core_relo part */
	uint32_t off = rd32(ext + 24), len = rd32(ext + 28);

	if (!len)
		return;
	if ((uint64_t)ext_hdr + off + len > ext_len || len < 4) {
		snprintf(elf_error, sizeof(elf_error), ".BTF.ext core_relo out of bounds");
		return;
	}
	const unsigned char *p = ext + ext_hdr + off, *end = p + len;
	uint32_t rec_size = rd32(p);

	p += 4;
	if (rec_size < 16) {
		snprintf(elf_error, sizeof(elf_error), ".BTF.ext core_relo record size %u", rec_size);
		return;
	}
	while (p + 8 <= end) {
		uint32_t name_off = rd32(p), num = rd32(p + 4);

		p += 8;
		if ((uint64_t)num * rec_size > (uint64_t)(end - p) || name_off >= str_len) {
			snprintf(elf_error, sizeof(elf_error), ".BTF.ext core_relo section out of bounds");
			return;
		}
		for (uint32_t i = 0; i < num; i++, p += rec_size) {
			void *n = realloc(recs, (n_recs + 1) * sizeof(*recs));

			if (!n)
				return;
			recs = n;
			struct core_rec *r = &recs[n_recs++];
			uint32_t acc = rd32(p + 8);

			r->section = strdup(strs + name_off);
			r->index = i;
			r->insn_off = rd32(p);
			r->type_id = rd32(p + 4);
			r->kind = rd32(p + 12);
			r->access = strdup(acc < str_len ? strs + acc : "");
		}
	}
}

static void read_elf(const char *path)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	Elf_Data *btf = NULL, *ext = NULL;

	if (fd < 0) {
		snprintf(elf_error, sizeof(elf_error), "open: %s", strerror(errno));
		return;
	}
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx)) {
		snprintf(elf_error, sizeof(elf_error), "not an ELF file");
		goto out;
	}
	const char *ident = elf_getident(e, NULL);
	if (!ident || ident[EI_DATA] != ELFDATA2LSB || ident[EI_CLASS] != ELFCLASS64) {
		snprintf(elf_error, sizeof(elf_error), "only little-endian ELF64 objects are read");
		goto out;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			continue;
		const char *name = elf_strptr(e, shstrndx, sh.sh_name);
		if (!name)
			continue;
		if (!strcmp(name, ".BTF"))
			btf = elf_getdata(scn, NULL);
		else if (!strcmp(name, ".BTF.ext"))
			ext = elf_getdata(scn, NULL);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;

		for (size_t i = 0; d && i < n; i++) {
			GElf_Sym sym;
			GElf_Shdr tsh;
			Elf_Scn *ts;

			if (!gelf_getsym(d, i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC)
				continue;
			if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
				continue;
			ts = elf_getscn(e, sym.st_shndx);
			if (!ts || !gelf_getshdr(ts, &tsh) || !(tsh.sh_flags & SHF_EXECINSTR))
				continue;
			void *nf = realloc(funcs, (n_funcs + 1) * sizeof(*funcs));
			if (!nf)
				break;
			funcs = nf;
			struct func *fn = &funcs[n_funcs++];
			const char *sn = elf_strptr(e, shstrndx, tsh.sh_name);
			const char *fnm = elf_strptr(e, sh.sh_link, sym.st_name);

			fn->name = strdup(fnm ? fnm : "");
			fn->section = strdup(sn ? sn : "");
			fn->sec_idx = sym.st_shndx;
			fn->sec_insn_off = sym.st_value / 8;
			fn->insn_cnt = sym.st_size / 8;
			fn->bind = GELF_ST_BIND(sym.st_info);
		}
	}
	if (btf && ext)
		read_btf_ext(btf->d_buf, btf->d_size, ext->d_buf, ext->d_size);
out:
	if (e)
		elf_end(e);
	close(fd);
}

/* ---------- split BTF flattening ---------- */

/* Writes BASE + SPLIT as one BTF whose type ids are the split BTF's ids.
 * Returns the temp file path or NULL (message in err). */
static char *flatten_split(const char *split_path, const char *base_path, char *err, size_t errlen)
{
	struct btf *base = btf__parse(base_path, NULL), *split = NULL, *flat = NULL;
	char *out = NULL;

	if (!base) {
		snprintf(err, errlen, "cannot parse base BTF %s: %s", base_path, strerror(errno));
		return NULL;
	}
	split = btf__parse_split(split_path, base);
	if (!split) {
		snprintf(err, errlen, "cannot parse split BTF %s on its base: %s", split_path, strerror(errno));
		goto done;
	}
	flat = btf__new_empty();
	if (!flat) {
		snprintf(err, errlen, "btf__new_empty failed");
		goto done;
	}
	/* adding ids 1..n in order keeps every id: references are copied as is */
	uint32_t n = btf__type_cnt(split);
	for (uint32_t id = 1; id < n; id++) {
		int r = btf__add_type(flat, split, btf__type_by_id(split, id));

		if (r < 0 || (uint32_t)r != id) {
			snprintf(err, errlen, "btf__add_type(%u) gave %d", id, r);
			goto done;
		}
	}
	btf__set_endianness(flat, btf__endianness(base));
	uint32_t size;
	const void *raw = btf__raw_data(flat, &size);
	char tmpl[] = "/tmp/relo-oracle-flat-XXXXXX";
	int fd = raw ? mkstemp(tmpl) : -1;

	if (fd < 0) {
		snprintf(err, errlen, "cannot write flat BTF");
		goto done;
	}
	if (write(fd, raw, size) != (ssize_t)size) {
		snprintf(err, errlen, "short write of flat BTF");
		close(fd);
		unlink(tmpl);
		goto done;
	}
	close(fd);
	out = strdup(tmpl);
done:
	btf__free(flat);
	btf__free(split);
	btf__free(base);
	return out;
}

/* ---------- open + load ---------- */

struct map_fixup {
	char *map, *field;
	uint32_t from, to;
};

static struct map_fixup *fixups;
static size_t n_fixups;

static void add_fixup(const char *map, const char *field, uint32_t from, uint32_t to)
{
	void *n = realloc(fixups, (n_fixups + 1) * sizeof(*fixups));

	if (!n)
		return;
	fixups = n;
	fixups[n_fixups].map = strdup(map);
	fixups[n_fixups].field = strdup(field);
	fixups[n_fixups].from = from;
	fixups[n_fixups].to = to;
	n_fixups++;
}

/* libbpf 1.1 creates maps before it relocates; maps that user space is
 * meant to size (bcc's libbpf-tools leave stack maps unsized) would stop the
 * load before CO-RE. Give them a minimal valid size; sizes do not affect
 * CO-RE. Nothing is ever pinned. */
static void prepare_maps(struct bpf_object *obj, bool record)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		enum bpf_map_type t = bpf_map__type(m);
		const char *name = bpf_map__name(m);

		bpf_map__set_pin_path(m, NULL);
		if (bpf_map__max_entries(m) == 0 && t != BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
			uint32_t to = (t == BPF_MAP_TYPE_RINGBUF || t == BPF_MAP_TYPE_USER_RINGBUF) ? 4096 : 1;

			bpf_map__set_max_entries(m, to);
			if (record)
				add_fixup(name, "max_entries", 0, to);
		}
		if (t == BPF_MAP_TYPE_STACK_TRACE && bpf_map__value_size(m) == 0) {
			bpf_map__set_value_size(m, 8);
			if (record)
				add_fixup(name, "value_size", 0, 8);
		}
	}
}

struct prog_info {
	char *name, *section;
	int type;
	bool autoload;
	size_t insn_cnt;
	unsigned char *insns;       /* copy of bpf_program__insns after load */
	const void *insns_ptr;
	const void *match_ptr;      /* insns pointer of the pass whose attempts are kept */
	int load_pass;              /* 0 main pass, k > 0 extra pass, -1 never attempted */
	long attempt_first, attempt_last; /* index range in attempts[] */
	int fd;
};

static struct prog_info *progs;
static size_t n_progs;

struct pass_info {
	int pass;
	int open_err, load_err;
	double open_ms, load_ms;
	char *only;                 /* extra pass: the one program left autoloaded */
};

static struct pass_info passes[4096];
static int n_passes;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static struct bpf_object *open_obj(const char *obj_path, const char *btf_path, struct pass_info *pi)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path);
	double t0 = now_ms();
	struct bpf_object *obj = bpf_object__open_file(obj_path, &opts);

	pi->open_ms = now_ms() - t0;
	pi->open_err = obj ? 0 : -errno;
	return obj;
}

/* Attempts recorded while a program was being loaded are those whose insns
 * pointer is that program's instruction buffer. */
static void match_attempts(struct prog_info *p, size_t from)
{
	p->attempt_first = p->attempt_last = -1;
	for (size_t i = from; i < n_attempts; i++) {
		if ((const void *)(uintptr_t)attempts[i].insns_ptr != p->match_ptr)
			continue;
		if (p->attempt_first < 0)
			p->attempt_first = (long)i;
		p->attempt_last = (long)i;
	}
}

static int run(const char *obj_path, const char *btf_path)
{
	struct pass_info *main = &passes[n_passes++];
	struct bpf_object *obj;
	struct bpf_program *pg;

	main->pass = 0;
	cur_pass = 0;
	obj = open_obj(obj_path, btf_path, main);
	flush_pending();
	if (!obj)
		return 0;
	prepare_maps(obj, true);

	double t0 = now_ms();
	main->load_err = bpf_object__load(obj);
	main->load_ms = now_ms() - t0;
	flush_pending();

	bpf_object__for_each_program(pg, obj) {
		void *n = realloc(progs, (n_progs + 1) * sizeof(*progs));

		if (!n)
			break;
		progs = n;
		struct prog_info *p = &progs[n_progs++];
		const struct bpf_insn *ins = bpf_program__insns(pg);

		memset(p, 0, sizeof(*p));
		p->name = strdup(bpf_program__name(pg));
		p->section = strdup(bpf_program__section_name(pg));
		p->type = bpf_program__type(pg);
		p->autoload = bpf_program__autoload(pg);
		p->insn_cnt = bpf_program__insn_cnt(pg);
		p->insns_ptr = ins;
		p->insns = malloc(p->insn_cnt * 8 + 1);
		if (p->insns && ins)
			memcpy(p->insns, ins, p->insn_cnt * 8);
		p->fd = bpf_program__fd(pg);
		p->match_ptr = ins;
		match_attempts(p, 0);
		p->load_pass = p->attempt_first >= 0 ? 0 : -1;
	}
	bpf_object__close(obj);

	/* libbpf stops at the first program that fails; the others get their
	 * verdict from a pass of their own (only load results are taken from
	 * these passes). Pointless when the main pass failed before loading. */
	if (!main->load_err)
		return 0;
	bool any_attempt = false;
	for (size_t i = 0; i < n_progs; i++)
		any_attempt |= progs[i].load_pass == 0;
	if (!any_attempt)
		return 0;
	for (size_t i = 0; i < n_progs && n_passes < (int)(sizeof(passes) / sizeof(passes[0])); i++) {
		struct prog_info *p = &progs[i];

		if (p->load_pass >= 0 || !p->autoload)
			continue;
		struct pass_info *pi = &passes[n_passes];

		pi->pass = n_passes++;
		pi->only = p->name;
		cur_pass = pi->pass;
		obj = open_obj(obj_path, btf_path, pi);
		flush_pending();
		if (!obj)
			continue;
		prepare_maps(obj, false);
		struct bpf_program *target = NULL;
		bpf_object__for_each_program(pg, obj) {
			if (!strcmp(bpf_program__name(pg), p->name))
				target = pg;
			else
				bpf_program__set_autoload(pg, false);
		}
		size_t from = n_attempts;
		t0 = now_ms();
		pi->load_err = bpf_object__load(obj);
		pi->load_ms = now_ms() - t0;
		flush_pending();
		if (target) {
			struct prog_info tmp = *p;

			tmp.match_ptr = bpf_program__insns(target);
			match_attempts(&tmp, from);
			if (tmp.attempt_first >= 0) {
				p->match_ptr = tmp.match_ptr;
				p->attempt_first = tmp.attempt_first;
				p->attempt_last = tmp.attempt_last;
				p->load_pass = pi->pass;
			}
		}
		bpf_object__close(obj);
	}
	return 0;
}

/* ---------- output ---------- */

static void print_json(const char *obj_path, const char *target, const char *base,
		       const char *custom, const char *flat_err)
{
	FILE *f = stdout;
	struct btf *tb = NULL;
	int tb_err = 0;

	fprintf(f, "{\"oracle\":{\"tool\":\"relo-oracle\",\"libbpf_version\":");
	json_str(f, libbpf_version_string());
	fprintf(f, ",\"object\":");
	json_str(f, obj_path);
	fprintf(f, ",\"target\":");
	json_str(f, target);
	fprintf(f, ",\"base\":");
	if (base)
		json_str(f, base);
	else
		fputs("null", f);
	fprintf(f, ",\"flatten_error\":");
	if (flat_err && *flat_err)
		json_str(f, flat_err);
	else
		fputs("null", f);
	fputs("},\n", f);

	/* target facts as libbpf sees the file it is given */
	if (custom) {
		tb = btf__parse(custom, NULL);
		tb_err = tb ? 0 : -errno;
	}
	fprintf(f, "\"target_btf\":{\"parsed\":%s,\"error\":%d", tb ? "true" : "false", tb_err);
	if (tb)
		fprintf(f, ",\"types\":%u,\"endianness\":\"%s\"", btf__type_cnt(tb) - 1,
			btf__endianness(tb) == BTF_LITTLE_ENDIAN ? "little" : "big");
	fputs("},\n", f);
	btf__free(tb);

	fprintf(f, "\"passes\":[");
	for (int i = 0; i < n_passes; i++) {
		struct pass_info *p = &passes[i];

		fprintf(f, "%s{\"pass\":%d,\"only\":", i ? "," : "", p->pass);
		if (p->only)
			json_str(f, p->only);
		else
			fputs("null", f);
		fprintf(f, ",\"open_err\":%d,\"load_err\":%d,\"open_ms\":%.3f,\"load_ms\":%.3f}",
			p->open_err, p->load_err, p->open_ms, p->load_ms);
	}
	fputs("],\n", f);

	fprintf(f, "\"elf_error\":");
	if (*elf_error)
		json_str(f, elf_error);
	else
		fputs("null", f);
	fprintf(f, ",\n\"functions\":[");
	for (size_t i = 0; i < n_funcs; i++) {
		fprintf(f, "%s\n{\"name\":", i ? "," : "");
		json_str(f, funcs[i].name);
		fprintf(f, ",\"section\":");
		json_str(f, funcs[i].section);
		fprintf(f, ",\"sec_insn_off\":%zu,\"insn_cnt\":%zu,\"bind\":%d}",
			funcs[i].sec_insn_off, funcs[i].insn_cnt, funcs[i].bind);
	}
	fprintf(f, "],\n\"core_records\":[");
	for (size_t i = 0; i < n_recs; i++) {
		fprintf(f, "%s\n{\"section\":", i ? "," : "");
		json_str(f, recs[i].section);
		fprintf(f, ",\"index\":%u,\"insn_off\":%u,\"type_id\":%u,\"kind\":%u,\"access\":",
			recs[i].index, recs[i].insn_off, recs[i].type_id, recs[i].kind);
		json_str(f, recs[i].access);
		fputc('}', f);
	}
	fprintf(f, "],\n\"map_fixups\":[");
	for (size_t i = 0; i < n_fixups; i++) {
		fprintf(f, "%s{\"map\":", i ? "," : "");
		json_str(f, fixups[i].map);
		fprintf(f, ",\"field\":");
		json_str(f, fixups[i].field);
		fprintf(f, ",\"from\":%u,\"to\":%u}", fixups[i].from, fixups[i].to);
	}
	fprintf(f, "],\n\"programs\":[");
	for (size_t i = 0; i < n_progs; i++) {
		struct prog_info *p = &progs[i];

		fprintf(f, "%s\n{\"name\":", i ? "," : "");
		json_str(f, p->name);
		fprintf(f, ",\"section\":");
		json_str(f, p->section);
		fprintf(f, ",\"prog_type\":%d,\"autoload\":%s,\"load_pass\":%d,\"insn_cnt\":%zu,\"insns\":",
			p->type, p->autoload ? "true" : "false", p->load_pass, p->insn_cnt);
		json_hex_insns(f, p->insns, p->insn_cnt);
		fprintf(f, ",\"attempts\":[");
		for (long a = p->attempt_first, k = 0; a >= 0 && a <= p->attempt_last; a++) {
			struct load_attempt *r = &attempts[a];

			if ((const void *)(uintptr_t)r->insns_ptr != p->match_ptr)
				continue;
			fprintf(f, "%s{\"log_level\":%u,\"ret_ok\":%s,\"errno\":%d,\"insn_cnt\":%u,"
				"\"submitted_equals_insns\":%s,\"kernel_log\":",
				k++ ? "," : "", r->log_level, r->ret >= 0 ? "true" : "false", r->err,
				r->insn_cnt,
				p->load_pass == 0 && r->insns && p->insns && r->insn_cnt == p->insn_cnt &&
				!memcmp(r->insns, p->insns, p->insn_cnt * 8) ? "true" :
				p->load_pass == 0 ? "false" : "null");
			if (r->log)
				json_str(f, r->log);
			else
				fputs("null", f);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fprintf(f, "],\n\"log\":[");
	for (size_t i = 0; i < n_lines; i++) {
		fprintf(f, "%s\n[%d,\"%c\",\"%c\",", i ? "," : "", lines[i].pass, lines[i].level, lines[i].cls);
		json_str(f, lines[i].text);
		fputc(']', f);
	}
	fputs("]}\n", f);
}

int main(int argc, char **argv)
{
	const char *obj_path = NULL, *target = NULL, *base = NULL;
	char flat_err[512] = "";
	char *flat = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--base") && i + 1 < argc)
			base = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "relo-oracle: unknown option %s\n", argv[i]);
			return 2;
		} else if (!obj_path)
			obj_path = argv[i];
		else if (!target)
			target = argv[i];
		else
			return fprintf(stderr, "relo-oracle: too many arguments\n"), 2;
	}
	if (!obj_path || !target) {
		fprintf(stderr, "usage: relo-oracle OBJ TARGET_BTF [--base BASE_BTF]\n");
		return 2;
	}
	libbpf_set_print(print_cb);
	read_elf(obj_path);

	const char *custom = target;
	if (base) {
		flat = flatten_split(target, base, flat_err, sizeof(flat_err));
		flush_pending();
		/* without a flat file libbpf gets the split BTF itself and fails to
		 * parse it, which is what a user passing it would see */
		if (flat)
			custom = flat;
	}
	/* the flattening's own libbpf lines are not part of the object's log */
	for (size_t i = 0; i < n_lines; i++)
		free(lines[i].text);
	n_lines = 0;

	run(obj_path, custom);
	print_json(obj_path, target, base, custom, flat_err);
	if (flat)
		unlink(flat);
	return 0;
}

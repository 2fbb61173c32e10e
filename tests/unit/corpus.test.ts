// Sanity of the corpus that `bash tests/corpus/build.sh` builds: every group
// is there for both byte orders, every file exists and is what the manifest
// says, and the own programs really contain what they were written to cover
// (checked with llvm-objdump-19, not with our own readers).
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, openSync, readSync, closeSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { absPath, corpusKernels, corpusObjects, kernelBase, loadManifest, readKernelBtf, REPO_ROOT } from '../corpus.ts';

const EM_BPF = 247;

function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(n);
    readSync(fd, b, 0, n, 0);
    return b;
  } finally {
    closeSync(fd);
  }
}

function objdump(args: string[]): string {
  return execFileSync('llvm-objdump-19', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
}

describe('corpus manifest', () => {
  const m = loadManifest();

  it('has every own program for both byte orders', () => {
    const sources = readdirSync(join(REPO_ROOT, 'tests/progs')).filter((f) => f.endsWith('.bpf.c'));
    expect(sources.length).toBeGreaterThanOrEqual(8);
    for (const endian of ['little', 'big'] as const) {
      const names = corpusObjects({ group: 'progs', endian }).map((o) => `${o.name}.bpf.c`);
      expect(names.sort()).toEqual([...sources].sort());
    }
  });

  it('has the CO-RE selftests for both byte orders', () => {
    const selftestDir = join(REPO_ROOT, '.cache/corpus/src/linux-source-6.12/tools/testing/selftests/bpf/progs');
    const count = (prefix: string) => readdirSync(selftestDir).filter((f) => f.startsWith(prefix) && f.endsWith('.c')).length;
    for (const endian of ['little', 'big'] as const) {
      const st = corpusObjects({ group: 'selftests', endian });
      const role = (r: string) => st.filter((o) => o.role === r).length;
      // Every source of these families in linux-source-6.12 is compiled
      // (known failures are listed in manifest.failures and excluded).
      const known = (prefix: string) => m.failures.filter((f) => f.known && f.name.startsWith(prefix) && f.target === (endian === 'little' ? 'bpf' : 'bpfeb')).length;
      expect(role('local')).toBe(count('test_core_reloc_') - known('test_core_reloc_'));
      expect(role('target-btf')).toBe(count('btf__core_reloc_') - known('btf__core_reloc_'));
      expect(role('btf-dump-case')).toBe(count('btf_dump_test_case_') - known('btf_dump_test_case_'));
      expect(role('local')).toBeGreaterThanOrEqual(18);
      expect(role('target-btf')).toBeGreaterThanOrEqual(69);
      expect(role('btf-dump-case')).toBeGreaterThanOrEqual(7);
      expect(role('core-prog')).toBeGreaterThanOrEqual(6);
    }
  });

  it('has one libbpf-tools object per libbpf-tools binary', () => {
    const binaries = execFileSync('dpkg', ['-L', 'libbpf-tools'], { encoding: 'utf8' })
      .split('\n')
      .filter((p) => /^\/usr\/sbin\/[^/]+$/.test(p) && !lstatSync(p).isSymbolicLink());
    const tools = corpusObjects({ group: 'libbpf-tools' });
    expect(tools.length).toBe(binaries.length);
    expect(tools.length).toBeGreaterThanOrEqual(52);
    expect(m.tools.libbpfToolsBinaries).toBe(binaries.length);
  });

  it('lists only existing BPF ELF files with the stated byte order', () => {
    for (const o of m.objects) {
      const b = head(absPath(o), 20);
      expect(b.readUInt32BE(0), o.path).toBe(0x7f454c46);
      expect(b[5], o.path).toBe(o.endian === 'little' ? 1 : 2);
      const machine = o.endian === 'little' ? b.readUInt16LE(18) : b.readUInt16BE(18);
      expect(machine, o.path).toBe(EM_BPF);
    }
  });

  it('has no compile failure that is not a known one', () => {
    expect(m.failures.filter((f) => !f.known)).toEqual([]);
    for (const f of m.failures) expect(f.reason, f.name).toBeTruthy();
  });

  it('has kernel BTFs that exist, with bases that resolve', () => {
    const ks = corpusKernels({ all: true });
    expect(ks.filter((k) => k.source === 'repo').length).toBeGreaterThanOrEqual(7);
    expect(ks.some((k) => k.endian === 'big')).toBe(true);
    expect(ks.some((k) => k.longSize === 4)).toBe(true);
    expect(m.unlistedKernels.filter((u) => u.startsWith('tests/'))).toEqual([]);
    for (const k of ks) {
      expect(existsSync(absPath(k)), k.path).toBe(true);
      if (k.base) expect(kernelBase(k), k.name).toBeDefined();
    }
  });

  it('decompresses the repo kernels to BTF in the stated byte order', () => {
    for (const k of corpusKernels().filter((c) => c.source === 'repo')) {
      const raw = readKernelBtf(k);
      expect(raw.length, k.name).toBe(k.rawSize);
      const magic = k.endian === 'little' ? raw[0] | (raw[1] << 8) : (raw[0] << 8) | raw[1];
      expect(magic, k.name).toBe(0xeb9f);
    }
  });
});

describe('own programs cover what they claim (llvm-objdump-19)', () => {
  const own = (name: string) => absPath(corpusObjects({ group: 'progs', endian: 'little', name })[0]);

  it('has every CO-RE relocation kind', () => {
    const progs = corpusObjects({ group: 'progs', endian: 'little' }).map(absPath);
    const text = objdump(['-dr', ...progs]);
    const kinds = new Set([...text.matchAll(/CO-RE <([a-z_0-9]+)>/g)].map((x) => x[1]));
    for (const k of [
      'byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64',
      'local_type_id', 'target_type_id', 'type_exists', 'type_matches', 'type_size',
      'enumval_exists', 'enumval_value',
    ]) expect(kinds, k).toContain(k);
  });

  it('has all 32- and 64-bit atomics', () => {
    const text = objdump(['-d', '--mcpu=v3', own('atomics')]);
    for (const op of ['+=', '|=', '&=', '^=']) {
      expect(text).toContain(`lock *(u64 *)(r1 + 0x0) ${op}`);
      expect(text).toContain(`lock *(u32 *)(r1 + 0x0) ${op}`);
    }
    for (const op of ['add', 'or', 'and', 'xor']) {
      expect(text).toMatch(new RegExp(`r\\d = atomic_fetch_${op}\\(\\(u64 \\*\\)`));
      expect(text).toMatch(new RegExp(`w\\d = atomic_fetch_${op}\\(\\(u32 \\*\\)`));
    }
    for (const op of ['xchg_64', 'cmpxchg_64', 'xchg32_32', 'cmpxchg32_32']) expect(text).toContain(op);
  });

  it('has the cpu v4 instructions', () => {
    const text = objdump(['-d', '--mcpu=v4', own('v4')]);
    for (const s of ['*(s8 *)', '*(s16 *)', '*(s32 *)', '= (s8)r', '= (s16)w', 's/=', 's%=', 'bswap16', 'bswap64', 'gotol']) {
      expect(text, s).toContain(s);
    }
  });

  it('has helper, bpf-to-bpf, kfunc and callback references', () => {
    const text = objdump(['-dr', own('calls')]);
    expect(text).toMatch(/R_BPF_64_32\s+bpf_task_acquire/);
    expect(text).toMatch(/R_BPF_64_32\s+global_sub/);
    expect(text).toMatch(/R_BPF_64_64\s+counts/);
    expect(text).toMatch(/R_BPF_64_64\s+\.text/);
    expect(text).toMatch(/call 0x1\b/);
  });

  it('cut-out libbpf-tools objects are complete ELF files', () => {
    const tools = corpusObjects({ group: 'libbpf-tools' }).map(absPath);
    const text = objdump(['-h', ...tools]);
    expect(text).not.toMatch(/error|warning/i);
    expect([...text.matchAll(/file format elf64-bpf/g)].length).toBe(tools.length);
  });
});

// Sanity checks of the libbpf 1.1.2 oracle itself (tests/oracle/), run live:
// the kernel selftests' expected results hold (prog_tests/core_reloc.c's
// table, and how the failures fail as measured in the shared notes §6), split
// BTF is flattened, and golden files in tests/golden/relo/ are reproducible.
// Needs root, cc, libbpf-dev (libbpf.a), libelf, xz and the corpus: a missing
// tool fails, it never skips.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const GOLDEN = join(ROOT, 'tests/golden/relo');
const RUN = join(HERE, 'run-oracle.sh');

// golden files leave out empty fields ([], null, false)
interface Relo {
  section: string; index: number; program?: string; insn?: number; kind: string;
  local_spec?: string; candidates?: { index: number; matching?: boolean; spec: string }[];
  status: string; patches?: { insn: number; field: string; old: string; new: string }[];
  poisoned?: number[]; error?: string; warnings?: string[];
}
interface Program {
  name: string; autoload: boolean;
  load: { attempted: boolean; ok: boolean | null; errno: number | null; submitted_equals_insns: boolean | null; verifier_log_tail: string[] };
}
interface OracleDoc {
  oracle: { object: string; target: string; base: string | null; flatten_error: string | null };
  target_btf: { parsed: boolean; types?: number };
  result: { ok: boolean; stage: string | null; load_errno: number | null };
  relos: Relo[];
  functions: { name: string; insns?: string[]; masked?: number[] }[];
  programs: Program[];
  log: [string, string, string][];
}
interface IndexEntry {
  golden: string; group: string; object: string; object_sha256: string; target: string; target_sha256: string;
  base: string | null; case_name?: string; expect_fail?: boolean; ok: boolean; stage: string | null;
}
interface TableCase { case_name: string; bpf_obj_file: string; btf_src_file: string | null; fails: boolean }

function oracle(obj: string, target: string, base?: string): OracleDoc {
  const args = [obj, target, ...(base ? ['--base', base] : []), '--compact'];
  const out = execFileSync(RUN, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
  return JSON.parse(out) as OracleDoc;
}

function readJson<T>(file: string): T {
  const bytes = readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as T;
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const selftest = (name: string): string => join(ROOT, '.cache/corpus/selftests/bpf', name);

describe('relo-oracle (libbpf 1.1.2)', () => {
  let index: IndexEntry[];
  let table: { cases: number; expected_failures: number; table: TableCase[] };

  beforeAll(() => {
    // the oracle and its inputs are mandatory
    expect(process.getuid?.(), 'the oracle loads programs: run as root').toBe(0);
    execFileSync('make', ['-s', '-C', HERE], { stdio: 'pipe' });
    index = readJson<{ pairs: IndexEntry[] }>(join(GOLDEN, 'index.json')).pairs;
    table = readJson(join(GOLDEN, 'selftests-core_reloc.json'));
    expect(existsSync(selftest('test_core_reloc_arrays.bpf.o')), 'corpus missing: bash tests/corpus/build.sh').toBe(true);
  });

  it('reads the whole selftest table (77 cases, 22 expected failures in 6.12, notes §6)', () => {
    expect(table.cases).toBe(77);
    expect(table.expected_failures).toBe(22);
    const pairs = index.filter((e) => e.group === 'selftests-core_reloc');
    expect(pairs.length).toBe(table.table.filter((c) => c.btf_src_file !== null).length);
  });

  it('agrees with prog_tests/core_reloc.c on every case: 5 hard errors, the other failures poisoned and rejected', () => {
    const pairs = index.filter((e) => e.group === 'selftests-core_reloc');
    const hard: string[] = [];
    for (const e of pairs) {
      const doc = readJson<OracleDoc>(join(GOLDEN, e.golden));
      expect(doc.result.ok, `${e.case_name}: load ${doc.result.ok ? 'succeeded' : 'failed'}`).toBe(!e.expect_fail);
      if (!e.expect_fail) continue;
      if (doc.result.stage === 'core_relocation') {
        hard.push(e.case_name ?? '');
        expect(doc.relos.filter((r) => r.status === 'error').length).toBe(1);
      } else {
        expect(doc.result.stage, e.case_name).toBe('prog_load');
        expect(doc.relos.some((r) => r.status === 'poisoned' && (r.poisoned ?? []).length > 0), e.case_name).toBe(true);
        // libbpf rewrites the verifier's complaint about the poisoned call
        expect(doc.log.some(([, cls, t]) => cls === 'v' && t.startsWith('failed to resolve CO-RE relocation')), e.case_name).toBe(true);
      }
    }
    expect(hard.sort()).toEqual([
      'direct:bitfields___err_too_big_bitfield', 'nesting___err_dup_incompat_types', 'nesting___err_too_deep',
      'probed:bitfields___err_too_big_bitfield', 'size___err_ambiguous',
    ]);
  });

  it('is self-consistent in every golden file: the ELF-derived insn of each relocation is the one libbpf patched, and the final instruction holds the logged value', () => {
    let checked = 0;
    for (const e of index) {
      const doc = readJson<OracleDoc>(join(GOLDEN, e.golden));
      const fns = new Map(doc.functions.map((f) => [f.name, f]));
      for (const r of doc.relos) {
        const insns = fns.get(r.program ?? '')?.insns;
        for (const p of r.patches ?? []) {
          expect(p.insn, `${e.golden} relo #${r.index}`).toBe(r.insn);
          if (!insns) continue;
          const b = Buffer.from(insns[p.insn], 'hex');
          let got: bigint;
          if (p.field === 'off') got = BigInt(b.readInt16LE(2));
          else if (p.field === 'imm64') got = BigInt(b.readUInt32LE(4)) | (BigInt(Buffer.from(insns[p.insn + 1], 'hex').readUInt32LE(4)) << 32n);
          else if (p.field === 'imm') got = BigInt.asUintN(64, BigInt(b.readInt32LE(4)));
          else continue;
          // libbpf prints a 32-bit imm as u64 of its sign extension, or as the plain u32
          const want = BigInt(p.new);
          expect(got === want || BigInt.asUintN(32, got) === want, `${e.golden} relo #${r.index} ${p.field}`).toBe(true);
          checked++;
        }
        for (const i of r.poisoned ?? []) {
          if (insns) expect(insns[i], `${e.golden} relo #${r.index} poisoned insn ${i}`).toBe('850000001023ad0b');
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('live: nesting___err_too_deep fails on relo #1 with 1.1.2\'s stray space', () => {
    const doc = oracle(selftest('test_core_reloc_nesting.bpf.o'), selftest('btf__core_reloc_nesting___err_too_deep.bpf.o'));
    expect(doc.result).toMatchObject({ ok: false, stage: 'core_relocation', load_errno: 7 });
    const r = doc.relos.find((x) => x.index === 1);
    expect(r?.status).toBe('error');
    expect(r?.error).toBe('failed to relocate: -7');
    expect(doc.log.some(([, , t]) => t.startsWith(" libbpf: prog 'test_core_nesting': relo #1: failed to relocate"))).toBe(true);
  });

  it('live: enumval___err_missing poisons two ld_imm64 (4 slots) and the verifier rejects the program', () => {
    const doc = oracle(selftest('test_core_reloc_enumval.bpf.o'), selftest('btf__core_reloc_enumval___err_missing.bpf.o'));
    expect(doc.result.stage).toBe('prog_load');
    expect(doc.relos.flatMap((r) => r.poisoned ?? []).length).toBe(4);
    const p = doc.programs[0];
    expect(p.load).toMatchObject({ attempted: true, ok: false, errno: 22, submitted_equals_insns: true });
    // a poisoned insn is "call 0xbad2310": code 0x85, imm 195896080 little-endian
    const fn = doc.functions.find((f) => f.name === p.name);
    const pois = doc.relos.find((r) => r.poisoned)!.poisoned!;
    expect(fn?.insns?.[pois[0]]).toBe('850000001023ad0b');
  });

  it('live: a passing case loads and every relocation is patched', () => {
    const doc = oracle(selftest('test_core_reloc_arrays.bpf.o'), selftest('btf__core_reloc_arrays.bpf.o'));
    expect(doc.result.ok).toBe(true);
    expect(doc.relos.length).toBeGreaterThan(0);
    expect(doc.relos.every((r) => r.status === 'patched' && (r.candidates ?? []).some((c) => c.matching))).toBe(true);
    expect(doc.programs.every((p) => p.load.ok && p.load.submitted_equals_insns)).toBe(true);
  });

  it('live: split BTF is flattened on its base (ids kept); without the base libbpf cannot parse it', () => {
    const mod = index.find((e) => e.group === 'progs-module');
    expect(mod, 'no progs × module pair in the index').toBeDefined();
    const withBase = oracle(join(ROOT, mod!.object), join(ROOT, mod!.target), join(ROOT, mod!.base!));
    expect(withBase.oracle.flatten_error).toBeNull();
    const kernelsTsv = readFileSync(join(ROOT, 'tests/kernels/MANIFEST.tsv'), 'utf8').split('\n').map((l) => l.split('\t'));
    const types = (file: string): number => Number(kernelsTsv.find((r) => file.endsWith(r[0]))?.[7]);
    expect(withBase.target_btf.types).toBe(types(mod!.target) + types(mod!.base!));
    const without = oracle(join(ROOT, mod!.object), join(ROOT, mod!.target));
    if (without.relos.length > 0) {
      expect(without.result.stage).toBe('target_btf');
    }
    expect(without.target_btf.parsed).toBe(false);
  });

  // The edge pairs that put notes §10 items 9, 16 and 28 under the oracle must keep reaching those
  // paths in libbpf (a linker or compiler change could quietly stop them): checked on libbpf's own output.
  it('edge pairs reach the eliminated-weak skip, legacy INT offsets and whole-array loads in libbpf', () => {
    const doc = (name: string): OracleDoc => readJson<OracleDoc>(join(GOLDEN, `${name}.json.gz`));
    const skips = (d: OracleDoc): string[] => d.log.map((l) => l[2]).filter((t) => /skipping CO-RE relocation #\d+ for insn #\d+ belonging to eliminated weak subprogram$/.test(t));
    // §9: linked in either order, the weak copies' records are skipped; unlinked, nothing is
    for (const order of ['ws', 'sw']) {
      const d = doc(`edge_weak-${order}__edge_weak_t`);
      const skipped = d.relos.filter((r) => r.status === 'skipped_weak');
      expect(skipped.length, order).toBeGreaterThan(0);
      expect(skips(d).length, order).toBe(skipped.length);
      expect(new Set(skipped.map((r) => r.section)), order).toEqual(new Set(['.text', 'raw_tp/sys_exit']));
    }
    expect(skips(doc('edge_weak__edge_weak_t'))).toEqual([]);
    // §16: the plain target matches everything; an INT offset on either side makes field and type
    // compatibility fail, types_match still matches
    const matched = (d: OracleDoc, kind?: string): boolean[] => d.relos.filter((r) => !kind || r.kind === kind).map((r) => r.candidates?.[0]?.matching === true);
    expect(matched(doc('edge_int_offset__edge_int_offset_t')).every(Boolean)).toBe(true);
    for (const name of ['edge_int_offset__edge_int_offset_t-intoff', 'edge_int_offset-intoff__edge_int_offset_t', 'edge_int_offset-intoff__edge_int_offset_t-intoff']) {
      const d = doc(name);
      expect(d.target_btf.parsed, name).toBe(true);
      expect(matched(d, 'field_exists'), name).toContain(false);
      expect(matched(d, 'type_exists'), name).toEqual([false, false]);
      expect(matched(d, 'type_matches'), name).toEqual([true, true]);
    }
    // §28: a direct load through a whole array field whose dimension changed is poisoned by 1.1.2
    const grow = doc('edge_whole_array__edge_whole_array_t').relos.find((r) => r.local_spec?.includes('.grow (0:1 '));
    expect(grow?.status).toBe('poisoned');
    expect(grow?.warnings?.join('\n')).toMatch(/accesses field incorrectly/);
  });

  it('regenerates 3 random golden files identically', () => {
    const picks = new Set<IndexEntry>();
    while (picks.size < Math.min(3, index.length)) picks.add(index[Math.floor(Math.random() * index.length)]);
    for (const e of picks) {
      expect(sha256(join(ROOT, e.object)), `${e.object} changed since regen: rerun tests/oracle/regen.sh`).toBe(e.object_sha256);
      expect(sha256(join(ROOT, e.target)), `${e.target} changed since regen`).toBe(e.target_sha256);
      const doc = oracle(join(ROOT, e.object), join(ROOT, e.target), e.base ? join(ROOT, e.base) : undefined);
      expect(doc, e.golden).toEqual(readJson<OracleDoc>(join(GOLDEN, e.golden)));
    }
  });
});

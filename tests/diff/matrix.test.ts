/**
 * The kernel matrix against libbpf 1.1.2: every object of tests/golden/relo/index.json that has
 * golden pairs against two or more targets is relocated against all of them at once, and every
 * cell is checked against that pair's golden relocation (status, patched fields and values, the
 * poison reason, the errno), every kernel's verdict against libbpf's load, and every row's
 * "differs" against the golden relocations of the row's pairs. Then `corelab matrix` end to end.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelName } from '../../cli/commands/matrix.ts';
import { makeTargetSet } from '../../core-ts/core/candidates.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import { loadVerdict } from '../../core-ts/core/verdict.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import { buildMatrix } from '../../core-ts/views/matrix.ts';
import type { MatrixCell, MatrixOutcome } from '../../core-ts/views/matrix.ts';
import { GOLDEN_INDEX as INDEX, goldenFull, goldenPairs, libbpfFailsLoad, pairTarget, readGolden } from './relo-support.ts';
import type { GoldenDoc, GoldenPair, GoldenProgram, GoldenRelo } from './relo-support.ts';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/corelab.mjs');

type Pair = GoldenPair;
type Golden = GoldenDoc & { programs?: GoldenProgram[] };

const pairs = goldenPairs();
const byObject = new Map<string, Pair[]>();
for (const p of pairs) byObject.set(p.object, [...(byObject.get(p.object) ?? []), p]);
const multi = [...byObject.entries()].filter(([, ps]) => ps.length >= 2);

const goldenOf = (p: Pair): Golden => readGolden<Golden>(p);
const libbpfFails = (g: Golden): boolean => libbpfFailsLoad(g);

const OUTCOME_OF_GOLDEN: Record<string, MatrixOutcome> = { patched: 'patched', poisoned: 'poisoned', error: 'failed', skipped_weak: 'skipped', not_processed: 'skipped' };
const u64 = (s: string): string => BigInt.asUintN(64, BigInt(s)).toString();
/** our numbers in golden (u64) form, so "imm64 -2" reads as the oracle's "imm64 18446744073709551614" */
const asU64Words = (s: string): string => s.replace(/-?\d+/g, (n) => u64(n));

/** What the cell must hold, derived from the golden relocation alone. */
function cellDiffs(c: MatrixCell, g: Required<GoldenRelo>): string[] {
  const d: string[] = [];
  const want = OUTCOME_OF_GOLDEN[g.status];
  if (c.outcome !== want) d.push(`outcome ${c.outcome}, libbpf ${g.status}`);
  if (want === 'patched') {
    const words = g.patches.map((p) => `${p.field} ${p.new}`).join(', ');
    if (asU64Words(c.summary) !== words) d.push(`summary '${c.summary}', libbpf patched '${words}'`);
    // the value is what lands in an off/imm/imm64 field (mem_sz holds a size code)
    const v = g.patches.find((p) => p.field !== 'mem_sz');
    if (v && (c.value === undefined || u64(c.value) !== v.new)) d.push(`value ${c.value}, libbpf ${v.new}`);
  } else if (want === 'poisoned') {
    const why = g.no_matching_targets ? 'poisoned: no matching target' : 'poisoned: field access cannot be resized';
    if (c.summary !== why) d.push(`summary '${c.summary}', libbpf: no_matching_targets=${g.no_matching_targets}`);
    if (c.value !== undefined) d.push(`a poisoned cell has value ${c.value}`);
  } else if (want === 'failed') {
    const errno = /: (-\d+)$/.exec(g.error ?? '')?.[1];
    if (!errno || !c.summary.startsWith(`error ${errno}`)) d.push(`summary '${c.summary}', libbpf error '${g.error}'`);
  }
  return d;
}

const totals = { objects: 0, pairs: 0, cells: [0, 0], kernels: [0, 0], rows: [0, 0], differing: 0 };

describe('kernel matrix vs libbpf 1.1.2 (golden pairs of one object against several targets)', () => {
  it('has objects with golden pairs against several kernels', () => {
    expect(multi.length, `${INDEX}: run tests/oracle/regen.sh`).toBeGreaterThan(50);
  });

  for (const [object, ps] of multi) {
    it(`${object.split('/').pop()} × ${ps.length} targets`, () => {
      const objPath = join(ROOT, object);
      expect(existsSync(objPath), `${object} missing: run bash tests/corpus/build.sh`).toBe(true);
      const bytes = new Uint8Array(readFileSync(objPath));
      expect(createHash('sha256').update(bytes).digest('hex'), `${object} changed since its golden files`).toBe(ps[0]!.object_sha256);
      const obj = parseBpfObject(bytes);
      const runs = ps.map((p) => {
        const btf = pairTarget(p).btf;
        const result = relocateObject(obj, makeTargetSet(btf));
        return { kernel: kernelName(p.target), result, verdict: loadVerdict(obj, result) };
      });
      const m = buildMatrix(obj, runs);
      const goldens = ps.map(goldenOf);
      const diffs: string[] = [];

      expect(m.kernels.map((k) => k.name)).toEqual(ps.map((p) => kernelName(p.target)));
      ps.forEach((p, i) => {
        const fails = libbpfFails(goldens[i]!);
        totals.kernels[1]++;
        if (m.kernels[i]!.ok === !fails) totals.kernels[0]++;
        else diffs.push(`${p.golden}: kernel ok=${m.kernels[i]!.ok}, libbpf ${fails ? 'fails' : 'loads'}`);
      });

      // rows are the golden relocations, one for one, in the same order on every target
      const keys = goldens[0]!.relos.map((r) => `${r.section}#${r.index}`);
      for (const g of goldens) expect(g.relos.map((r) => `${r.section}#${r.index}`)).toEqual(keys);
      expect(m.rows.map((r) => r.key)).toEqual(keys);

      m.rows.forEach((row, ri) => {
        const gs = goldens.map((g) => goldenFull(g.relos[ri]!));
        expect(row.cells.length).toBe(ps.length);
        row.cells.forEach((c, ki) => {
          totals.cells[1]++;
          const d = cellDiffs(c, gs[ki]!);
          if (d.length === 0) totals.cells[0]++;
          else diffs.push(`${ps[ki]!.golden} ${row.key}: ${d.join('; ')}`);
        });
        // libbpf's outcome + value per target, to tell the rows that differ
        const shape = (g: Required<GoldenRelo>): string => `${OUTCOME_OF_GOLDEN[g.status]} ${g.patches.find((p) => p.field !== 'mem_sz')?.new ?? ''}`;
        const differs = gs.some((g) => shape(g) !== shape(gs[0]!));
        totals.rows[1]++;
        if (differs) totals.differing++;
        if (row.differs === differs) totals.rows[0]++;
        else diffs.push(`${row.key}: differs=${row.differs}, libbpf's outcomes ${gs.map(shape).join(' | ')}`);
      });
      totals.objects++;
      totals.pairs += ps.length;
      expect(diffs.slice(0, 8).join('\n')).toBe('');
    });
  }

  afterAll(() => {
    const f = (x: number[]): string => `${x[0]}/${x[1]}`;
    console.log(
      `matrix vs libbpf 1.1.2: ${totals.objects} objects, ${totals.pairs} (object, target) pairs; cells ${f(totals.cells)}; ` +
        `kernel verdicts ${f(totals.kernels)}; rows' differs ${f(totals.rows)} (${totals.differing} rows differ)`,
    );
  });
});

function corelab(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('corelab matrix (CLI)', () => {
  it('needs the built CLI', () => {
    expect(existsSync(CLI), 'dist/corelab.mjs missing: npm run build:cli').toBe(true);
  });
  // one object whose kernels disagree on the load, one that every kernel loads, one split pair
  const kernelsOf = (o: string): Pair[] => byObject.get(o) ?? [];
  // kernel BTFs (libbpf-tools' five) first, so the CLI's xz path is the one exercised
  const ordered = [...multi].sort(([, a], [, b]) => Number(b[0]!.group === 'libbpf-tools') - Number(a[0]!.group === 'libbpf-tools'));
  const mixed = ordered.find(([, ps]) => ps.every((p) => !p.base) && new Set(ps.map((p) => libbpfFails(goldenOf(p)))).size === 2)?.[0];
  const allLoad = ordered.find(([, ps]) => ps.every((p) => !p.base) && ps.every((p) => !libbpfFails(goldenOf(p))))?.[0];

  for (const object of [mixed, allLoad]) {
    it(`text and --json of ${object}: a verdict line per kernel, exit status from libbpf's loads`, () => {
      expect(object, 'no such object among the golden pairs').toBeDefined();
      const ps = kernelsOf(object!);
      const argv = ['matrix', object!, ...ps.flatMap((p) => ['--btf', p.target])];
      const fails = ps.map((p) => libbpfFails(goldenOf(p)));
      const want = fails.some(Boolean) ? 1 : 0;

      const text = corelab(argv);
      expect(text.stderr).toBe('');
      expect(text.status).toBe(want);
      const lines = text.stdout.trimEnd().split('\n');
      const goldens = ps.map(goldenOf);
      // header, one line per relocation, the summary, one line per kernel
      expect(lines.length).toBe(1 + goldens[0]!.relos.length + 1 + ps.length);
      ps.forEach((p, i) => {
        const line = lines[lines.length - ps.length + i]!;
        expect(line.startsWith(`${kernelName(p.target)}: `)).toBe(true);
        expect(line.includes('libbpf would load this'), line).toBe(!fails[i]);
      });

      const json = corelab([...argv, '--json']);
      expect(json.status).toBe(want);
      const m = JSON.parse(json.stdout) as { kernels: { name: string; ok: boolean }[]; rows: { key: string; cells: { outcome: string }[] }[] };
      expect(m.kernels.map((k) => k.ok)).toEqual(fails.map((x) => !x));
      expect(m.rows.map((r) => r.key)).toEqual(goldens[0]!.relos.map((r) => `${r.section}#${r.index}`));
      m.rows.forEach((r, ri) => expect(r.cells.map((c) => c.outcome)).toEqual(goldens.map((g) => OUTCOME_OF_GOLDEN[g.relos[ri]!.status])));

      if (object !== mixed) return;
      const only = corelab([...argv, '--json', '--only-differing']);
      const differing = (JSON.parse(only.stdout) as { rows: { differs: boolean }[] }).rows;
      expect(differing.every((r) => r.differs)).toBe(true);
      expect(differing.length).toBe(m.rows.filter((r) => (r as unknown as { differs: boolean }).differs).length);
    });
  }

  const split = pairs.find((p) => p.base && (byObject.get(p.object) ?? []).some((q) => q.target === p.base));
  it('--base applies to the split --btf only; a split --btf without --base is a usage error', () => {
    expect(split, 'no object with golden pairs against a module and its base').toBeDefined();
    const p = split!;
    const baseGolden = goldenOf(byObject.get(p.object)!.find((q) => q.target === p.base)!);
    const r = corelab(['matrix', p.object, '--btf', p.target, '--btf', p.base!, '--base', p.base!, '--json']);
    expect(r.stderr).toBe('');
    const m = JSON.parse(r.stdout) as { kernels: { ok: boolean }[]; rows: { cells: { outcome: string }[] }[] };
    expect(m.kernels.map((k) => k.ok)).toEqual([!libbpfFails(goldenOf(p)), !libbpfFails(baseGolden)]);
    m.rows.forEach((row, ri) => expect(row.cells.map((c) => c.outcome)).toEqual([goldenOf(p), baseGolden].map((g) => OUTCOME_OF_GOLDEN[g.relos[ri]!.status])));

    // a --base no kernel needs is said on stderr, and changes nothing
    const stray = corelab(['matrix', p.object, '--btf', p.base!, '--base', p.base!, '--json']);
    expect(stray.stderr).toBe(`corelab: --base ${p.base} applies to no --btf: none of them is split BTF\n`);
    expect((JSON.parse(stray.stdout) as { rows: { cells: { outcome: string }[] }[] }).rows.map((row) => row.cells[0]!.outcome)).toEqual(m.rows.map((row) => row.cells[1]!.outcome));

    const noBase = corelab(['matrix', p.object, '--btf', p.target]);
    expect(noBase.status).toBe(2);
    expect(noBase.stderr).toContain(`${p.target} is split BTF`);
  });

  it('a missing or corrupt kernel file is a typed error naming the file, exit 2', () => {
    const object = multi[0]![0];
    const kernel = 'tests/kernels/debian-6.1.0-56-amd64.btf.xz';
    const dir = mkdtempSync(join(tmpdir(), 'corelab-matrix-'));
    const cut = join(dir, 'cut.btf.xz');
    const xz = readFileSync(join(ROOT, kernel));
    writeFileSync(cut, xz.subarray(0, xz.length >> 1));
    const junk = join(dir, 'junk.btf');
    writeFileSync(junk, Buffer.from('this is not BTF at all'));
    const cases: [string, RegExp][] = [
      [join(dir, 'absent.btf'), /^corelab: error: cannot read .*absent\.btf: ENOENT \[not-found\]\n$/],
      [cut, /^corelab: error: \S*cut\.btf\.xz xz @0x[0-9a-f]+: .* \[truncated\]\n$/],
      [junk, /^corelab: error: \S*junk\.btf @0x0: not a BPF object, a BTF, an ELF with \.BTF or an xz archive of one .* \[bad-magic\]\n$/],
    ];
    for (const [bad, want] of cases) {
      const r = corelab(['matrix', object, '--btf', kernel, '--btf', bad]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(want);
    }
    expect(corelab(['matrix', object]).status).toBe(2);
    expect(corelab(['matrix', '--btf', kernel]).status).toBe(2);
  });
});

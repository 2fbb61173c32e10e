/**
 * `corelab relocate` end to end (the bundled CLI, dist/corelab.mjs): its --log output is
 * libbpf 1.1.2's CO-RE log from the golden files, its exit status tells a load libbpf goes on
 * with (0) from one it fails during CO-RE (1), and bad usage is 2.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/corelab.mjs');
const INDEX = join(ROOT, 'tests/golden/relo/index.json');

interface Pair {
  golden: string;
  object: string;
  target: string;
  base: string | null;
  stage: string | null;
  relocations: number;
}

function corelab(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function golden(p: Pair): { log: [string, string, string][]; programs: { load: { verifier_log_tail?: string[] } }[] } {
  return JSON.parse(gunzipSync(readFileSync(join(ROOT, 'tests/golden/relo', p.golden))).toString('utf8'));
}

describe('corelab relocate (CLI)', () => {
  it('needs the built CLI and the golden files', () => {
    expect(existsSync(CLI), 'dist/corelab.mjs missing: npm run build:cli').toBe(true);
    expect(existsSync(INDEX), 'tests/golden/relo/index.json missing: tests/oracle/regen.sh').toBe(true);
  });
  const pairs: Pair[] = existsSync(INDEX) ? JSON.parse(readFileSync(INDEX, 'utf8')).pairs : [];
  // a few of each verdict, the largest first, so the check is cheap but not trivial
  const failing = pairs.filter((p) => p.stage === 'core_relocation' && !p.base).slice(0, 3);
  const going = pairs.filter((p) => p.stage !== 'core_relocation' && !p.base && p.relocations > 0).sort((a, b) => b.relocations - a.relocations).slice(0, 3);

  for (const p of [...going, ...failing]) {
    it(`--log of ${p.golden} is libbpf's; exit 1 exactly when libbpf fails in CO-RE or on a poisoned call`, () => {
      const r = corelab(['relocate', p.object, '--btf', p.target, '--log']);
      expect(r.stderr).toBe('');
      const g = golden(p);
      const want = g.log.filter((l) => l[1] === 'c').map((l) => l[2] + '\n').join('');
      expect(r.stdout).toBe(want);
      const poisonedCall = g.programs.some((x) => (x.load.verifier_log_tail ?? []).some((l) => /^\d+: \(85\) call unknown#195896080$/.test(l)));
      expect(r.status).toBe(p.stage === 'core_relocation' || poisonedCall ? 1 : 0);
    });
  }

  const split = pairs.filter((p) => p.base && p.relocations > 0).slice(0, 2);
  for (const p of split) {
    it(`--btf SPLIT --base BASE (${p.golden}) relocates against the flattened pair, as the oracle's btf_custom_path`, () => {
      const r = corelab(['relocate', p.object, '--btf', p.target, '--base', p.base!, '--log']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(golden(p).log.filter((l) => l[1] === 'c').map((l) => l[2] + '\n').join(''));
    });
  }

  it('-o writes the object with relocated instructions, and --json parses', () => {
    const p = going[0]!;
    const out = join(mkdtempSync(join(tmpdir(), 'corelab-relo-')), 'out.o');
    const r = corelab(['relocate', p.object, '--btf', p.target, '--json', '-o', out]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { functions: { after: string[]; before: string[] }[] };
    const written = readFileSync(out);
    const orig = readFileSync(join(ROOT, p.object));
    expect(written.length).toBe(orig.length);
    // every relocated function's bytes appear in the written file
    for (const f of doc.functions) expect(written.includes(Buffer.from(f.after.join(''), 'hex'))).toBe(true);
    expect(written.equals(orig)).toBe(doc.functions.every((f) => f.after.join('') === f.before.join('')));
  });

  it('usage errors exit 2', () => {
    expect(corelab(['relocate']).status).toBe(2);
    expect(corelab(['relocate', 'x.o']).status).toBe(2);
    expect(corelab(['relocate', 'x.o', '--btf', 'y', '--bogus']).status).toBe(2);
  });
});

/**
 * The case minimizer (core-ts/share/minimize.ts) on every (object, target) pair of
 * tests/golden/relo: relocating against the minimized BTF gives the same outcome for every
 * relocation as against the full target (TYPE_ID_TARGET values aside: they are ids), and
 * Debian's bpftool 7.1 reads the minimized BTF, printing exactly what corelab's raw dump prints.
 * The full-target results themselves are checked against libbpf by relo.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpRawBytes } from '../../core-ts/btf/dump-raw.ts';
import { parseBtf } from '../../core-ts/btf/parse.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { makeTargetSet } from '../../core-ts/core/candidates.ts';
import type { TargetSet } from '../../core-ts/core/candidates.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import { minimizeTargetBtf, outcomeDiffs } from '../../core-ts/share/minimize.ts';
import { requireTool } from '../support/tools.ts';
import { goldenPairs, pairTarget, type GoldenPair } from './relo-support.ts';

const ROOT = join(import.meta.dirname, '../..');

type Pair = GoldenPair;
const index = { pairs: goldenPairs() };
// as the oracle does: a split BTF flattened onto its base, given as the custom path
const target = (p: Pair): { btf: Btf; set: TargetSet } => pairTarget(p);

const work = mkdtempSync(join(tmpdir(), 'corelab-min-btf-'));
const tally = { pairs: 0, same: 0, relocations: 0, sameRelocations: 0, dumps: 0, dumpsIdentical: 0, fullTypes: 0, minTypes: 0, minBytes: 0 };
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  console.log(
    `min BTF: ${tally.same} of ${tally.pairs} pairs (${tally.sameRelocations} of ${tally.relocations} relocations) same outcome as the full target; ` +
      `${tally.dumpsIdentical} of ${tally.dumps} minimized BTFs dumped identically by bpftool 7.1 and corelab; ` +
      `${tally.minTypes} types kept of ${tally.fullTypes} (${tally.minBytes} bytes in all)`,
  );
});

describe('minimized target BTF reproduces every relocation', () => {
  it('has golden pairs', () => {
    expect(index.pairs.length).toBeGreaterThan(0);
  });
  const bpftool = requireTool('bpftool');
  for (const group of [...new Set(index.pairs.map((p) => p.group))]) {
    describe(group, () => {
      for (const p of index.pairs.filter((x) => x.group === group)) {
        it(p.golden.replace(/\.json(\.gz)?$/, ''), () => {
          const obj = parseBpfObject(new Uint8Array(readFileSync(join(ROOT, p.object))));
          const t = target(p);
          const full = relocateObject(obj, t.set);
          const min = minimizeTargetBtf(t.btf, full);
          const minBtf = parseBtf(min.bytes, { section: 'BTF' });
          const again = relocateObject(obj, makeTargetSet(minBtf));
          const diffs = outcomeDiffs(full, again);
          tally.pairs++;
          tally.relocations += full.relocations.length;
          tally.sameRelocations += full.relocations.length - diffs.filter((d) => !d.startsWith('load:')).length;
          if (diffs.length === 0) tally.same++;
          tally.fullTypes += t.btf.typeCount - 1;
          tally.minTypes += min.types;
          tally.minBytes += min.bytes.length;
          expect(diffs).toEqual([]);

          const file = join(work, 'min.btf');
          writeFileSync(file, min.bytes);
          const r = spawnSync(bpftool, ['btf', 'dump', 'file', file], { maxBuffer: 1 << 28 });
          expect(r.status, `bpftool rejected the minimized BTF: ${r.stderr}`).toBe(0);
          tally.dumps++;
          const ours = Buffer.from(dumpRawBytes(minBtf));
          if (ours.equals(r.stdout)) tally.dumpsIdentical++;
          expect(ours.toString()).toBe(r.stdout.toString());
        });
      }
    });
  }
});

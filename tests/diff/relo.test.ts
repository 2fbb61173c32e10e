/**
 * Differential test of the CO-RE engine against libbpf 1.1.2: every (object, target BTF) pair
 * of tests/golden/relo/index.json (written by tests/oracle/regen.sh from the relo-oracle).
 * Per pair: every relocation's outcome, every function's instructions after CO-RE, every CO-RE
 * log line, and the verifier-log fix-up text. Any difference fails.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TargetSet } from '../../core-ts/core/candidates.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import { analyseReachability } from '../../core-ts/core/guard.ts';
import { InsnBuffer } from '../../core-ts/core/insns.ts';
import { rodataRefs } from '../../core-ts/object/data-refs.ts';
import { programLayouts } from '../../core-ts/object/link.ts';
import { explainAll } from '../../core-ts/core/explain.ts';
import { loadVerdict } from '../../core-ts/core/verdict.ts';
import { compareGuards, comparePair, GOLDEN_INDEX as INDEX, goldenPairs, libbpfFailsLoad, pairTarget, readGolden } from './relo-support.ts';
import type { GoldenDoc, GoldenPair, GoldenProgram, PairDiff } from './relo-support.ts';

const ROOT = join(import.meta.dirname, '../..');

type Pair = GoldenPair;
const index = { pairs: goldenPairs() };
const targetsFor = (p: Pair): TargetSet => pairTarget(p).set;

const guards = { reached: [0, 0], dead: [0, 0] };
const layouts = [0, 0];
const loadVerdicts = [0, 0];
const totals = { pairs: 0, pairsIdentical: 0, relocations: [0, 0], functions: [0, 0], log: [0, 0], fixups: [0, 0], verdicts: [0, 0] };
const add = (k: 'relocations' | 'functions' | 'log' | 'fixups', d: PairDiff): void => {
  totals[k][0] += d[k].identical;
  totals[k][1] += d[k].total;
};

describe('CO-RE relocation vs libbpf 1.1.2 (golden files)', () => {
  it('has golden files (tests/oracle/regen.sh)', () => {
    expect(existsSync(INDEX), `${INDEX} is missing: run tests/oracle/regen.sh`).toBe(true);
    expect(index.pairs.length).toBeGreaterThan(0);
  });

  const groups = [...new Set(index.pairs.map((p) => p.group))];
  for (const group of groups) {
    describe(group, () => {
      for (const p of index.pairs.filter((x) => x.group === group)) {
        it(`${p.golden.replace(/\.json(\.gz)?$/, '')}`, () => {
          const objPath = join(ROOT, p.object);
          expect(existsSync(objPath), `${p.object} missing: run bash tests/corpus/build.sh`).toBe(true);
          const bytes = new Uint8Array(readFileSync(objPath));
          const sha = createHash('sha256').update(bytes).digest('hex');
          expect(sha, `${p.object} changed since its golden file was made: run tests/oracle/regen.sh`).toBe(p.object_sha256);
          const golden = readGolden(p);

          const obj = parseBpfObject(bytes);
          const res = relocateObject(obj, targetsFor(p));
          const d = comparePair(res, golden);

          // beyond libbpf: corelab's guard estimate against the verifier's verdicts
          const poisoned = res.relocations
            .filter((r) => r.status === 'poisoned' && r.program !== undefined && r.insn !== undefined)
            .filter((r) => !obj.programs.find((x) => x.name === r.program)?.isSubprog)
            .map((r) => {
              const fn = res.functions.find((f) => f.name === r.program)!;
              const prog = obj.programs.find((x) => x.name === r.program && x.elfSection === r.section)!;
              const a = analyseReachability(new InsnBuffer(fn.after.slice(), obj.endian), r.insn!, { rodata: rodataRefs(obj, prog) });
              return { program: r.program!, insn: r.insn!, reachable: a.reachable };
            });
          const g = compareGuards(golden, poisoned);

          const libbpfFails = libbpfFailsLoad(golden as GoldenDoc & { programs?: GoldenProgram[] });
          const v = loadVerdict(obj, res);
          loadVerdicts[1]++;
          if (libbpfFails === !v.ok) loadVerdicts[0]++;
          const verdictDiffs = libbpfFails === !v.ok ? [] : [`load verdict: libbpf ${libbpfFails ? 'fails' : 'loads (as far as CO-RE poison goes)'}, ours ${v.ok ? 'loads' : v.reason}`];

          // every relocation gets an explanation; every poisoned one a guard verdict
          const why = explainAll(obj, targetsFor(p), res);
          const explainDiffs = res.relocations.flatMap((r, i) =>
            !why[i]?.sentence ? [`${r.section} #${r.index}: no explanation`] : r.status === 'poisoned' && !why[i]!.guard ? [`${r.section} #${r.index}: no guard verdict`] : [],
          );

          // where libbpf put each subprogram in each loaded program (verifier-log indexes)
          const layoutDiffs: string[] = [];
          if (golden.result.stage !== 'core_relocation' && golden.result.stage !== 'open') {
            const ours = programLayouts(obj);
            for (const gp of (golden as unknown as { programs: { name: string; autoload: boolean; layout?: { function: string; at: number; insn_cnt: number }[] }[] }).programs) {
              if (!gp.layout || !gp.autoload) continue;
              layouts[1]++;
              const mine = (ours.get(gp.name) ?? []).map((e) => ({ function: e.function, at: e.at, insn_cnt: e.insnCount }));
              if (JSON.stringify(mine) === JSON.stringify(gp.layout)) layouts[0]++;
              else layoutDiffs.push(`layout of ${gp.name}: libbpf ${JSON.stringify(gp.layout)}, ours ${JSON.stringify(mine)}`);
            }
          }
          guards.reached[0] += g.reachedAgree;
          guards.reached[1] += g.reached;
          guards.dead[0] += g.deadAgree;
          guards.dead[1] += g.dead;
          totals.pairs++;
          add('relocations', d);
          add('functions', d);
          add('log', d);
          add('fixups', d);
          // libbpf failing during CO-RE is what corelab can predict; kernel verdicts are not
          const coreFailed = golden.result.stage === 'core_relocation';
          totals.verdicts[1]++;
          if (coreFailed === !res.ok) totals.verdicts[0]++;
          const diffs = [
            ...d.relocations.diffs,
            ...d.functions.diffs,
            ...d.log.diffs,
            ...d.fixups.diffs,
            ...g.disagreements,
            ...layoutDiffs,
            ...explainDiffs,
            ...verdictDiffs,
            ...(coreFailed === !res.ok ? [] : [`CO-RE verdict: libbpf ${coreFailed ? 'failed' : 'went on'}, ours ok=${res.ok}`]),
          ];
          if (diffs.length === 0) totals.pairsIdentical++;
          expect(diffs.slice(0, 8).join('\n')).toBe('');
        });
      }
    });
  }

  afterAll(() => {
    const f = (x: number[]): string => `${x[0]}/${x[1]}`;
    console.log(
      `relo vs libbpf 1.1.2: pairs identical ${totals.pairsIdentical}/${totals.pairs}; relocations ${f(totals.relocations)}; ` +
        `functions ${f(totals.functions)}; log lines ${f(totals.log)}; verifier fix-ups ${f(totals.fixups)}; CO-RE verdicts ${f(totals.verdicts)}; ` +
        `guard estimate: verifier-reached poisoned insns called reachable ${f(guards.reached)}, verifier-dead ones called guarded ${f(guards.dead)}; program layouts ${f(layouts)}; load verdicts ${f(loadVerdicts)}`,
    );
  });
});

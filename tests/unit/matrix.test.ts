/**
 * Layout of the kernel matrix's text table (matrixText), its JSON, and how one relocation
 * report becomes a cell. Cell words for real objects are checked against libbpf in
 * tests/diff/matrix.test.ts; here the input is built by hand to pin the layout.
 */
import { describe, expect, it } from 'vitest';
import type { RelocationReport } from '../../core-ts/core/relocate.ts';
import { matrixCell, matrixJson, matrixText } from '../../core-ts/views/matrix.ts';
import type { KernelMatrix, MatrixCell, MatrixRow } from '../../core-ts/views/matrix.ts';

const cell = (outcome: MatrixCell['outcome'], summary: string, value?: string): MatrixCell => ({
  outcome,
  status: outcome === 'failed' ? 'error' : outcome,
  result: outcome === 'failed' ? 'error' : outcome,
  summary,
  ...(value !== undefined ? { value } : {}),
});

const row = (index: number, access: string, cells: MatrixCell[], differs: boolean): MatrixRow => ({
  key: `.text#${index}`,
  section: '.text',
  index,
  program: 'prog',
  insn: index * 2,
  kind: 'byte_off',
  type: 'task_struct',
  access,
  sourceLine: undefined,
  cells,
  differs,
});

const counts = { total: 2, patched: 2, poisoned: 0, failed: 0, skipped: 0 };
const m: KernelMatrix = {
  kernels: [
    { name: 'k-one', ok: true, coreOk: true, errno: 0, reason: undefined, verdict: 'loads', counts },
    { name: 'a-kernel-with-a-long-name', ok: false, coreOk: true, errno: 0, reason: 'poisoned-reachable', verdict: 'rejects', counts: { ...counts, patched: 1, poisoned: 1 } },
  ],
  rows: [
    row(0, 'task_struct->pid', [cell('patched', 'off 16', '16'), cell('patched', 'off 16', '16')], false),
    row(1, 'task_struct->mm', [cell('patched', 'off 2976', '2976'), cell('poisoned', 'poisoned: no matching target')], true),
  ],
};

describe('matrixText', () => {
  it('one aligned line per relocation, * on the rows that differ, then a verdict line per kernel', () => {
    expect(matrixText(m).split('\n')).toEqual([
      '  relocation      kind      access            k-one     a-kernel-with-a-long-name',
      '  .text#0 prog+0  byte_off  task_struct->pid  off 16    off 16',
      '* .text#1 prog+2  byte_off  task_struct->mm   off 2976  poisoned: no matching target',
      '2 relocations × 2 kernels: 1 differ',
      'k-one: 2 patched, 0 poisoned, 0 error, 0 not applied; loads',
      'a-kernel-with-a-long-name: 1 patched, 1 poisoned, 0 error, 0 not applied; rejects',
      '',
    ]);
  });

  it('clips kernel columns and the access column at their widths with …', () => {
    const lines = matrixText(m, { cellWidth: 8, accessWidth: 10 }).split('\n');
    expect(lines[0]).toBe('  relocation      kind      access      k-one     a-kerne…');
    expect(lines[2]).toBe('* .text#1 prog+2  byte_off  task_stru…  off 2976  poisone…');
    // the verdict lines keep the full names
    expect(lines[5]!.startsWith('a-kernel-with-a-long-name: ')).toBe(true);
  });

  it('--only-differing keeps only the rows that differ (columns sized to them) and says so', () => {
    const lines = matrixText(m, { onlyDiffering: true }).split('\n');
    expect(lines.filter((l) => l.includes('.text#'))).toEqual(['* .text#1 prog+2  byte_off  task_struct->mm  off 2976  poisoned: no matching target']);
    expect(lines).toContain('2 relocations × 2 kernels: 1 differ (only those shown)');
  });

  it('a relocation no program owns shows "-" for its place', () => {
    const lone: KernelMatrix = { kernels: [m.kernels[0]!], rows: [{ ...row(3, 'x->y', [cell('skipped', 'skipped')], false), program: '', insn: -1 }] };
    expect(matrixText(lone).split('\n')[1]).toBe('  .text#3 -   byte_off  x->y    skipped');
  });
});

describe('matrixJson', () => {
  it('is the model as JSON; --only-differing filters rows, not kernels', () => {
    expect(JSON.parse(matrixJson(m))).toEqual(JSON.parse(JSON.stringify(m)));
    const only = JSON.parse(matrixJson(m, { onlyDiffering: true })) as KernelMatrix;
    expect(only.kernels.length).toBe(2);
    expect(only.rows.map((r) => r.key)).toEqual(['.text#1']);
  });
});

/** A report with only the fields a cell reads; the rest as an unrelocated record has them. */
function report(over: Partial<RelocationReport>): RelocationReport {
  return {
    section: '.text', index: 0, insnOff: 0, secInsn: 0, program: 'p', insn: 0, kind: 0, kindName: 'byte_off',
    localTypeId: 1, localTypeKind: 'struct', localTypeName: 's', accessStr: '0:1', status: 'patched', localSpec: undefined,
    candidateSearch: [], candidates: [], targetSpec: undefined, noMatch: false, origValue: undefined, newValue: undefined,
    patches: [], errno: undefined, warnings: [], fixup: undefined, fixups: [], localLayout: [], targetLayout: [],
    localSpecModel: undefined, targetSpecModel: undefined, candidateModels: [], res: undefined, ...over,
  };
}

describe('matrixCell', () => {
  it('words each status from the report', () => {
    expect(matrixCell(report({ status: 'patched', origValue: 4n, newValue: 16n, targetSpec: 't', patches: [{ insn: 0, what: 'off', from: 4n, to: 16n }] }))).toEqual(
      { outcome: 'patched', status: 'patched', result: 'patched', value: '16', summary: 'off 16' },
    );
    expect(matrixCell(report({ status: 'poisoned', noMatch: true, patches: [{ insn: 0, what: 'poison', from: 0x79n, to: 0xbad2310n }] })).summary).toBe('poisoned: no matching target');
    expect(matrixCell(report({ status: 'poisoned', targetSpec: 't' })).summary).toBe('poisoned: field access cannot be resized');
    const err = matrixCell(report({ status: 'error', errno: -22, warnings: ["libbpf: prog 'p': relo #0: failed to relocate: -22\n"] }));
    expect([err.outcome, err.summary, err.value]).toEqual(['failed', 'error -22: failed to relocate: -22', undefined]);
    for (const [status, word] of [['skipped', 'skipped'], ['not-autoloaded', 'not autoloaded'], ['not-processed', 'not processed']] as const) {
      expect(matrixCell(report({ status }))).toEqual({ outcome: 'skipped', status, result: word, summary: word });
    }
  });
});

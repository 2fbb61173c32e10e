/**
 * The kernel matrix: one object relocated against many kernels, as a grid of relocation ×
 * kernel. Every word in it comes from the engine's reports (relocate.ts, verdict.ts) through
 * the relocation table's row (relo-view.ts), so a cell says what `corelab relocate` says for
 * that kernel, only shorter.
 */
import { BtfExtIndex } from '../btfext/lookup.ts';
import type { RelocateResult, RelocationReport, ReloStatus } from '../core/relocate.ts';
import type { LoadVerdict } from '../core/verdict.ts';
import type { BpfObject } from '../object/index.ts';
import { reloKey } from './keys.ts';
import { reloRow, type ReloRow } from './relo-view.ts';
import type { ResultWord } from './relo-view.ts';
import { verdictSentence } from './verdict.ts';

export type MatrixOutcome = 'patched' | 'poisoned' | 'failed' | 'skipped';

export interface MatrixCell {
  readonly outcome: MatrixOutcome;
  /** the engine's status, finer than outcome (skipped / not-autoloaded / not-processed) */
  readonly status: ReloStatus;
  /** relo-view's word for the status ("not processed", …) */
  readonly result: ResultWord;
  /** the new value as the relocation table shows it (decimal), when one was computed and applied */
  readonly value?: string;
  /** short words for a grid cell and its tooltip: "off 16", "poisoned: no matching target", "error -22: …" */
  readonly summary: string;
}

/** A relocation's identity is the relocation table's (key, section, index, program, insn, kind). */
export interface MatrixRow extends Pick<ReloRow, 'key' | 'section' | 'index' | 'program' | 'insn' | 'kind'> {
  /** local type name, '<anon>' for an anonymous one */
  readonly type: string;
  /** the access as C, as the relocation table shows it */
  readonly access: string;
  readonly sourceLine: number | undefined;
  /** one per kernel, in the kernels' order */
  readonly cells: readonly MatrixCell[];
  /** outcome or value is not the same on every kernel */
  readonly differs: boolean;
}

export interface MatrixCounts {
  readonly total: number;
  readonly patched: number;
  readonly poisoned: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface MatrixKernel {
  readonly name: string;
  /** would libbpf load the object on this kernel (the engine's load verdict) */
  readonly ok: boolean;
  /** CO-RE itself went through (no hard error) */
  readonly coreOk: boolean;
  readonly errno: number;
  readonly reason: LoadVerdict['reason'];
  /** the playground's one-line verdict (views/verdict.ts) */
  readonly verdict: string;
  readonly counts: MatrixCounts;
}

export interface KernelMatrix {
  readonly kernels: readonly MatrixKernel[];
  readonly rows: readonly MatrixRow[];
}

export interface KernelRun {
  readonly kernel: string;
  readonly result: RelocateResult;
  readonly verdict: LoadVerdict;
}

const OUTCOME: Record<ReloStatus, MatrixOutcome> = {
  patched: 'patched',
  poisoned: 'poisoned',
  error: 'failed',
  skipped: 'skipped',
  'not-autoloaded': 'skipped',
  'not-processed': 'skipped',
};

/** A warning line without libbpf's "libbpf: prog 'p': relo #N: " prefix. */
function warningBody(w: string): string {
  const t = w.replace(/^libbpf: /, '').trim();
  const m = /^prog '[^']*': relo #\d+: (.*)$/s.exec(t);
  return (m ? m[1]! : t).split('\n')[0]!;
}

export function matrixCell(r: RelocationReport): MatrixCell {
  const row = reloRow(r, undefined);
  const outcome = OUTCOME[r.status];
  const base = { outcome, status: r.status, result: row.result };
  switch (r.status) {
    case 'patched': {
      // the instruction fields libbpf rewrote, as `corelab relocate` lists them ("off 16")
      const applied = r.patches.filter((p) => p.what !== 'poison').map((p) => `${p.what} ${p.to}`);
      return { ...base, value: row.newValue, summary: applied.length ? applied.join(', ') : `value ${row.newValue}` };
    }
    case 'poisoned':
      // the same two reasons `corelab relocate` gives
      return { ...base, summary: `poisoned: ${r.targetSpec ? 'field access cannot be resized' : 'no matching target'}` };
    case 'error': {
      const first = r.warnings[0];
      return { ...base, summary: `error ${r.errno ?? ''}${first ? `: ${warningBody(first)}` : ''}` };
    }
    default:
      return { ...base, summary: row.result };
  }
}

function countsOf(cells: readonly MatrixCell[]): MatrixCounts {
  const n = (o: MatrixOutcome): number => cells.filter((c) => c.outcome === o).length;
  return { total: cells.length, patched: n('patched'), poisoned: n('poisoned'), failed: n('failed'), skipped: n('skipped') };
}

/** A cell for a relocation one kernel's run has no report of (cannot happen for one object). */
const MISSING: MatrixCell = { outcome: 'skipped', status: 'not-processed', result: 'not processed', summary: 'not processed' };

export function buildMatrix(obj: BpfObject, runs: readonly KernelRun[]): KernelMatrix {
  const ext = obj.btfExt ? new BtfExtIndex(obj.btfExt) : undefined;
  // rows in the first run's order; every run of the same object has the same records
  const byKernel = runs.map((k) => new Map(k.result.relocations.map((r) => [reloKey(r.section, r.index), r])));
  const firstSeen = new Map<string, RelocationReport>();
  for (const k of runs) for (const r of k.result.relocations) if (!firstSeen.has(reloKey(r.section, r.index))) firstSeen.set(reloKey(r.section, r.index), r);

  const perKernel: MatrixCell[][] = runs.map(() => []);
  const rows: MatrixRow[] = [];
  for (const [key, r] of firstSeen) {
    const cells = byKernel.map((m) => {
      const mine = m.get(key);
      return mine ? matrixCell(mine) : MISSING;
    });
    cells.forEach((c, i) => perKernel[i]!.push(c));
    const same = (c: MatrixCell): string => `${c.outcome}\0${c.value ?? ''}`;
    const row = reloRow(r, ext);
    rows.push({
      key,
      section: r.section,
      index: r.index,
      program: row.program,
      insn: row.insn,
      kind: row.kind,
      type: r.localTypeName || '<anon>',
      access: row.path,
      sourceLine: row.sourceLine,
      cells,
      differs: cells.some((c) => same(c) !== same(cells[0]!)),
    });
  }
  const kernels = runs.map((k, i) => ({
    name: k.kernel,
    ok: k.verdict.ok,
    coreOk: k.result.ok,
    errno: k.result.errno,
    reason: k.verdict.reason,
    verdict: verdictSentence(k.result, k.verdict),
    counts: countsOf(perKernel[i]!),
  }));
  return { kernels, rows };
}

export interface MatrixTextOptions {
  /** only rows whose outcome differs between kernels */
  readonly onlyDiffering?: boolean;
  /** widest a kernel column gets; longer words end in '…' (default 28) */
  readonly cellWidth?: number;
  /** widest the access column gets (default 40) */
  readonly accessWidth?: number;
}

function clip(s: string, w: number): string {
  return s.length <= w ? s : `${s.slice(0, Math.max(0, w - 1))}…`;
}

/**
 * A plain-text grid: one line per relocation, one column per kernel, '*' in front of rows
 * that differ; then one line per kernel with its counts and verdict.
 */
export function matrixText(m: KernelMatrix, opts: MatrixTextOptions = {}): string {
  const cellMax = Math.max(4, opts.cellWidth ?? 28);
  const accessMax = Math.max(8, opts.accessWidth ?? 40);
  const rows = opts.onlyDiffering ? m.rows.filter((r) => r.differs) : m.rows;
  const where = (r: MatrixRow): string => `${r.key} ${r.program ? `${r.program}+${r.insn}` : '-'}`;
  const header = ['relocation', 'kind', 'access', ...m.kernels.map((k) => k.name)];
  const body = rows.map((r) => [where(r), r.kind, r.access, ...r.cells.map((c) => c.summary)]);
  const caps = [Infinity, Infinity, accessMax, ...m.kernels.map(() => cellMax)];
  const widths = header.map((h, i) => Math.min(caps[i]!, Math.max(h.length, ...body.map((b) => b[i]!.length))));
  const line = (mark: string, cols: string[]): string =>
    (mark + ' ' + cols.map((c, i) => (i === cols.length - 1 ? clip(c, widths[i]!) : clip(c, widths[i]!).padEnd(widths[i]!))).join('  ')).trimEnd() + '\n';
  let out = line(' ', header);
  rows.forEach((r, i) => (out += line(r.differs ? '*' : ' ', body[i]!)));
  const differing = m.rows.filter((r) => r.differs).length;
  const n = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
  out += `${n(m.rows.length, 'relocation')} × ${n(m.kernels.length, 'kernel')}: ${differing} differ${opts.onlyDiffering ? ' (only those shown)' : ''}\n`;
  for (const k of m.kernels) {
    const c = k.counts;
    out += `${k.name}: ${c.patched} patched, ${c.poisoned} poisoned, ${c.failed} error, ${c.skipped} not applied; ${k.verdict}\n`;
  }
  return out;
}

/** The matrix as JSON (the model is plain data already). */
export function matrixJson(m: KernelMatrix, opts: { onlyDiffering?: boolean } = {}): string {
  const rows = opts.onlyDiffering ? m.rows.filter((r) => r.differs) : m.rows;
  return JSON.stringify({ kernels: m.kernels, rows }, null, 1) + '\n';
}

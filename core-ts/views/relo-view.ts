/**
 * The relocation table and the relocation detail, as data the UI renders without computing:
 * one row per CO-RE record, and for a selected one its specs, candidates with the reason each
 * did or did not match, layouts on both sides, values, patches and libbpf's own lines.
 */
import type { BtfExtIndex } from '../btfext/lookup.ts';
import type { LogLine } from '../core/log.ts';
import type { RelocateResult, RelocationReport, ReloStatus } from '../core/relocate.ts';
import { cAccessPath, rawAccessPath } from './access-path.ts';
import { reloKey } from './keys.ts';
import { layoutsForSpec } from './layout.ts';
import type { LayoutTable } from './layout.ts';
import type { SourceRef } from './listing.ts';

export type ResultWord = 'patched' | 'poisoned' | 'error' | 'not processed' | 'skipped' | 'not autoloaded';

export interface ReloRow {
  readonly key: string;
  readonly section: string;
  readonly index: number;
  readonly program: string;
  /** program-relative instruction, -1 when no program owns it */
  readonly insn: number;
  readonly kind: string;
  /** the access as C: task_struct->mm */
  readonly path: string;
  readonly status: ReloStatus;
  readonly result: ResultWord;
  /** "33 → 2976", or '' when nothing was computed */
  readonly value: string;
  /** new value as a decimal string, '' when none */
  readonly newValue: string;
  readonly sourceLine: number | undefined;
}

export interface CandidateView {
  readonly index: number;
  readonly where: string;
  readonly label: string;
  readonly matched: boolean;
  readonly spec: string;
  readonly why: string;
}

export interface ReloDetail {
  readonly row: ReloRow;
  readonly localSpec: string;
  readonly targetSpec: string;
  readonly candidateSearch: readonly string[];
  readonly candidates: readonly CandidateView[];
  readonly localLayouts: readonly LayoutTable[];
  readonly targetLayouts: readonly LayoutTable[];
  /** whose layouts the target side shows ("matched candidate #0", …) */
  readonly targetLayoutsOf: string;
  readonly origValue: string;
  readonly newValue: string;
  readonly patches: readonly { insn: number; what: string; from: string; to: string }[];
  readonly errno: number | undefined;
  readonly warnings: readonly string[];
  readonly fixup: string;
  /** libbpf's lines about this relocation, verbatim */
  readonly logLines: readonly string[];
  readonly source: SourceRef | undefined;
}

const RESULT_WORD: Record<ReloStatus, ResultWord> = {
  patched: 'patched',
  poisoned: 'poisoned',
  error: 'error',
  'not-processed': 'not processed',
  skipped: 'skipped',
  'not-autoloaded': 'not autoloaded',
};

function pathOf(r: RelocationReport): string {
  if (r.localSpecModel) {
    try {
      return cAccessPath(r.localSpecModel);
    } catch {
      // a malformed spec still gets a row: fall back to the record's fields
    }
  }
  return rawAccessPath(r.kind, r.localTypeKind, r.localTypeName, r.accessStr);
}

function sourceOf(r: RelocationReport, ext: BtfExtIndex | undefined): SourceRef | undefined {
  const li = ext?.lineAt(r.section, r.insnOff);
  return li && li.stringsResolved ? { file: li.fileName, line: li.lineNum, col: li.col, text: li.line } : undefined;
}

export function reloRow(r: RelocationReport, ext: BtfExtIndex | undefined): ReloRow {
  const computed = r.origValue !== undefined && r.newValue !== undefined;
  return {
    key: reloKey(r.section, r.index),
    section: r.section,
    index: r.index,
    program: r.program ?? '',
    insn: r.insn ?? -1,
    kind: r.kindName,
    path: pathOf(r),
    status: r.status,
    result: RESULT_WORD[r.status],
    value: r.status === 'poisoned' ? 'poison' : computed ? `${r.origValue} → ${r.newValue}` : '',
    newValue: computed ? r.newValue!.toString() : '',
    sourceLine: sourceOf(r, ext)?.line,
  };
}

export function reloRows(res: RelocateResult, ext: BtfExtIndex | undefined): ReloRow[] {
  return res.relocations.map((r) => reloRow(r, ext));
}

/** libbpf's lines naming this relocation ("prog 'p': relo #3: …"), in log order. */
export function logLinesFor(r: RelocationReport, lines: readonly LogLine[]): string[] {
  const out = [...r.candidateSearch];
  if (r.program === undefined) return out;
  const tag = `prog '${r.program}': relo #${r.index}: `;
  for (const l of lines) if (l.text.includes(tag)) out.push(l.text);
  return out;
}

function candidateWhy(r: RelocationReport, i: number): string {
  const c = r.candidates[i]!;
  if (c.matched) return 'matched';
  if (c.error !== undefined) return `error ${c.error} while matching`;
  const at = c.failedAt;
  const a = at !== undefined ? r.localSpecModel?.accessors[at] : undefined;
  if (at === undefined) return 'did not match';
  const what = a?.name !== undefined ? `member '${a.name}'` : `index [${a?.idx ?? '?'}]`;
  return `no match at local accessor #${at} (${what}): absent or of an incompatible type in this candidate`;
}

export function reloDetail(res: RelocateResult, r: RelocationReport, ext: BtfExtIndex | undefined): ReloDetail {
  const safeLayouts = (spec: RelocationReport['localSpecModel']): LayoutTable[] => {
    if (!spec) return [];
    try {
      return layoutsForSpec(spec);
    } catch {
      return [];
    }
  };
  let targetLayoutsOf = '';
  let targetModel = r.targetSpecModel;
  if (targetModel) {
    const m = r.candidates.findIndex((c) => c.matched);
    targetLayoutsOf = m >= 0 ? `matched candidate #${r.candidates[m]!.index} in [${r.candidates[m]!.btf}]` : 'target';
  } else if (r.candidateModels.length > 0) {
    targetModel = r.candidateModels[0]!.specModel;
    targetLayoutsOf = `candidate #${r.candidateModels[0]!.index} (did not match)`;
  }
  return {
    row: reloRow(r, ext),
    localSpec: r.localSpec ?? '',
    targetSpec: r.targetSpec ?? '',
    candidateSearch: r.candidateSearch,
    candidates: r.candidates.map((c, i) => ({
      index: c.index,
      where: c.btf,
      label: `[${c.id}] ${c.kind} ${c.name}`,
      matched: c.matched,
      spec: c.spec,
      why: candidateWhy(r, i),
    })),
    localLayouts: safeLayouts(r.localSpecModel),
    targetLayouts: safeLayouts(targetModel),
    targetLayoutsOf,
    origValue: r.origValue?.toString() ?? '',
    newValue: r.newValue?.toString() ?? '',
    patches: r.patches.map((p) => ({ insn: p.insn, what: p.what, from: p.from.toString(), to: p.to.toString() })),
    errno: r.errno,
    warnings: r.warnings,
    fixup: r.fixup ?? '',
    logLines: logLinesFor(r, res.lines),
    source: sourceOf(r, ext),
  };
}

export interface RowFilter {
  /** case-insensitive words, all of which must appear in the row */
  readonly query: string;
  /** only these results; empty = all */
  readonly results: readonly ResultWord[];
}

export function filterRows(rows: readonly ReloRow[], f: RowFilter): ReloRow[] {
  const words = f.query.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    if (f.results.length && !f.results.includes(r.result)) return false;
    if (!words.length) return true;
    const hay = `${r.key} ${r.program} ${r.kind} ${r.path} ${r.result} ${r.value}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

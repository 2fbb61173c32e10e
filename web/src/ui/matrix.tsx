/**
 * The kernel matrix: one row per relocation, one column per kernel, as the engine's
 * buildMatrix returned it. Nothing is computed here but which rows the toggle hides.
 * The grid is one tab stop; arrow keys move between cells, Enter opens a cell in the detail pane.
 */
import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { KernelMatrix, MatrixKernel } from '../../../core-ts/views/matrix.ts';

/** A kernel that can be a column: bundled with the playground or dropped by the user. */
export interface MatrixChoice {
  /** "b:<bundled id>" or "f:<file id>" */
  readonly id: string;
  readonly label: string;
  readonly ticked: boolean;
}

export interface MatrixProps {
  readonly matrix: KernelMatrix | undefined;
  /** the worker file id behind each of matrix.kernels, in order */
  readonly columnFiles: readonly number[];
  readonly choices: readonly MatrixChoice[];
  readonly onTick: (id: string, on: boolean) => void;
  readonly onlyDiffering: boolean;
  readonly onOnlyDiffering: (on: boolean) => void;
  /** the relocation and the kernel the detail pane shows */
  readonly selectedKey: string | undefined;
  readonly currentKernel: number | undefined;
  readonly onPick: (key: string, kernelFile: number) => void;
  readonly note: string;
  /** why there is no matrix ('' while it is being built) */
  readonly error: string;
}

function verdictIcon(k: MatrixKernel): string {
  if (k.ok) return '✓';
  return k.coreOk ? '⚠' : '✗';
}

export function MatrixPane(p: MatrixProps) {
  const grid = useRef<HTMLTableElement>(null);
  const m = p.matrix;
  const rows = m ? (p.onlyDiffering ? m.rows.filter((r) => r.differs) : m.rows) : [];
  const differing = m ? m.rows.filter((r) => r.differs).length : 0;
  // the one cell in the tab order: the selected one if shown, else the first
  let focusR = rows.findIndex((r) => r.key === p.selectedKey);
  let focusC = p.columnFiles.indexOf(p.currentKernel ?? -1);
  if (focusR < 0 || focusC < 0) {
    focusR = 0;
    focusC = 0;
  }

  const onKey = (e: KeyboardEvent<HTMLTableElement>): void => {
    const el = e.target as HTMLElement;
    const r = Number(el.dataset.r);
    const c = Number(el.dataset.c);
    if (!Number.isInteger(r) || !Number.isInteger(c) || !m) return;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      k: [-1, 0],
      j: [1, 0],
      h: [0, -1],
      l: [0, 1],
    };
    let to: [number, number] | undefined;
    if (moves[e.key]) to = [r + moves[e.key]![0], c + moves[e.key]![1]];
    else if (e.key === 'Home') to = [r, 0];
    else if (e.key === 'End') to = [r, m.kernels.length - 1];
    if (!to) return;
    // the page's own j/k would move the table's selection as well
    e.preventDefault();
    e.stopPropagation();
    const [nr, nc] = [Math.max(0, Math.min(rows.length - 1, to[0])), Math.max(0, Math.min(m.kernels.length - 1, to[1]))];
    grid.current?.querySelector<HTMLElement>(`button[data-r="${nr}"][data-c="${nc}"]`)?.focus();
  };

  return (
    <div className="pane-col matrix-pane">
      <div className="toolbar small" data-testid="matrix-kernels">
        <span className="muted">Kernels:</span>
        {p.choices.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={c.ticked} onChange={(e) => p.onTick(c.id, e.target.checked)} data-kernel={c.id} />
            {c.label}
          </label>
        ))}
        <label className="check" title="hide relocations that come out the same on every kernel">
          <input type="checkbox" checked={p.onlyDiffering} onChange={(e) => p.onOnlyDiffering(e.target.checked)} data-testid="only-differing" />
          only differing rows {m ? `(${differing} of ${m.rows.length})` : ''}
        </label>
      </div>
      {p.note && <div className="toolbar small muted">{p.note}</div>}
      <div className="scroll">
        {!m ? (
          <div className="empty" data-testid="matrix-empty">
            {p.error || (p.choices.some((c) => c.ticked) ? 'Relocating against every ticked kernel…' : 'Tick at least one kernel.')}
          </div>
        ) : (
          <table
            className="matrix"
            role="grid"
            aria-label="Relocations by kernel"
            data-testid="matrix-grid"
            data-rows={rows.length}
            ref={grid}
            onKeyDown={onKey}
          >
            <thead>
              <tr>
                <th>#</th>
                <th>kind</th>
                <th>access (C)</th>
                {m.kernels.map((k, c) => (
                  <th key={c} className="kernel" data-kernel={k.name} data-ok={k.ok ? 'yes' : 'no'} title={k.verdict}>
                    <span className={`verdict ${k.ok ? 'ok' : k.coreOk ? 'reject' : 'fail'}`} role="img" aria-label={k.verdict}>
                      {verdictIcon(k)}
                    </span>{' '}
                    {k.name}
                    <div className="muted small-counts">
                      {k.counts.patched} patched · {k.counts.poisoned} poisoned{k.counts.failed ? ` · ${k.counts.failed} error` : ''}
                    </div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, r) => (
                <tr key={row.key} data-key={row.key} data-differs={row.differs ? 'yes' : 'no'} className={row.key === p.selectedKey ? 'selected' : undefined}>
                  <td className="num" title={row.key}>
                    {row.differs ? <span title="not the same on every kernel">≠ </span> : null}
                    {row.index}
                  </td>
                  <td>{row.kind}</td>
                  <td className="mono path" title={`${row.program ? `${row.program}+${row.insn}: ` : ''}${row.access}`}>
                    {row.access}
                  </td>
                  {row.cells.map((cell, c) => {
                    const file = p.columnFiles[c]!;
                    const on = row.key === p.selectedKey && file === p.currentKernel;
                    return (
                      <td key={c} role="gridcell" className={`cell ${cell.outcome}${on ? ' on' : ''}`} aria-selected={on}>
                        <button
                          type="button"
                          data-r={r}
                          data-c={c}
                          data-outcome={cell.outcome}
                          data-status={cell.status}
                          data-value={cell.value ?? ''}
                          tabIndex={r === focusR && c === focusC ? 0 : -1}
                          title={`${m.kernels[c]!.name}: ${cell.result} — ${cell.summary}`}
                          onClick={() => p.onPick(row.key, file)}
                        >
                          {cell.summary}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {m && rows.length === 0 && <div className="empty">{m.rows.length ? 'Every relocation comes out the same on these kernels.' : 'This object has no CO-RE relocations.'}</div>}
      </div>
    </div>
  );
}

/** The relocation detail pane: renders a ReloDetail as the engine built it. */
import { useEffect, useRef } from 'react';
import type { LayoutTable } from '../../../core-ts/views/layout.ts';
import type { ReloDetail } from '../../../core-ts/views/relo-view.ts';

function Layout({ t }: { t: LayoutTable }) {
  const box = useRef<HTMLDivElement>(null);
  // scroll the table's own box (not the whole pane) to the member on the path: once per table,
  // in the next frame, since reading offsetTop forces a layout
  useEffect(() => {
    const id = requestAnimationFrame(() => {
      const el = box.current?.querySelector('tr.on-path') as HTMLElement | null;
      if (el && box.current) box.current.scrollTop = Math.max(0, el.offsetTop - 60);
    });
    return () => cancelAnimationFrame(id);
  }, [t]);
  return (
    <>
    <h4 className="mono">
      {t.title}, {t.size} bytes
    </h4>
    <div className="layout-box" ref={box}>
    <table className="layout" data-testid="layout-table">
      <thead>
        <tr>
          <th>#</th>
          <th>member</th>
          <th>type</th>
          <th className="num">offset</th>
          <th className="num">size</th>
        </tr>
      </thead>
      <tbody>
        {t.rows.map((r) => (
          <tr key={r.index} className={r.onPath ? 'on-path' : undefined}>
            <td className="num">{r.index}</td>
            <td>{r.name || <i>anon</i>}</td>
            <td className="mono">{r.type}</td>
            <td className="num">{r.bits ? `${r.offset} (bit ${r.bitOffset})` : r.offset}</td>
            <td className="num">{r.bits ? `${r.bits} bits` : (r.size ?? '?')}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
    </>
  );
}

export function DetailPane({ d, onSourceLine }: { d: ReloDetail | undefined; onSourceLine: (n: number) => void }) {
  if (!d) return <div className="empty">Select a relocation to see how libbpf resolved it.</div>;
  const r = d.row;
  return (
    <div className="detail" data-testid="detail">
      <h2>
        <span className={`badge ${r.status}`}>{r.result}</span> <code>{r.path}</code> <span className="muted">{r.kind}</span>
      </h2>
      <dl>
        <dt>relocation</dt>
        <dd>
          {r.key} in {r.program ? `${r.program}, insn ${r.insn}` : 'no program'}
          {d.source && (
            <>
              {' '}— <a href="#" onClick={(e) => (e.preventDefault(), onSourceLine(d.source!.line))}>{d.source.file}:{d.source.line}</a> <code>{d.source.text.trim()}</code>
            </>
          )}
        </dd>
        <dt>local spec</dt>
        <dd className="mono">{d.localSpec || '—'}</dd>
        <dt>target spec</dt>
        <dd className="mono">{d.targetSpec || '—'}</dd>
        <dt>value</dt>
        <dd className="mono" data-testid="detail-value">
          {d.origValue !== '' ? `${d.origValue} → ${d.newValue}` : '—'}
          {d.patches.map((p, i) => (
            <div key={i}>
              insn {p.insn}: {p.what} {p.from} → {p.to}
            </div>
          ))}
        </dd>
        {d.errno !== undefined && (
          <>
            <dt>error</dt>
            <dd className="warn">errno {d.errno}: libbpf stops the load here</dd>
          </>
        )}
        {d.fixup && (
          <>
            <dt>verifier</dt>
            <dd className="mono pre">{d.fixup}</dd>
          </>
        )}
      </dl>
      <h3>Candidates ({d.candidates.length})</h3>
      {d.candidates.length === 0 ? (
        <p className="muted">{d.candidateSearch.length ? '' : 'No candidate search for this relocation (a local-only kind, or the search was cached).'}</p>
      ) : (
        <table className="cands">
          <thead>
            <tr>
              <th>#</th>
              <th>in</th>
              <th>type</th>
              <th>spec</th>
              <th>why</th>
            </tr>
          </thead>
          <tbody>
            {d.candidates.map((c) => (
              <tr key={c.index} className={c.matched ? 'matched' : 'unmatched'}>
                <td>{c.index}</td>
                <td>{c.where}</td>
                <td className="mono">{c.label}</td>
                <td className="mono">{c.spec}</td>
                <td>{c.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Layouts on the path</h3>
      <div className="layouts">
        <div>
          <h4>local (object BTF)</h4>
          {d.localLayouts.length ? d.localLayouts.map((t, i) => <Layout key={i} t={t} />) : <p className="muted">no composite on the path</p>}
        </div>
        <div>
          <h4>target {d.targetLayoutsOf && <span className="muted">({d.targetLayoutsOf})</span>}</h4>
          {d.targetLayouts.length ? d.targetLayouts.map((t, i) => <Layout key={i} t={t} />) : <p className="muted">no target</p>}
        </div>
      </div>
      <h3>libbpf's lines</h3>
      <pre className="log" data-testid="detail-log">{d.logLines.join('\n') || '(none)'}</pre>
    </div>
  );
}

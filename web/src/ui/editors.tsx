/**
 * The Monaco panes: bytecode before/after (diff editor with marks), C source, vmlinux.h.
 * They render what the engine returned; their only logic is mapping clicks and selections
 * between line numbers and the relocation keys the listing model already gives per line.
 */
import { useEffect, useRef, useState } from 'react';
import { monaco } from './monaco.ts';
import type { BytecodeListing, ListingLine } from '../../../core-ts/views/listing.ts';

type Theme = 'light' | 'dark';
const monacoTheme = (t: Theme): string => (t === 'dark' ? 'vs-dark' : 'vs');

interface TestHooks {
  diff?: () => { changed: number[]; marked: number[]; expected: number[]; poisoned: number[]; ready: boolean; lines: { fn: string; insn: number; slots: number; valueChanged: boolean }[] };
  headerText?: () => string | undefined;
}
/** Read by the browser tests (what the editors really show); the page never calls these. */
const hostWindow = window as unknown as { __corelabEditors?: TestHooks };
hostWindow.__corelabEditors = hostWindow.__corelabEditors ?? {};
const testHooks: TestHooks = hostWindow.__corelabEditors;

function lineHover(l: ListingLine): string {
  const parts: string[] = [];
  for (const m of l.marks) parts.push(`**${m.reloKey}** ${m.status}: ${m.what} ${m.from} → ${m.to}`);
  for (const k of l.relos) if (!l.marks.some((m) => m.reloKey === k)) parts.push(`**${k}** relocation site (value unchanged or not applied)`);
  if (l.source) parts.push(`\`${l.source.file}:${l.source.line}\` ${l.source.text.trim()}`);
  return parts.join('\n\n');
}

export function DiffView(props: {
  listing: BytecodeListing;
  theme: Theme;
  selected: string | undefined;
  onSelect: (key: string) => void;
  onSourceLine: (line: number) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  const deco = useRef<{ a?: monaco.editor.IEditorDecorationsCollection; b?: monaco.editor.IEditorDecorationsCollection }>({});
  const [ready, setReady] = useState(false);
  const cb = useRef(props);
  cb.current = props;

  useEffect(() => {
    const d = monaco.editor.createDiffEditor(host.current!, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      glyphMargin: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12,
      renderOverviewRuler: true,
      ignoreTrimWhitespace: false,
    });
    ed.current = d;
    const onDown = (e: monaco.editor.IEditorMouseEvent): void => {
      const n = e.target.position?.lineNumber;
      if (!n) return;
      const l = cb.current.listing.lines[n - 1];
      if (!l) return;
      const key = l.marks[0]?.reloKey ?? l.relos[0];
      if (key) cb.current.onSelect(key);
      if (l.source) cb.current.onSourceLine(l.source.line);
    };
    const s1 = d.getModifiedEditor().onMouseDown(onDown);
    const s2 = d.getOriginalEditor().onMouseDown(onDown);
    const s3 = d.onDidUpdateDiff(() => setReady(true));
    return () => {
      s1.dispose();
      s2.dispose();
      s3.dispose();
      // models detached before the editor goes: disposing them under a disposed diff editor
      // re-ran its gutter menu against a disposed context-key service (a page error per kernel switch)
      const m = d.getModel();
      d.setModel(null);
      d.dispose();
      m?.original.dispose();
      m?.modified.dispose();
    };
  }, []);

  useEffect(() => {
    monaco.editor.setTheme(monacoTheme(props.theme));
  }, [props.theme]);

  useEffect(() => {
    const d = ed.current!;
    setReady(false);
    const old = d.getModel();
    d.setModel({
      original: monaco.editor.createModel(props.listing.before, 'plaintext'),
      modified: monaco.editor.createModel(props.listing.after, 'plaintext'),
    });
    old?.original.dispose();
    old?.modified.dispose();
  }, [props.listing]);

  useEffect(() => {
    const d = ed.current!;
    const lines = props.listing.lines;
    const after: monaco.editor.IModelDeltaDecoration[] = [];
    const before: monaco.editor.IModelDeltaDecoration[] = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.kind === 'source') {
        const o = { range: new monaco.Range(i + 1, 1, i + 1, 1), options: { isWholeLine: true, className: 'lst-source' } };
        after.push(o);
        before.push(o);
        continue;
      }
      if (l.kind === 'function') {
        const o = { range: new monaco.Range(i + 1, 1, i + 1, 1), options: { isWholeLine: true, className: 'lst-function' } };
        after.push(o);
        before.push(o);
        continue;
      }
      if (!l.marks.length && !l.relos.length) continue;
      const poisoned = l.marks.some((m) => m.what === 'poison');
      const selected = props.selected !== undefined && (l.relos.includes(props.selected) || l.marks.some((m) => m.reloKey === props.selected));
      const cls = l.marks.length ? (poisoned ? 'mark-poisoned' : 'mark-patched') : 'mark-site';
      const hover = { value: lineHover(l) };
      after.push({
        range: new monaco.Range(i + 1, 1, i + 1, 1),
        options: {
          isWholeLine: true,
          glyphMarginClassName: `glyph ${cls}`,
          className: selected ? 'lst-selected' : undefined,
          hoverMessage: hover,
          glyphMarginHoverMessage: hover,
          overviewRuler: { color: poisoned ? '#d32f2f' : '#f9a825', position: monaco.editor.OverviewRulerLane.Left },
        },
      });
      before.push({
        range: new monaco.Range(i + 1, 1, i + 1, 1),
        options: { isWholeLine: true, glyphMarginClassName: `glyph ${cls}`, className: selected ? 'lst-selected' : undefined, hoverMessage: hover },
      });
    }
    deco.current.a?.clear();
    deco.current.b?.clear();
    deco.current.a = d.getModifiedEditor().createDecorationsCollection(after);
    deco.current.b = d.getOriginalEditor().createDecorationsCollection(before);
    if (props.selected) {
      const at = lines.findIndex((l) => l.relos.includes(props.selected!));
      if (at >= 0) d.getModifiedEditor().revealLineInCenterIfOutsideViewport(at + 1);
    }
  }, [props.listing, props.selected]);

  testHooks.diff = () => {
    const d = ed.current;
    const changed: number[] = [];
    for (const c of d?.getLineChanges() ?? []) for (let n = c.modifiedStartLineNumber; n <= c.modifiedEndLineNumber && n > 0; n++) changed.push(n);
    const marked: number[] = [];
    const poisoned: number[] = [];
    props.listing.lines.forEach((l, i) => {
      if (l.marks.length) marked.push(i + 1);
      if (l.marks.some((m) => m.what === 'poison')) poisoned.push(i + 1);
    });
    // read back what the editor really shows, not what we asked for
    const shown = d?.getModifiedEditor().getModel()?.getAllDecorations().filter((x) => x.options.glyphMarginClassName?.includes('mark-p')).map((x) => x.range.startLineNumber) ?? [];
    const uniq = [...new Set(shown)].sort((a, b) => a - b);
    const lines = uniq.map((n) => {
      const l = props.listing.lines[n - 1]!;
      return { fn: l.fn, insn: l.insn ?? -1, slots: l.slots, valueChanged: l.marks.some((m) => m.what === 'poison' || m.from !== m.to) };
    });
    return { changed, marked: uniq, poisoned, ready, expected: marked, lines };
  };

  return <div className="editor-host" ref={host} data-testid="diff-editor" data-diff-ready={ready ? 'yes' : 'no'} />;
}

export function CodeView(props: { text: string; theme: Theme; language: string; revealLine?: number | undefined; testid: string; onReady?: (e: monaco.editor.IStandaloneCodeEditor) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const deco = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);

  useEffect(() => {
    const e = monaco.editor.create(host.current!, {
      readOnly: true,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 12,
      scrollBeyondLastLine: false,
      model: null,
    });
    ed.current = e;
    props.onReady?.(e);
    return () => {
      e.getModel()?.dispose();
      e.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    monaco.editor.setTheme(monacoTheme(props.theme));
  }, [props.theme]);

  useEffect(() => {
    const e = ed.current!;
    const old = e.getModel();
    e.setModel(monaco.editor.createModel(props.text, props.language));
    old?.dispose();
  }, [props.text, props.language]);

  useEffect(() => {
    const e = ed.current!;
    if (!props.revealLine) return;
    e.revealLineInCenter(props.revealLine);
    deco.current?.clear();
    deco.current = e.createDecorationsCollection([
      { range: new monaco.Range(props.revealLine, 1, props.revealLine, 1), options: { isWholeLine: true, className: 'lst-selected' } },
    ]);
  }, [props.revealLine, props.text]);

  return <div className="editor-host" ref={host} data-testid={props.testid} />;
}

export function HeaderPane(props: { text: string; decls: readonly (readonly [string, number])[]; theme: Theme; error: string; kernel: string }) {
  const [query, setQuery] = useState('');
  const [line, setLine] = useState<number | undefined>(undefined);
  const [miss, setMiss] = useState('');
  const index = useRef(new Map<string, number>());
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  useEffect(() => {
    index.current = new Map(props.decls);
  }, [props.decls]);
  testHooks.headerText = () => editor.current?.getModel()?.getValue();

  const go = (q: string): void => {
    const name = q.trim();
    const m = index.current;
    const n = m.get(name) ?? m.get(`struct ${name}`) ?? m.get(`union ${name}`) ?? m.get(`enum ${name}`);
    if (n) {
      setLine(n);
      setMiss('');
    } else setMiss(`no definition of "${name}" in this vmlinux.h`);
  };
  const suggestions = query.length >= 2 ? props.decls.filter(([k]) => k.includes(query)).slice(0, 30) : [];
  const download = (): void => {
    const url = URL.createObjectURL(new Blob([props.text], { type: 'text/x-c' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'vmlinux.h';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="pane-col">
      <div className="toolbar small">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            go(query);
          }}
        >
          <label>
            Go to type{' '}
            <input list="decl-suggestions" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="task_struct" aria-label="Go to type" data-testid="goto-type" />
          </label>
          <datalist id="decl-suggestions">
            {suggestions.map(([k]) => (
              <option key={k} value={k} />
            ))}
          </datalist>
          <button type="submit">Go</button>
        </form>
        <button onClick={download} title="Save this vmlinux.h">Download vmlinux.h</button>
        <span className="muted">
          {props.kernel}: {props.decls.length} definitions; Ctrl+F searches. {miss}
        </span>
        {props.error && <span className="warn">{props.error}</span>}
      </div>
      <CodeView text={props.text} theme={props.theme} language="cpp" revealLine={line} testid="vmlinux-editor" onReady={(e) => (editor.current = e)} />
    </div>
  );
}

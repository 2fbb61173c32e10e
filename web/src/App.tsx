/**
 * The playground shell: inputs (drop anywhere, picker, samples, links, case files), the
 * relocation table, the detail, and the tabbed panes. State lives here; every value shown
 * comes from the engine worker.
 */
import { Suspense, lazy, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CorelabErrorData } from '../../core-ts/errors.ts';
import { isCaseFile } from '../../core-ts/share/link.ts';
import { filterRows } from '../../core-ts/views/relo-view.ts';
import type { ReloDetail, ResultWord } from '../../core-ts/views/relo-view.ts';
import { EngineClient, WorkerTimeout } from './engine/client.ts';
import type { ReloRow } from '../../core-ts/views/relo-view.ts';
import type { FileInfo, HeaderView, ReloExtras, RelocView, Result, ShareOut } from './engine/protocol.ts';
import type { KernelMatrix } from '../../core-ts/views/matrix.ts';
import { DetailPane } from './ui/detail.tsx';
import { MatrixPane } from './ui/matrix.tsx';
import type { MatrixChoice } from './ui/matrix.tsx';
import { decodeTab, encodeTab } from './ui/view-state.ts';
import { bundledByHash, fetchSample, loadSamplesIndex } from './ui/samples.ts';
import type { SamplesIndex } from './ui/samples.ts';
import { effectiveTheme, loadSettings, saveSettings } from './ui/settings.ts';
import type { Settings, ThemeChoice } from './ui/settings.ts';
import { errorInWords } from './ui/words.ts';

const DiffView = lazy(() => import('./ui/editors.tsx').then((m) => ({ default: m.DiffView })));
const CodeView = lazy(() => import('./ui/editors.tsx').then((m) => ({ default: m.CodeView })));
const HeaderPane = lazy(() => import('./ui/editors.tsx').then((m) => ({ default: m.HeaderPane })));

type Tab = 'bytecode' | 'source' | 'vmlinux' | 'log';
const TABS: readonly [Tab, string][] = [
  ['bytecode', 'Bytecode before / after'],
  ['source', 'C source'],
  ['vmlinux', 'vmlinux.h'],
  ['log', 'libbpf log'],
];
const RESULTS: readonly ResultWord[] = ['patched', 'poisoned', 'error', 'not processed', 'skipped', 'not autoloaded'];

interface Input {
  readonly name: string;
  readonly blob: Blob;
  /** the bundled kernel's id (samples/index.json) when it is one */
  readonly bundled?: string;
}
interface Message {
  readonly id: number;
  readonly level: 'error' | 'info';
  readonly text: string;
}

const params = new URLSearchParams(location.search);
/** ?watchdog=ms shortens the watchdog (tests); the default is generous for big kernels */
const WATCHDOG_MS = Number(params.get('watchdog')) || 60_000;

/** rows rendered in the first frame of a new table (several screens' worth) */
const FIRST_ROWS = 120;

export function App() {
  const [settings, setSettings] = useState<Settings>(loadSettings);
  const [systemDark, setSystemDark] = useState(() => window.matchMedia('(prefers-color-scheme: dark)').matches);
  const theme = settings.theme === 'system' ? (systemDark ? 'dark' : 'light') : effectiveTheme(settings.theme);
  const [samples, setSamples] = useState<SamplesIndex | undefined>();
  const [files, setFiles] = useState<FileInfo[]>([]);
  const [view, setView] = useState<RelocView | undefined>();
  /** listing and sources of `view`, fetched once the table is up */
  const [extras, setExtras] = useState<ReloExtras | undefined>();
  const reloGen = useRef(0);
  const [selected, setSelected] = useState<string | undefined>();
  const [detail, setDetail] = useState<ReloDetail | undefined>();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ResultWord[]>([]);
  const [tab, setTab] = useState<Tab>('bytecode');
  const [header, setHeader] = useState<HeaderView | undefined>();
  const [busy, setBusy] = useState('');
  const [messages, setMessages] = useState<Message[]>([]);
  const [share, setShare] = useState<ShareOut | undefined>();
  const [dragging, setDragging] = useState(false);
  const [hot, setHot] = useState('');
  const [sourceText, setSourceText] = useState<{ name: string; text: string } | undefined>();
  const [sourceLine, setSourceLine] = useState<number | undefined>();
  const [help, setHelp] = useState(false);
  const [sampleId, setSampleId] = useState('');
  const [kernelId, setKernelId] = useState('');
  const inputs = useRef<Input[]>([]);
  /** the top-left pane: the relocation table, or the kernel matrix */
  const [topView, setTopView] = useState<'table' | 'matrix'>('table');
  const [matrix, setMatrix] = useState<{ m: KernelMatrix; files: readonly number[] } | undefined>();
  /** why the matrix is not shown ('' while it is being built or shown) */
  const [matrixError, setMatrixError] = useState('');
  /** columns the user unticked ("b:<bundled id>" / "f:<file id>"); every other kernel is a column */
  const [unticked, setUnticked] = useState<readonly string[]>([]);
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  /** every kernel BTF the worker holds (the current vmlinux and the matrix's columns) */
  const [held, setHeld] = useState<readonly FileInfo[]>([]);
  /** bundled kernel id → the worker's file id for it */
  const bundledIds = useRef(new Map<string, number>());
  /** what each held kernel was loaded from, to reload it after a worker restart */
  const kernelInputs = useRef(new Map<number, Input>());
  const matrixGen = useRef(0);
  const msgId = useRef(0);
  const search = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);

  const say = useCallback((level: Message['level'], text: string) => {
    setMessages((m) => [...m.slice(-4), { id: ++msgId.current, level, text }]);
  }, []);

  const engineRef = useRef<EngineClient | null>(null);
  const restartRef = useRef<(t: WorkerTimeout) => void>(() => {});
  if (!engineRef.current) engineRef.current = new EngineClient(WATCHDOG_MS, (t) => restartRef.current(t));
  const engine = engineRef.current;

  // ---- engine calls ------------------------------------------------------------------------

  const unwrap = useCallback(
    <T,>(r: Result<T>, what: string): T | undefined => {
      if (r.ok) return r.value;
      say('error', `${what}: ${errorInWords(r.error as CorelabErrorData)}`);
      return undefined;
    },
    [say],
  );

  const guarded = useCallback(
    async <T,>(label: string, f: () => Promise<T>): Promise<T | undefined> => {
      setBusy(label);
      try {
        return await f();
      } catch (e) {
        if (e instanceof WorkerTimeout) say('error', `Timed out: ${e.message}.`);
        else say('error', `${label}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      } finally {
        setBusy('');
      }
    },
    [say],
  );

  const relocate = useCallback(
    async (want?: string) => {
      const gen = ++reloGen.current;
      performance.mark('corelab-relocate');
      const r = await guarded('relocating', () => engine.call('relocate', []));
      performance.mark('corelab-relocated');
      if (!r) return;
      const v = unwrap(r, 'relocation');
      setView(v);
      setExtras(undefined);
      setHeader(undefined);
      if (v) {
        const first = want && v.rows.some((x) => x.key === want) ? want : v.rows[0]?.key;
        setSelected(first);
        // the bytecode listing and sources are not needed for the table: ask once it is shown
        const e = await guarded('preparing the bytecode listing', () => engine.call('extras', []));
        const x = e && unwrap(e, 'bytecode listing');
        // a newer relocation may have replaced this one meanwhile
        if (x && gen === reloGen.current) setExtras(x);
      } else setSelected(undefined);
    },
    [engine, guarded, unwrap],
  );

  /** Send inputs to the worker (bytes transferred), case files opened; returns the infos. */
  const addInputs = useCallback(
    async (list: Input[], opts: { replace: boolean }): Promise<{ relo?: string; tab?: string } | undefined> => {
      if (opts.replace) {
        inputs.current = [];
        await engine.call('clear', []);
      }
      let ui: { relo?: string; tab?: string } | undefined;
      // read every file at once: the reads overlap, and the worker then parses them one by one
      const all = await Promise.all(list.map(async (inp) => new Uint8Array(await inp.blob.arrayBuffer())));
      performance.mark('corelab-read');
      for (const [n, inp] of list.entries()) {
        const bytes = all[n]!;
        if (isCaseFile(bytes.subarray(0, 16))) {
          const r = await guarded(`opening ${inp.name}`, () => engine.call('openCase', [bytes], [bytes.buffer]));
          const opened = r && unwrap(r, inp.name);
          if (opened) ui = (await openCaseParts(opened)) ?? ui;
          continue;
        }
        const r = await guarded(`reading ${inp.name}`, () => engine.call('addFile', [inp.name, bytes], [bytes.buffer]));
        performance.mark('corelab-added');
        const info = r && unwrap(r, inp.name);
        if (info) {
          if (info.role === 'vmlinux') {
            kernelInputs.current.set(info.id, inp);
            if (inp.bundled) bundledIds.current.set(inp.bundled, info.id);
          }
          // the engine keeps one object and one vmlinux: drop the replaced ones here too
          inputs.current = inputs.current.filter((x) => x.name !== inp.name);
          inputs.current.push(inp);
          setFiles((fs) => [...fs.filter((f) => f.role === 'module' ? f.name !== info.name : f.role !== info.role), info]);
          if (info.role === 'object') setSourceText(undefined);
        }
      }
      setHeld(await engine.call('kernels', []).catch(() => []));
      return ui;
    },
    // openCaseParts is stable enough (defined below via ref)
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [engine, guarded, unwrap],
  );

  const samplesRef = useRef<SamplesIndex | undefined>(undefined);
  samplesRef.current = samples;

  async function openCaseParts(opened: { byValue: readonly { name: string; bytes: Uint8Array }[]; byRef: readonly { name: string; sha256: string }[]; ui: { relo?: string; tab?: string } }) {
    const idx = samplesRef.current ?? (await loadSamplesIndex());
    const bundled = bundledByHash(idx);
    const list: Input[] = [];
    for (const r of opened.byRef) {
      const b = bundled.get(r.sha256);
      if (!b) {
        say('error', `The case needs ${r.name} (sha256 ${r.sha256.slice(0, 16)}…), which is not bundled with this playground: drop it here.`);
        continue;
      }
      const kernel = idx.kernels.find((k) => k.sha256 === r.sha256);
      list.push({ name: r.name, blob: await fetchSample(b.path), ...(kernel ? { bundled: kernel.id } : {}) });
      const s = idx.samples.find((x) => x.object.sha256 === r.sha256);
      if (s) void fetch(`samples/${s.source}`).then(async (res) => res.ok && setSourceText({ name: s.source, text: await res.text() }));
    }
    for (const v of opened.byValue) list.push({ name: v.name, blob: new Blob([v.bytes as BlobPart]) });
    await addInputs(list, { replace: false });
    return opened.ui;
  }

  const loadSample = useCallback(
    async (idx: SamplesIndex, sid: string, kid: string) => {
      const s = idx.samples.find((x) => x.id === sid) ?? idx.samples[0]!;
      const k = idx.kernels.find((x) => x.id === kid) ?? idx.kernels.find((x) => x.id === s.kernel)!;
      setSampleId(s.id);
      setKernelId(k.id);
      const got = await guarded('loading sample', async () => {
        const [obj, btf, src] = await Promise.all([fetchSample(s.object.path), fetchSample(k.path), fetch(`samples/${s.source}`).then((r) => (r.ok ? r.text() : ''))]);
        return { obj, btf, src };
      });
      if (!got) return;
      setFiles([]);
      await addInputs(
        [
          { name: s.object.path, blob: got.obj },
          { name: k.path.split('/').pop()!, blob: got.btf, bundled: k.id },
        ],
        { replace: true },
      );
      setSourceText(got.src ? { name: s.source, text: got.src } : undefined);
      await relocate();
    },
    [addInputs, guarded, relocate],
  );

  restartRef.current = (t: WorkerTimeout) => {
    say('error', `Worker timeout: the engine did not answer "${t.call}" within ${(t.ms / 1000).toFixed(1)} s. It was stopped and a new one started; your files are being reloaded.`);
    setFiles([]);
    // the new worker holds nothing: the matrix's kernels are fetched again when it is shown
    bundledIds.current.clear();
    kernelInputs.current.clear();
    setHeld([]);
    setMatrix(undefined);
    const keep = inputs.current;
    void (async () => {
      await addInputs(keep, { replace: true });
      await relocate(selected);
    })();
  };

  // ---- start-up: a link, else the default sample ---------------------------------------------

  useEffect(() => {
    void (async () => {
      setHot(await engine.call('hotPath', []).catch(() => ''));
      const idx = await loadSamplesIndex().catch((e: unknown) => {
        say('error', `samples: ${String(e)}`);
        return undefined;
      });
      setSamples(idx);
      if (location.hash.startsWith('#v1.')) {
        const r = await guarded('opening link', () => engine.call('openCase', [location.hash]));
        const opened = r && unwrap(r, 'link');
        if (opened) {
          setFiles([]);
          await engine.call('clear', []);
          const ui = await openCaseParts(opened);
          const v = decodeTab(ui?.tab);
          if (v.tab && TABS.some(([t]) => t === v.tab)) setTab(v.tab as Tab);
          if (v.matrix && idx) {
            const want = new Set(v.matrix.kernels);
            setUnticked(idx.kernels.filter((k) => !want.has(k.id)).map((k) => `b:${k.id}`));
            setOnlyDiffering(v.matrix.differing);
            setTopView('matrix');
          }
          await relocate(ui?.relo);
          return;
        }
      }
      if (idx && !params.has('empty')) await loadSample(idx, params.get('sample') ?? idx.default, params.get('kernel') ?? '');
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // ---- derived UI state --------------------------------------------------------------------

  useEffect(() => {
    if (!selected || !view) {
      setDetail(undefined);
      return;
    }
    let live = true;
    void engine
      .call('detail', [selected])
      .then((r) => live && setDetail(unwrap(r, 'detail')))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [selected, view, engine, unwrap]);

  useEffect(() => {
    if (tab !== 'vmlinux' || header || !view) return;
    void guarded('writing vmlinux.h', () => engine.call('vmlinuxHeader', [])).then((r) => r && setHeader(unwrap(r, 'vmlinux.h')));
  }, [tab, header, view, engine, guarded, unwrap]);

  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const on = (e: MediaQueryListEvent): void => setSystemDark(e.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => saveSettings(settings), [settings]);

  const rows = useMemo(() => (view ? filterRows(view.rows, { query, results }) : []), [view, query, results]);
  // The first rows (a few screens, and the selected one) are laid out and painted first; the rest
  // follow one frame later. A 700-row table took ~0.3 s of style+layout in Chromium here, which
  // would all come before the first paint.
  // which row list has been rendered whole: a new list starts with its first rows only
  const [wholeList, setWholeList] = useState<readonly ReloRow[] | undefined>();
  const allRows = wholeList === rows;
  useEffect(() => {
    let inner = 0;
    const id = requestAnimationFrame(() => (inner = requestAnimationFrame(() => setWholeList(rows))));
    return () => {
      cancelAnimationFrame(id);
      cancelAnimationFrame(inner);
    };
  }, [rows]);
  const shownRows = useMemo(() => {
    if (allRows || rows.length <= FIRST_ROWS) return rows;
    const sel = rows.findIndex((r) => r.key === selected);
    return rows.slice(0, Math.max(FIRST_ROWS, sel + 1 + FIRST_ROWS / 2));
  }, [rows, allRows, selected]);

  // ---- the kernel matrix -------------------------------------------------------------------

  const objectId = files.find((f) => f.role === 'object')?.id;
  const currentKernel = files.find((f) => f.role === 'vmlinux')?.id;
  /** bundled kernels first (in the samples menu's order), then dropped ones the worker holds */
  const choices = useMemo((): MatrixChoice[] => {
    const mapped = new Set(bundledIds.current.values());
    const bundled = (samples?.kernels ?? []).map((k) => ({ id: `b:${k.id}`, label: k.path.split('/').pop()!.replace(/\.btf\.xz$/, ''), ticked: false }));
    const dropped = held.filter((f) => !mapped.has(f.id)).map((f) => ({ id: `f:${f.id}`, label: f.name, ticked: false }));
    return [...bundled, ...dropped].map((c) => ({ ...c, ticked: !unticked.includes(c.id) }));
  }, [samples, held, unticked]);
  const tickedKey = choices.filter((c) => c.ticked).map((c) => c.id).join(' ');

  useEffect(() => {
    if (topView !== 'matrix' || objectId === undefined || !samples) return;
    const gen = ++matrixGen.current;
    setMatrix(undefined);
    setMatrixError('');
    const wanted = tickedKey ? tickedKey.split(' ') : [];
    if (!wanted.length) return;
    void guarded('relocating against every ticked kernel', async () => {
      const failed = (why: string): false => {
        if (gen === matrixGen.current) setMatrixError(why);
        return false;
      };
      const have = new Set((await engine.call('kernels', [])).map((f) => f.id));
      const ids: number[] = [];
      for (const c of wanted) {
        if (c.startsWith('f:')) {
          const id = Number(c.slice(2));
          if (have.has(id) && !ids.includes(id)) ids.push(id);
          continue;
        }
        const k = samples.kernels.find((x) => `b:${x.id}` === c);
        if (!k) continue;
        let id = bundledIds.current.get(k.id);
        if (id === undefined || !have.has(id)) {
          // a bundled kernel not loaded yet: fetched once, then held parsed by the worker
          const blob = await fetchSample(k.path);
          const bytes = new Uint8Array(await blob.arrayBuffer());
          const info = unwrap(await engine.call('addKernel', [k.path.split('/').pop()!, bytes], [bytes.buffer]), k.path);
          if (!info) return failed(`${k.path} could not be loaded (see the message above).`);
          id = info.id;
          bundledIds.current.set(k.id, id);
          kernelInputs.current.set(id, { name: info.name, blob, bundled: k.id });
        }
        // a dropped copy of a bundled kernel is the same kernel: one column
        if (!ids.includes(id)) ids.push(id);
      }
      const r = await engine.call('matrix', [objectId, ids]);
      const m = unwrap(r, 'kernel matrix');
      if (!m) return failed('The matrix could not be built (see the message above).');
      if (gen === matrixGen.current) setMatrix({ m, files: ids });
      return true;
    }).then((done) => {
      // undefined: guarded() caught a throw (a timeout, a failed fetch) and said so
      if (done === undefined && gen === matrixGen.current) setMatrixError('The matrix could not be built (see the message above).');
    });
  }, [topView, objectId, tickedKey, samples, engine, guarded, unwrap]);

  /** A matrix cell: that relocation, with that kernel as the current one, in every other pane. */
  const pickCell = useCallback(
    async (key: string, file: number) => {
      if (file === currentKernel) {
        setSelected(key);
        return;
      }
      const r = await guarded('switching kernel', () => engine.call('useKernel', [file]));
      const info = r && unwrap(r, 'kernel');
      if (!info) return;
      setFiles((fs) => [...fs.filter((f) => f.role !== 'vmlinux'), info]);
      setKernelId([...bundledIds.current].find(([, id]) => id === file)?.[0] ?? '');
      const inp = kernelInputs.current.get(file);
      if (inp) inputs.current = [...inputs.current.filter((x) => kernelInputs.current.get(currentKernel ?? -1) !== x), inp];
      setSelected(key);
      await relocate(key);
    },
    [currentKernel, engine, guarded, unwrap, relocate],
  );

  // ---- actions -----------------------------------------------------------------------------

  const makeShare = useCallback(async () => {
    const bundled = samples ? [...bundledByHash(samples).keys()] : [];
    const matrixState =
      topView === 'matrix' && samples ? { kernels: samples.kernels.filter((k) => !unticked.includes(`b:${k.id}`)).map((k) => k.id), differing: onlyDiffering } : undefined;
    const r = await guarded('making a share link', () => engine.call('share', [bundled, { ...(selected ? { relo: selected } : {}), tab: encodeTab(tab, matrixState) }]));
    const s = r && unwrap(r, 'share');
    if (!s) return;
    setShare(s);
    if (s.fragment) {
      const url = `${location.origin}${location.pathname}#${s.fragment}`;
      history.replaceState(null, '', url);
      try {
        await navigator.clipboard.writeText(url);
        const min = s.minimized ? ` The dropped kernel travels as ${s.minimized.name}: ${s.minimized.types} types, ${s.minimized.toBytes} of ${s.minimized.fromBytes} bytes, enough for every relocation of this case.` : '';
        say('info', `Link copied (${url.length} characters; ${s.byRef} input(s) by reference to bundled files, ${s.byValue} carried in the link).${min}`);
      } catch {
        say('info', `Link ready in the address bar (${url.length} characters).`);
      }
    } else say('info', `This case is ${s.fragmentLength} characters as a link, over the ${s.budget}-character budget: download it as a case file instead.${s.minimizeNote ? ` (The kernel BTF could not be minimized: ${s.minimizeNote}.)` : ''}`);
  }, [engine, guarded, unwrap, samples, selected, tab, say, topView, unticked, onlyDiffering]);

  const downloadCase = useCallback(() => {
    if (!share) return;
    const url = URL.createObjectURL(new Blob([share.file as BlobPart], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${view?.objectName.replace(/\.o$/, '') ?? 'case'}.corelab`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }, [share, view]);

  const onFiles = useCallback(
    async (list: FileList | File[]) => {
      const arr = [...list].map((f) => ({ name: f.name, blob: f as Blob }));
      if (!arr.length) return;
      performance.mark('corelab-drop');
      setSampleId('');
      await addInputs(arr, { replace: false });
      await relocate();
    },
    [addInputs, relocate],
  );

  const move = useCallback(
    (d: number) => {
      if (!rows.length) return;
      const i = rows.findIndex((r) => r.key === selected);
      const n = Math.max(0, Math.min(rows.length - 1, (i < 0 ? 0 : i) + d));
      setSelected(rows[n]!.key);
    },
    [rows, selected],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const inField = (e.target as HTMLElement).closest('input, textarea, select, .monaco-editor');
      if ((e.ctrlKey || e.metaKey) && e.key === 's') {
        e.preventDefault();
        void makeShare();
      } else if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        void relocate(selected);
      } else if ((e.ctrlKey || e.metaKey) && e.key === 'o') {
        e.preventDefault();
        picker.current?.click();
      } else if (e.key === 'Escape') {
        setHelp(false);
        (document.activeElement as HTMLElement | null)?.blur();
      } else if (inField) {
        return;
      } else if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        move(1);
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        move(-1);
      } else if (e.key === '/') {
        e.preventDefault();
        search.current?.focus();
      } else if (e.key === '?') setHelp((h) => !h);
      else if (e.key === 'm') setTopView((v) => (v === 'matrix' ? 'table' : 'matrix'));
      else if (e.key >= '1' && e.key <= '4') setTab(TABS[Number(e.key) - 1]![0]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [makeShare, relocate, move, selected]);

  // drag and drop anywhere; dragleave is debounced so the overlay does not flicker
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | undefined;
    const over = (e: DragEvent): void => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      clearTimeout(t);
      setDragging(true);
    };
    const leave = (): void => {
      clearTimeout(t);
      t = setTimeout(() => setDragging(false), 80);
    };
    const drop = (e: DragEvent): void => {
      e.preventDefault();
      setDragging(false);
      if (e.dataTransfer?.files.length) void onFiles(e.dataTransfer.files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [onFiles]);

  // keep the selected row in view: once per selection (not per render: scrollIntoView forces a
  // layout of the whole table, which cost ~0.6 s per drop with 700 rows), in the next frame so the
  // layout is the one the frame needs anyway
  useEffect(() => {
    if (!selected) return;
    const id = requestAnimationFrame(() => {
      document.querySelector(`[data-testid="relo-table"] tr[data-key="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'nearest' });
    });
    return () => cancelAnimationFrame(id);
  }, [selected]);

  // the bench's end mark: the rows are in the DOM (effects run after the commit) and the frame
  // that paints them has begun
  useLayoutEffect(() => {
    if (view) performance.mark('corelab-commit');
  }, [view]);
  useEffect(() => {
    if (view) requestAnimationFrame(() => performance.mark('corelab-table'));
  }, [view]);
  useEffect(() => {
    if (view && allRows) requestAnimationFrame(() => performance.mark('corelab-table-full'));
  }, [view, allRows]);

  // exposed for the browser tests and the bench: never used by the page itself
  useEffect(() => {
    (window as unknown as { __corelab: unknown }).__corelab = {
      hang: (ms: number) => engine.call('spin', [ms]).catch((e: unknown) => String(e)),
      rows: () => view?.rows,
      phases: () => engine.call('phases', []),
    };
  }, [engine, view]);

  // ---- panes -------------------------------------------------------------------------------

  const dragSplit = (axis: 'x' | 'y') => (e: React.PointerEvent) => {
    const box = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
    const move = (ev: PointerEvent): void => {
      const f = axis === 'x' ? (ev.clientX - box.left) / box.width : (ev.clientY - box.top) / box.height;
      setSettings((s) => ({ ...s, [axis === 'x' ? 'split' : 'splitV']: Math.min(0.85, Math.max(0.15, f)) }));
    };
    const up = (): void => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const objectFile = files.find((f) => f.role === 'object');
  const kernelFile = files.find((f) => f.role === 'vmlinux');
  const sources = sourceText ? [sourceText] : (extras?.sources ?? []).map((s) => ({ name: s.name, text: s.text }));
  const statusLine = view
    ? `${view.rows.length} relocations: ${view.counts['patched'] ?? 0} patched, ${view.counts['poisoned'] ?? 0} poisoned, ${view.counts['error'] ?? 0} error; ${view.verdict}`
    : '';

  return (
    <div className="app" data-theme={theme}>
      <header className="toolbar">
        <h1>
          corelab <span className="muted">CO-RE playground</span>
        </h1>
        <label>
          Sample{' '}
          <select
            aria-label="Sample"
            value={sampleId}
            onChange={(e) => samples && e.target.value && void loadSample(samples, e.target.value, '')}
          >
            <option value="">(your files)</option>
            {samples?.samples.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kernel{' '}
          <select
            aria-label="Kernel"
            value={kernelId}
            onChange={async (e) => {
              const k = samples?.kernels.find((x) => x.id === e.target.value);
              if (!k) return;
              setKernelId(k.id);
              const blob = await fetchSample(k.path);
              await addInputs([{ name: k.path.split('/').pop()!, blob, bundled: k.id }], { replace: false });
              await relocate(selected);
            }}
          >
            <option value="">(your BTF)</option>
            {samples?.kernels.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <button onClick={() => picker.current?.click()} title="Open files (Ctrl+O)">
          Open files…
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files) void onFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <button onClick={() => void makeShare()} title="Copy a link to this case (Ctrl+S)" disabled={!view}>
          Share link
        </button>
        {share && (
          <button onClick={downloadCase} title="The same case as a file: drop it on any corelab playground">
            Download case file
          </button>
        )}
        <label>
          Theme{' '}
          <select aria-label="Theme" value={settings.theme} onChange={(e) => setSettings((s) => ({ ...s, theme: e.target.value as ThemeChoice }))}>
            <option value="system">system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
        <button onClick={() => setHelp((h) => !h)} title="Keyboard shortcuts (?)">
          ?
        </button>
      </header>

      <div className="files">
        {files.map((f) => (
          <span key={f.id} className={`chip ${f.role}`} title={f.summary} data-testid={`file-${f.role}`}>
            <b>{f.role}</b> {f.name} <span className="muted">{f.summary}</span>
          </span>
        ))}
        {!objectFile && <span className="muted">Drop a BPF object (.o) anywhere, or pick a sample.</span>}
        {objectFile && !kernelFile && <span className="muted">Now drop a kernel BTF (raw, ELF or .xz) or pick a kernel.</span>}
        {view?.btfExtNote && <span className="warn">{view.btfExtNote}</span>}
      </div>

      <div className="messages" role="status" aria-live="polite">
        {messages.map((m) => (
          <div key={m.id} className={`msg ${m.level}`} data-testid={`msg-${m.level}`}>
            {m.text}
            <button aria-label="dismiss" onClick={() => setMessages((ms) => ms.filter((x) => x.id !== m.id))}>
              ×
            </button>
          </div>
        ))}
      </div>

      <main className="panes" style={{ gridTemplateRows: `${settings.splitV * 100}% 6px 1fr` }}>
        <div className="top" style={{ gridTemplateColumns: `${settings.split * 100}% 6px 1fr` }}>
          <section className="pane table-pane" aria-label="Relocations">
            <nav className="tabs view-tabs" role="tablist" aria-label="Relocations view">
              {(
                [
                  ['table', 'Relocations'],
                  ['matrix', 'Kernel matrix'],
                ] as const
              ).map(([v, label]) => (
                <button key={v} role="tab" aria-selected={topView === v} className={topView === v ? 'active' : undefined} onClick={() => setTopView(v)} title={`${label} (m switches)`} data-testid={`view-${v}`}>
                  {label}
                </button>
              ))}
            </nav>
            {topView === 'matrix' && (
              <MatrixPane
                matrix={matrix?.m}
                columnFiles={matrix?.files ?? []}
                choices={choices}
                onTick={(id, on) => setUnticked((u) => (on ? u.filter((x) => x !== id) : [...u, id]))}
                onlyDiffering={onlyDiffering}
                onOnlyDiffering={setOnlyDiffering}
                selectedKey={selected}
                currentKernel={currentKernel}
                onPick={(key, file) => void pickCell(key, file)}
                note={files.some((f) => f.role === 'module') ? 'Each kernel is relocated alone: the module BTFs belong to the current kernel and are not part of the matrix.' : ''}
                error={matrixError}
              />
            )}
            <div className="pane-col" hidden={topView !== 'table'}>
              <div className="toolbar small">
                <input ref={search} value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Filter (/): task_struct poisoned…" aria-label="Filter relocations" data-testid="filter" />
                {RESULTS.filter((w) => view?.rows.some((r) => r.result === w)).map((w) => (
                  <label key={w} className="check">
                    <input type="checkbox" checked={results.includes(w)} onChange={(e) => setResults((rs) => (e.target.checked ? [...rs, w] : rs.filter((x) => x !== w)))} />
                    {w}
                  </label>
                ))}
              </div>
              <div className="scroll">
                <table className="relos" data-testid="relo-table" data-count={view?.rows.length ?? 0}>
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>program+insn</th>
                      <th>kind</th>
                      <th>access (C)</th>
                      <th>result</th>
                      <th className="num">value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shownRows.map((r) => (
                      <tr
                        key={r.key}
                        className={r.key === selected ? 'selected' : undefined}
                        onClick={() => setSelected(r.key)}
                        data-key={r.key}
                        data-status={r.status}
                        data-kind={r.kind}
                        data-new={r.newValue}
                      >
                        <td className="num">{r.index}</td>
                        <td className="mono" title={r.program ? `${r.program}+${r.insn}` : undefined}>{r.program ? `${r.program}+${r.insn}` : '-'}</td>
                        <td>{r.kind}</td>
                        <td className="mono path" title={r.path}>{r.path}</td>
                        <td>
                          <span className={`badge ${r.status}`}>{r.result}</span>
                        </td>
                        <td className="num mono">{r.value}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {view && rows.length === 0 && <div className="empty">{view.rows.length ? 'No relocation matches the filter.' : 'This object has no CO-RE relocations.'}</div>}
              </div>
            </div>
          </section>
          <div className="splitter x" onPointerDown={dragSplit('x')} role="separator" aria-orientation="vertical" />
          <section className="pane scroll" aria-label="Relocation detail">
            <DetailPane
              d={detail}
              onSourceLine={(n) => {
                setSourceLine(n);
                setTab('source');
              }}
            />
          </section>
        </div>
        <div className="splitter y" onPointerDown={dragSplit('y')} role="separator" aria-orientation="horizontal" />
        <section className="pane bottom">
          <nav className="tabs" role="tablist">
            {TABS.map(([t, label], i) => (
              <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'active' : undefined} onClick={() => setTab(t)} title={`${label} (${i + 1})`}>
                {label}
              </button>
            ))}
          </nav>
          <div className="tab-body">
            <Suspense fallback={<div className="empty">loading the editor…</div>}>
              {tab === 'bytecode' &&
                (view && !extras ? (
                  <div className="empty">Preparing the bytecode listing…</div>
                ) : view && extras ? (
                  <DiffView
                    listing={extras.listing}
                    theme={theme}
                    selected={selected}
                    onSelect={setSelected}
                    onSourceLine={(n) => setSourceLine(n)}
                  />
                ) : (
                  <div className="empty">No relocation result yet.</div>
                ))}
              {tab === 'source' &&
                (sources.length ? (
                  <div className="pane-col">
                    <div className="toolbar small muted">
                      {sources[0]!.name}
                      {sourceText ? '' : ' — rebuilt from the object\'s line_info (lines without code are empty)'}
                    </div>
                    <CodeView text={sources[0]!.text} theme={theme} language="cpp" revealLine={sourceLine ?? detail?.source?.line} testid="source-editor" />
                  </div>
                ) : (
                  <div className="empty">The object carries no source lines (no line_info in .BTF.ext).</div>
                ))}
              {tab === 'vmlinux' &&
                (header ? (
                  <HeaderPane text={header.text} decls={header.decls} theme={theme} error={header.error} kernel={kernelFile?.name ?? ''} />
                ) : (
                  <div className="empty">{view ? 'writing vmlinux.h…' : 'Load a kernel BTF first.'}</div>
                ))}
              {tab === 'log' && (
                <pre className="log full" data-testid="libbpf-log">
                  {view?.log.join('\n') ?? ''}
                </pre>
              )}
            </Suspense>
          </div>
        </section>
      </main>

      <footer className="status">
        <span data-testid="status">{busy ? `${busy}…` : statusLine}</span>
        <span className="muted">
          {view ? `engine ${view.millis.toFixed(0)} ms · ` : ''}hot path: {hot || '…'} · libbpf 1.1.2 semantics · nothing leaves this page
        </span>
      </footer>

      {dragging && <div className="drop-overlay">Drop a BPF object, a kernel or module BTF (raw, ELF, .xz) or a .corelab case</div>}
      {help && (
        <div className="help" role="dialog" aria-label="Keyboard shortcuts" onClick={() => setHelp(false)}>
          <table>
            <tbody>
              {[
                ['j / k, ↓ / ↑', 'next / previous relocation'],
                ['/', 'filter relocations'],
                ['m', 'relocation table / kernel matrix'],
                ['arrows, Enter (in the matrix)', 'move between cells, open one in the detail'],
                ['1 2 3 4', 'bytecode, source, vmlinux.h, log'],
                ['Ctrl+Enter', 'run the relocation again'],
                ['Ctrl+S', 'copy a share link'],
                ['Ctrl+O', 'open files'],
                ['Ctrl+F (in an editor)', 'search'],
                ['Esc', 'close / leave a field'],
                ['?', 'this help'],
              ].map(([k, v]) => (
                <tr key={k}>
                  <td>
                    <kbd>{k}</kbd>
                  </td>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/**
 * The engine in a module worker, behind Comlink. It owns the inputs (transferred in, never
 * copied back) and the last relocation result; every answer is plain data, errors included.
 */
import * as Comlink from 'comlink';
import { loadBtf } from '../../../core-ts/btf/load.ts';
import type { Btf } from '../../../core-ts/btf/types.ts';
import { BtfExtIndex } from '../../../core-ts/btfext/lookup.ts';
import { makeTargetSet } from '../../../core-ts/core/candidates.ts';
import type { TargetSet } from '../../../core-ts/core/candidates.ts';
import { relocateObject } from '../../../core-ts/core/relocate.ts';
import { loadVerdict } from '../../../core-ts/core/verdict.ts';
import type { RelocateResult } from '../../../core-ts/core/relocate.ts';
import { dumpC } from '../../../core-ts/dump-c/index.ts';
import { CorelabError, isCorelabError } from '../../../core-ts/errors.ts';
import type { CorelabErrorData } from '../../../core-ts/errors.ts';
import { hotPathDescription } from '../../../core-ts/hotpath/index.ts';
import { parseBpfObject } from '../../../core-ts/object/index.ts';
import type { BpfObject } from '../../../core-ts/object/index.ts';
import type { CaseInput } from '../../../core-ts/share/bundle.ts';
import { minimizeForCase } from '../../../core-ts/share/minimize.ts';
import { LINK_BUDGET, caseToFile, caseToFragment, fileToCase, fragmentToCase, hex } from '../../../core-ts/share/link.ts';
import { buildMatrix } from '../../../core-ts/views/matrix.ts';
import { indexCDecls } from '../../../core-ts/views/c-decls.ts';
import { detectInput, moduleNameFromFileName } from '../../../core-ts/views/detect.ts';
import { buildListing } from '../../../core-ts/views/listing.ts';
import { reloDetail, reloRows } from '../../../core-ts/views/relo-view.ts';
import { reloKey } from '../../../core-ts/views/keys.ts';
import { sourcesFromLineInfo } from '../../../core-ts/views/source.ts';
import { verdictSentence } from '../../../core-ts/views/verdict.ts';
import { sha256 } from '../../../core-ts/xz/sha256.ts';
import type { CaseOpened, EngineApi, FileInfo, HeaderView, ReloExtras, RelocView, Result, ShareOut } from './protocol.ts';

interface Loaded {
  readonly info: FileInfo;
  /** bytes as given, kept for share links */
  readonly original: Uint8Array;
  /** decompressed */
  readonly plain: Uint8Array;
  object?: BpfObject;
  btf?: Btf;
  /** vmlinux only: its candidate index on its own (no modules), reused across relocations */
  alone?: TargetSet;
}

const files = new Map<number, Loaded>();
/**
 * Kernel BTFs held for the matrix besides the current vmlinux: kernels loaded only as matrix
 * columns, and earlier vmlinux files a new one replaced (parsed once, kept parsed).
 */
const pool = new Map<number, Loaded>();
let nextId = 1;
/** the last relocation; its listing and sources are built on first request (after the table is up) */
let last:
  | { res: RelocateResult; ext: BtfExtIndex | undefined; kernelId: number; endian: 'little' | 'big'; btfExt: BpfObject['btfExt']; extras?: ReloExtras }
  | undefined;
let header: { kernelId: number; view: HeaderView } | undefined;
/** milliseconds per phase of the work since the last phases() call, for the bench */
let phaseMs: Record<string, number> = {};
function timed<T>(phase: string, f: () => T): T {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    phaseMs[phase] = (phaseMs[phase] ?? 0) + performance.now() - t0;
  }
}

function errorData(e: unknown): CorelabErrorData {
  if (e instanceof CorelabError) return e.toData();
  if (isCorelabError(e)) return e;
  // anything else is a bug in corelab, reported as such rather than swallowed
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { name: 'CorelabError', kind: 'invalid', message: `internal error (please report): ${msg}` };
}

function guard<T>(f: () => T): Result<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: errorData(e) };
  }
}

async function guardAsync<T>(f: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return { ok: false, error: errorData(e) };
  }
}

function withTransfer<T>(r: Result<T>, buffers: ArrayBufferLike[]): Result<T> {
  return buffers.length ? Comlink.transfer(r, buffers as Transferable[]) : r;
}

const byRole = (role: FileInfo['role']): Loaded[] => [...files.values()].filter((f) => f.info.role === role);

function vmlinuxBtf(f: Loaded): Btf {
  f.btf ??= timed('parse BTF', () => loadBtf(f.plain).btf);
  return f.btf;
}

/** The kernel alone as a target set; its candidate index is built once per kernel. */
function aloneTargets(f: Loaded): TargetSet {
  f.alone ??= makeTargetSet(vmlinuxBtf(f), []);
  return f.alone;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A kernel already held with exactly these bytes (the same bundled file fetched again). */
function heldKernel(bytes: Uint8Array): Loaded | undefined {
  for (const k of [...byRole('vmlinux'), ...pool.values()]) if (sameBytes(k.original, bytes)) return k;
  return undefined;
}

/** Make `f` the current vmlinux; the one it replaces stays parsed in the pool. */
function makeCurrent(f: Loaded): void {
  for (const old of byRole('vmlinux')) {
    if (old === f) return;
    files.delete(old.info.id);
    pool.set(old.info.id, old);
  }
  pool.delete(f.info.id);
  files.set(f.info.id, f);
  // module BTFs are split over their base: parsed over the old one, they must be parsed again
  for (const m of byRole('module')) m.btf = undefined;
  last = undefined;
}

function withName(e: unknown, name: string): never {
  if (e instanceof CorelabError) {
    const where: { offset?: number; section?: string } = {};
    if (e.offset !== undefined) where.offset = e.offset;
    where.section = e.section ? `${name}: ${e.section}` : name;
    throw new CorelabError(e.kind, e.message, where);
  }
  throw e;
}

const api: EngineApi = {
  async hotPath() {
    return hotPathDescription();
  },

  async addFile(name, bytes) {
    return guard(() => {
      // the same kernel again (a sample or a matrix column loaded it before): no second xz
      // decode or parse; it keeps its candidate index, under the new name
      const held = heldKernel(bytes);
      let d: { role: FileInfo['role']; summary: string; bytes: Uint8Array };
      try {
        d = held ? { role: 'vmlinux', summary: held.info.summary, bytes: held.plain } : timed('detect + xz', () => detectInput(bytes));
      } catch (e) {
        withName(e, name);
      }
      const info: FileInfo = {
        id: nextId++,
        name,
        role: d.role,
        summary: d.summary,
        size: bytes.length,
        // hashed when a share link needs it: sha256 of a 5 MB BTF is not free
        sha256: '',
        ...(d.role === 'module' ? { module: moduleNameFromFileName(name) } : {}),
      };
      const f: Loaded = { info, original: bytes, plain: d.bytes };
      if (held) {
        if (held.btf) f.btf = held.btf;
        if (held.alone) f.alone = held.alone;
        pool.delete(held.info.id);
        files.delete(held.info.id);
      }
      try {
        // parse now so a broken file is reported when it is dropped, not later
        if (d.role === 'object') f.object = timed('parse object', () => parseBpfObject(d.bytes));
        else if (d.role === 'vmlinux') vmlinuxBtf(f);
      } catch (e) {
        withName(e, name);
      }
      // one object and one vmlinux at a time: a new one replaces the old (a kernel stays parsed
      // in the pool, as a matrix column)
      if (d.role === 'vmlinux') makeCurrent(f);
      else {
        if (d.role === 'object') for (const old of byRole('object')) files.delete(old.info.id);
        files.set(info.id, f);
      }
      last = undefined;
      return info;
    });
  },

  async addKernel(name, bytes) {
    return guard(() => {
      const held = heldKernel(bytes);
      if (held) return held.info;
      let d;
      try {
        d = timed('detect + xz', () => detectInput(bytes));
      } catch (e) {
        withName(e, name);
      }
      if (d.role !== 'vmlinux') throw new CorelabError('usage', `${name} is ${d.summary}, not a kernel BTF: a matrix column needs a vmlinux BTF`, { section: name });
      const info: FileInfo = { id: nextId++, name, role: 'vmlinux', summary: d.summary, size: bytes.length, sha256: '' };
      const f: Loaded = { info, original: bytes, plain: d.bytes };
      try {
        vmlinuxBtf(f);
      } catch (e) {
        withName(e, name);
      }
      pool.set(info.id, f);
      return info;
    });
  },

  async kernels() {
    return [...byRole('vmlinux'), ...pool.values()].map((f) => f.info);
  },

  async useKernel(id) {
    return guard(() => {
      const f = files.get(id) ?? pool.get(id);
      if (!f || f.info.role !== 'vmlinux') throw new CorelabError('not-found', `kernel #${id} is not loaded (any more)`, { section: 'matrix' });
      makeCurrent(f);
      return f.info;
    });
  },

  async matrix(objectId, kernelIds) {
    return guard(() => {
      const obj = files.get(objectId);
      if (!obj?.object) throw new CorelabError('not-found', `object #${objectId} is not loaded (any more)`, { section: 'matrix' });
      const o = obj.object;
      // columns named as `corelab matrix` names them: the file name without .btf / .xz
      const short = (n: string): string => n.replace(/\.xz$/, '').replace(/\.btf$/, '');
      const names = kernelIds.map((id) => short((files.get(id) ?? pool.get(id))?.info.name ?? `#${id}`));
      const results = kernelIds.map((id, i) => {
        const k = files.get(id) ?? pool.get(id);
        if (!k || k.info.role !== 'vmlinux') throw new CorelabError('not-found', `kernel #${id} is not loaded (any more)`, { section: 'matrix' });
        let targets: TargetSet;
        try {
          targets = aloneTargets(k);
        } catch (e) {
          withName(e, k.info.name);
        }
        const result = timed('relocate', () => relocateObject(o, targets));
        // two files of one name stay apart by their ids
        const kernel = names.indexOf(names[i]!) === names.lastIndexOf(names[i]!) ? names[i]! : `${names[i]} (#${id})`;
        return { kernel, result, verdict: loadVerdict(o, result) };
      });
      return timed('views: matrix', () => buildMatrix(o, results));
    });
  },

  async removeFile(id) {
    files.delete(id);
    pool.delete(id);
    last = undefined;
  },

  async clear() {
    // kernels stay parsed in the pool: the matrix and the next sample reuse them
    for (const k of byRole('vmlinux')) pool.set(k.info.id, k);
    files.clear();
    last = undefined;
    header = undefined;
  },

  async relocate() {
    return guard(() => {
      const obj = byRole('object')[0];
      const vm = byRole('vmlinux')[0];
      if (!obj || !vm) return undefined;
      const t0 = performance.now();
      const base = vmlinuxBtf(vm);
      const modules = byRole('module').map((m) => {
        try {
          m.btf ??= loadBtf(m.plain, { base }).btf;
        } catch (e) {
          withName(e, m.info.name);
        }
        return { name: m.info.module ?? m.info.name, btf: m.btf! };
      });
      const o = obj.object!;
      const targets = modules.length ? makeTargetSet(base, modules) : aloneTargets(vm);
      const res = timed('relocate', () => relocateObject(o, targets));
      const ext = o.btfExt ? new BtfExtIndex(o.btfExt) : undefined;
      last = { res, ext, kernelId: vm.info.id, endian: o.endian, btfExt: o.btfExt };
      const counts: Record<string, number> = {};
      for (const r of res.relocations) counts[r.status] = (counts[r.status] ?? 0) + 1;
      const view: RelocView = {
        objectName: obj.info.name,
        kernelName: vm.info.name + (modules.length ? ` + ${modules.map((m) => m.name).join(', ')}` : ''),
        ok: res.ok,
        errno: res.errno,
        verdict: timed('views: verdict', () => verdictSentence(res, loadVerdict(o, res))),
        counts,
        rows: timed('views: rows', () => reloRows(res, ext)),
        log: res.lines.map((l) => l.text),
        btfExtNote: o.btfExtError ? `.BTF.ext ignored, as libbpf 1.1.2 would: ${o.btfExtError.describe()}` : '',
        millis: performance.now() - t0,
      };
      return view;
    });
  },

  async extras() {
    return guard(() => {
      if (!last) return undefined;
      const l = last;
      l.extras ??= {
        listing: timed('views: listing', () => buildListing(l.res.functions, l.res.relocations, l.endian, l.ext)),
        sources: timed('views: sources', () => sourcesFromLineInfo(l.btfExt)),
      };
      return l.extras;
    });
  },

  async detail(key) {
    return guard(() => {
      if (!last) return undefined;
      const r = last.res.relocations.find((x) => reloKey(x.section, x.index) === key);
      return r ? reloDetail(last.res, r, last.ext) : undefined;
    });
  },

  async vmlinuxHeader() {
    return guard(() => {
      const vm = byRole('vmlinux')[0];
      if (!vm) return undefined;
      if (header?.kernelId === vm.info.id) return header.view;
      const d = dumpC(vmlinuxBtf(vm));
      const idx = indexCDecls(d.text);
      const view: HeaderView = {
        text: d.text,
        decls: [...idx.lines.entries()],
        error: d.error ? `bpftool would stop here: ${d.error.describe()}` : '',
      };
      header = { kernelId: vm.info.id, view };
      return view;
    });
  },

  async share(bundled, ui) {
    const r = await guardAsync(async (): Promise<ShareOut> => {
      const known = new Set(bundled);
      for (const f of files.values()) if (!f.info.sha256) (f.info as { sha256: string }).sha256 = hex(sha256(f.original));
      const whole = (f: Loaded): CaseInput => ({
        role: f.info.role,
        name: f.info.name,
        sha256: f.info.sha256,
        size: f.info.size,
        ...(known.has(f.info.sha256) ? {} : { bytes: f.original }),
        ...(f.info.module !== undefined ? { module: f.info.module } : {}),
      });
      const inputs = [...files.values()].map(whole);
      // the link carries a dropped kernel cut down to this case; the case file carries it whole
      let minimized: ShareOut['minimized'];
      let minimizeNote = '';
      const linkInputs = [...files.values()].map((f): CaseInput => {
        if (f.info.role !== 'vmlinux' || known.has(f.info.sha256)) return whole(f);
        const obj = byRole('object')[0];
        if (!last || last.kernelId !== f.info.id || !obj?.object) {
          minimizeNote = 'no relocation result to minimize the kernel BTF for';
          return whole(f);
        }
        const m = minimizeForCase(obj.object, vmlinuxBtf(f), last.res, byRole('module').length);
        if (!m.ok) {
          minimizeNote = m.reason;
          return whole(f);
        }
        const name = f.info.name.replace(/(\.btf)?(\.xz)?$/, '') + '.min.btf';
        minimized = { name, fromBytes: f.info.size, toBytes: m.bytes.length, types: m.types };
        return {
          role: 'vmlinux',
          name,
          sha256: hex(sha256(m.bytes)),
          size: m.bytes.length,
          bytes: m.bytes,
          minimizedFrom: { name: f.info.name, sha256: f.info.sha256, size: f.info.size },
        };
      });
      const fragment = await caseToFragment({ version: 1, inputs: linkInputs, ui });
      const file = await caseToFile({ version: 1, inputs, ui });
      const byValue = linkInputs.filter((i) => i.bytes).length;
      return {
        fragment: fragment.length <= LINK_BUDGET ? fragment : undefined,
        fragmentLength: fragment.length,
        budget: LINK_BUDGET,
        file,
        byValue,
        byRef: linkInputs.length - byValue,
        minimized,
        minimizeNote,
      };
    });
    return withTransfer(r, r.ok ? [r.value.file.buffer] : []);
  },

  async openCase(input) {
    const r = await guardAsync(async (): Promise<CaseOpened> => {
      const bundle = typeof input === 'string' ? await fragmentToCase(input) : await fileToCase(input);
      return {
        byValue: bundle.inputs
          .filter((i) => i.bytes)
          .map((i) => ({ role: i.role, name: i.name, bytes: i.bytes!, ...(i.module !== undefined ? { module: i.module } : {}) })),
        byRef: bundle.inputs.filter((i) => !i.bytes).map((i) => ({ role: i.role, name: i.name, sha256: i.sha256, size: i.size })),
        ui: bundle.ui,
      };
    });
    return withTransfer(r, r.ok ? r.value.byValue.map((i) => i.bytes.buffer) : []);
  },

  async phases() {
    const out = phaseMs;
    phaseMs = {};
    return out;
  },

  async spin(ms) {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // deliberately busy: the watchdog test needs a worker that does not answer
    }
  },
};


Comlink.expose(api);

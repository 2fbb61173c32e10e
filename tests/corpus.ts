// The test corpus as tests see it: the objects and kernel BTFs listed in
// .cache/corpus/manifest.json (written by `bash tests/corpus/build.sh`).
// Node-only helper for tests; nothing in core-ts may import it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseElf } from '../core-ts/elf/index.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = join(REPO_ROOT, '.cache/corpus');
export const MANIFEST_PATH = join(CORPUS_DIR, 'manifest.json');

export type CorpusGroup = 'progs' | 'selftests' | 'libbpf-tools';
export type Endian = 'little' | 'big';
/** own = tests/progs; local / target-btf = selftests core_reloc pairs; tool = libbpf-tools. */
export type CorpusRole = 'own' | 'local' | 'target-btf' | 'btf-dump-case' | 'core-prog' | 'tool';

export interface CorpusObject {
  /** Relative to the repository root. */
  path: string;
  group: CorpusGroup;
  name: string;
  endian: Endian;
  /** clang target the object was built for (compiled groups only). */
  target?: 'bpf' | 'bpfeb';
  role?: CorpusRole;
  /** The binary a libbpf-tools object was cut from. */
  from?: string;
}

export interface CorpusKernel {
  /** Relative to the repository root (tests/kernels/… or ../shared/kernels/…). */
  path: string;
  /** File name without .btf.xz and without modules/, e.g. debian-6.12.117-amd64--nf_conntrack. */
  name: string;
  arch: string;
  endian: Endian;
  /** For split (module) BTF: name of the base kernel. */
  base?: string;
  longSize: number;
  types: number;
  firstTypeId: number;
  rawSize: number;
  sha256: string;
  source: 'repo' | 'shared';
}

export interface CorpusFailure {
  group: CorpusGroup;
  name: string;
  target: 'bpf' | 'bpfeb';
  error: string;
  log: string;
  known: boolean;
  reason?: string;
}

export interface CorpusManifest {
  generated: string;
  tools: { libbpfToolsBinaries: number; libbpfToolsSymlinks: string[] };
  objects: CorpusObject[];
  kernels: CorpusKernel[];
  /** .btf.xz files that no MANIFEST.tsv row describes (not in `kernels`). */
  unlistedKernels: string[];
  failures: CorpusFailure[];
}

let cached: CorpusManifest | undefined;

export function loadManifest(): CorpusManifest {
  if (cached) return cached;
  if (!existsSync(MANIFEST_PATH)) {
    throw new Error(`corpus manifest ${MANIFEST_PATH} not found: run \`bash tests/corpus/build.sh\` first (npm test does it)`);
  }
  cached = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as CorpusManifest;
  return cached;
}

/** Absolute path of a manifest entry. */
export function absPath(entry: { path: string }): string {
  return resolve(REPO_ROOT, entry.path);
}

export type ObjectFilter = Partial<Pick<CorpusObject, 'group' | 'endian' | 'role' | 'name' | 'target'>> | ((o: CorpusObject) => boolean);

export function corpusObjects(filter?: ObjectFilter): CorpusObject[] {
  const all = loadManifest().objects;
  if (!filter) return all;
  if (typeof filter === 'function') return all.filter(filter);
  const keys = Object.keys(filter) as (keyof typeof filter)[];
  return all.filter((o) => keys.every((k) => o[k] === filter[k]));
}

/** The object's bytes. */
export function readObject(o: CorpusObject): Uint8Array {
  return new Uint8Array(readFileSync(absPath(o)));
}

/** The .BTF of the first own program of each byte order: real compiler output, as fuzz seeds. */
export function progsBtfSeeds(): Uint8Array[] {
  return (['little', 'big'] as const).map((endian) => {
    const o = corpusObjects({ group: 'progs', endian })[0];
    if (!o) throw new Error(`corpus has no ${endian}-endian progs object`);
    const elf = parseElf(readObject(o));
    return elf.data(elf.section('.BTF')!).slice();
  });
}

/**
 * Kernel BTFs. The shared archive repeats the kernels copied into the repo;
 * by default each name appears once (the repo copy wins). `all: true` lists
 * every manifest entry.
 */
export function corpusKernels(opts: { all?: boolean } = {}): CorpusKernel[] {
  const all = loadManifest().kernels;
  if (opts.all) return all;
  const seen = new Set<string>();
  const out: CorpusKernel[] = [];
  for (const k of [...all.filter((k) => k.source === 'repo'), ...all.filter((k) => k.source !== 'repo')]) {
    if (seen.has(k.name)) continue;
    seen.add(k.name);
    out.push(k);
  }
  return out;
}

/** The base kernel of a split (module) BTF, from the same source when possible. */
export function kernelBase(k: CorpusKernel): CorpusKernel | undefined {
  if (!k.base) return undefined;
  const all = loadManifest().kernels.filter((c) => c.name === k.base);
  return all.find((c) => c.source === k.source) ?? all[0];
}

function kernelByName(name: string): CorpusKernel {
  const k = corpusKernels().find((c) => c.name === name);
  if (!k) throw new Error(`no kernel BTF named ${name} in the corpus manifest`);
  return k;
}

/**
 * Path of the decompressed BTF (for feeding bpftool), decompressing with the
 * xz CLI into .cache/corpus/kernels/ on first use. The result is checked
 * against the size and sha256 in MANIFEST.tsv.
 */
export function rawKernelPath(kernel: CorpusKernel | string): string {
  const k = typeof kernel === 'string' ? kernelByName(kernel) : kernel;
  const src = absPath(k);
  const dir = join(CORPUS_DIR, 'kernels');
  // Shared copies get their own cache name in case they ever differ from the repo's.
  const out = join(dir, `${k.source === 'shared' ? 'shared--' : ''}${k.name}.btf`);
  if (existsSync(out)) {
    const st = statSync(out);
    if (st.size === k.rawSize && st.mtimeMs >= statSync(src).mtimeMs) return out;
  }
  const raw = execFileSync('xz', ['-dc', src], { maxBuffer: 1 << 30 });
  if (raw.length !== k.rawSize) throw new Error(`${k.path}: decompressed to ${raw.length} bytes, MANIFEST.tsv says ${k.rawSize}`);
  const sha = createHash('sha256').update(raw).digest('hex');
  if (sha !== k.sha256) throw new Error(`${k.path}: sha256 ${sha} does not match MANIFEST.tsv (${k.sha256})`);
  mkdirSync(dir, { recursive: true });
  // Rename makes the write atomic for parallel test workers.
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, raw);
  renameSync(tmp, out);
  return out;
}

/** Raw (decompressed) BTF bytes of a kernel or module. */
export function readKernelBtf(kernel: CorpusKernel | string): Uint8Array {
  return new Uint8Array(readFileSync(rawKernelPath(kernel)));
}

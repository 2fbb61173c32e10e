/**
 * Shared by the C-dump differential tests: the corpus inputs (kernel BTFs, objects)
 * and running corelab's dump on one of them. Kernel BTFs are decompressed once into
 * .cache/dump-c/ because bpftool 7.1 cannot read .xz.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadBtf } from '../../core-ts/btf/load.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { dumpC, type DumpFlavor } from '../../core-ts/dump-c/index.ts';
import { isCorelabError } from '../../core-ts/errors.ts';
import { xzDecompress } from '../../core-ts/xz/index.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CACHE = join(ROOT, '.cache/dump-c');

export interface DumpInput {
  /** test label */
  readonly name: string;
  /** raw BTF or ELF object, readable by bpftool */
  readonly file: string;
  /** raw base BTF for a split (module) BTF */
  readonly base?: string;
}

interface Manifest {
  objects: { path: string; group: string; name: string; target?: string; endian: string }[];
  kernels: { path: string; name: string; base?: string; source: string }[];
}

function manifest(): Manifest {
  const p = join(ROOT, '.cache/corpus/manifest.json');
  if (!existsSync(p)) throw new Error(`${p} is missing: run bash tests/corpus/build.sh (npm test does)`);
  return JSON.parse(readFileSync(p, 'utf8')) as Manifest;
}

/** Every corpus kernel BTF (repo and shared copies of one kernel count once), decompressed. */
export function kernelInputs(): DumpInput[] {
  mkdirSync(join(CACHE, 'kernels'), { recursive: true });
  const seen = new Map<string, string>();
  const kernels = manifest().kernels.filter((k) => (seen.has(k.name) ? false : (seen.set(k.name, k.path), true)));
  const raw = (name: string): string => {
    const out = join(CACHE, 'kernels', `${name}.btf`);
    if (!existsSync(out)) writeFileSync(out, xzDecompress(new Uint8Array(readFileSync(resolve(ROOT, seen.get(name)!)))));
    return out;
  };
  return kernels.map((k) => {
    if (k.base !== undefined && !seen.has(k.base)) throw new Error(`kernel ${k.name}: base ${k.base} is not in the corpus`);
    return k.base !== undefined ? { name: k.name, file: raw(k.name), base: raw(k.base) } : { name: k.name, file: raw(k.name) };
  });
}

/** Every corpus object (its .BTF is what gets dumped). */
export function objectInputs(): DumpInput[] {
  return manifest().objects.map((o) => ({ name: `${o.group}/${o.target ?? o.endian}/${o.name}`, file: resolve(ROOT, o.path) }));
}

/** corelab's header for an input, or the CorelabError message when it refuses the input. */
export function corelabDump(input: DumpInput, flavor: DumpFlavor): { text: string; error?: string } {
  let base: Btf | undefined;
  let btf: Btf;
  try {
    if (input.base) base = loadBtf(new Uint8Array(readFileSync(input.base))).btf;
    btf = loadBtf(new Uint8Array(readFileSync(input.file)), base ? { base } : {}).btf;
  } catch (e) {
    if (isCorelabError(e)) return { text: '', error: e.message };
    throw e;
  }
  const r = dumpC(btf, { flavor });
  return r.error ? { text: r.text, error: r.error.message } : { text: r.text };
}

/** First differing line, for a readable failure instead of a megabyte diff. */
export function firstDifference(want: string, got: string): string {
  if (want === got) return '';
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: expected ${JSON.stringify(a[i])}, got ${JSON.stringify(b[i])}`;
  }
  return 'same lines, different bytes';
}

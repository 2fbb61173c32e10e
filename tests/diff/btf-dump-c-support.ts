/**
 * Shared by the C-dump differential tests: the corpus inputs (kernel BTFs, decompressed
 * because bpftool 7.1 cannot read .xz; objects) and corelab's dump of one of them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBtf } from '../../core-ts/btf/load.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { dumpC, type DumpFlavor } from '../../core-ts/dump-c/index.ts';
import { isCorelabError } from '../../core-ts/errors.ts';
import { REPO_ROOT, absPath, corpusKernels, corpusObjects, kernelBase, rawKernelPath } from '../corpus.ts';

export const ROOT = REPO_ROOT;
export const CACHE = join(ROOT, '.cache/dump-c');

export interface DumpInput {
  /** test label */
  readonly name: string;
  /** raw BTF or ELF object, readable by bpftool */
  readonly file: string;
  /** raw base BTF for a split (module) BTF */
  readonly base?: string;
}

/** Every corpus kernel BTF (repo and shared copies of one kernel count once), decompressed. */
export function kernelInputs(): DumpInput[] {
  return corpusKernels().map((k) => {
    if (!k.base) return { name: k.name, file: rawKernelPath(k) };
    const base = kernelBase(k);
    if (!base) throw new Error(`kernel ${k.name}: base ${k.base} is not in the corpus`);
    return { name: k.name, file: rawKernelPath(k), base: rawKernelPath(base) };
  });
}

/** Every corpus object (its .BTF is what gets dumped). */
export function objectInputs(): DumpInput[] {
  return corpusObjects().map((o) => ({ name: `${o.group}/${o.target ?? o.endian}/${o.name}`, file: absPath(o) }));
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

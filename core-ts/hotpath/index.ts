/**
 * Which hot path the engine uses. 'auto' (the default) takes WebAssembly when the host can
 * instantiate it, else the TypeScript twin; the choice is visible (`corelab info --engine`, the
 * playground's status bar) and can be forced for tests and benchmarks.
 */
import { CorelabError } from '../errors.ts';
import { tsHotPath } from './twin.ts';
import { wasmAvailable, wasmHotPath } from './wasm.ts';
import type { HotPath } from './types.ts';

export type { CDumpFault, CDumpKernel, CDumpParams, CDumpRun, CDumpTable, HotPath, NameIndex, PatchResult, TypeScan } from './types.ts';
export { PATCH_WORDS, PatchOp } from './types.ts';
export { tsHotPath } from './twin.ts';
export { wasmHotPath } from './wasm.ts';

export type HotPathChoice = 'auto' | 'wasm' | 'ts';

/**
 * The default where WebAssembly runs: each function on the path bench/hotpath.mjs measured
 * faster — the scan and patching in wasm; the name index in TS, whose wasm twin pays a fresh
 * instance and a copy of the string section per index and lost in Node and Chromium.
 */
const autoHotPath: HotPath = {
  name: 'wasm',
  scanTypes: wasmHotPath.scanTypes,
  nameIndex: tsHotPath.nameIndex,
  patchInsns: wasmHotPath.patchInsns,
  cDump: wasmHotPath.cDump,
};

let current: HotPath | undefined;
let why = '';

export function selectHotPath(choice: HotPathChoice = 'auto'): HotPath {
  if (choice === 'ts') {
    current = tsHotPath;
    why = 'TypeScript (forced)';
  } else if (choice === 'wasm' && wasmAvailable()) {
    current = wasmHotPath;
    why = 'WebAssembly (forced)';
  } else if (wasmAvailable()) {
    current = autoHotPath;
    why = 'WebAssembly (auto), name index in TypeScript (measured faster: npm run bench -- hotpath)';
  } else if (choice === 'wasm') {
    throw new CorelabError('unsupported', 'WebAssembly is not available on this host');
  } else {
    current = tsHotPath;
    why = 'TypeScript (WebAssembly unavailable)';
  }
  return current;
}

export function isHotPathChoice(s: string): s is HotPathChoice {
  return s === 'auto' || s === 'wasm' || s === 'ts';
}

export function hotPath(): HotPath {
  return current ?? selectHotPath('auto');
}

/** One line for status bars: which path and why. */
export function hotPathDescription(): string {
  hotPath();
  return why;
}

/** What `corelab info --engine` prints: the active path, why, and which path runs each function. */
export function hotPathReport(): { active: HotPath['name']; why: string; wasmAvailable: boolean; functions: Record<'scanTypes' | 'nameIndex' | 'patchInsns' | 'cDump', HotPath['name']> } {
  const hp = hotPath();
  return {
    active: hp.name,
    why,
    wasmAvailable: wasmAvailable(),
    functions: {
      scanTypes: hp.scanTypes === wasmHotPath.scanTypes ? 'wasm' : 'ts',
      nameIndex: hp.nameIndex === wasmHotPath.nameIndex ? 'wasm' : 'ts',
      patchInsns: hp.patchInsns === wasmHotPath.patchInsns ? 'wasm' : 'ts',
      cDump: hp.cDump ? 'wasm' : 'ts',
    },
  };
}

/**
 * Which hot path the engine uses. 'auto' (the default) takes WebAssembly when the host can
 * instantiate it, else the TypeScript twin; the choice is visible (`corelab info --engine`, the
 * playground's status bar) and can be forced for tests and benchmarks.
 */
import { CorelabError } from '../errors.ts';
import { tsHotPath } from './twin.ts';
import { wasmAvailable, wasmHotPath } from './wasm.ts';
import type { HotPath } from './types.ts';

export type { HotPath, NameIndex, PatchResult, TypeScan } from './types.ts';
export { PATCH_WORDS, PatchOp } from './types.ts';
export { tsHotPath } from './twin.ts';
export { wasmHotPath } from './wasm.ts';

export type HotPathChoice = 'auto' | 'wasm' | 'ts';

let current: HotPath | undefined;
let why = '';

export function selectHotPath(choice: HotPathChoice = 'auto'): HotPath {
  if (choice === 'ts') {
    current = tsHotPath;
    why = 'TypeScript (forced)';
  } else if (wasmAvailable()) {
    current = wasmHotPath;
    why = choice === 'wasm' ? 'WebAssembly (forced)' : 'WebAssembly (auto: this host instantiates it)';
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
export function hotPathReport(): { active: HotPath['name']; why: string; wasmAvailable: boolean; functions: Record<'scanTypes' | 'nameIndex' | 'patchInsns', HotPath['name']> } {
  const hp = hotPath();
  return {
    active: hp.name,
    why,
    wasmAvailable: wasmAvailable(),
    functions: { scanTypes: hp.name, nameIndex: hp.name, patchInsns: hp.name },
  };
}

/**
 * Host side of the C dumper in WebAssembly (wasm/assembly/dump-c.ts): copies the flat type table
 * in, runs the passes, hands the text out in chunks. The faults it returns are numbers; the
 * dumper (core-ts/dump-c/faults.ts) words them, the same words the TypeScript twin throws.
 */
import { DUMP_C_WASM_BASE64 } from '../../wasm/build/dump-c-wasm.ts';
import { base64Decode } from './base64.ts';
import type { CDumpFault, CDumpKernel, CDumpParams, CDumpRun, CDumpTable } from './types.ts';

interface Exports {
  memory: WebAssembly.Memory;
  errCode: WebAssembly.Global;
  errId: WebAssembly.Global;
  errA: WebAssembly.Global;
  errB: WebAssembly.Global;
  reset(): void;
  alloc(bytes: number): number;
  prepare(words: number, rec: number, strs: number, strsLen: number, count: number, ptrSize: number, btfPtrSize: number, flags: number): number;
  dumpAll(): number;
  dumpRoots(roots: number, n: number): number;
}

let wasmModule: WebAssembly.Module | undefined;
let instance: Exports | undefined;
/** where the running dump's chunks go (one dump at a time per instance) */
let sink: ((chunk: Uint8Array) => void) | undefined;

function exports(): Exports {
  if (instance) return instance;
  // ~12 KB: synchronous compilation is fine in workers and Node (Chromium's main thread refuses
  // modules over 4 KB; wasmCDumpAvailable() then says no and the TypeScript dumper runs)
  wasmModule ??= new WebAssembly.Module(base64Decode(DUMP_C_WASM_BASE64) as BufferSource);
  const imports = {
    env: {
      flush: (ptr: number, len: number): void => {
        sink?.(new Uint8Array(instance!.memory.buffer, ptr, len));
      },
    },
  };
  instance = new WebAssembly.Instance(wasmModule, imports).exports as unknown as Exports;
  return instance;
}

function fault(x: Exports): CDumpFault | undefined {
  const code = x.errCode.value as number;
  if (code === 0) return undefined;
  // wasm i32 globals read as signed numbers; ids are u32
  return { code, id: (x.errId.value as number) >>> 0, a: x.errA.value as number, b: x.errB.value as number };
}

/** Copy `src` into fresh instance memory; 0 if memory could not grow. */
function place(x: Exports, src: Uint8Array | Uint32Array): number {
  const bytes = src.byteLength;
  const at = x.alloc(bytes);
  if (at === 0 && bytes > 0) return 0;
  new Uint8Array(x.memory.buffer, at, bytes).set(new Uint8Array(src.buffer, src.byteOffset, bytes));
  return at;
}

function open(table: CDumpTable, params: CDumpParams, write: (chunk: Uint8Array) => void): CDumpRun {
  const x = exports();
  x.reset();
  const words = place(x, table.words);
  const rec = place(x, table.rec);
  const strs = place(x, table.strs);
  let prepared = fault(x);
  if (!prepared) {
    const flags = (params.voidForNoArgs ? 1 : 0) | (params.enumModeAttributes ? 2 : 0);
    x.prepare(words, rec, strs, table.strs.length, table.count, params.ptrSize, params.btfPtrSize, flags);
    prepared = fault(x);
  }
  const run = (f: () => number): CDumpFault | undefined => {
    const outer = sink;
    sink = write;
    try {
      f();
    } finally {
      sink = outer;
    }
    return fault(x);
  };
  return {
    prepared,
    dumpAll: () => run(() => x.dumpAll()),
    dumpRoots: (ids) =>
      run(() => {
        const at = place(x, ids);
        return at === 0 && ids.length > 0 ? -1 : x.dumpRoots(at, ids.length);
      }),
  };
}

export const wasmCDump: CDumpKernel = { open };

/** Can this host compile and run the dumper module (see exports())? */
export function wasmCDumpAvailable(): boolean {
  try {
    exports();
    return true;
  } catch {
    return false;
  }
}

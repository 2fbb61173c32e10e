/**
 * The one WebAssembly module of the hot path (wasm/assembly/index.ts, dump-c.ts included):
 * compiled once, instantiated per use. The type scan and the C dumper share `engineInstance()`,
 * so a dump reuses the memory pages the scan of the same BTF already touched — on a kernel BTF
 * fresh pages cost more than the copy into them.
 */
import { WASM_BASE64 } from '../../wasm/build/corelab-wasm.ts';
import { base64Decode } from './base64.ts';

export interface EngineExports {
  memory: WebAssembly.Memory;
  // type scan, name index, patching (index.ts)
  errOffset: WebAssembly.Global;
  errValue: WebAssembly.Global;
  errIndex: WebAssembly.Global;
  heapStart(): number;
  scanTypes(buf: number, typeStart: number, typeLen: number, le: number, out: number, maxTypes: number): number;
  buildNameIndex(strs: number, strLen: number, names: number, n: number, hashes: number, elen: number, buckets: number, nb: number, next: number): void;
  patchInsns(insns: number, nslots: number, recs: number, nrec: number, le: number): number;
  lookupName(strs: number, names: number, hashes: number, elen: number, buckets: number, nb: number, next: number, q: number, qlen: number, out: number, max: number): number;
  // C dumper (dump-c.ts)
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

/** An instance and where its text output goes while the C dumper runs in it. */
export interface Engine {
  readonly x: EngineExports;
  sink: ((chunk: Uint8Array) => void) | undefined;
}

let wasmModule: WebAssembly.Module | undefined;

/** A fresh instance (its own memory). */
export function instantiate(): Engine {
  // ~16 KB: synchronous compilation is allowed in workers and Node; Chromium's main thread
  // refuses modules over 4 KB, and wasmAvailable() then says no (the TypeScript twin runs)
  wasmModule ??= new WebAssembly.Module(base64Decode(WASM_BASE64) as BufferSource);
  const engine: { x: EngineExports | undefined; sink: ((chunk: Uint8Array) => void) | undefined } = { x: undefined, sink: undefined };
  const imports = {
    env: {
      flush: (ptr: number, len: number): void => {
        engine.sink?.(new Uint8Array(engine.x!.memory.buffer, ptr, len));
      },
    },
  };
  engine.x = new WebAssembly.Instance(wasmModule, imports).exports as unknown as EngineExports;
  return engine as Engine;
}

let shared: Engine | undefined;

/** The instance the type scan and the C dumper share (one call at a time; nothing runs concurrently). */
export function engineInstance(): Engine {
  return (shared ??= instantiate());
}

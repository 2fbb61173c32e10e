/**
 * Host side of the C dumper in WebAssembly (wasm/assembly/dump-c.ts): copies the flat type table
 * into the instance the type scan uses, runs the passes, hands the text out in chunks. Its
 * faults are numbers; core-ts/dump-c/faults.ts words them as the TypeScript twin throws them.
 */
import { engineInstance, type EngineExports as Exports } from './module.ts';
import type { CDumpFault, CDumpKernel, CDumpParams, CDumpRun, CDumpTable } from './types.ts';

function fault(x: Exports): CDumpFault | undefined {
  const code = x.errCode.value as number;
  if (code === 0) return undefined;
  // wasm i32 globals read as signed numbers; ids are u32
  return { code, id: (x.errId.value as number) >>> 0, a: x.errA.value as number, b: x.errB.value as number };
}

/** Copy `src` into instance memory from the dumper's allocator; 0 if memory could not grow. */
function place(x: Exports, src: Uint8Array | Uint32Array): number {
  const bytes = src.byteLength;
  const at = x.alloc(bytes);
  if (at === 0 && bytes > 0) return 0;
  new Uint8Array(x.memory.buffer, at, bytes).set(new Uint8Array(src.buffer, src.byteOffset, bytes));
  return at;
}

/** The record index, as one entry per id from 0 (a zero for void in front when rec starts at 1). */
function placeRec(x: Exports, table: CDumpTable): number {
  const lead = table.recFirstId * 4;
  const at = x.alloc(lead + table.rec.byteLength);
  if (at === 0) return 0;
  const mem = x.memory.buffer;
  if (lead) new Uint32Array(mem, at, 1)[0] = 0;
  new Uint32Array(mem, at + lead, table.rec.length).set(table.rec);
  return at;
}

function open(table: CDumpTable, params: CDumpParams, write: (chunk: Uint8Array) => void): CDumpRun {
  const engine = engineInstance();
  const x = engine.x;
  x.reset();
  const words = place(x, table.words);
  const rec = placeRec(x, table);
  const strs = place(x, table.strs);
  let prepared = fault(x);
  if (!prepared) {
    const flags = (params.voidForNoArgs ? 1 : 0) | (params.enumModeAttributes ? 2 : 0) | (table.recInBytes ? 4 : 0);
    x.prepare(words, rec, strs, table.strs.length, table.count, params.ptrSize, params.btfPtrSize, flags);
    prepared = fault(x);
  }
  const run = (f: () => number): CDumpFault | undefined => {
    const outer = engine.sink;
    engine.sink = write;
    try {
      f();
    } finally {
      engine.sink = outer;
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


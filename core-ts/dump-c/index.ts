import type { Btf, TypeId } from '../btf/types.ts';
import { isCorelabError, type CorelabError } from '../errors.ts';
import { hotPath, type CDumpKernel } from '../hotpath/index.ts';
import { wasmCDump } from '../hotpath/dump-c-wasm.ts';
import { emitType } from './emit.ts';
import { badRoot, faultError } from './faults.ts';
import { flavorRules, type DumpFlavor } from './flavor.ts';
import { VMLINUX_EPILOGUE, VMLINUX_PREAMBLE } from './header.ts';
import { orderType } from './order.ts';
import { markReferenced } from './referenced.ts';
import { DumpState } from './state.ts';
import { wasmTypeTable } from './table.ts';

export { DUMP_FLAVORS, isDumpFlavor, type DumpFlavor } from './flavor.ts';
export { VMLINUX_EPILOGUE, VMLINUX_PREAMBLE } from './header.ts';
export { findRootTypes } from './roots.ts';

/**
 * BTF to C, as libbpf's btf_dump does it. State persists across `dumpType` calls, so
 * every type is printed at most once however many roots ask for it.
 */
export class CDumper {
  private readonly st: DumpState;

  /** With `write`, the text is streamed to it in chunks (each consumed before it returns). */
  constructor(btf: Btf, flavor: DumpFlavor = 'bpftool-7.1', write?: (chunk: Uint8Array) => void) {
    this.st = new DumpState(btf, flavor, write);
    const names = markReferenced(this.st);
    this.st.sizeNames(names.tags, names.idents);
  }

  /** Append `id` and everything it needs. Throws CorelabError (`loop`, …) like libbpf's error returns. */
  dumpType(id: TypeId): void {
    const st = this.st;
    if (!Number.isInteger(id) || id < 0 || id >= st.btf.typeCount) throw badRoot(st.btf.typeCount, id);
    // a walk an error cut short may have left entries behind: they are dropped, as libbpf
    // resets its queue for every root
    const start = st.queueLen;
    st.declTop = 0;
    st.declNest = 0;
    orderType(st, id, false);
    const queue = st.queue;
    for (let i = start; i < st.queueLen; i++) emitType(st, queue[i]!, 0);
  }

  /** Append raw text (the preamble, say). */
  print(s: string): void {
    this.st.print(s);
  }

  /** Everything printed so far. */
  text(): string {
    return this.st.out.text();
  }

  /** Everything printed so far (not yet streamed), as the bytes bpftool would write. */
  bytes(): Uint8Array {
    return this.st.out.bytes();
  }

  /** Stream out what is buffered (when streaming). */
  flush(): void {
    this.st.out.flush();
  }
}

export interface DumpCOptions {
  flavor?: DumpFlavor;
  /** only these types and what they need; default every type id in order, as bpftool */
  roots?: readonly TypeId[];
  /** wrap in bpftool's preamble and epilogue (default true) */
  header?: boolean;
  /**
   * Stream the text to this, in chunks, instead of returning it (the result's text and bytes
   * are then empty). A chunk's buffer is reused afterwards: consume or copy it at once.
   */
  write?: (chunk: Uint8Array) => void;
  /** which dumper: the hot path's choice (default), or one of the twins by name (tests, benches) */
  engine?: 'wasm' | 'ts';
}

export interface DumpCResult {
  /** the header; on error, what bpftool would have printed before stopping (no epilogue) */
  readonly text: string;
  /** the same as bytes, as bpftool writes them (decoding to `text` is left to who asks for it) */
  readonly bytes: Uint8Array;
  readonly error?: CorelabError;
}

/** A result whose text is decoded from its bytes only when read. */
function result(bytes: Uint8Array, error?: CorelabError): DumpCResult {
  let text: string | undefined;
  return {
    get text(): string {
      return (text ??= new TextDecoder().decode(bytes));
    },
    bytes,
    ...(error ? { error } : {}),
  };
}

/**
 * `bpftool btf dump file X format c`: the preamble, btf_dump of ids 1..n-1 (or the roots),
 * the epilogue. An error stops the dump where it happened, as bpftool does, and the text
 * so far is returned with it. The WebAssembly dumper runs when the hot path has it; the
 * TypeScript one (CDumper) is its twin.
 */
export function dumpC(btf: Btf, opts: DumpCOptions = {}): DumpCResult {
  const kernel = opts.engine === 'ts' ? undefined : opts.engine === 'wasm' ? wasmCDump : hotPath().cDump;
  // (the wasm dumper keeps alignments in a byte per type: real pointer sizes are 4 or 8)
  return kernel && btf.ptrSize <= 64 ? dumpCWith(kernel, btf, opts) : dumpCTs(btf, opts);
}

function dumpCTs(btf: Btf, opts: DumpCOptions): DumpCResult {
  const header = opts.header ?? true;
  let d: CDumper | undefined;
  try {
    // bpftool fails before printing anything when the dumper cannot be set up
    d = new CDumper(btf, opts.flavor ?? 'bpftool-7.1', opts.write);
    if (header) d.print(VMLINUX_PREAMBLE);
    if (opts.roots) {
      for (const id of opts.roots) d.dumpType(id);
    } else {
      for (let id = 1; id < btf.typeCount; id++) d.dumpType(id);
    }
  } catch (e) {
    if (isCorelabError(e)) {
      d?.flush();
      return result(d?.bytes() ?? new Uint8Array(0), e as CorelabError);
    }
    throw e;
  }
  if (header) d.print(VMLINUX_EPILOGUE);
  d.flush();
  return result(d.bytes());
}

const ascii = new TextEncoder();

/** The text of a dump: streamed to `write`, or gathered into one buffer. */
class Output {
  private buf: Uint8Array;
  private len = 0;
  constructor(
    private readonly write: ((chunk: Uint8Array) => void) | undefined,
    expected: number,
  ) {
    this.buf = new Uint8Array(write ? 0 : expected);
  }
  readonly take = (chunk: Uint8Array): void => {
    if (this.write) {
      this.write(chunk);
      return;
    }
    if (this.len + chunk.length > this.buf.length) {
      let cap = Math.max(this.buf.length * 2, 1 << 16);
      while (cap < this.len + chunk.length) cap *= 2;
      const b = new Uint8Array(cap);
      b.set(this.buf.subarray(0, this.len));
      this.buf = b;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  };
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** dumpC through a C dump kernel (the WebAssembly dumper): same passes, same faults. */
function dumpCWith(kernel: CDumpKernel, btf: Btf, opts: DumpCOptions): DumpCResult {
  const header = opts.header ?? true;
  const tb = wasmTypeTable(btf);
  const rules = flavorRules(opts.flavor ?? 'bpftool-7.1');
  // a vmlinux.h is about half the size of its BTF
  const out = new Output(opts.write, tb.words.length * 4 + tb.strs.length + (1 << 16));
  const run = kernel.open(
    tb,
    {
      ptrSize: btf.ptrSize > 0 ? btf.ptrSize : 8,
      btfPtrSize: btf.ptrSize,
      voidForNoArgs: rules.voidForNoArgs,
      enumModeAttributes: rules.enumModeAttributes,
    },
    out.take,
  );
  if (run.prepared) return result(new Uint8Array(0), faultError(run.prepared, btf.typeCount));
  if (header) out.take(ascii.encode(VMLINUX_PREAMBLE));
  let fault;
  if (opts.roots) {
    // a root that is no type id stops the dump there: passed as an id no BTF has
    const ids = Uint32Array.from(opts.roots, (id) => (Number.isInteger(id) && id >= 0 && id < btf.typeCount ? id : 0xffffffff));
    fault = run.dumpRoots(ids);
  } else {
    fault = run.dumpAll();
  }
  if (fault) return result(out.bytes(), faultError(fault, btf.typeCount, opts.roots));
  if (header) out.take(ascii.encode(VMLINUX_EPILOGUE));
  return result(out.bytes());
}

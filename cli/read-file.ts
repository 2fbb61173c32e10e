import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';

/** Scratch the file is read through: small enough that its pages are touched once, early. */
const SCRATCH = 64 << 10;
let scratch: Uint8Array | undefined;

/**
 * A whole file as bytes. A regular file is read through a small reused buffer and copied into
 * a fresh one: on a VM with shadow page tables (like the one the benchmarks run on), a page
 * the kernel wrote first costs again when JS first reads it, so reading 5.5 MB straight into
 * a fresh buffer and then parsing it cost ~1.5x more than this copy. Anything else (pipes,
 * /proc files, directories) goes to readFileSync, which knows how to size and refuse them.
 */
export function readWholeFile(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    // (past 2 GiB readFileSync refuses with its own error code)
    if (!st.isFile() || st.size === 0 || st.size > 0x7fffffff) return asPlain(readFileSync(fd));
    const size = st.size;
    const out = new Uint8Array(size);
    const buf = (scratch ??= new Uint8Array(SCRATCH));
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, 0, Math.min(SCRATCH, size - off), off);
      if (n === 0) break; // shrank while we read: what was there
      out.set(n === SCRATCH ? buf : buf.subarray(0, n), off);
      off += n;
    }
    return off === size ? out : out.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

function asPlain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

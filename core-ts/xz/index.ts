/**
 * The .xz container (xz-file-format 1.x) with LZMA2, plus the Delta filter and the x86, ARM,
 * ARM-Thumb, ARM64, PowerPC and SPARC BCJ filters (not IA-64 or RISC-V), in
 * plain TypeScript so it runs unchanged in a browser worker. Checks: none, CRC32, CRC64,
 * SHA-256. Multiple blocks, streams and stream padding are handled; every index and footer is
 * verified against what was decoded.
 */
import { CorelabError } from '../errors.ts';
import { xzFail } from './fail.ts';
import { LzmaDecoder } from './lzma.ts';
import { OutputBuffer } from './output.ts';
import { decodeStream, hasHeaderMagic, indexedSize } from './stream.ts';

export interface XzOptions {
  /** Largest decompressed size accepted (default 1 GiB); more is a 'too-large' error. */
  readonly maxOutput?: number;
}

export const DEFAULT_MAX_OUTPUT = 1024 * 1024 * 1024;

/** True when `bytes` begins with the xz stream magic FD 37 7A 58 5A 00. */
export function isXz(bytes: Uint8Array): boolean {
  return hasHeaderMagic(bytes, 0);
}

/** Decompress a whole .xz file. Throws CorelabError (section 'xz') on anything malformed. */
export function xzDecompress(bytes: Uint8Array, opts: XzOptions = {}): Uint8Array {
  const max = opts.maxOutput ?? DEFAULT_MAX_OUTPUT;
  if (!(max >= 0)) throw new CorelabError('usage', `xz maxOutput ${max} is not a non-negative number`, { section: 'xz' });
  if (!isXz(bytes)) xzFail('bad-magic', 'not an xz file (bad header magic)', 0);

  // The indexes usually give the exact size (kernel BTFs are ~4:1). Trust them only so far: a
  // forged index must not make us allocate a gigabyte for a few bytes of input; beyond that
  // the buffer grows geometrically as data actually decodes.
  const hint = indexedSize(bytes);
  const plausible = bytes.length * 16 + (1 << 20);
  const initial = hint !== undefined && hint <= plausible ? hint : bytes.length * 4 + 4096;
  const out = new OutputBuffer(Math.min(initial, max), max);
  const lzma = new LzmaDecoder();

  let p = 0;
  for (;;) {
    p = decodeStream(bytes, p, out, lzma);
    const padStart = p;
    while (p < bytes.length && bytes[p] === 0) p++;
    if ((p - padStart) % 4 !== 0) xzFail('invalid', `stream padding of ${p - padStart} bytes is not a multiple of 4`, padStart);
    if (p === bytes.length) break;
    if (!hasHeaderMagic(bytes, p)) xzFail('bad-magic', 'bytes after an xz stream are neither stream padding nor another stream', p);
  }
  return out.result();
}

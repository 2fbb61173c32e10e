import { xzFail } from './fail.ts';

/**
 * The decompressed bytes, grown geometrically. It doubles as the LZMA dictionary: every block's
 * dictionary is simply the tail of this buffer, so matches copy within it and nothing is copied
 * twice. Callers reserve room before writing, which is also where the size limit is enforced.
 */
export class OutputBuffer {
  buf: Uint8Array;
  length = 0;
  readonly max: number;

  constructor(initialCapacity: number, max: number) {
    this.max = max;
    this.buf = new Uint8Array(Math.max(0, Math.min(initialCapacity, max)));
  }

  /** Make room for `n` more bytes; `offset` is the input position to blame if that is too much. */
  reserve(n: number, offset: number): void {
    const need = this.length + n;
    if (need > this.max) {
      xzFail('too-large', `decompressed data would exceed the ${this.max}-byte output limit`, offset);
    }
    if (need <= this.buf.length) return;
    const grown = Math.min(this.max, Math.max(need, this.buf.length * 2, 64 * 1024));
    const next = new Uint8Array(grown);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  append(src: Uint8Array, offset: number): void {
    this.reserve(src.length, offset);
    this.buf.set(src, this.length);
    this.length += src.length;
  }

  /** The bytes written, without spare capacity (copied only if there is spare capacity). */
  result(): Uint8Array {
    return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
  }
}

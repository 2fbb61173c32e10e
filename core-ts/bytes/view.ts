import { CorelabError } from '../errors.ts';

export type Endianness = 'little' | 'big';

/**
 * A bounds-checked window on bytes with a fixed byte order. Every binary reader of corelab
 * decodes through one of these, so that endianness lives here and nowhere else, and so that a
 * read past the end is always a typed `truncated` error naming the section, never garbage.
 */
export class ByteView {
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  readonly le: boolean;
  /** name used in errors: "ELF", ".BTF", ... */
  readonly section: string;
  /** offset of bytes[0] within the enclosing file, for error messages */
  readonly base: number;

  constructor(bytes: Uint8Array, endian: Endianness, section: string, base = 0) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.le = endian === 'little';
    this.section = section;
    this.base = base;
  }

  get length(): number {
    return this.bytes.length;
  }

  get endian(): Endianness {
    return this.le ? 'little' : 'big';
  }

  /** Throw `truncated` unless [off, off+len) lies within the view. */
  need(off: number, len: number, what: string): void {
    if (!(off >= 0 && len >= 0 && off + len <= this.bytes.length && Number.isSafeInteger(off + len))) {
      throw new CorelabError(
        'truncated',
        `${what} at offset ${off} (${len} bytes) runs past the end of ${this.section} (${this.bytes.length} bytes)`,
        { offset: this.base + Math.max(0, Math.min(off, this.bytes.length)), section: this.section },
      );
    }
  }

  u8(off: number): number {
    if (off < 0 || off >= this.bytes.length) this.need(off, 1, 'byte');
    return this.bytes[off]!;
  }
  u16(off: number): number {
    if (off < 0 || off + 2 > this.bytes.length) this.need(off, 2, 'u16');
    return this.dv.getUint16(off, this.le);
  }
  i16(off: number): number {
    if (off < 0 || off + 2 > this.bytes.length) this.need(off, 2, 's16');
    return this.dv.getInt16(off, this.le);
  }
  u32(off: number): number {
    if (off < 0 || off + 4 > this.bytes.length) this.need(off, 4, 'u32');
    return this.dv.getUint32(off, this.le);
  }
  i32(off: number): number {
    if (off < 0 || off + 4 > this.bytes.length) this.need(off, 4, 's32');
    return this.dv.getInt32(off, this.le);
  }
  u64(off: number): bigint {
    if (off < 0 || off + 8 > this.bytes.length) this.need(off, 8, 'u64');
    return this.dv.getBigUint64(off, this.le);
  }
  /** A u64 that must fit a JS number (file offsets and sizes); larger is `too-large`. */
  u64n(off: number, what: string): number {
    const v = this.u64(off);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CorelabError('too-large', `${what} is ${v}, beyond any real file`, {
        offset: this.base + off,
        section: this.section,
      });
    }
    return Number(v);
  }

  /** A sub-view sharing byte order, bounds-checked. */
  sub(off: number, len: number, section = this.section): ByteView {
    this.need(off, len, `${section} contents`);
    return new ByteView(this.bytes.subarray(off, off + len), this.endian, section, this.base + off);
  }

  /**
   * NUL-terminated string starting at `off`. A missing terminator is `truncated`.
   * Decoded as latin1-safe UTF-8 (BTF and ELF names are ASCII in practice).
   */
  cstr(off: number, what = 'string'): string {
    const b = this.bytes;
    if (off < 0 || off >= b.length) this.need(off, 1, what);
    let end = off;
    while (end < b.length && b[end] !== 0) end++;
    if (end >= b.length) {
      throw new CorelabError('truncated', `${what} at offset ${off} has no terminating NUL`, {
        offset: this.base + off,
        section: this.section,
      });
    }
    return decodeAscii(b, off, end);
  }
}

const utf8 = new TextDecoder('utf-8');

/** Fast path for ASCII names; falls back to UTF-8 for anything else. */
export function decodeAscii(b: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c >= 0x80) return utf8.decode(b.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(b.subarray(start, end));
}

/**
 * Append-only byte buffer for the big text dumps (raw BTF dump, vmlinux.h): millions of small
 * pieces, so literals are ASCII and copied char by char, names are copied as bytes straight from
 * the BTF string section (as bpftool's printf does), numbers are formatted in place: no JS
 * string is built per piece. With `flushTo` it streams instead of growing.
 */
export class TextSink {
  private buf: Uint8Array;
  private len = 0;
  /** where full buffers go when streaming (the buffer is reused: it must consume them at once) */
  private readonly flushTo: ((chunk: Uint8Array) => void) | undefined;

  constructor(initial = 1 << 16, flushTo?: (chunk: Uint8Array) => void) {
    this.buf = new Uint8Array(Math.max(64, initial));
    this.flushTo = flushTo;
  }

  /** Hand what is buffered to the stream (no-op when not streaming). */
  flush(): void {
    if (this.flushTo && this.len > 0) {
      this.flushTo(this.buf.subarray(0, this.len));
      this.len = 0;
    }
  }

  private grow(n: number): void {
    if (this.flushTo) {
      // streaming: empty the buffer rather than grow it (fresh pages cost more than a write)
      this.flush();
      if (n <= this.buf.length) return;
    }
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  /** Text; ASCII on every path of the dumper, UTF-8 otherwise. */
  print(s: string): void {
    const n = s.length;
    // 3 bytes per UTF-16 unit covers any encoding of it
    if (this.len + n * 3 > this.buf.length) this.grow(n * 3);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) b[p++] = c;
      else {
        p = this.wide(s, i, p);
        break;
      }
    }
    this.len = p;
  }

  /** Rare path: non-ASCII text. */
  private wide(s: string, from: number, p: number): number {
    const enc = new TextEncoder().encode(s.slice(from));
    this.buf.set(enc, p);
    return p + enc.length;
  }

  byte(c: number): void {
    if (this.len + 1 > this.buf.length) this.grow(1);
    this.buf[this.len++] = c;
  }

  /** The NUL-terminated string at `pos` of `src`, at most `max` bytes of it; returns the bytes written. */
  cstr(src: Uint8Array, pos: number, max = 0x7fffffff): number {
    let end = pos;
    const lim = Math.min(src.length, pos + max);
    while (end < lim && src[end] !== 0) end++;
    const n = end - pos;
    if (this.len + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.len;
    // names are short: a plain loop beats a subarray per copy
    for (let i = pos; i < end; i++) b[p++] = src[i]!;
    this.len = p;
    return n;
  }

  /** Bytes [start, end) of `src`. */
  range(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.len + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.len;
    // names are short: a plain loop beats a subarray per copy
    for (let i = start; i < end; i++) b[p++] = src[i]!;
    this.len = p;
  }

  /** `n` tab characters. */
  tabs(n: number): void {
    if (this.len + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = 9;
    this.len = p;
  }

  /** Unsigned decimal of an integer in [0, 2^53). */
  uint(v: number): void {
    if (v > 0xffffffff) {
      this.print(String(v));
      return;
    }
    if (this.len + 10 > this.buf.length) this.grow(10);
    let digits = 1;
    for (let x = v; x >= 10; x = (x / 10) >>> 0) digits++;
    const b = this.buf;
    let p = this.len + digits;
    this.len = p;
    let x = v;
    do {
      const q = (x / 10) >>> 0;
      b[--p] = 48 + (x - q * 10);
      x = q;
    } while (x > 0);
  }

  /** Signed decimal of a 32-bit integer. */
  int(v: number): void {
    if (v >= 0) this.uint(v);
    else {
      this.byte(0x2d);
      this.uint(-v);
    }
  }

  get length(): number {
    return this.len;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}

/**
 * An append-only ASCII/bytes buffer: big text dumps are written as bytes (no per-line strings
 * for the garbage collector) and decoded once at the end. Names are copied as raw bytes, so
 * the output keeps whatever bytes the string section holds, as bpftool's printf does.
 */
export class ByteSink {
  private buf: Uint8Array;
  private len = 0;
  /** where full buffers go when streaming (the buffer is reused: it must consume them at once) */
  private readonly flushTo: ((chunk: Uint8Array) => void) | undefined;

  constructor(initial = 1 << 16, flushTo?: (chunk: Uint8Array) => void) {
    this.buf = new Uint8Array(initial);
    this.flushTo = flushTo;
  }

  /** Hand what is buffered to the stream (no-op when not streaming). */
  flush(): void {
    if (this.flushTo && this.len > 0) {
      this.flushTo(this.buf.subarray(0, this.len));
      this.len = 0;
    }
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
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

  /** ASCII text (literals and formatted numbers). */
  text(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i) & 0xff;
    this.len = p;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.len++] = c;
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.room(n);
    const b = this.buf;
    let p = this.len;
    // names are short: a plain loop beats creating a subarray per copy
    for (let i = start; i < end; i++) b[p++] = src[i]!;
    this.len = p;
  }

  /** Copy a NUL-terminated string starting at `start` (the caller knows a NUL follows). */
  cstr(src: Uint8Array, start: number): void {
    let end = start;
    while (src[end] !== 0) end++;
    this.bytes(src, start, end);
  }

  /** Unsigned decimal of a non-negative integer below 2^32 (larger ones go through String). */
  uint(v: number): void {
    if (v > 0xffffffff) {
      this.text(String(v));
      return;
    }
    this.room(10);
    const b = this.buf;
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.len + digits;
    this.len = p;
    let x = v;
    do {
      const q = Math.floor(x / 10);
      b[--p] = 48 + (x - q * 10);
      x = q;
    } while (x > 0);
  }

  /** Signed decimal. */
  int(v: number): void {
    if (v >= 0) this.uint(v);
    else {
      this.byte(0x2d);
      this.uint(-v);
    }
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

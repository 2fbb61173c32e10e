/**
 * Append-only UTF-8 byte buffer for the header text. A vmlinux.h is millions of small
 * pieces; appending them to a JS string builds a rope the garbage collector has to chase,
 * bytes in one growing array do not.
 */
export class TextSink {
  private buf = new Uint8Array(1 << 16);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  print(s: string): void {
    const n = s.length;
    // 3 bytes per UTF-16 unit covers any encoding of it
    this.room(n * 3);
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

  /** Rare path: names with non-ASCII characters (written as UTF-8, as the BTF holds them). */
  private wide(s: string, from: number, p: number): number {
    const enc = new TextEncoder().encode(s.slice(from));
    this.buf.set(enc, p);
    return p + enc.length;
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

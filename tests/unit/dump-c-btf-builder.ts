/** A tiny raw-BTF writer for the C-dump tests: hand-built inputs for the corners compiled C rarely reaches. */

export const K = { INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8, VOLATILE: 9, CONST: 10, FUNC: 12, PROTO: 13, TYPE_TAG: 18, ENUM64: 19 };

/** Minimal little-endian BTF writer: types get ids in the order they are added. */
export class BtfBuilder {
  private words: number[] = [];
  private strs = '\0';
  private n = 0;
  private str(s: string): number {
    if (s === '') return 0;
    // offsets count UTF-8 bytes, which is what the section will hold
    const off = new TextEncoder().encode(this.strs).length;
    this.strs += s + '\0';
    return off;
  }
  private head(name: string, kind: number, vlen: number, sizeOrType: number, kflag = false): number {
    this.words.push(this.str(name), ((kflag ? 1 : 0) << 31) | (kind << 24) | vlen, sizeOrType);
    return ++this.n;
  }
  int(name: string, size: number, signed = true): number {
    const id = this.head(name, K.INT, 0, size);
    this.words.push(((signed ? 1 : 0) << 24) | (size * 8));
    return id;
  }
  ref(kind: number, name: string, type: number): number {
    return this.head(name, kind, 0, type);
  }
  array(type: number, index: number, n: number): number {
    const id = this.head('', K.ARRAY, 0, 0);
    this.words.push(type, index, n);
    return id;
  }
  /** members: [name, type, bitOffset, bitfieldSize?] */
  composite(kind: number, name: string, size: number, members: [string, number, number, number?][]): number {
    const kflag = members.some((m) => m[3] !== undefined);
    const id = this.head(name, kind, members.length, size, kflag);
    for (const [mn, mt, off, bits] of members) this.words.push(this.str(mn), mt, kflag ? ((bits ?? 0) << 24) | off : off);
    return id;
  }
  enum32(name: string, size: number, signed: boolean, values: [string, number][]): number {
    const id = this.head(name, K.ENUM, values.length, size, signed);
    for (const [vn, v] of values) this.words.push(this.str(vn), v | 0);
    return id;
  }
  enum64(name: string, size: number, signed: boolean, values: [string, bigint][]): number {
    const id = this.head(name, K.ENUM64, values.length, size, signed);
    for (const [vn, v] of values) {
      const u = BigInt.asUintN(64, v);
      this.words.push(this.str(vn), Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0);
    }
    return id;
  }
  fwd(name: string, union: boolean): number {
    return this.head(name, K.FWD, 0, 0, union);
  }
  proto(ret: number, params: [string, number][]): number {
    const id = this.head('', K.PROTO, params.length, ret);
    for (const [pn, pt] of params) this.words.push(this.str(pn), pt);
    return id;
  }
  bytes(): Uint8Array {
    const types = new Uint8Array(this.words.length * 4);
    const dv = new DataView(types.buffer);
    this.words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
    const strs = new TextEncoder().encode(this.strs);
    const out = new Uint8Array(24 + types.length + strs.length);
    const h = new DataView(out.buffer);
    h.setUint16(0, 0xeb9f, true);
    h.setUint8(2, 1);
    h.setUint32(4, 24, true);
    h.setUint32(8, 0, true);
    h.setUint32(12, types.length, true);
    h.setUint32(16, types.length, true);
    h.setUint32(20, strs.length, true);
    out.set(types, 24);
    out.set(strs, 24 + types.length);
    return out;
  }
}

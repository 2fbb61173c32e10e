/**
 * A small BTF writer for tests: types are given as raw records (kind, name, vlen, kflag,
 * size/type word, trailing u32 words), so tests can also build what no compiler emits.
 */
export interface RawType {
  kind: number;
  name?: string;
  vlen?: number;
  kflag?: boolean;
  /** the size/type union word */
  st?: number;
  /** trailing u32 words (members, params, …); strings given as { s: 'name' } become offsets */
  words?: (number | { s: string })[];
  /** raw info word override */
  info?: number;
}

export interface BuildOptions {
  endian?: 'little' | 'big';
  hdrLen?: 24 | 32 | number;
  /** extra 4-byte layout entries (32-byte header only) */
  layout?: number[];
  /** split: strings start at this offset (base strLen); no leading NUL */
  strBase?: number;
  /** override header fields after layout */
  patch?: Partial<Record<'magic' | 'version' | 'flags' | 'hdrLen' | 'typeOff' | 'typeLen' | 'strOff' | 'strLen' | 'layoutOff' | 'layoutLen', number>>;
}

export function buildBtf(types: RawType[], opts: BuildOptions = {}): Uint8Array {
  const le = (opts.endian ?? 'little') === 'little';
  const split = opts.strBase !== undefined;
  const strBase = opts.strBase ?? 0;
  const strBytes: number[] = split ? [] : [0];
  const strMap = new Map<string, number>();
  const str = (s: string | undefined): number => {
    if (!s) return 0;
    const hit = strMap.get(s);
    if (hit !== undefined) return hit;
    const off = strBase + strBytes.length;
    for (const c of new TextEncoder().encode(s)) strBytes.push(c);
    strBytes.push(0);
    strMap.set(s, off);
    return off;
  };
  const words: number[] = [];
  for (const t of types) {
    const vlen = t.vlen ?? 0;
    const info = t.info ?? (((t.kflag ? 1 : 0) << 31) | ((t.kind & 0x7f) << 24) | (vlen & 0xffffff)) >>> 0;
    words.push(str(t.name), info, t.st ?? 0);
    for (const w of t.words ?? []) words.push(typeof w === 'number' ? w >>> 0 : str(w.s));
  }
  const hdrLen = opts.hdrLen ?? 24;
  const layout = opts.layout ?? [];
  const typeLen = words.length * 4;
  const layoutOff = typeLen;
  const layoutLen = layout.length * 4;
  const strOff = typeLen + layoutLen;
  const total = hdrLen + strOff + strBytes.length;
  const buf = new Uint8Array(total);
  const dv = new DataView(buf.buffer);
  const h: Record<string, number> = {
    magic: 0xeb9f, version: 1, flags: 0, hdrLen, typeOff: 0, typeLen, strOff, strLen: strBytes.length,
    layoutOff: layoutLen ? layoutOff : 0, layoutLen,
    ...opts.patch,
  };
  dv.setUint16(0, h.magic!, le);
  dv.setUint8(2, h.version!);
  dv.setUint8(3, h.flags!);
  dv.setUint32(4, h.hdrLen!, le);
  dv.setUint32(8, h.typeOff!, le);
  dv.setUint32(12, h.typeLen!, le);
  dv.setUint32(16, h.strOff!, le);
  dv.setUint32(20, h.strLen!, le);
  if (hdrLen >= 32) {
    dv.setUint32(24, h.layoutOff!, le);
    dv.setUint32(28, h.layoutLen!, le);
  }
  words.forEach((w, i) => dv.setUint32(hdrLen + 4 * i, w, le));
  layout.forEach((w, i) => dv.setUint32(hdrLen + layoutOff + 4 * i, w, le));
  buf.set(strBytes, hdrLen + strOff);
  return buf;
}

/** One type of every kind 1..19, with kflag variants, referring to each other by id. */
export function everyKind(): RawType[] {
  const S = (s: string) => ({ s });
  return [
    /* 1 */ { kind: 1, name: 'int', st: 4, words: [(1 << 24) | 32] },
    /* 2 */ { kind: 1, name: 'long unsigned int', st: 8, words: [64] },
    /* 3 */ { kind: 2, st: 1 },
    /* 4 */ { kind: 3, words: [1, 2, 16] },
    /* 5 */ { kind: 4, name: 'pair', vlen: 2, st: 16, words: [S('a'), 1, 0, S('b'), 2, 64] },
    /* 6 */ { kind: 4, name: 'bits', vlen: 2, kflag: true, st: 4, words: [S('x'), 1, (3 << 24) | 0, S('y'), 1, (5 << 24) | 3] },
    /* 7 */ { kind: 5, name: 'u', vlen: 2, st: 8, words: [S('i'), 1, 0, 0, 2, 0] },
    /* 8 */ { kind: 6, name: 'e', vlen: 2, st: 4, words: [S('A'), 0xffffffff, S('B'), 7] },
    /* 9 */ { kind: 6, name: 'se', vlen: 2, kflag: true, st: 4, words: [S('M'), 0xffffffff, S('N'), 0x7fffffff] },
    /* 10 */ { kind: 7, name: 'fwd_s' },
    /* 11 */ { kind: 7, name: 'fwd_u', kflag: true },
    /* 12 */ { kind: 8, name: 'td', st: 5 },
    /* 13 */ { kind: 9, st: 1 },
    /* 14 */ { kind: 10, st: 13 },
    /* 15 */ { kind: 11, st: 3 },
    /* 16 */ { kind: 13, vlen: 2, st: 1, words: [S('p0'), 3, 0, 0] },
    /* 17 */ { kind: 12, name: 'f_static', st: 16, vlen: 0 },
    /* 18 */ { kind: 12, name: 'f_global', st: 16, vlen: 1 },
    /* 19 */ { kind: 12, name: 'f_extern', st: 16, vlen: 2 },
    /* 20 */ { kind: 12, name: 'f_odd', st: 16, vlen: 7 },
    /* 21 */ { kind: 14, name: 'v_static', st: 1, words: [0] },
    /* 22 */ { kind: 14, name: 'v_global', st: 5, words: [1] },
    /* 23 */ { kind: 14, name: 'v_extern', st: 1, words: [2] },
    /* 24 */ { kind: 14, name: 'v_odd', st: 1, words: [9] },
    /* 25 */ { kind: 15, name: '.data', vlen: 4, st: 24, words: [21, 0, 4, 22, 8, 16, 0, 0, 0, 999, 1, 2] },
    /* 26 */ { kind: 16, name: 'double', st: 8 },
    /* 27 */ { kind: 17, name: 'tag_type', st: 5, words: [0xffffffff] },
    /* 28 */ { kind: 17, name: 'tag_member', st: 5, words: [1] },
    /* 29 */ { kind: 18, name: 'user', st: 3 },
    /* 30 */ { kind: 19, name: 'e64', vlen: 2, st: 8, words: [S('BIG'), 0xffffffff, 0xffffffff, S('SMALL'), 5, 0] },
    /* 31 */ { kind: 19, name: 'se64', vlen: 2, kflag: true, st: 8, words: [S('NEG'), 0xfffffffe, 0xffffffff, S('POS'), 0, 0x7fffffff] },
    /* 32 */ { kind: 1, name: 'char', st: 1, words: [(2 << 24) | 8] },
    /* 33 */ { kind: 1, name: '_Bool', st: 1, words: [(4 << 24) | 8] },
    /* 34 */ { kind: 1, name: 'odd_enc', st: 2, words: [(3 << 24) | (4 << 16) | 12] },
    /* 35 */ { kind: 4, name: 'anon_member', vlen: 1, st: 8, words: [0, 7, 0] },
    /* 36 */ { kind: 4, name: 'bad_name_off', vlen: 1, st: 8, words: [0x7ffff, 1, 0] },
  ];
}

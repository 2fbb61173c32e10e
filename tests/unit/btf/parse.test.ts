import { describe, expect, it } from 'vitest';
import { CorelabError } from '../../../core-ts/errors.ts';
import { parseBtf } from '../../../core-ts/btf/parse.ts';
import { dumpRaw, dumpRawType } from '../../../core-ts/btf/dump-raw.ts';
import { loadBtf } from '../../../core-ts/btf/load.ts';
import { BtfKind } from '../../../core-ts/btf/types.ts';
import type { Btf, ErrorKindCheck } from './types-helper.ts';
import { buildBtf, everyKind, type RawType } from './builder.ts';

function thrown(f: () => unknown): CorelabError {
  try {
    f();
  } catch (e) {
    if (e instanceof CorelabError) return e;
    throw new Error(`expected a CorelabError, got ${String(e)}`);
  }
  throw new Error('expected a CorelabError, nothing was thrown');
}

function everyTypeJson(btf: Btf): string {
  const all = [];
  for (let id = 0; id < btf.typeCount; id++) all.push(btf.type(id));
  return JSON.stringify(all, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

describe('parseBtf: every kind', () => {
  const le = parseBtf(buildBtf(everyKind()));

  it('decodes kinds, names and fields', () => {
    expect(le.typeCount).toBe(everyKind().length + 1);
    expect(le.kind(0)).toBe(BtfKind.Void);
    const want = everyKind().map((t) => t.kind);
    for (let id = 1; id < le.typeCount; id++) expect(le.kind(id)).toBe(want[id - 1]);
    expect(le.type(1)).toMatchObject({ kind: BtfKind.Int, name: 'int', size: 4, encoding: 1, bits: 32, bitOffset: 0 });
    expect(le.type(34)).toMatchObject({ encoding: 3, bitOffset: 4, bits: 12 });
    expect(le.type(4)).toMatchObject({ kind: BtfKind.Array, type: 1, indexType: 2, nelems: 16 });
    const bits = le.type(6);
    expect(bits).toMatchObject({ kind: BtfKind.Struct, kflag: true, size: 4 });
    if (bits.kind !== BtfKind.Struct) throw new Error('kind');
    expect(bits.members.map((m) => [m.name, m.bitOffset, m.bitfieldSize])).toEqual([['x', 0, 3], ['y', 3, 5]]);
    const pair = le.type(5);
    if (pair.kind !== BtfKind.Struct) throw new Error('kind');
    expect(pair.members.map((m) => [m.name, m.bitOffset, m.bitfieldSize])).toEqual([['a', 0, 0], ['b', 64, 0]]);
    expect(le.type(8)).toMatchObject({ signed: false, values: [{ name: 'A', value: 0xffffffff }, { name: 'B', value: 7 }] });
    expect(le.type(9)).toMatchObject({ signed: true, values: [{ name: 'M', value: -1 }, { name: 'N', value: 0x7fffffff }] });
    expect(le.type(10)).toMatchObject({ kind: BtfKind.Fwd, isUnion: false });
    expect(le.type(11)).toMatchObject({ kind: BtfKind.Fwd, isUnion: true });
    expect(le.type(16)).toMatchObject({ kind: BtfKind.FuncProto, type: 1, params: [{ name: 'p0', type: 3 }, { name: '', type: 0 }] });
    expect(le.type(18)).toMatchObject({ kind: BtfKind.Func, linkage: 1, type: 16 });
    expect(le.type(22)).toMatchObject({ kind: BtfKind.Var, linkage: 1, type: 5 });
    expect(le.type(25)).toMatchObject({ kind: BtfKind.Datasec, size: 24, vars: [{ type: 21, offset: 0, size: 4 }, { type: 22, offset: 8, size: 16 }, { type: 0 }, { type: 999 }] });
    expect(le.type(27)).toMatchObject({ kind: BtfKind.DeclTag, componentIdx: -1 });
    expect(le.type(28)).toMatchObject({ kind: BtfKind.DeclTag, componentIdx: 1 });
    expect(le.type(29)).toMatchObject({ kind: BtfKind.TypeTag, type: 3, name: 'user' });
    expect(le.type(30)).toMatchObject({ signed: false, values: [{ value: 0xffffffffffffffffn }, { value: 5n }] });
    expect(le.type(31)).toMatchObject({ signed: true, values: [{ value: -2n }, { value: 0x7fffffff00000000n }] });
    expect(le.type(1)).toBe(le.type(1)); // cached
  });

  it('big-endian and 32-byte headers decode to the same types', () => {
    const ref = everyTypeJson(le);
    for (const o of [{ endian: 'big' as const }, { hdrLen: 32 }, { endian: 'big' as const, hdrLen: 32 }, { hdrLen: 32, layout: [0x0c04, 0x0004] }]) {
      const b = parseBtf(buildBtf(everyKind(), o));
      expect(b.endian).toBe(o.endian ?? 'little');
      expect(everyTypeJson(b)).toBe(ref);
      expect(dumpRaw(b)).toBe(dumpRaw(le));
    }
    const h = parseBtf(buildBtf(everyKind(), { hdrLen: 32, layout: [1, 2] })).header;
    expect(h.hdrLen).toBe(32);
    expect(h.layoutLen).toBe(8);
  });

  it('the fast dump equals the per-type dump', () => {
    let slow = '';
    for (let id = 1; id < le.typeCount; id++) slow += dumpRawType(le, le.type(id));
    expect(dumpRaw(le)).toBe(slow);
  });

  it('names: findByName, invalid name offsets, name()', () => {
    expect(le.findByName('int')).toEqual([1]);
    expect(le.findByName('e', BtfKind.Enum)).toEqual([8]);
    expect(le.findByName('e', BtfKind.Struct)).toEqual([]);
    expect(le.findByName('nope')).toEqual([]);
    expect(le.name(5)).toBe('pair');
    expect(le.name(0)).toBe('');
    expect(thrown(() => le.str(0x7ffff)).kind).toBe('out-of-bounds');
    expect(dumpRaw(le)).toContain("'(invalid)' type_id=1");
  });

  it('invalid ids throw not-found', () => {
    for (const id of [-1, le.typeCount, 1e9, 1.5, NaN]) {
      expect(thrown(() => le.type(id)).kind).toBe('not-found');
      expect(thrown(() => le.kind(id)).kind).toBe('not-found');
    }
  });
});

describe('sizes and alignment (libbpf btf__resolve_size / btf__align_of rules)', () => {
  const S = (s: string) => ({ s });
  const types: RawType[] = [
    /* 1 */ { kind: 1, name: 'int', st: 4, words: [(1 << 24) | 32] },
    /* 2 */ { kind: 3, words: [1, 1, 10] }, // int[10]
    /* 3 */ { kind: 3, words: [2, 1, 0x10000000] }, // int[10][2^28] → overflow
    /* 4 */ { kind: 8, name: 'self', st: 4 }, // typedef cycle
    /* 5 */ { kind: 7, name: 'fwd' },
    /* 6 */ { kind: 2, st: 1 },
    /* 7 */ { kind: 4, name: 'packed', vlen: 2, st: 5, words: [S('c'), 8, 0, S('i'), 1, 8] },
    /* 8 */ { kind: 1, name: 'char', st: 1, words: [8] },
    /* 9 */ { kind: 4, name: 'loop', vlen: 1, st: 4, words: [S('l'), 10, 0] },
    /* 10 */ { kind: 10, st: 9 },
    /* 11 */ { kind: 8, name: 'dangling', st: 500 },
    /* 12 */ { kind: 3, words: [1, 1, 0] }, // int[0]
    /* 13 */ { kind: 12, name: 'fn', st: 0 },
  ];
  const btf = parseBtf(buildBtf(types));

  it('resolveSize', () => {
    expect(btf.resolveSize(1)).toBe(4);
    expect(btf.resolveSize(2)).toBe(40);
    expect(btf.resolveSize(6)).toBe(8); // no long: fallback 8
    expect(btf.resolveSize(12)).toBe(0);
    expect(thrown(() => btf.resolveSize(3)).kind).toBe('too-large');
    expect(thrown(() => btf.resolveSize(4)).kind).toBe('invalid'); // depth limit, like -EINVAL
    expect(thrown(() => btf.resolveSize(5)).kind).toBe('invalid');
    expect(thrown(() => btf.resolveSize(11)).kind).toBe('invalid');
    expect(thrown(() => btf.resolveSize(13)).kind).toBe('invalid');
    expect(thrown(() => btf.resolveSize(0)).kind).toBe('invalid');
    expect(thrown(() => btf.resolveSize(99)).kind).toBe('not-found');
  });

  it('alignOf', () => {
    expect(btf.alignOf(1)).toBe(4);
    expect(btf.alignOf(2)).toBe(4);
    expect(btf.alignOf(6)).toBe(8);
    expect(btf.alignOf(7)).toBe(1); // int at byte 1: packed
    expect(btf.alignOf(5)).toBe(0); // FWD: libbpf answers 0
    expect(btf.alignOf(13)).toBe(0);
    expect(thrown(() => btf.alignOf(4)).kind).toBe('loop');
    expect(thrown(() => btf.alignOf(9)).kind).toBe('loop');
    expect(thrown(() => btf.alignOf(11)).kind).toBe('not-found');
  });

  it('skipModsAndTypedefs terminates', () => {
    expect(btf.skipModsAndTypedefs(1)).toBe(1);
    expect(thrown(() => btf.skipModsAndTypedefs(4)).kind).toBe('loop');
    expect(thrown(() => btf.skipModsAndTypedefs(11)).kind).toBe('not-found');
  });
});

describe('pointer size (determine_ptr_size)', () => {
  const spellings = ['long', 'long int', 'int long', 'unsigned long', 'long unsigned', 'unsigned long int', 'unsigned int long', 'long unsigned int', 'long int unsigned', 'int unsigned long', 'int long unsigned'];
  it('finds each of the 11 spellings, 4 or 8 bytes', () => {
    for (const name of spellings) {
      for (const size of [4, 8]) {
        const b = parseBtf(buildBtf([{ kind: 1, name: 'int', st: 2, words: [16] }, { kind: 1, name, st: size, words: [size * 8] }]));
        expect([b.ptrSize, b.ptrSizeSource]).toEqual([size, 'long']);
      }
    }
  });
  it('ignores other sizes and names, falls back to 8', () => {
    const b = parseBtf(buildBtf([{ kind: 1, name: 'long', st: 2, words: [16] }, { kind: 1, name: 'long long', st: 4, words: [32] }, { kind: 8, name: 'long', st: 1 }]));
    expect([b.ptrSize, b.ptrSizeSource]).toEqual([8, 'fallback']);
  });
  it('a split BTF inherits its base size', () => {
    const base = parseBtf(buildBtf([{ kind: 1, name: 'long', st: 4, words: [32] }]));
    const split = parseBtf(buildBtf([{ kind: 2, st: 1 }], { strBase: base.header.strLen }), { base });
    expect([split.ptrSize, split.ptrSizeSource, split.resolveSize(2)]).toEqual([4, 'base', 4]);
  });
});

describe('split BTF', () => {
  const base = parseBtf(buildBtf(everyKind()));
  const S = (s: string) => ({ s });
  const splitBytes = buildBtf(
    [
      { kind: 4, name: 'mod_struct', vlen: 2, st: 16, words: [S('p'), 3, 0, S('pair'), 5, 64] },
      { kind: 2, st: base.typeCount },
    ],
    { strBase: base.header.strLen },
  );
  const split = parseBtf(splitBytes, { base });

  it('ids continue at base.typeCount, strings after the base strings', () => {
    expect(split.startId).toBe(base.typeCount);
    expect(split.typeCount).toBe(base.typeCount + 2);
    expect(split.name(base.typeCount)).toBe('mod_struct');
    expect(split.type(5)).toBe(base.type(5));
    expect(split.str(base.findByName('pair').length ? base.type(5).nameOff : 0)).toBe('pair');
    expect(split.findByName('pair')).toEqual([5]);
    expect(split.findByName('mod_struct')).toEqual([base.typeCount]);
    expect(split.resolveSize(base.typeCount + 1)).toBe(8);
    expect(dumpRaw(split).startsWith(`[${base.typeCount}] STRUCT 'mod_struct'`)).toBe(true);
  });

  it('without a base the leading non-NUL string byte is refused', () => {
    const e = thrown(() => parseBtf(splitBytes));
    expect(e.kind).toBe('invalid');
    expect(e.section).toBe('.BTF');
  });

  it('split with no strings at all is fine', () => {
    const s = parseBtf(buildBtf([{ kind: 2, st: 1 }], { strBase: base.header.strLen }), { base });
    expect(s.header.strLen).toBe(0);
    expect(s.kind(base.typeCount)).toBe(BtfKind.Ptr);
  });
});

describe('malformed input: CorelabError with kind, section and offset', () => {
  const good = buildBtf(everyKind());
  const cases: [string, () => Uint8Array, string, number][] = [
    ['empty', () => new Uint8Array(0), 'truncated', 0],
    ['short header', () => good.slice(0, 20), 'truncated', 0],
    ['bad magic', () => Object.assign(good.slice(), { 0: 0x12 }), 'bad-magic', 0],
    ['hdr_len below 24', () => buildBtf(everyKind(), { patch: { hdrLen: 16 } }), 'invalid', 4],
    ['hdr_len past end', () => buildBtf(everyKind(), { patch: { hdrLen: 1 << 20 } }), 'truncated', 4],
    ['strings past end', () => buildBtf(everyKind(), { patch: { strLen: 1 << 20 } }), 'out-of-bounds', 16],
    ['types overlap strings', () => buildBtf(everyKind(), { patch: { typeLen: 0x7fffffff } }), 'invalid', 8],
    ['types misaligned', () => buildBtf(everyKind(), { patch: { typeOff: 2, typeLen: 4 } }), 'misaligned', 8],
    ['empty strings', () => buildBtf([], { patch: { strLen: 0 } }), 'invalid', 24],
    ['strings not NUL-terminated', () => { const b = good.slice(); b[b.length - 1] = 0x41; return b; }, 'invalid', good.length - 1],
    ['strings not NUL-first', () => buildBtf([{ kind: 2, name: 'x', st: 0 }], { strBase: 0 }), 'invalid', 36],
    ['unknown kind', () => buildBtf([{ kind: 1, st: 4, words: [32] }, { kind: 20, st: 0 }]), 'invalid', 24 + 16 + 4],
    ['7-bit kind above 19', () => buildBtf([{ kind: 0x41, st: 0 }]), 'invalid', 28],
    ['record past section end', () => buildBtf([{ kind: 4, vlen: 1000, st: 0 }]), 'truncated', 24],
    ['stray bytes', () => buildBtf([{ kind: 2, st: 0, words: [0] }]), 'truncated', 36],
    ['layout misaligned', () => buildBtf([{ kind: 2, st: 0 }], { hdrLen: 32, layout: [1], patch: { layoutOff: 14 } }), 'misaligned', 24],
    ['layout overlaps types', () => buildBtf([{ kind: 2, st: 0 }], { hdrLen: 32, layout: [1], patch: { layoutOff: 8 } }), 'invalid', 24],
    ['layout past strings', () => buildBtf([{ kind: 2, st: 0 }], { hdrLen: 32, layout: [1], patch: { layoutLen: 400 } }), 'invalid', 24],
  ];
  for (const [what, make, kind, offset] of cases) {
    it(what, () => {
      const e = thrown(() => parseBtf(make()));
      expect(e.kind).toBe(kind);
      expect(e.section).toBe('.BTF');
      expect(e.offset).toBe(offset);
      expect(e.message.length).toBeGreaterThan(10);
    });
  }
});

describe('loadBtf containers', () => {
  it('raw and not-BTF', () => {
    expect(loadBtf(buildBtf(everyKind())).container).toBe('raw');
    expect(thrown(() => loadBtf(new Uint8Array([1, 2, 3, 4]))).kind).toBe('bad-magic');
  });
});

export type { ErrorKindCheck };

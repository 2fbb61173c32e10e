/**
 * The C dumper's own contract, beyond byte-identity with the tools (that is in
 * tests/diff/btf-dump-c*.test.ts): root lookup, state kept across roots, refusals of
 * malformed input with typed errors, and non-ASCII names written as UTF-8.
 */
import { describe, expect, it } from 'vitest';
import { parseBtf } from '../../core-ts/btf/parse.ts';
import { CDumper, VMLINUX_EPILOGUE, VMLINUX_PREAMBLE, dumpC, findRootTypes, isDumpFlavor } from '../../core-ts/dump-c/index.ts';
import { isCorelabError } from '../../core-ts/errors.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { BtfBuilder, K } from './dump-c-btf-builder.ts';

function sample() {
  const b = new BtfBuilder();
  const int = b.int('int', 4); // 1
  b.composite(K.STRUCT, 'task', 8, [['pid', int, 0], ['tgid', int, 32]]); // 2
  b.ref(K.TYPEDEF, 'task', 2); // 3
  b.fwd('later', false); // 4
  b.enum32('task', 4, false, [['T1', 1]]); // 5
  b.composite(K.UNION, 'task', 4, [['x', int, 0]]); // 6
  return parseBtf(b.bytes());
}

describe('findRootTypes', () => {
  const btf = sample();
  it.each([
    ['task', [2, 3, 5, 6]],
    ['struct task', [2]],
    ['union task', [6]],
    ['enum task', [5]],
    ['typedef task', [3]],
    ['later', [4]],
    ['4', [4]],
  ])('%s → %j', (spec, ids) => expect(findRootTypes(btf, spec)).toEqual(ids));

  it.each(['nope', 'struct later', '99'])('%s is not-found', (spec) => {
    try {
      findRootTypes(btf, spec);
      expect.unreachable();
    } catch (e) {
      expect(isCorelabError(e) && e.kind).toBe('not-found');
    }
  });
});

describe('CDumper', () => {
  it('prints each type once across roots', () => {
    const d = new CDumper(sample());
    d.dumpType(2);
    const once = d.text();
    expect(once).toContain('struct task {');
    d.dumpType(2);
    d.dumpType(3);
    const after = d.text();
    expect(after.startsWith(once)).toBe(true);
    expect(after.split('struct task {').length).toBe(2);
  });

  it('refuses an id outside the BTF', () => {
    const d = new CDumper(sample());
    expect(() => d.dumpType(7)).toThrowError(/not in this BTF/);
  });

  it('wraps the whole dump in the preamble and epilogue, only the roots with --type', () => {
    const all = dumpC(sample()).text;
    expect(all.startsWith(VMLINUX_PREAMBLE) && all.endsWith(VMLINUX_EPILOGUE)).toBe(true);
    const one = dumpC(sample(), { roots: [6], header: false }).text;
    expect(one.startsWith('union task')).toBe(true);
    expect(one).not.toContain('struct task');
  });

  it('knows its flavours', () => {
    expect(isDumpFlavor('bpftool-7.1') && isDumpFlavor('libbpf-1.1')).toBe(true);
    expect(isDumpFlavor('bpftool-7.8')).toBe(false);
  });
});

describe('malformed input', () => {
  it('a struct whose size leaves a gigantic padding gap is too-large, not a hang', () => {
    const b = new BtfBuilder();
    b.int('long', 8);
    b.composite(K.STRUCT, 'huge', 0xfffffff0, []);
    const r = dumpC(parseBtf(b.bytes()));
    expect(r.error?.kind).toBe('too-large');
    expect(r.text.startsWith(VMLINUX_PREAMBLE)).toBe(true);
  });

  it('an embedding cycle stops the dump with libbpf\'s message', () => {
    const b = new BtfBuilder();
    b.composite(K.STRUCT, 'a', 4, [['b', 2, 0]]);
    b.composite(K.STRUCT, 'b', 4, [['a', 1, 0]]);
    const r = dumpC(parseBtf(b.bytes()));
    expect(r.error?.kind).toBe('loop');
    expect(r.error?.message).toBe('unsatisfiable type cycle, id:[1]');
    expect(r.text).toBe(VMLINUX_PREAMBLE);
  });
});

describe('names', () => {
  it('non-ASCII names are written as their UTF-8 bytes', () => {
    const b = new BtfBuilder();
    const int = b.int('int', 4);
    b.composite(K.STRUCT, 'caf\u00e9', 4, [['\u00fcber', int, 0]]);
    const d = new CDumper(parseBtf(b.bytes()));
    d.dumpType(2);
    const bytes = d.bytes();
    expect(new TextDecoder().decode(bytes)).toBe('struct caf\u00e9 {\n\tint \u00fcber;\n};\n\n');
    expect(bytes.length).toBe(d.text().length + 2);
  });
});

describe('flat record table', () => {
  it('Kind (the dumper\'s const enum) has the numbers of BtfKind', async () => {
    const { BtfKind } = await import('../../core-ts/btf/types.ts');
    const kinds = await import('../../core-ts/dump-c/kind.ts');
    // a const enum still exists as an object when a test imports it unbundled
    const Kind = (kinds as unknown as { Kind: Record<string, number> }).Kind;
    for (const [name, value] of Object.entries(BtfKind)) expect([name, Kind[name]]).toEqual([name, value]);
  });

  it('a Btf that is not our parser\'s (re-encoded records) dumps the same text', () => {
    const btf = sample();
    // a plain object forwarding to the parsed BTF: not a ParsedBtf, so the table re-encodes it
    const other: Btf = {
      endian: btf.endian,
      header: btf.header,
      base: btf.base,
      startId: btf.startId,
      typeCount: btf.typeCount,
      ptrSize: btf.ptrSize,
      ptrSizeSource: btf.ptrSizeSource,
      type: (id) => btf.type(id),
      kind: (id) => btf.kind(id),
      name: (id) => btf.name(id),
      str: (off) => btf.str(off),
      resolveSize: (id) => btf.resolveSize(id),
      alignOf: (id) => btf.alignOf(id),
      skipModsAndTypedefs: (id) => btf.skipModsAndTypedefs(id),
      findByName: (n, k) => btf.findByName(n, k),
    };
    for (const flavor of ['bpftool-7.1', 'libbpf-1.1'] as const) {
      const want = dumpC(btf, { flavor });
      const got = dumpC(other, { flavor });
      expect(got.error).toBeUndefined();
      expect(got.text).toBe(want.text);
      expect(want.text).toContain('struct task {');
    }
  });
});

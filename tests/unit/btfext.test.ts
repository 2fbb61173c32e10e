/** `.BTF.ext` acceptance rules, record decoding and lookups on hand-built sections, both byte orders. */

import { describe, expect, it } from 'vitest';
import { ByteView, type Endianness } from '../../core-ts/bytes/view.ts';
import {
  BtfExtIndex,
  coreRelosFor,
  lineInfoAt,
  lineInfoFor,
  sectionNames,
} from '../../core-ts/btfext/lookup.ts';
import { libbpf112Verdict, parseBtfExt } from '../../core-ts/btfext/parse.ts';
import { ReloKind, isReloKind, reloKindName } from '../../core-ts/btfext/relo-kind.ts';
import { CorelabError } from '../../core-ts/errors.ts';
import { CASES, build, strings, validSpec, type Reject } from './btfext-cases.ts';

const ENDIANS: Endianness[] = ['little', 'big'];

function expectReject(run: () => unknown, r: Reject, built: ReturnType<typeof build>): void {
  let err: unknown;
  try {
    run();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CorelabError);
  const e = err as CorelabError;
  expect({ kind: e.kind, offset: e.offset, section: e.section }).toEqual({
    kind: r.kind,
    offset: r.offset(built),
    section: '.BTF.ext',
  });
  if (r.atLoad) expect(e.message).toMatch(/\(libbpf 1\.1\.2 when relocating: -EINVAL, no message; then "failed to perform CO-RE relocations: -22"\)$/);
  else if (r.libbpf === null) expect(e.message.endsWith(`(libbpf 1.1.2: -${r.errno}, no message)`)).toBe(true);
  else expect(e.message.endsWith(`(libbpf 1.1.2: "${r.libbpf}", -${r.errno})`), e.message).toBe(true);
}

describe.each(ENDIANS)('acceptance rules, %s-endian', (endian) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const built = build(c.spec(endian));
    const asLibbpf = () => parseBtfExt(built.bytes, { endian, strings, libbpfHost: endian });
    const byMagic = () => parseBtfExt(built.bytes, { endian, strings });
    for (const [run, want] of [[asLibbpf, c.expect], [byMagic, c.byMagic ?? c.expect]] as const) {
      if (want === 'ok') expect(() => run()).not.toThrow();
      else expectReject(run, want, built);
    }
    // btf_ext__new's own verdict leaves out the load-time rules
    const verdict = libbpf112Verdict(built.bytes, endian);
    if (c.expect === 'ok' || c.expect.atLoad) expect(verdict).toBeNull();
    else expect(verdict?.kind).toBe(c.expect.kind);
    if (c.expect !== 'ok' && c.expect.atLoad) {
      expect(() => parseBtfExt(built.bytes, { endian, strings, loadChecks: false })).not.toThrow();
    }
  });

  it('decodes every record field', () => {
    const ext = parseBtfExt(build(validSpec(endian)).bytes, { endian, strings });
    expect(ext.endian).toBe(endian);
    expect(ext.swapped).toBe(false);
    expect([ext.version, ext.flags, ext.hdrLen, ext.hasCoreReloHeader]).toEqual([1, 0, 32, true]);
    expect([ext.funcInfoRecSize, ext.lineInfoRecSize, ext.coreReloRecSize]).toEqual([8, 16, 16]);
    expect(ext.funcInfo).toEqual([
      { section: 'tp/x', sectionNameOff: 1, offset: 36, records: [{ offset: 44, insnOff: 0, typeId: 3 }, { offset: 52, insnOff: 64, typeId: 5 }] },
    ]);
    expect(ext.lineInfo[0]!.records[0]).toEqual({
      offset: 72, insnOff: 0, fileNameOff: 6, lineOff: 13, lineCol: (25 << 10) | 49,
      fileName: 'file.c', line: 'int x;', lineNum: 25, col: 49, stringsResolved: true,
    });
    expect(ext.coreRelos[0]!.records.map((r) => [r.insnOff, r.typeId, r.accessStr, r.kind])).toEqual([
      [8, 2, '0:1', ReloKind.FieldByteOffset],
      [24, 2, '0:1', ReloKind.FieldByteSize],
    ]);
  });

  it('reads a section written in the other byte order, and says libbpf 1.1.2 would not', () => {
    const otherEndian: Endianness = endian === 'little' ? 'big' : 'little';
    const bytes = build(validSpec(otherEndian)).bytes;
    const ext = parseBtfExt(bytes, { endian, strings });
    expect(ext.swapped).toBe(true);
    expect(ext.endian).toBe(otherEndian);
    const same = parseBtfExt(bytes, { endian: otherEndian, strings });
    expect({ ...ext, swapped: false }).toEqual(same);
    // 1.1.2 reads hdr_len in host order first: byte-swapped, 32 becomes 0x20000000
    const v = libbpf112Verdict(bytes, endian);
    expect(v?.kind).toBe('truncated');
    expect(v?.message).toMatch(/"BTF.ext header not found", -EINVAL\)$/);
  });

  it('accepts a ByteView as input and reports offsets within the section', () => {
    const bytes = build({ ...validSpec(endian), version: 3 }).bytes;
    const file = new Uint8Array(100 + bytes.length);
    file.set(bytes, 100);
    const view = new ByteView(file, endian, 'ELF').sub(100, bytes.length, '.BTF.ext');
    expect(() => parseBtfExt(view, { endian, strings })).toThrow(expect.objectContaining({ offset: 2, section: '.BTF.ext' }));
  });

  it('marks line_info whose strings do not resolve', () => {
    const s = validSpec(endian);
    s.line = { recSize: 16, blocks: [{ nameOff: 1, records: [[0, 9999, 13, 1 << 10]] }] };
    const ext = parseBtfExt(build(s).bytes, { endian, strings });
    const r = ext.lineInfo[0]!.records[0]!;
    expect([r.fileName, r.line, r.stringsResolved]).toEqual(['', 'int x;', false]);
  });

  it('treats a CorelabError from the strings callback as an unresolved offset', () => {
    const throwing = (off: number) => {
      if (off > 3) throw new CorelabError('out-of-bounds', 'no such string');
      return strings(off);
    };
    const ext = parseBtfExt(build(validSpec(endian)).bytes, { endian, strings: throwing });
    expect(ext.coreRelos[0]!.records[0]!.accessStr).toBe('');
  });

  it('refuses num_info 0xffffffff by its bounds, before allocating records', () => {
    const s = validSpec(endian);
    s.core = { recSize: 16, blocks: [{ nameOff: 1, num: 0xffffffff, records: [[8, 2, 20, 0]] }] };
    let err: unknown;
    try {
      parseBtfExt(build(s).bytes, { endian, strings });
    } catch (e) {
      err = e;
    }
    // the bounds check names the count; a parser that allocated first would die or hang instead
    expect(err).toBeInstanceOf(CorelabError);
    expect(String((err as CorelabError).message)).toMatch(/4294967295|0xffffffff/i);
  });
});

describe('ReloKind', () => {
  it("uses the uapi numbers and libbpf's words", () => {
    const words = Array.from({ length: 13 }, (_, k) => reloKindName(k));
    expect(words).toEqual([
      'byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64',
      'local_type_id', 'target_type_id', 'type_exists', 'type_size', 'enumval_exists', 'enumval_value', 'type_matches',
    ]);
    expect(ReloKind.TypeMatches).toBe(12);
    expect(ReloKind.EnumvalValue).toBe(11);
    expect(reloKindName(13)).toBe('unknown');
    expect(reloKindName(-1)).toBe('unknown');
    expect(isReloKind(12)).toBe(true);
    expect(isReloKind(13)).toBe(false);
  });
});

describe('lookups', () => {
  const s = validSpec('little');
  s.line = {
    recSize: 16,
    blocks: [
      { nameOff: 1, records: [[0, 6, 13, 10 << 10], [0, 6, 13, 11 << 10], [32, 6, 13, 12 << 10], [16, 6, 13, 13 << 10]] },
      { nameOff: 6, records: [[8, 6, 13, 99 << 10]] },
    ],
  };
  s.core = {
    recSize: 16,
    blocks: [
      { nameOff: 1, records: [[8, 2, 20, 0], [8, 2, 20, 1]] },
      { nameOff: 1, records: [[40, 2, 20, 2]] },
    ],
  };
  const ext = parseBtfExt(build(s).bytes, { endian: 'little', strings });

  it('collects records of one section across blocks', () => {
    expect(coreRelosFor(ext, 'tp/x').map((r) => r.insnOff)).toEqual([8, 8, 40]);
    expect(lineInfoFor(ext, 'file.c').map((r) => r.lineNum)).toEqual([99]);
    expect(sectionNames(ext)).toEqual(['tp/x', 'file.c']);
  });

  it('finds the line in force: the last record with insnOff <= off', () => {
    const at = (off: number) => lineInfoAt(ext, 'tp/x', off)?.lineNum;
    expect([at(0), at(8), at(16), at(24), at(32), at(4096)]).toEqual([11, 11, 13, 13, 12, 12]);
    expect(lineInfoAt(ext, 'nope', 0)).toBeUndefined();
    const idx = new BtfExtIndex(ext);
    expect([0, 8, 16, 24, 32, 4096].map((o) => idx.lineAt('tp/x', o)?.lineNum)).toEqual([11, 11, 13, 13, 12, 12]);
    expect(idx.linesStartingAt('tp/x', 0).map((r) => r.lineNum)).toEqual([10, 11]);
    expect(idx.linesStartingAt('tp/x', 8)).toEqual([]);
  });

  it('indexes CO-RE records and func_info by instruction', () => {
    const idx = new BtfExtIndex(ext);
    expect(idx.relosAt('tp/x', 8).map((r) => r.kind)).toEqual([0, 1]);
    expect(idx.relosAt('tp/x', 40).map((r) => r.kind)).toEqual([2]);
    expect(idx.relosAt('tp/x', 16)).toEqual([]);
    expect(idx.funcAt('tp/x', 64)?.typeId).toBe(5);
    expect(idx.funcAt('tp/x', 8)).toBeUndefined();
  });
});

/**
 * Hand-built BTFs (every kind and kflag variant, odd encodings and linkages, invalid name
 * offsets, both byte orders, 32-byte header, split) dumped by bpftool 7.1 and by corelab; and
 * malformed ones, where bpftool must refuse exactly those corelab refuses (minus the listed,
 * deliberate differences).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorelabError } from '../../core-ts/errors.ts';
import { parseBtf } from '../../core-ts/btf/parse.ts';
import { dumpRawBytes } from '../../core-ts/btf/dump-raw.ts';
import { requireTool } from '../support/tools.ts';
import { buildBtf, everyKind, type BuildOptions, type RawType } from '../unit/btf/builder.ts';

const work = mkdtempSync(join(tmpdir(), 'corelab-btf-built-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
function file(bytes: Uint8Array): string {
  const p = join(work, `b${n++}.btf`);
  writeFileSync(p, bytes);
  return p;
}
function bpftool(args: string[]): { status: number | null; out: Buffer; err: string } {
  const r = spawnSync(requireTool('bpftool'), args, { maxBuffer: 1 << 28 });
  return { status: r.status, out: r.stdout, err: r.stderr.toString() };
}

describe('built BTFs: dump identical to bpftool', () => {
  const variants: [string, BuildOptions][] = [
    ['little-endian', {}],
    ['big-endian', { endian: 'big' }],
    ['32-byte header, little-endian', { hdrLen: 32 }],
    ['32-byte header with a layout section', { hdrLen: 32, layout: [0x0c04, 0x0008] }],
  ];
  for (const [what, o] of variants) {
    it(what, () => {
      const bytes = buildBtf(everyKind(), o);
      const r = bpftool(['btf', 'dump', 'file', file(bytes)]);
      expect(r.status, r.err).toBe(0);
      expect(Buffer.from(dumpRawBytes(parseBtf(bytes))).toString('latin1')).toBe(r.out.toString('latin1'));
    });
  }
  it('split on a base (-B)', () => {
    const baseBytes = buildBtf(everyKind());
    const base = parseBtf(baseBytes);
    const split = buildBtf(
      [
        { kind: 4, name: 'mod', vlen: 2, st: 16, words: [{ s: 'p' }, 3, 0, { s: 'pair' }, 5, 64] },
        { kind: 15, name: '.bss', vlen: 2, st: 8, words: [5, 0, 8, base.typeCount, 8, 0] },
        { kind: 12, name: 'int', st: 16, vlen: 1 },
      ],
      { strBase: base.header.strLen },
    );
    const r = bpftool(['-B', file(baseBytes), 'btf', 'dump', 'file', file(split)]);
    expect(r.status, r.err).toBe(0);
    expect(Buffer.from(dumpRawBytes(parseBtf(split, { base }))).toString('latin1')).toBe(r.out.toString('latin1'));
  });
});

describe('malformed BTFs: same verdict as bpftool', () => {
  const ok: RawType[] = [{ kind: 1, name: 'int', st: 4, words: [(1 << 24) | 32] }, { kind: 2, st: 1 }];
  const cases: [string, Uint8Array][] = [
    ['valid', buildBtf(ok)],
    ['truncated header', buildBtf(ok).slice(0, 20)],
    ['hdr_len past end', buildBtf(ok, { patch: { hdrLen: 4096 } })],
    ['strings past end', buildBtf(ok, { patch: { strLen: 4096 } })],
    ['types overlap strings', buildBtf(ok, { patch: { typeLen: 40 } })],
    ['types misaligned', buildBtf(ok, { patch: { typeOff: 2, typeLen: 4 } })],
    ['empty string section', buildBtf([], { patch: { strLen: 0 } })],
    ['string section without final NUL', (() => { const b = buildBtf(ok); b[b.length - 1] = 0x41; return b; })()],
    ['string section without leading NUL', buildBtf(ok, { strBase: 0 })],
    ['unknown kind 20', buildBtf([...ok, { kind: 20 }])],
    ['unknown kind 31', buildBtf([...ok, { kind: 31 }])],
    ['record past the section', buildBtf([...ok, { kind: 4, vlen: 3, st: 0 }])],
    ['stray bytes after the last record', buildBtf([...ok, { kind: 2, st: 0, words: [0] }])],
    ['big-endian valid', buildBtf(ok, { endian: 'big' })],
    ['big-endian record past the section', buildBtf([...ok, { kind: 6, vlen: 9 }], { endian: 'big' })],
    ['trailing bytes after the strings', (() => { const b = buildBtf(ok); const c = new Uint8Array(b.length + 8); c.set(b); return c; })()],
    ['version 2 and flags 0xff (libbpf does not check)', buildBtf(ok, { patch: { version: 2, flags: 0xff } })],
    ['type ids out of range (not checked at parse)', buildBtf([{ kind: 2, st: 77 }, { kind: 8, name: 't', st: 1000 }])],
  ];
  for (const [what, bytes] of cases) {
    it(what, () => {
      const r = bpftool(['btf', 'dump', 'file', file(bytes)]);
      let ours: Uint8Array | CorelabError;
      try {
        ours = dumpRawBytes(parseBtf(bytes));
      } catch (e) {
        if (!(e instanceof CorelabError)) throw e;
        ours = e;
      }
      if (ours instanceof CorelabError) {
        expect(r.status, `bpftool accepted what corelab refused (${ours.describe()})`).not.toBe(0);
      } else {
        expect(r.status, `bpftool refused what corelab accepted: ${r.err}`).toBe(0);
        expect(Buffer.from(ours).toString('latin1')).toBe(r.out.toString('latin1'));
      }
    });
  }

  // Deliberate differences, pinned so they stay deliberate.
  it('differs on purpose: hdr_len < 24 (libbpf 1.1.2 reads header bytes as types; corelab refuses)', () => {
    expect(() => parseBtf(buildBtf(ok, { patch: { hdrLen: 16 } }))).toThrow(CorelabError);
  });
  it('differs on purpose: big-endian 32-byte header (libbpf 1.1.2 -ENOTSUP, HEAD and corelab accept)', () => {
    const b = buildBtf(ok, { endian: 'big', hdrLen: 32 });
    expect(bpftool(['btf', 'dump', 'file', file(b)]).status).not.toBe(0);
    expect(parseBtf(b).typeCount).toBe(3);
  });
  it('differs on purpose: kind bits 29-30 (old 5-bit kind field ignores them; the 7-bit field does not)', () => {
    const b = buildBtf([{ kind: 1, info: (0x21 << 24) >>> 0, st: 4, words: [32] }]);
    expect(bpftool(['btf', 'dump', 'file', file(b)]).status).toBe(0);
    expect(() => parseBtf(b)).toThrow(CorelabError);
  });
});

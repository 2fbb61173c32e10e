/**
 * core-ts/share: base64url against Node's own encoder, the case codec (link and file) round-trip
 * on every bundled sample × kernel, by value and by reference, and every kind of damage giving a
 * typed CorelabError; the BTF writer re-encodes every corpus object's .BTF to the same raw dump.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpRaw } from '../../core-ts/btf/dump-raw.ts';
import { loadBtf } from '../../core-ts/btf/load.ts';
import { parseBtf } from '../../core-ts/btf/parse.ts';
import { BtfKind } from '../../core-ts/btf/types.ts';
import { CorelabError } from '../../core-ts/errors.ts';
import { base64urlDecode, base64urlEncode } from '../../core-ts/share/base64url.ts';
import { writeBtf } from '../../core-ts/share/btf-write.ts';
import { decodeBundle, encodeBundle } from '../../core-ts/share/bundle.ts';
import type { CaseBundle, CaseInput } from '../../core-ts/share/bundle.ts';
import { caseToFile, caseToFragment, deflateRaw, fileToCase, fragmentToCase, hex, isCaseFile } from '../../core-ts/share/link.ts';
import { crc32 } from '../../core-ts/xz/crc.ts';
import { sha256 } from '../../core-ts/xz/sha256.ts';
import { loadManifest, REPO_ROOT } from '../corpus.ts';

const SAMPLES = join(REPO_ROOT, 'public/samples');
const samplesIndex = JSON.parse(readFileSync(join(SAMPLES, 'index.json'), 'utf8')) as {
  samples: { id: string; object: { path: string; sha256: string; size: number } }[];
  kernels: { id: string; path: string; sha256: string; size: number }[];
};

function input(role: CaseInput['role'], path: string, byValue: boolean): CaseInput {
  const bytes = new Uint8Array(readFileSync(join(SAMPLES, path)));
  return { role, name: path.split('/').pop()!, sha256: hex(sha256(bytes)), size: bytes.length, ...(byValue ? { bytes } : {}) };
}

/** The bundle with each input's bytes replaced by their sha256: vitest compares large typed arrays slowly. */
function digest(b: CaseBundle): unknown {
  return { ...b, inputs: b.inputs.map((i) => (i.bytes ? { ...i, bytes: `${i.bytes.length} bytes, sha256 ${hex(sha256(i.bytes))}` } : i)) };
}

/** A CorelabError of this kind, from a promise or a function. */
async function typedError(f: () => unknown): Promise<CorelabError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(CorelabError);
    return e as CorelabError;
  }
  throw new Error('expected a CorelabError, nothing was thrown');
}

describe('base64url', () => {
  // Node's Buffer implements RFC 4648 base64url: an independent encoder to agree with
  const lengths = [0, 1, 2, 3, 4, 5, 31, 32, 33, 255, 256, 1000];
  for (const n of lengths) {
    it(`${n} bytes: same text as Node's base64url, and back`, () => {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = (i * 151 + 7) & 0xff;
      const s = base64urlEncode(b);
      expect(s).toBe(Buffer.from(b).toString('base64url'));
      expect(base64urlDecode(s)).toEqual(b);
    });
  }
  it.each([
    ['a character outside the alphabet', 'ab+d'],
    ['padding', 'ab=='],
    ['a length of 4k+1', 'abcde'],
    ['a non-ASCII character', 'abcé'],
  ])('rejects %s', (_what, s) => {
    expect(base64urlDecode(s)).toBeUndefined();
  });
});

describe('case codec round trip on the bundled samples', () => {
  // the sample hashes in index.json are the files' (the playground references bundled files by them)
  for (const s of samplesIndex.samples) {
    it(`index.json's sha256 of ${s.object.path} is the file's`, () => {
      expect(input('object', s.object.path, false).sha256).toBe(s.object.sha256);
    });
  }
  for (const k of samplesIndex.kernels) {
    it(`index.json's sha256 of ${k.path} is the file's`, () => {
      expect(input('vmlinux', k.path, false).sha256).toBe(k.sha256);
    });
  }
  for (const s of samplesIndex.samples) {
    for (const k of samplesIndex.kernels) {
      for (const [how, objByValue, kernelByValue] of [
        ['both by reference', false, false],
        ['object by value', true, false],
        ['both by value', true, true],
      ] as const) {
        it(`${s.id} × ${k.id}, ${how}: link and case file give the bundle back`, async () => {
          const bundle: CaseBundle = {
            version: 1,
            inputs: [input('object', s.object.path, objByValue), input('vmlinux', k.path, kernelByValue)],
            ui: { relo: 'kprobe/x#3', tab: 'detail' },
          };
          const want = digest(bundle);
          expect(digest(decodeBundle(encodeBundle(bundle)))).toEqual(want);
          const frag = await caseToFragment(bundle);
          expect(frag).toMatch(/^v1\.[A-Za-z0-9_-]+\.[0-9a-z]+$/);
          expect(digest(await fragmentToCase(frag))).toEqual(want);
          expect(digest(await fragmentToCase('#' + frag))).toEqual(want);
          const file = await caseToFile(bundle);
          expect(isCaseFile(file)).toBe(true);
          expect(digest(await fileToCase(file))).toEqual(want);
        });
      }
    }
  }
  it('keeps a module name and a minimized kernel\'s origin', async () => {
    const k = input('vmlinux', samplesIndex.kernels[0]!.path, false);
    const bundle: CaseBundle = {
      version: 1,
      inputs: [
        { ...input('module', samplesIndex.kernels[1]!.path, false), module: 'nf_conntrack' },
        { role: 'vmlinux', name: 'k.min.btf', sha256: k.sha256, size: 3, bytes: new Uint8Array([1, 2, 3]), minimizedFrom: { name: k.name, sha256: k.sha256, size: k.size } },
      ],
      ui: {},
    };
    expect(await fragmentToCase(await caseToFragment(bundle))).toEqual(bundle);
  });
});

describe('damaged links and case data give typed errors', () => {
  const bundle: CaseBundle = { version: 1, inputs: [input('object', samplesIndex.samples[0]!.object.path, true)], ui: {} };

  it('a changed character fails the checksum', async () => {
    const f = await caseToFragment(bundle);
    const at = 10;
    const damaged = f.slice(0, at) + (f[at] === 'A' ? 'B' : 'A') + f.slice(at + 1);
    const e = await typedError(() => fragmentToCase(damaged));
    expect([e.kind, e.section]).toEqual(['invalid', 'link']);
    expect(e.message).toMatch(/checksum/);
  });
  it('a link cut short fails the checksum or the format', async () => {
    const f = await caseToFragment(bundle);
    const e = await typedError(() => fragmentToCase(f.slice(0, Math.floor(f.length / 2))));
    expect(['invalid', 'bad-version']).toContain(e.kind);
    expect(e.section).toBe('link');
  });
  it.each([
    ['another version', (f: string) => 'v2' + f.slice(2), 'bad-version'],
    ['no checksum part', (f: string) => f.slice(0, f.lastIndexOf('.')), 'bad-version'],
    ['a character outside base64url', (f: string) => f.replace('.', '.*'), 'invalid'],
  ] as const)('%s', async (_what, mutate, kind) => {
    const e = await typedError(async () => fragmentToCase(mutate(await caseToFragment(bundle))));
    expect(e.kind).toBe(kind);
  });
  it('a correct checksum over data that does not inflate', async () => {
    const z = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0x12]);
    const e = await typedError(() => fragmentToCase(`v1.${base64urlEncode(z)}.${crc32(z).toString(36)}`));
    expect([e.kind, e.section]).toEqual(['invalid', 'case']);
    expect(e.message).toMatch(/deflate/);
  });
  it('a valid deflate stream holding no case', async () => {
    const z = await deflateRaw(new TextEncoder().encode('hello, not a case'));
    const e = await typedError(() => fragmentToCase(`v1.${base64urlEncode(z)}.${crc32(z).toString(36)}`));
    expect(e.kind).toBe('bad-magic');
  });
  it('a file without the case-file line', async () => {
    const e = await typedError(() => fileToCase(new Uint8Array([1, 2, 3])));
    expect(e.kind).toBe('bad-magic');
  });

  const good = encodeBundle(bundle);
  const headerLen = new DataView(good.buffer).getUint32(4, true);
  const withHeader = (json: string): Uint8Array => {
    const j = new TextEncoder().encode(json);
    const out = new Uint8Array(8 + j.length);
    out.set([0x43, 0x4c, 0x42, 0x01]);
    new DataView(out.buffer).setUint32(4, j.length, true);
    out.set(j, 8);
    return out;
  };
  it.each([
    ['shorter than its header', good.subarray(0, 5), 'truncated', 0],
    ['a newer format version', Uint8Array.from([0x43, 0x4c, 0x42, 0x02, ...good.subarray(4)]), 'bad-version', 3],
    ['another magic', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...good.subarray(4)]), 'bad-magic', 0],
    ['a header length past the end', good.subarray(0, 8 + headerLen - 1), 'truncated', 4],
    ['bytes of an input missing', good.subarray(0, good.length - 1), 'truncated', 8 + headerLen],
    ['a header that is not JSON', withHeader('{"v":1,'), 'invalid', 8],
    ['no input list', withHeader('{"v":1}'), 'invalid', 8],
    ['an input with an unknown role', withHeader(`{"v":1,"inputs":[{"role":"kernel","name":"x","sha256":"${'0'.repeat(64)}","size":0}]}`), 'invalid', 8],
    ['an input with a bad sha256', withHeader('{"v":1,"inputs":[{"role":"object","name":"x","sha256":"abc","size":0}]}'), 'invalid', 8],
    ['a negative size', withHeader(`{"v":1,"inputs":[{"role":"object","name":"x","sha256":"${'0'.repeat(64)}","size":-1}]}`), 'invalid', 8],
  ] as const)('bundle with %s', async (_what, bytes, kind, offset) => {
    const e = await typedError(() => decodeBundle(bytes));
    expect([e.kind, e.section, e.offset]).toEqual([kind, 'case', offset]);
  });
});

describe('BTF writer: every corpus object\'s .BTF, re-encoded whole, dumps as the original', () => {
  const objects = loadManifest().objects.filter((o) => o.group !== 'libbpf-tools' || o.name.startsWith('b'));
  it('has objects', () => expect(objects.length).toBeGreaterThan(20));
  for (const o of objects) {
    it(o.path, () => {
      const btf = loadBtf(new Uint8Array(readFileSync(join(REPO_ROOT, o.path)))).btf;
      const types = [];
      for (let id = 1; id < btf.typeCount; id++) types.push({ type: btf.type(id) });
      const bytes = writeBtf(types, (id) => id, btf.endian);
      const again = parseBtf(bytes, { section: 'BTF' });
      expect(again.endian).toBe(btf.endian);
      expect(again.typeCount).toBe(btf.typeCount);
      expect(dumpRaw(again)).toBe(dumpRaw(btf));
    });
  }
  it('a struct written with a subset of members keeps its size and their offsets', () => {
    const btf = loadBtf(new Uint8Array(readFileSync(join(SAMPLES, 'task_exe.bpf.o')))).btf;
    const id = btf.findByName('task_struct', BtfKind.Struct)[0]!;
    const t = btf.type(id);
    if (t.kind !== BtfKind.Struct) throw new Error('task_struct is not a struct');
    const keep = t.members.filter((_, i) => i % 2 === 1);
    const out = parseBtf(writeBtf([{ type: t, members: keep }], () => 0, btf.endian), { section: 'BTF' });
    const w = out.type(1);
    if (w.kind !== BtfKind.Struct) throw new Error('written type is not a struct');
    expect(w.size).toBe(t.size);
    expect(w.members.map((m) => [m.name, m.bitOffset, m.bitfieldSize, m.type])).toEqual(keep.map((m) => [m.name, m.bitOffset, m.bitfieldSize, 0]));
  });
});

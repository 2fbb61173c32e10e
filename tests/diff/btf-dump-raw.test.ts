/**
 * `corelab`'s raw BTF dump against `bpftool btf dump file` (Debian bpftool 7.1), byte for byte,
 * on every kernel BTF of the corpus (split module BTFs with `-B base`) and every corpus
 * object's .BTF. bpftool is run live; a missing bpftool fails the suite.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBtf } from '../../core-ts/btf/load.ts';
import { dumpRawBytes } from '../../core-ts/btf/dump-raw.ts';
import { dumpJson } from '../../core-ts/btf/dump-json.ts';
import { xzDecompress } from '../../core-ts/xz/index.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { requireTool } from '../support/tools.ts';

const ROOT = resolve(__dirname, '../..');
const MANIFEST = join(ROOT, '.cache/corpus/manifest.json');

interface KernelEntry { path: string; name: string; sha256: string; base?: string; types: number; firstTypeId: number }
interface ObjectEntry { path: string; group: string; name: string; endian: string }
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { kernels: KernelEntry[]; objects: ObjectEntry[] };

// the repo's and the shared archive's copies of one kernel are the same bytes: test each once
const kernels: KernelEntry[] = [];
const seen = new Set<string>();
for (const k of manifest.kernels) {
  if (seen.has(k.sha256)) continue;
  seen.add(k.sha256);
  kernels.push(k);
}
const byName = new Map(manifest.kernels.map((k) => [k.name, k]));

const work = mkdtempSync(join(tmpdir(), 'corelab-btf-dump-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const rawCache = new Map<string, string>();
/** the kernel's raw BTF as a file for bpftool */
function rawFile(k: KernelEntry): string {
  let p = rawCache.get(k.name);
  if (!p) {
    p = join(work, `${k.name.replace(/[^\w.-]/g, '_')}.btf`);
    writeFileSync(p, xzDecompress(readFileSync(resolve(ROOT, k.path))));
    rawCache.set(k.name, p);
  }
  return p;
}

function bpftool(args: string[]): Buffer {
  const r = spawnSync(requireTool('bpftool'), args, { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`bpftool ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const tally = { files: 0, identical: 0, bytes: 0 };
const jsonTally = { files: 0, identical: 0, bytes: 0 };
afterAll(() => {
  console.log(`btf dump raw: ${tally.identical} of ${tally.files} files identical to bpftool (${tally.bytes} bytes compared)`);
  console.log(`btf dump -j: ${jsonTally.identical} of ${jsonTally.files} files identical to bpftool -j (${jsonTally.bytes} bytes compared)`);
});

function compareJson(btf: Btf, args: string[]): void {
  const theirs = bpftool(['-j', ...args]);
  jsonTally.files++;
  const ours = dumpJson(btf);
  expect(ours === theirs.toString('utf8')).toBe(true);
  jsonTally.identical++;
  jsonTally.bytes += theirs.length;
}

function compare(ours: Uint8Array, theirs: Buffer): void {
  tally.files++;
  const same = Buffer.compare(Buffer.from(ours.buffer, ours.byteOffset, ours.byteLength), theirs) === 0;
  if (same) {
    tally.identical++;
    tally.bytes += theirs.length;
    return;
  }
  const a = Buffer.from(ours).toString('latin1').split('\n');
  const b = theirs.toString('latin1').split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  expect(`line ${i + 1}: ${a[i]}`).toBe(`line ${i + 1}: ${b[i]}`);
}

describe('kernel BTFs vs bpftool btf dump file', () => {
  it('has the corpus kernels', () => {
    expect(kernels.length).toBeGreaterThanOrEqual(7);
    expect(kernels.some((k) => k.base)).toBe(true);
  });
  for (const k of kernels) {
    it(k.name, () => {
      const file = rawFile(k);
      let base: Btf | undefined;
      const args = ['btf', 'dump', 'file', file];
      if (k.base) {
        const bk = byName.get(k.base);
        if (!bk) throw new Error(`base ${k.base} of ${k.name} is not in the corpus`);
        base = loadBtf(readFileSync(rawFile(bk))).btf;
        args.unshift('-B', rawFile(bk));
      }
      const btf = loadBtf(readFileSync(file), base ? { base } : {}).btf;
      expect(btf.typeCount - btf.startId).toBe(k.types);
      expect(btf.startId).toBe(k.firstTypeId);
      compare(dumpRawBytes(btf), bpftool(args));
      // JSON on a few kernels (LE, BE, 32-bit, split) keeps the suite's wall time down
      if (k.base || /s390x|armmp|host-6\.18/.test(k.name)) compareJson(btf, args);
    });
  }
});

describe('corpus objects .BTF vs bpftool btf dump file', () => {
  it('has the corpus objects', () => {
    expect(manifest.objects.length).toBeGreaterThan(50);
  });
  for (const o of manifest.objects) {
    it(`${o.group}/${o.endian}/${o.name}`, () => {
      const file = resolve(ROOT, o.path);
      const btf = loadBtf(readFileSync(file)).btf;
      compare(dumpRawBytes(btf), bpftool(['btf', 'dump', 'file', file]));
      compareJson(btf, ['btf', 'dump', 'file', file]);
    });
  }
});

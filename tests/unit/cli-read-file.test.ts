import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readWholeFile } from '../../cli/read-file.ts';

/** cli/read-file.ts reads through a small scratch buffer: it must give readFileSync's bytes and errors. */
const ROOT = join(import.meta.dirname, '../..');
const DIR = join(ROOT, '.cache/cli-read-file');

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

it('gives the bytes readFileSync gives, at and around the scratch size', () => {
  mkdirSync(DIR, { recursive: true });
  const kernel = readFileSync(join(ROOT, 'tests/kernels/host-6.18-amd64.btf.xz'));
  for (const n of [0, 1, 65535, 65536, 65537, 3 * 65536, 3 * 65536 + 7, kernel.length]) {
    const p = join(DIR, `f${n}`);
    writeFileSync(p, kernel.subarray(0, n));
    const got = readWholeFile(p);
    expect(got.length, p).toBe(n);
    expect(Buffer.compare(Buffer.from(got.buffer, got.byteOffset, got.byteLength), readFileSync(p)), p).toBe(0);
  }
});

it('reads what readFileSync reads from devices and /proc, and fails with its error codes', () => {
  expect(readWholeFile('/dev/null').length).toBe(0);
  // /proc files report size 0 but have content
  const got = Buffer.from(readWholeFile('/proc/self/status'));
  expect(got.toString('latin1')).toMatch(/^Name:/);
  for (const p of [join(DIR, 'missing'), DIR]) {
    expect(codeOf(() => readWholeFile(p)), p).toBe(codeOf(() => readFileSync(p)));
    expect(codeOf(() => readWholeFile(p)), p).toBeDefined();
  }
});

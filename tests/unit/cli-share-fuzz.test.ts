/**
 * `corelab share open` on damaged cases: mutated links, mutated case files, and well-compressed
 * case files whose bundle inside is mutated (so the header, sizes and names are what is damaged,
 * not only the deflate stream). Every outcome is a written case or a CorelabError, and nothing is
 * ever written outside the output directory.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import type { CliIo } from '../../cli/args.ts';
import { command as share } from '../../cli/commands/share.ts';
import { CorelabError } from '../../core-ts/errors.ts';
import { encodeBundle } from '../../core-ts/share/bundle.ts';
import { deflateRaw, fragmentToCase } from '../../core-ts/share/link.ts';
import { REPO_ROOT } from '../corpus.ts';
import { applyEdits, editArb } from '../support/mutate.ts';

const work = mkdtempSync(join(tmpdir(), 'corelab-share-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const OBJ = join(REPO_ROOT, '.cache/corpus/progs/bpf/core_fields.bpf.o');
const KERNEL = join(REPO_ROOT, 'tests/kernels/debian-6.1.0-50-arm64.btf.xz');
const BUNDLED_KERNEL = join(REPO_ROOT, 'public/samples/kernels/debian-6.12.117-amd64.btf.xz');

function io(written: string[]): CliIo {
  return {
    out: () => {},
    err: () => {},
    // as cli/main.ts's io: an unreadable path is a CorelabError
    readFile: (p) => {
      try {
        return new Uint8Array(readFileSync(p));
      } catch (e) {
        throw new CorelabError('not-found', `cannot read ${p}: ${(e as NodeJS.ErrnoException).code}`);
      }
    },
    writeFile: (p, d) => {
      written.push(p);
      writeFileSync(p, d);
    },
  };
}

/** Opens `arg` into a fresh directory: true when it opened, false for a CorelabError; anything else fails. */
async function openOne(arg: string, n: number): Promise<boolean> {
  const dir = join(work, `o${n}`);
  const written: string[] = [];
  try {
    await share.run(['open', arg, '-o', dir], io(written));
    for (const p of written) expect(p.startsWith(dir + '/') && !p.slice(dir.length + 1).includes('/'), p).toBe(true);
    expect(readdirSync(dir).length).toBe(written.length);
    return true;
  } catch (e) {
    if (!(e instanceof CorelabError)) throw e;
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function makeLink(argv: string[]): Promise<string> {
  let out = '';
  await share.run(argv, { ...io([]), out: (s) => void (out += s) });
  return out.trim();
}

let n = 0;

it('mutated links: opened or a CorelabError', async () => {
  const url = await makeLink([OBJ, '--btf', KERNEL]);
  const chars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.#/ ');
  let opened = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: url.length - 1 }), fc.nat({ max: 8 }), chars, fc.constantFrom('cut', 'set', 'drop'), async (at, len, c, op) => {
      const bad = op === 'cut' ? url.slice(0, at) : op === 'set' ? url.slice(0, at) + c + url.slice(at + 1) : url.slice(0, at) + url.slice(at + len + 1);
      const fragment = (u: string): string => u.slice(u.indexOf('#') + 1).replace(/\s+/g, '');
      const changed = !bad.includes('#') || fragment(bad) !== fragment(url);
      if (await openOne(bad, n++)) {
        opened++;
        // a changed fragment must be refused (its CRC-32 would have to collide)
        expect(changed, `opened a damaged link: ${op} at ${at}`).toBe(false);
      }
    }),
    { numRuns: 150, seed: 7 },
  );
  expect(opened).toBeLessThan(150);
});

it('mutated case files and mutated bundles inside good compression: opened or a CorelabError', async () => {
  const url = await makeLink([OBJ, '--btf', BUNDLED_KERNEL]);
  const bundle = encodeBundle(await fragmentToCase(url.slice(url.indexOf('#') + 1)));
  const magic = new TextEncoder().encode('corelab-case\n');
  await fc.assert(
    fc.asyncProperty(fc.array(editArb(bundle.length), { minLength: 1, maxLength: 4 }), fc.boolean(), async (edits, inside) => {
      let file: Uint8Array;
      if (inside) {
        const z = await deflateRaw(applyEdits(bundle, edits));
        file = new Uint8Array(magic.length + z.length);
        file.set(magic);
        file.set(z, magic.length);
      } else {
        const z = await deflateRaw(bundle);
        const whole = new Uint8Array(magic.length + z.length);
        whole.set(magic);
        whole.set(z, magic.length);
        file = applyEdits(whole, edits);
      }
      const p = join(work, `case${n}.corelab`);
      writeFileSync(p, file);
      await openOne(p, n++);
    }),
    { numRuns: 200, seed: 11 },
  );
});

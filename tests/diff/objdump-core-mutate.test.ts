// CO-RE lines for odd records: corpus objects whose .BTF.ext CO-RE records get another type id,
// kind or access string (in place, so everything else stays valid), against llvm-objdump-19 -dr.
// This reaches LLVM's error renderings (`'spec' <reason>`), enum/field/type kinds on the wrong
// types, anonymous members, unknown kinds and out-of-range ids.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseElf } from '../../core-ts/elf/index.ts';
import { btfStrOrUndefined, parseBtf } from '../../core-ts/btf/parse.ts';
import { parseBtfExt } from '../../core-ts/btfext/parse.ts';
import { objdump } from '../../core-ts/insn/index.ts';
import { corpusObjects, readObject } from '../corpus.ts';
import { requireTool } from '../support/tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'corelab-core-mutate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const VARIANTS = 12;

/** Offsets (within the string section) where a string starts. */
function stringStarts(btfBytes: Uint8Array, le: boolean): number[] {
  const dv = new DataView(btfBytes.buffer, btfBytes.byteOffset, btfBytes.byteLength);
  const hdrLen = dv.getUint32(4, le);
  const strOff = dv.getUint32(16, le);
  const strLen = dv.getUint32(20, le);
  const base = hdrLen + strOff;
  const out = [0];
  for (let i = 0; i + 1 < strLen; i++) if (btfBytes[base + i] === 0) out.push(i + 1);
  return out;
}

describe('CO-RE lines of mutated .BTF.ext records vs llvm-objdump-19', () => {
  requireTool('llvm-objdump-19');
  it(`${VARIANTS} mutants of each object with CO-RE records, both byte orders`, () => {
    const objs = corpusObjects((o) => o.group === 'progs' || o.role === 'core-prog').slice(0, 60);
    const files: { path: string; endian: string; got: string }[] = [];
    let records = 0;
    objs.forEach((o, n) => {
      const bytes = readObject(o);
      const elf = parseElf(bytes);
      const btfSec = elf.section('.BTF');
      const extSec = elf.section('.BTF.ext');
      if (!btfSec || !extSec) return;
      const btf = parseBtf(elf.data(btfSec));
      const ext = parseBtfExt(elf.data(extSec), { endian: elf.endian, strings: (off) => btfStrOrUndefined(btf, off), loadChecks: false });
      const recs = ext.coreRelos.flatMap((b) => b.records);
      if (recs.length === 0) return;
      const strs = stringStarts(elf.data(btfSec), elf.endian === 'little');
      const le = elf.endian === 'little';
      const muts = fc.sample(
        fc.record({
          which: fc.integer({ min: 0, max: recs.length - 1 }),
          field: fc.constantFrom('type', 'kind', 'access', 'access'),
          type: fc.oneof(fc.integer({ min: 0, max: btf.typeCount + 2 }), fc.constant(0x7fffffff), fc.constant(0xffffffff)),
          kind: fc.integer({ min: 0, max: 14 }),
          access: fc.constantFrom(...strs),
        }),
        { numRuns: VARIANTS, seed: n + 1 },
      );
      muts.forEach((m, k) => {
        const copy = bytes.slice();
        const dv = new DataView(copy.buffer);
        const at = extSec.offset + recs[m.which]!.offset;
        if (m.field === 'type') dv.setUint32(at + 4, m.type >>> 0, le);
        else if (m.field === 'kind') dv.setUint32(at + 12, m.kind, le);
        else dv.setUint32(at + 8, m.access, le);
        const path = join(dir, `${o.name}-${o.endian}-${k}.o`);
        writeFileSync(path, copy);
        files.push({ path, endian: o.endian, got: objdump(copy, { relocs: true, fileName: path }) });
        records++;
      });
    });
    expect(records).toBeGreaterThan(50);
    const diffs: string[] = [];
    let coreLines = 0;
    let failLines = 0;
    for (const endian of ['little', 'big']) {
      const mine = files.filter((f) => f.endian === endian);
      for (let i = 0; i < mine.length; i += 40) {
        const chunk = mine.slice(i, i + 40);
        const expected = execFileSync(requireTool('llvm-objdump-19'), ['-d', '-r', '--no-show-raw-insn', ...chunk.map((f) => f.path)], {
          encoding: 'utf8', maxBuffer: 512 << 20, stdio: ['ignore', 'pipe', 'ignore'],
        });
        const got = chunk.map((f) => f.got).join('');
        const e = expected.split('\n');
        const g = got.split('\n');
        coreLines += e.filter((l) => l.includes(':  CO-RE ')).length;
        failLines += e.filter((l) => l.includes(':  CO-RE ') && / '[^']*' <[^<>]*>$/.test(l)).length;
        for (let j = 0; j < Math.max(e.length, g.length); j++) {
          if (e[j] !== g[j] && diffs.length < 10) diffs.push(`line ${j + 1}: expected ${JSON.stringify(e[j])}, got ${JSON.stringify(g[j])}`);
        }
      }
    }
    console.log(`CO-RE mutants: ${files.length} objects, ${coreLines} CO-RE lines (${failLines} in LLVM's error form), ${diffs.length === 0 ? 'all identical' : 'DIFFERENCES'}`);
    expect(diffs).toEqual([]);
    expect(failLines).toBeGreaterThan(20);
  });
});

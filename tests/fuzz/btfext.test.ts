/**
 * Fuzz: 100,000 mutated `.BTF.ext` sections (from the smallest real corpus sections and the
 * hand-built ones) — bit flips, truncation, huge num_info/rec_size/offsets, swapped byte order.
 * Each must give a result or a CorelabError, quickly; nothing else may be thrown.
 */

import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Endianness } from '../../core-ts/bytes/view.ts';
import { parseBtfExt } from '../../core-ts/btfext/parse.ts';
import type { BtfExt } from '../../core-ts/btfext/types.ts';
import { CorelabError } from '../../core-ts/errors.ts';
import { btfStrings, corpusObjects, loadObject, mutateBtfExt, prng } from '../diff/btfext-support.ts';
import { build, strings as caseStrings, validSpec } from '../unit/btfext-cases.ts';

const RUNS = 100_000;
// a runaway detector, not a speed goal (bench/ holds those): a loaded CI machine stalls a
// sub-millisecond case for half a second now and then
const PER_INPUT_MS = 10_000;

interface Source {
  bytes: Uint8Array;
  endian: Endianness;
  strings: (off: number) => string | undefined;
}

function sources(): Source[] {
  const out: Source[] = [];
  const real = corpusObjects()
    .filter((o) => existsSync(o.path))
    .map((o) => loadObject(o.path))
    .filter((l) => l !== undefined)
    .sort((a, b) => a.extBytes.length - b.extBytes.length);
  // the smallest real sections of each byte order: mutations of small inputs reach every rule
  for (const endian of ['little', 'big'] as const) {
    for (const l of real.filter((x) => x.elf.endian === endian).slice(0, 12)) {
      out.push({ bytes: l.extBytes, endian, strings: btfStrings(l.elf) });
    }
  }
  for (const endian of ['little', 'big'] as const) out.push({ bytes: build(validSpec(endian)).bytes, endian, strings: caseStrings });
  return out;
}

/** Structural sanity of an accepted result: every record lies inside the input. */
function checkResult(ext: BtfExt, len: number): void {
  const subs = [
    [ext.funcInfo, ext.funcInfoRecSize],
    [ext.lineInfo, ext.lineInfoRecSize],
    [ext.coreRelos, ext.coreReloRecSize],
  ] as const;
  for (const [blocks, size] of subs) {
    for (const b of blocks) {
      if (b.records.length === 0) throw new Error('accepted an empty block');
      for (const r of b.records) if (r.offset < 0 || r.offset + size > len) throw new Error(`record at ${r.offset} outside ${len} bytes`);
    }
  }
}

function attempt(run: () => BtfExt, len: number): 'ok' | 'rejected' {
  const t0 = performance.now();
  let res: 'ok' | 'rejected';
  try {
    checkResult(run(), len);
    res = 'ok';
  } catch (e) {
    if (!(e instanceof CorelabError)) throw e;
    if (e.section !== '.BTF.ext' || typeof e.offset !== 'number' || e.offset < 0 || e.offset > len) {
      throw new Error(`badly placed error: ${e.section} @${e.offset}: ${e.message}`);
    }
    res = 'rejected';
  }
  const dt = performance.now() - t0;
  if (dt > PER_INPUT_MS) throw new Error(`took ${dt.toFixed(0)} ms on a ${len}-byte input`);
  return res;
}

describe('.BTF.ext fuzz', () => {
  it(`survives ${RUNS} mutated inputs with a result or a CorelabError`, { timeout: 600_000 }, () => {
    const srcs = sources();
    expect(srcs.length).toBeGreaterThan(10);
    const tally = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(
        fc.nat({ max: srcs.length - 1 }),
        fc.integer(),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, 1, 4, 8, 16, 0x7fffffff, 0xfffffff0, 0xffffffff)), { maxLength: 2 }),
        fc.boolean(),
        (si, seed, pokes, asLibbpf) => {
          const src = srcs[si]!;
          const bytes = mutateBtfExt(src.bytes, prng(seed));
          // aligned u32 pokes chosen by fast-check on top of the PRNG mutations
          const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          for (const [pos, val] of pokes) {
            const at = (pos % Math.max(1, bytes.length >> 2)) * 4;
            if (at + 4 <= bytes.length) dv.setUint32(at, val, src.endian === 'little');
          }
          const other: Endianness = src.endian === 'little' ? 'big' : 'little';
          const opts = asLibbpf
            ? { endian: src.endian, strings: src.strings, libbpfHost: other }
            : { endian: src.endian, strings: src.strings };
          tally[attempt(() => parseBtfExt(bytes, opts), bytes.length)]++;
        },
      ),
      { numRuns: RUNS, seed: 0x5eed, endOnFailure: true },
    );
    console.log(`btfext fuzz: ${RUNS} inputs, ${tally.ok} accepted, ${tally.rejected} rejected with CorelabError`);
    // both outcomes must be common, or the mutations are not exploring anything
    expect(tally.ok).toBeGreaterThan(RUNS / 50);
    expect(tally.rejected).toBeGreaterThan(RUNS / 50);
  });
});

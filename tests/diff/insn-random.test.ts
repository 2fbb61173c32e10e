// Random encodings against llvm-objdump-19, live: thousands of random instruction words (biased
// towards defined opcodes and the field values that select forms) in both byte orders, with and
// without ALU32 decoding, and random junk sections (zero runs, cut-off ld_imm64s, odd lengths)
// for llvm-objdump's walk. Whole outputs must be identical, labels included.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { objdump } from '../../core-ts/insn/index.ts';
import { buildBpfElf, insnBytes } from '../support/bpf-elf.ts';
import { requireTool } from '../support/tools.ts';

const WORDS = 40_000;
const dir = mkdtempSync(join(tmpdir(), 'corelab-insn-random-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KNOWN = [
  0x04, 0x05, 0x06, 0x07, 0x0c, 0x0f, 0x15, 0x16, 0x18, 0x1d, 0x20, 0x28, 0x30, 0x34, 0x37, 0x3c, 0x3f, 0x40, 0x48, 0x50,
  0x61, 0x62, 0x63, 0x69, 0x6a, 0x6b, 0x71, 0x72, 0x73, 0x79, 0x7a, 0x7b, 0x81, 0x84, 0x85, 0x87, 0x89, 0x8d, 0x91, 0x94,
  0x95, 0x97, 0xa5, 0xa6, 0xb4, 0xb7, 0xbc, 0xbf, 0xc3, 0xcb, 0xd3, 0xd4, 0xd7, 0xdb, 0xdc, 0xdf, 0xe5, 0xe6,
];
const SPECIAL_OFF = [0, 0, 0, 1, 8, 16, 32, -1, 0x7fff, -0x8000];
const SPECIAL_IMM = [0, 1, 16, 32, 64, -1, 0x41, 0x51, 0xa1, 0xe1, 0xf1, 0x40, 0x50, 0xa0, 0x08, 0x10001, -0x80000000, 0x7fffffff];

/** Deterministic random words from fast-check's generator (seeded so a failure reproduces). */
function randomWords(endian: 'little' | 'big', seed: number): Uint8Array {
  const le = endian === 'little';
  const word = fc.record({
    code: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KNOWN) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    dst: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 11 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
    src: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 11 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
    off: fc.oneof(fc.constantFrom(...SPECIAL_OFF), fc.integer({ min: -0x8000, max: 0x7fff })),
    imm: fc.oneof(fc.constantFrom(...SPECIAL_IMM), fc.integer({ min: -0x80000000, max: 0x7fffffff })),
    hi: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  });
  const words = fc.sample(word, { numRuns: WORDS, seed });
  const out = new Uint8Array(WORDS * 16);
  words.forEach((w, k) => {
    out.set(insnBytes(w.code, w.dst, w.src, w.off, w.imm, le), k * 16);
    // the second slot: the high half of an ld_imm64, or (code 0, nonzero tail) one undecodable word
    out.set(insnBytes(0, 0, 0, 0, w.hi | 1, le), k * 16 + 8);
  });
  return out;
}

function llvm(paths: string[], args: string[]): string {
  return execFileSync(requireTool('llvm-objdump-19'), ['-d', '--no-show-raw-insn', ...args, ...paths], { encoding: 'utf8', maxBuffer: 512 << 20 });
}

function firstDiffs(expected: string, got: string, max = 10): string[] {
  const e = expected.split('\n');
  const g = got.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(e.length, g.length) && out.length < max; i++) {
    if (e[i] !== g[i]) out.push(`line ${i + 1}: expected ${JSON.stringify(e[i])}, got ${JSON.stringify(g[i])}`);
  }
  return out;
}

describe('random instruction words vs llvm-objdump-19', () => {
  requireTool('llvm-objdump-19');
  for (const endian of ['little', 'big'] as const) {
    for (const alu32 of [false, true]) {
      it(`${WORDS} random words, ${endian}-endian${alu32 ? ', --mattr=+alu32' : ''}`, () => {
        const code = randomWords(endian, endian === 'little' ? 1 : 2);
        const path = join(dir, `words-${endian}-${alu32}.o`);
        // symbols at scattered addresses, so branch labels resolve to many different names
        const symbols = [{ name: 'entry', section: 0, value: 0, size: code.length }];
        for (let k = 1; k < 64; k++) symbols.push({ name: `L${k}`, section: 0, value: k * 8 * 997, size: 0 });
        const elf = buildBpfElf({ endian, sections: [{ name: 'prog', bytes: code }], symbols: symbols.map((s) => ({ ...s, type: s.name === 'entry' ? 2 : 0 })) });
        writeFileSync(path, elf);
        const expected = llvm([path], alu32 ? ['--mattr=+alu32'] : []);
        const got = objdump(elf, { fileName: path, alu32 });
        const lines = expected.split('\n').filter((l) => /^ *\d+:\t/.test(l));
        const known = lines.filter((l) => !l.endsWith('<unknown>')).length;
        console.log(`insn random (${endian}${alu32 ? ', alu32' : ''}): ${lines.length} instruction lines (${known} decoded), ${expected === got ? 'all' : 'NOT all'} identical`);
        expect(firstDiffs(expected, got)).toEqual([]);
        expect(known).toBeGreaterThan(WORDS / 3);
      });
    }
  }

  it('random junk sections (zero runs, cut-off ld_imm64, odd lengths): the same walk', () => {
    const piece = fc.oneof(
      fc.uint8Array({ minLength: 8, maxLength: 8 }),
      fc.constant(new Uint8Array(8)),
      fc.integer({ min: 1, max: 24 }).map((n) => new Uint8Array(n)),
      fc.constant(Uint8Array.from([0x18, 1, 0, 0, 1, 0, 0, 0])),
      fc.constant(Uint8Array.from([0xb7, 1, 0, 0, 5, 0, 0, 0])),
      fc.constant(Uint8Array.from([0x05, 0, 0xfe, 0xff, 0, 0, 0, 0])),
      fc.uint8Array({ minLength: 1, maxLength: 7 }),
    );
    const sections = fc.sample(fc.array(piece, { minLength: 1, maxLength: 16 }), { numRuns: 400, seed: 3 });
    const diffs: string[] = [];
    const files: { path: string; endian: 'little' | 'big'; got: string }[] = [];
    sections.forEach((parts, k) => {
      const endian = k % 2 === 0 ? ('little' as const) : ('big' as const);
      const code = Uint8Array.from(parts.flatMap((p) => [...p]));
      const syms = [{ name: 'f', section: 0, value: 0, size: code.length }];
      // a second label somewhere inside, sometimes at an odd offset
      if (code.length > 9) syms.push({ name: 'g', section: 0, value: (k * 7) % code.length, size: 0 });
      const elf = buildBpfElf({ endian, sections: [{ name: 'prog', bytes: code }], symbols: syms });
      const path = join(dir, `junk-${k}.o`);
      writeFileSync(path, elf);
      files.push({ path, endian, got: objdump(elf, { fileName: path }) });
    });
    // one llvm-objdump run per byte order (it keeps the first file's triple for the rest)
    for (const endian of ['little', 'big'] as const) {
      const mine = files.filter((f) => f.endian === endian);
      const expected = llvm(mine.map((f) => f.path), []);
      const got = mine.map((f) => f.got).join('');
      for (const d of firstDiffs(expected, got, 10)) diffs.push(`${endian}: ${d}`);
    }
    console.log(`insn junk sections: 400 sections, ${diffs.length === 0 ? 'all' : 'NOT all'} listed identically`);
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});

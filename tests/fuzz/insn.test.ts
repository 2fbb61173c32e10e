// Property tests of the instruction decoder and the objdump listing over random bytes:
// decode + disassemble gives text or a CorelabError ('invalid' for an encoding LLVM does not
// decode, 'truncated' for too few bytes), never anything else; what decodes re-encodes to
// the same bytes; the listing of any random section is built without a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteView } from '../../core-ts/bytes/view.ts';
import { isCorelabError } from '../../core-ts/errors.ts';
import { classify, decodeInsn, encodeInsn, formatInsn, isForm, objdump } from '../../core-ts/insn/index.ts';
import { buildBpfElf } from '../support/bpf-elf.ts';

const RUNS = 100_000;

// bias the opcode byte towards defined opcodes so that most words get past the first check
const KNOWN = [
  0x04, 0x07, 0x0c, 0x0f, 0x05, 0x06, 0x15, 0x1d, 0x16, 0x18, 0x20, 0x28, 0x30, 0x34, 0x37, 0x3c, 0x40, 0x61, 0x62, 0x63,
  0x79, 0x7a, 0x7b, 0x81, 0x84, 0x85, 0x87, 0x8d, 0x91, 0x94, 0x95, 0xb4, 0xb7, 0xbc, 0xbf, 0xc3, 0xd4, 0xd7, 0xdb, 0xdc, 0xe5,
];
// mostly whole 8- and 16-byte sequences, with the register byte and offset often plausible so that
// forms (and ld_imm64) decode; some odd lengths for the truncation paths
const tail = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ minLength: 7, maxLength: 7 }) },
  { weight: 4, arbitrary: fc.uint8Array({ minLength: 15, maxLength: 15 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 14 }) },
);
const bytesArb = fc
  .tuple(
    fc.oneof(fc.constantFrom(...KNOWN), fc.integer({ min: 0, max: 255 })),
    tail,
    fc.integer({ min: 0, max: 0xbb }),
    fc.constantFrom(0, 0, 1, 8, 16, 32, -8),
    fc.boolean(),
    fc.constantFrom('little' as const, 'big' as const),
  )
  .map(([code, rest, regs, off, plausible, endian]) => {
    const b = Uint8Array.from([code, ...rest]);
    if (plausible && b.length >= 4) {
      b[1] = regs;
      new DataView(b.buffer).setInt16(2, off, endian === 'little');
    }
    return { bytes: b, endian };
  });

describe('instruction decoder fuzz', () => {
  it(`${RUNS} random 1-16 byte inputs: text, or 'invalid' / 'truncated', nothing else`, () => {
    const tally = { decoded: 0, invalid: 0, truncated: 0, wide: 0 };
    fc.assert(
      fc.property(bytesArb, ({ bytes, endian }) => {
        const view = new ByteView(bytes, endian, 'fuzz');
        for (const alu32 of [false, true]) {
          try {
            const insn = decodeInsn(view, 0, { alu32 });
            const text = formatInsn(insn);
            expect(typeof text).toBe('string');
            expect(text.length).toBeGreaterThan(0);
            expect(text).not.toMatch(/undefined|NaN/);
            expect(bytes.length).toBeGreaterThanOrEqual(insn.size);
            expect(Buffer.from(encodeInsn(insn, endian)).equals(Buffer.from(bytes.subarray(0, insn.size)))).toBe(true);
            if (!alu32) {
              tally.decoded++;
              if (insn.size === 16) tally.wide++;
            }
          } catch (e) {
            if (!isCorelabError(e)) throw e;
            expect(['invalid', 'truncated']).toContain(e.kind);
            if (e.kind === 'truncated') {
              // only a short word, or a well-formed ld_imm64 missing its second half
              const form = bytes.length >= 8 ? classify(bytes[0]!, 0, 0, 0, 0) : '';
              expect(bytes.length < 8 || (bytes.length < 16 && bytes[0] === 0x18 && isForm(form))).toBe(true);
            }
            if (!alu32) tally[e.kind === 'invalid' ? 'invalid' : 'truncated']++;
          }
        }
      }),
      { numRuns: RUNS },
    );
    console.log(`insn fuzz: ${RUNS} inputs → ${tally.decoded} decoded (${tally.wide} ld_imm64), ${tally.invalid} invalid, ${tally.truncated} truncated`);
    expect(tally.decoded).toBeGreaterThan(RUNS / 4);
    expect(tally.wide).toBeGreaterThan(20);
    expect(tally.invalid).toBeGreaterThan(0);
    expect(tally.truncated).toBeGreaterThan(0);
  });

  it('random program sections (junk, zero runs, half ld_imm64s, odd lengths) always list', () => {
    let listed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.constant(new Uint8Array(8)), fc.constant(Uint8Array.from([0x18, 1, 0, 0, 1, 0, 0, 0])), fc.uint8Array({ minLength: 1, maxLength: 7 })), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('little' as const, 'big' as const),
        fc.boolean(),
        (parts, endian, relocs) => {
          const code = Uint8Array.from(parts.flatMap((p) => [...p]));
          const elf = buildBpfElf({ endian, sections: [{ name: 'prog', bytes: code }], symbols: [{ name: 'f', section: 0, value: 0 }] });
          const text = objdump(elf, { relocs, fileName: 'x.o' });
          expect(text.startsWith('\nx.o:\tfile format elf64-bpf\n')).toBe(true);
          listed++;
        },
      ),
      { numRuns: 5_000 },
    );
    expect(listed).toBe(5_000);
  });
});

// Typed errors from the instruction layer: what is not a BPF object, what cannot be encoded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ByteView } from '../../../core-ts/bytes/view.ts';
import { CorelabError } from '../../../core-ts/errors.ts';
import { decodeInsn, decodeProgram, encodeInsn, objdump } from '../../../core-ts/insn/index.ts';
import { requireTool } from '../../support/tools.ts';

const kindOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof CorelabError) return e.kind;
    throw e;
  }
  return 'none';
};

describe('instruction layer errors', () => {
  it('an x86-64 object is refused as not-bpf, garbage as bad-magic', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corelab-insn-err-'));
    try {
      execFileSync(requireTool('clang-19'), ['-x', 'c', '-c', '-O2', '-', '-o', join(dir, 'x.o')], { input: 'int f(void){return 1;}\n' });
      expect(kindOf(() => objdump(new Uint8Array(readFileSync(join(dir, 'x.o')))))).toBe('not-bpf');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(kindOf(() => objdump(new TextEncoder().encode('not an object')))).toBe('bad-magic');
  });

  it('decode errors name the section and the file offset', () => {
    const v = new ByteView(Uint8Array.from([0xb7, 1, 0, 0, 1, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0]), 'little', 'tp/x', 0x40);
    expect(() => decodeProgram(v)).toThrow(CorelabError);
    try {
      decodeProgram(v);
    } catch (e) {
      const err = e as CorelabError;
      expect(err.kind).toBe('invalid');
      expect(err.section).toBe('tp/x');
      expect(err.offset).toBe(0x48);
      expect(err.message).toContain('0xff');
    }
    const half = new ByteView(Uint8Array.from([0x18, 1, 0, 0, 1, 0, 0, 0]), 'little', 'tp/x');
    expect(kindOf(() => decodeInsn(half, 0))).toBe('truncated');
  });

  it('encodeInsn refuses fields that do not fit', () => {
    expect(kindOf(() => encodeInsn({ code: 0x100, dst: 0, src: 0, off: 0, imm: 0 }, 'little'))).toBe('usage');
    expect(kindOf(() => encodeInsn({ code: 0xb7, dst: 16, src: 0, off: 0, imm: 0 }, 'little'))).toBe('usage');
    expect(kindOf(() => encodeInsn({ code: 0xb7, dst: 0, src: 0, off: 0x8000, imm: 0 }, 'little'))).toBe('usage');
    expect(kindOf(() => encodeInsn({ code: 0xb7, dst: 0, src: 0, off: 0, imm: 2 ** 32 }, 'little'))).toBe('usage');
    // a patched ld_imm64: both immediate words come from imm64, in the object's byte order
    for (const endian of ['little', 'big'] as const) {
      const bytes = encodeInsn({ code: 0x18, dst: 1, src: 0, off: 0, imm: 0, imm64: 0x1122334455667788n }, endian);
      const back = decodeInsn(new ByteView(bytes, endian, 'x'), 0);
      expect([back.dst, back.src, back.size, back.imm64]).toEqual([1, 0, 16, 0x1122334455667788n]);
    }
  });
});

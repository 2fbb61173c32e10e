// Hand-built objects for the parts of llvm-objdump's listing the corpus does not reach:
// blocks headed only by data symbols (hex+ASCII dump), --show-raw-insn, REL and RELA
// relocations with addends, *ABS*, undefined, absolute and unnamed symbols, unknown types.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { objdump } from '../../core-ts/insn/index.ts';
import { buildBpfElf, type TestSymbol } from '../support/bpf-elf.ts';
import { corpusObjects, readObject, REPO_ROOT } from '../corpus.ts';
import { requireTool } from '../support/tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'corelab-objdump-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const llvm = (args: string[]): string => execFileSync(requireTool('llvm-objdump-19'), args, { encoding: 'utf8', cwd: REPO_ROOT, maxBuffer: 256 << 20 });

describe('objdump on synthetic objects vs llvm-objdump-19', () => {
  for (const endian of ['little', 'big'] as const) {
    it(`data-symbol blocks and raw bytes (${endian}-endian)`, () => {
      const code = new Uint8Array(61);
      for (let i = 0; i < code.length; i++) code[i] = (i * 37 + 5) & 0xff;
      code.set([0xb7, 0x01, 0, 0, 5, 0, 0, 0], 0);
      const symbols: TestSymbol[] = [
        { name: 'f', section: 0, value: 0 },
        { name: 'obj', section: 0, value: 8, type: 1 },
        { name: 'obj2', section: 0, value: 30, type: 1 },
        { name: 'fn2', section: 0, value: 48, type: 2 },
        { name: 'same', section: 0, value: 48, type: 1 },
      ];
      const elf = buildBpfElf({ endian, sections: [{ name: 'prog', bytes: code }], symbols });
      const path = join(dir, `data-${endian}.o`);
      writeFileSync(path, elf);
      expect(objdump(elf, { fileName: path })).toBe(llvm(['-d', '--no-show-raw-insn', path]));
      expect(objdump(elf, { fileName: path, rawInsn: true })).toBe(llvm(['-d', path]));
    });

    for (const rela of [false, true]) {
      it(`${rela ? 'RELA' : 'REL'} relocations under their instructions (${endian}-endian)`, () => {
        const code = new Uint8Array(64);
        code.set([0x18, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x85, 0x10, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xb7, 0, 0, 0, 0, 0, 0, 0]);
        const symbols: TestSymbol[] = [
          { name: 'data', section: 1, value: 0, type: 3, bind: 0 },
          { name: 'f', section: 0, value: 0 },
          { name: 'ext', section: -1, value: 0, type: 0 },
          { name: '', section: 0, value: 0, type: 0 },
          { name: 'abs', section: 0, shndx: 0xfff1, value: 40, type: 1 },
        ];
        const elf = buildBpfElf({
          endian,
          sections: [
            {
              name: 'prog', bytes: code, rela,
              relocs: [
                { offset: 0, symbol: 1, type: 1, addend: 16 },
                { offset: 0, symbol: 0, type: 1, addend: 0x20 },
                { offset: 16, symbol: 2, type: 10, addend: -8 },
                { offset: 24, symbol: -1, type: 3 },
                { offset: 4, symbol: 3, type: 99 },
                { offset: 40, symbol: 4, type: 2 },
                { offset: 41, symbol: 1, type: 4 },
              ],
            },
            { name: 'data', bytes: new Uint8Array(16), flags: 3 },
          ],
          symbols,
        });
        const path = join(dir, `rel-${rela}-${endian}.o`);
        writeFileSync(path, elf);
        const expected = llvm(['-d', '-r', '--no-show-raw-insn', path]);
        expect(expected).toContain('R_BPF_64_64');
        expect(objdump(elf, { fileName: path, relocs: true })).toBe(expected);
      });
    }
  }

  it('--show-raw-insn -r on a few corpus objects', () => {
    const objs = [...corpusObjects({ group: 'libbpf-tools' }).slice(0, 3), ...corpusObjects({ endian: 'big' }).slice(0, 3)];
    expect(objs.length).toBeGreaterThan(3);
    for (const o of objs) expect(objdump(readObject(o), { fileName: o.path, relocs: true, rawInsn: true })).toBe(llvm(['-d', '-r', o.path]));
  });
});

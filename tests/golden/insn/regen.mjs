// Regenerates tests/golden/insn/table.json: one BPF instruction per row (bytes → the text
// llvm-objdump-19 prints for it), for every opcode byte with a spread of register, offset and
// immediate values, in both byte orders. Run: npx tsx tests/golden/insn/regen.mjs
// Expected values come only from llvm-objdump-19 here; corelab's decoder is not used.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBpfElf, insnBytes } from '../../support/bpf-elf.ts';

const here = dirname(fileURLToPath(import.meta.url));
const BASE = { dst: 1, src: 2, off: 0, imm: 0 };
const REGS = [[10, 0], [0, 11], [11, 10], [12, 1], [1, 12], [15, 15]];
const OFFS = [1, 8, 16, 32, 2, -8, 0x7fff, -0x8000];
const IMMS = [1, 16, 32, 64, 2, -1, 0x7fffffff, -0x80000000, 0x41, 0x51, 0xa1, 0xe1, 0xf1, 0x40, 0x10001, 0x100];

function variants(code) {
  const v = [{ code, ...BASE }];
  for (const [dst, src] of REGS) v.push({ code, ...BASE, dst, src });
  for (const off of OFFS) v.push({ code, ...BASE, off });
  for (const imm of IMMS) v.push({ code, ...BASE, imm });
  return v;
}

const SECOND = 0x12345678; // high word of every ld_imm64
const rows = [];
const dir = mkdtempSync(join(tmpdir(), 'insn-golden-'));
try {
  for (const endian of ['little', 'big']) {
    const le = endian === 'little';
    const cases = [];
    for (let code = 0; code < 256; code++) cases.push(...variants(code));
    // each case gets 16 bytes: the word, then a slot whose only use is as ld_imm64's high half
    // (code 0 with a nonzero tail is undecodable, so the walk re-synchronises after it)
    const bytes = new Uint8Array(cases.length * 16);
    cases.forEach((c, k) => {
      bytes.set(insnBytes(c.code, c.dst, c.src, c.off, c.imm, le), k * 16);
      bytes.set(insnBytes(0, 0, 0, 0, SECOND, le), k * 16 + 8);
    });
    const obj = join(dir, `${endian}.o`);
    writeFileSync(obj, buildBpfElf({ endian, sections: [{ name: 'prog', bytes }], symbols: [{ name: 'p', section: 0, value: 0, size: bytes.length }] }));
    const out = execFileSync('llvm-objdump-19', ['-d', '--no-show-raw-insn', obj], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const byIdx = new Map();
    for (const line of out.split('\n')) {
      const m = /^ *(\d+):\t(.*)$/.exec(line);
      if (m && !byIdx.has(+m[1])) byIdx.set(+m[1], m[2].replace(/ <[^<>]*>$/, ''));
    }
    let lastCode = -1;
    let baseValid = false;
    cases.forEach((c, k) => {
      const text = byIdx.get(2 * k);
      if (text === undefined) throw new Error(`no output line for case ${k}`);
      const isBase = c === cases.find((x) => x.code === c.code);
      if (isBase) baseValid = text !== '<unknown>';
      const w = insnBytes(c.code, c.dst, c.src, c.off, c.imm, le);
      const wide = text.endsWith(' ll') || text.startsWith('ld_pseudo');
      const hex = Buffer.from(wide ? bytes.subarray(k * 16, k * 16 + 16) : w).toString('hex');
      // keep every decodable row; of the undecodable ones, one per opcode and those one field away from a decodable base
      if (text !== '<unknown>' || c.code !== lastCode || baseValid) rows.push({ endian, hex, text });
      lastCode = c.code;
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const tool = execFileSync('llvm-objdump-19', ['--version'], { encoding: 'utf8' }).split('\n').find((l) => /version/i.test(l))?.trim();
writeFileSync(join(here, 'table.json'), JSON.stringify({ generator: 'tests/golden/insn/regen.mjs', tool, rows }, null, 0).replace(/\},\{/g, '},\n{') + '\n');
console.log(`${rows.length} rows written to tests/golden/insn/table.json`);

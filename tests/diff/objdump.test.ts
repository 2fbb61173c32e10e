// `corelab objdump` against llvm-objdump-19 run live on every corpus object:
// `-d --no-show-raw-insn` and `-d --no-show-raw-insn -r`, line for line. Also decode→encode
// gives back the bytes of every instruction of every program section.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ByteView } from '../../core-ts/bytes/view.ts';
import { SHF, SHT, parseElf } from '../../core-ts/elf/index.ts';
import { decodeInsn, encodeInsn, objdump } from '../../core-ts/insn/index.ts';
import { REPO_ROOT, corpusObjects, readObject, type CorpusGroup } from '../corpus.ts';
import { requireTool, runTool } from '../support/tools.ts';

type LineKind = 'insn' | 'core' | 'reloc' | 'other';
const kindOf = (l: string): LineKind =>
  /^ *\d+:\t/.test(l) ? 'insn' : /^\t\t[0-9a-f]{16}:  CO-RE /.test(l) ? 'core' : /^\t\t[0-9a-f]{16}:  /.test(l) ? 'reloc' : 'other';

interface Tally { outputs: number; outputsSame: number; lines: Record<LineKind, [number, number]>; diffs: string[] }
const tally = (): Tally => ({ outputs: 0, outputsSame: 0, lines: { insn: [0, 0], core: [0, 0], reloc: [0, 0], other: [0, 0] }, diffs: [] });

/** Count expected lines of each kind and how many we print identically at the same position. */
function compare(name: string, expected: string, got: string, t: Tally): void {
  t.outputs++;
  if (expected === got) t.outputsSame++;
  const e = expected.split('\n');
  const g = got.split('\n');
  for (let i = 0; i < e.length; i++) {
    const k = kindOf(e[i]!);
    t.lines[k][0]++;
    if (g[i] === e[i]) t.lines[k][1]++;
    else if (t.diffs.length < 20) t.diffs.push(`${name} line ${i + 1}: expected ${JSON.stringify(e[i])}, got ${JSON.stringify(g[i])}`);
  }
  if (g.length !== e.length && t.diffs.length < 20) t.diffs.push(`${name}: ${e.length} lines expected, ${g.length} printed`);
}

const GROUPS: CorpusGroup[] = ['progs', 'selftests', 'libbpf-tools'];

/**
 * One llvm-objdump-19 run over many objects (process start-up dominates on a loaded machine),
 * cut back into per-object outputs at each `\nPATH:\tfile format` header. llvm-objdump keeps
 * the target triple of the first file for all later ones, so each run gets one byte order.
 */
function batchObjdump(args: string[], objs: { path: string; endian: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  const runs: string[][] = [];
  for (const endian of ['little', 'big']) {
    const paths = objs.filter((o) => o.endian === endian).map((o) => o.path);
    for (let i = 0; i < paths.length; i += 40) runs.push(paths.slice(i, i + 40));
  }
  for (const chunk of runs) {
    const text = execFileSync(requireTool('llvm-objdump-19'), [...args, ...chunk], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 512 << 20 });
    let from = 0;
    const starts = chunk.map((p) => {
      const at = text.indexOf(`\n${p}:\tfile format `, from);
      if (at < 0) throw new Error(`llvm-objdump output has no header for ${p}`);
      from = at + 1;
      return at;
    });
    chunk.forEach((p, k) => out.set(p, text.slice(starts[k], k + 1 < chunk.length ? starts[k + 1] : text.length)));
  }
  return out;
}

describe('objdump vs llvm-objdump-19 on the corpus', () => {
  requireTool('llvm-objdump-19');
  for (const group of GROUPS) {
    it(`${group}: every line identical, with and without -r`, () => {
      const objs = corpusObjects({ group });
      expect(objs.length).toBeGreaterThan(0);
      const t = tally();
      let coreLines = 0;
      for (const relocs of [false, true]) {
        const all = batchObjdump(['-d', '--no-show-raw-insn', ...(relocs ? ['-r'] : [])], objs);
        for (const o of objs) {
          const expected = all.get(o.path)!;
          const got = objdump(readObject(o), { relocs, fileName: o.path });
          compare(`${o.path}${relocs ? ' -r' : ''}`, expected, got, t);
          if (relocs) coreLines += expected.split('\n').filter((l) => kindOf(l) === 'core').length;
        }
      }
      const [ni, si] = t.lines.insn;
      const [nc, sc] = t.lines.core;
      const [nr, sr] = t.lines.reloc;
      console.log(
        `objdump ${group}: ${si} of ${ni} instruction lines identical, ${sc} of ${nc} CO-RE lines, ${sr} of ${nr} relocation lines; ` +
          `${t.outputsSame} of ${t.outputs} outputs byte-identical (${objs.length} objects)`,
      );
      expect(t.diffs).toEqual([]);
      expect(t.outputsSame).toBe(t.outputs);
      if (group !== 'libbpf-tools') expect(coreLines).toBeGreaterThan(0);
    });
  }

  it('with --mattr=+alu32 (w-register loads, stores and 32-bit atomics) every line is identical too', () => {
    const objs = corpusObjects();
    const t = tally();
    const all = batchObjdump(['-d', '--no-show-raw-insn', '-r', '--mattr=+alu32'], objs);
    for (const o of objs) compare(`${o.path} alu32`, all.get(o.path)!, objdump(readObject(o), { relocs: true, alu32: true, fileName: o.path }), t);
    console.log(`objdump --mattr=+alu32: ${t.lines.insn[1]} of ${t.lines.insn[0]} instruction lines identical; ${t.outputsSame} of ${t.outputs} outputs byte-identical`);
    expect(t.diffs).toEqual([]);
  });

  it('decode → encode gives back every instruction of every program section', () => {
    let insns = 0;
    let sections = 0;
    for (const o of corpusObjects()) {
      const elf = parseElf(readObject(o));
      for (const sec of elf.sections) {
        if ((sec.flags & SHF.EXECINSTR) === 0 || sec.type === SHT.NOBITS || sec.size === 0) continue;
        sections++;
        const v = elf.view(sec);
        for (let at = 0; at < v.length; ) {
          // ALU32 decoding accepts every encoding the default one does, and the v3 32-bit atomics too
          const insn = decodeInsn(v, at, { alu32: true });
          const back = encodeInsn(insn, elf.endian);
          expect(Buffer.from(back).equals(Buffer.from(v.bytes.subarray(at, at + insn.size))), `${o.path} ${sec.name} +${at}`).toBe(true);
          // and the re-encoded bytes decode to the same instruction
          expect(decodeInsn(new ByteView(back, elf.endian, 'x'), 0, { alu32: true })).toEqual(insn);
          at += insn.size;
          insns++;
        }
      }
    }
    console.log(`insn round trip: ${insns} of ${insns} instructions re-encoded byte-identical (${sections} program sections)`);
    expect(insns).toBeGreaterThan(10000);
  });

  it('the CLI prints the same as llvm-objdump-19 (-r and --json)', () => {
    const o = corpusObjects({ group: 'libbpf-tools' })[0]!;
    const expected = runTool('llvm-objdump-19', ['-d', '--no-show-raw-insn', '-r', o.path]);
    const cli = (args: string[]): string =>
      execFileSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'objdump', ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
    expect(cli([o.path, '-r'])).toBe(expected);
    const json = JSON.parse(cli([o.path, '--json'])) as { sections: { name: string; blocks: { lines: { kind: string; text?: string }[] }[] }[] };
    const texts = json.sections.flatMap((s) => s.blocks.flatMap((b) => b.lines.filter((l) => l.kind === 'insn').map((l) => l.text)));
    const objdumpTexts = runTool('llvm-objdump-19', ['-d', '--no-show-raw-insn', o.path])
      .split('\n')
      .filter((l) => kindOf(l) === 'insn')
      .map((l) => l.replace(/^ *\d+:\t/, '').replace(/ <[^<>]*>$/, ''));
    expect(texts).toEqual(objdumpTexts);
  });
});

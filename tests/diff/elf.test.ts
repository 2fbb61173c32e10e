import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseElf, SHT, STT } from '../../core-ts/elf/index.ts';
import { requireTool, runTool } from '../support/tools.ts';

/**
 * The ELF reader against llvm-readelf-19 (sections, symbols, relocations) on objects built here,
 * for both byte orders and both classes (ELF32 via an x86 -m32 object as a non-BPF input).
 */
const dir = mkdtempSync(join(tmpdir(), 'corelab-elf-'));
const SRC = `
struct { int a; } m __attribute__((section(".maps")));
int g = 1;
static __attribute__((noinline)) int sub(int x) { return x * 3 + g; }
__attribute__((section("tp/x"))) int prog(void *ctx) { return sub(g) + (long)&m; }
char _license[] __attribute__((section("license"))) = "GPL";
`;

function build(target: string, extra: string[] = []): string {
  const out = join(dir, `${target}${extra.join('')}.o`);
  writeFileSync(join(dir, 's.c'), SRC);
  execFileSync(requireTool('clang-19'), ['-g', '-O2', '-target', target, ...extra, '-c', join(dir, 's.c'), '-o', out]);
  return out;
}

const objects = [
  ['bpf little-endian', () => build('bpf')],
  ['bpf big-endian', () => build('bpfeb')],
  ['x86-64 ELF64', () => build('x86_64-linux-gnu')],
  ['i386 ELF32', () => build('i386-linux-gnu')],
  ['s390x big-endian ELF64', () => build('s390x-linux-gnu')],
  ['armv7 ELF32', () => build('armv7-linux-gnueabihf')],
] as const;

describe.each(objects)('ELF reader vs llvm-readelf-19: %s', (_name, make) => {
  const path = make();
  const elf = parseElf(new Uint8Array(readFileSync(path)));
  const re = JSON.parse(runTool('llvm-readelf-19', ['--elf-output-style=JSON', '-S', '-s', '-r', '-h', path]))[0];

  it('header', () => {
    const h = re.ElfHeader;
    expect(elf.class).toBe(h.Ident.Class.Value === 1 ? 32 : 64);
    expect(elf.endian).toBe(h.Ident.DataEncoding.Value === 1 ? 'little' : 'big');
    expect(elf.machine).toBe(h.Machine.Value);
    expect(elf.sections.length).toBe(Number(h.SectionHeaderCount));
  });

  it('sections', () => {
    const got = elf.sections.map((s) => [s.index, s.name, s.type, s.offset, s.size, s.link, s.info, s.entsize]);
    const want = re.Sections.map((x: any) => {
      const s = x.Section;
      return [s.Index, s.Name.Name, s.Type.Value, s.Offset, s.Size, s.Link, s.Info, s.EntrySize];
    });
    expect(got).toEqual(want);
  });

  it('symbols', () => {
    // readelf shows a section symbol under its section's name; the symbol itself has none.
    const got = elf.symbols().map((s) => [s.type === STT.SECTION ? '' : s.name, Number(s.value), s.size, s.type, s.bind, s.shndx]);
    const want = re.Symbols.map((x: any) => {
      const s = x.Symbol;
      return [s.Type.Value === STT.SECTION ? '' : s.Name.Name, s.Value, s.Size, s.Type.Value, s.Binding.Value, s.Section.Value];
    });
    expect(got).toEqual(want);
    expect(elf.symbols().some((s) => s.type === STT.FUNC)).toBe(true);
  });

  it('relocations', () => {
    const got: unknown[] = [];
    for (const s of elf.sections) {
      if (s.type !== SHT.REL && s.type !== SHT.RELA) continue;
      for (const r of elf.relocations(s)) got.push([s.name, r.offset, r.type, r.symbol, r.addend === undefined ? 0 : Number(BigInt.asUintN(64, r.addend)) /* readelf prints it unsigned */]);
    }
    const want: unknown[] = [];
    for (const x of re.Relocations) {
      const sec = elf.sections[x.SectionIndex]!.name;
      for (const rr of x.Relocs ?? []) {
        const r = rr.Relocation;
        want.push([sec, r.Offset, r.Type.Value, r.Symbol.Value, r.Addend ?? 0]);
      }
    }
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThan(0);
  });
});

describe('non-BPF ELF', () => {
  it('is named by machine', async () => {
    const { requireBpfElf } = await import('../../core-ts/elf/index.ts');
    const elf = parseElf(new Uint8Array(readFileSync(build('x86_64-linux-gnu'))));
    expect(() => requireBpfElf(elf)).toThrow(/x86-64 \(e_machine 62\), not a BPF object/);
    expect(() => requireBpfElf(parseElf(new Uint8Array(readFileSync(build('bpf')))))).not.toThrow();
  });
});

/**
 * Hand-built BTF blobs for the corners of btf_dump that compiled C rarely reaches (name
 * clashes across namespaces, enum value formats and sizes, prototypes without params,
 * GCC's special typedefs, padding-only structs, unsatisfiable cycles), each dumped by
 * bpftool 7.1 and by the libbpf 1.1.2 harness, and by corelab in both flavours.
 * Inputs that crash bpftool (a typedef or pointer that refers to itself) must give a
 * CorelabError 'loop' instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBtf } from '../../core-ts/btf/parse.ts';
import { dumpC, type DumpFlavor } from '../../core-ts/dump-c/index.ts';
import { requireTool } from '../support/tools.ts';
import { BtfBuilder, K } from '../unit/dump-c-btf-builder.ts';
import { CACHE, ROOT, firstDifference } from './btf-dump-c-support.ts';

type Case = [name: string, build: (b: BtfBuilder) => void];

/** `levels` structs, each the only member of the next, the outermost named: the innermost holds an int. */
function nestedStructs(b: BtfBuilder, levels: number): void {
  let t = b.int('int', 4);
  for (let i = 0; i < levels; i++) t = b.composite(K.STRUCT, i === levels - 1 ? 'outer' : '', 4, [['m', t, 0]]);
}

/** A typedef of a function pointer whose parameter is a function pointer whose parameter is … */
function nestedProtos(b: BtfBuilder, levels: number): void {
  const int = b.int('int', 4);
  let t = int;
  for (let i = 0; i < levels; i++) t = b.ref(K.PTR, '', b.proto(int, [['p', t]]));
  b.ref(K.TYPEDEF, 'fn_t', t);
}

const CASES: Case[] = [
  ['names clash across tags and identifiers', (b) => {
    const int = b.int('int', 4);
    b.composite(K.STRUCT, 'foo', 4, [['a', int, 0]]);
    b.composite(K.UNION, 'foo', 4, [['b', int, 0]]);
    b.ref(K.TYPEDEF, 'foo', int);
    b.enum32('foo', 4, false, [['foo', 1], ['bar', 2]]);
    b.enum32('', 4, false, [['bar', 3], ['foo', 4]]);
    b.ref(K.TYPEDEF, 'bar', int);
    b.enum32('fwd_enum', 4, false, []);
    b.enum32('fwd_enum', 4, false, []);
    b.enum64('e64_empty', 8, false, []);
    b.enum64('e64_empty', 8, false, []);
    b.fwd('foo', false);
  }],
  ['enum values, signedness and sizes', (b) => {
    b.enum32('e_signed', 4, true, [['S_NEG', -5], ['S_MAX', 0x7fffffff]]);
    b.enum32('e_unsigned', 4, false, [['U_BIG', 0xfffffffe]]);
    b.enum32('e_byte', 1, false, [['B1', 1]]);
    b.enum32('e_short', 2, false, [['H1', 300]]);
    b.enum32('e_word', 8, false, [['W1', 1]]);
    b.enum64('e64_small', 8, false, [['Q1', 1n]]);
    b.enum64('e64_big', 8, false, [['Q2', 1n << 40n]]);
    b.enum64('e64_neg', 8, true, [['Q3', -1n], ['Q4', -(1n << 63n)]]);
  }],
  ['prototypes, varargs, no params, GCC typedefs', (b) => {
    const int = b.int('int', 4);
    const chr = b.int('char', 1);
    const noArgs = b.proto(int, []);
    const voidArg = b.proto(0, [['', 0]]);
    const varargs = b.proto(int, [['fmt', b.ref(K.PTR, '', b.ref(K.CONST, '', chr))], ['', 0]]);
    b.ref(K.TYPEDEF, 'no_args_fn', b.ref(K.PTR, '', noArgs));
    b.ref(K.TYPEDEF, 'void_arg_fn', b.ref(K.PTR, '', voidArg));
    b.ref(K.TYPEDEF, 'printf_fn', b.ref(K.PTR, '', varargs));
    b.ref(K.TYPEDEF, '__builtin_va_list', b.ref(K.PTR, '', chr));
    b.ref(K.TYPEDEF, '__gnuc_va_list', 0);
    b.int('__Poly8_t', 1, false);
    b.int('__Poly128_t', 16, false);
    b.ref(K.FUNC, 'a_function', noArgs);
  }],
  ['structs: padding-only, empty, nested anonymous, packed, bitfields, tags', (b) => {
    const int = b.int('int', 4);
    const lng = b.int('long', 8);
    const chr = b.int('char', 1);
    b.composite(K.STRUCT, 'only_padding', 16, []);
    const emptyAnon = b.composite(K.STRUCT, '', 0, []);
    const padAnon = b.composite(K.STRUCT, '', 8, []);
    b.composite(K.STRUCT, 'holds_empties', 8, [['e', emptyAnon, 0], ['p', padAnon, 0]]);
    b.composite(K.STRUCT, 'packed', 9, [['c', chr, 0], ['l', lng, 8]]);
    b.composite(K.STRUCT, 'bits', 16, [['a', int, 0, 3], ['b', int, 5, 7], ['c', lng, 64, 60]]);
    const tagged = b.ref(K.TYPE_TAG, 'user', int);
    b.composite(K.STRUCT, 'tagged', 8, [['p', b.ref(K.PTR, '', tagged), 0]]);
    const idx = b.int('__ARRAY_SIZE_TYPE__', 4, false);
    const arr = b.array(b.array(b.ref(K.VOLATILE, '', chr), idx, 3), idx, 2);
    b.composite(K.UNION, 'u', 6, [['m', arr, 0], ['s', b.ref(K.CONST, '', b.composite(K.STRUCT, '', 4, [['x', int, 0]])), 0]]);
  }],
  ['cycles through pointers and typedefs', (b) => {
    const int = b.int('int', 4);
    // ids: 2 struct a, 3 ptr, 4 struct b, 5 typedef b_t, 6 ptr
    b.composite(K.STRUCT, 'a', 8, [['b', 6, 0]]);
    b.ref(K.PTR, '', 2);
    b.composite(K.STRUCT, 'b', 16, [['a', 3, 0], ['n', int, 64]]);
    b.ref(K.TYPEDEF, 'b_t', 4);
    b.ref(K.PTR, '', 5);
    b.composite(K.STRUCT, 'c', 8, [['anon', b.ref(K.PTR, '', b.composite(K.STRUCT, '', 8, [['back', b.ref(K.PTR, '', 10), 0]])), 0]]);
  }],
  ['unsatisfiable cycle: a struct that embeds itself', (b) => {
    b.int('int', 4);
    b.composite(K.STRUCT, 'self', 4, [['me', 2, 0]]);
  }],
  // as deep as corelab nests declarations (MAX_DECL_NESTING, core-ts/dump-c/faults.ts)
  ['512 structs nested inside one another', (b) => nestedStructs(b, 512)],
  ['511 function pointers nested in parameters', (b) => nestedProtos(b, 511)],
];

/** Inputs libbpf itself cannot survive: only corelab is asked, and must say 'loop'. */
const CRASHERS: Case[] = [
  ['a typedef of itself', (b) => void b.ref(K.TYPEDEF, 'loop_t', 1)],
  ['a pointer to itself', (b) => void b.ref(K.PTR, '', 1)],
  ['a const chain that closes', (b) => {
    b.ref(K.CONST, '', 2);
    b.ref(K.VOLATILE, '', 1);
  }],
];

const DIR = join(CACHE, 'crafted');
const HARNESS = join(CACHE, 'btf-dump-c');
const HARNESS_SRC = join(ROOT, 'tests/oracle/btf-dump-c/btf-dump-c.c');

beforeAll(() => {
  mkdirSync(DIR, { recursive: true });
  if (!existsSync(HARNESS) || statSync(HARNESS).mtimeMs < statSync(HARNESS_SRC).mtimeMs) {
    execFileSync(requireTool('cc'), ['-O2', '-Wall', '-o', HARNESS, HARNESS_SRC, '-lbpf'], { stdio: 'pipe' });
  }
});

function blob(name: string, build: (b: BtfBuilder) => void): { file: string; bytes: Uint8Array } {
  const b = new BtfBuilder();
  build(b);
  const bytes = b.bytes();
  const file = join(DIR, name.replace(/[^a-z0-9]+/gi, '_') + '.btf');
  writeFileSync(file, bytes);
  return { file, bytes };
}

const ORACLES: [DumpFlavor, (file: string) => string[]][] = [
  ['bpftool-7.1', (f) => [requireTool('bpftool'), 'btf', 'dump', 'file', f, 'format', 'c']],
  ['libbpf-1.1', (f) => [HARNESS, f]],
];

describe('crafted BTF: corelab vs bpftool 7.1 and libbpf 1.1.2', () => {
  for (const [name, build] of CASES) {
    for (const [flavor, argv] of ORACLES) {
      it(`${name} (${flavor})`, () => {
        const { file, bytes } = blob(name, build);
        const [cmd, ...args] = argv(file);
        const want = spawnSync(cmd!, args, { encoding: 'utf8' });
        expect(want.signal, `${cmd} crashed`).toBeNull();
        const got = dumpC(parseBtf(bytes), { flavor });
        // same verdict (a libbpf error is a non-zero exit), same text up to it
        expect(got.error === undefined, `corelab: ${got.error?.message}; oracle: ${want.stderr}`).toBe(want.status === 0);
        if (got.error) {
          expect(got.error.kind).toBe('loop');
          expect(want.stderr).toContain(got.error.message);
        }
        expect(firstDifference(want.stdout, got.text)).toBe('');
        // the default dumper runs in WebAssembly; its TypeScript twin must agree here too
        const ts = dumpC(parseBtf(bytes), { flavor, engine: 'ts' });
        expect(ts.text === got.text && ts.error?.message === got.error?.message, 'TypeScript twin differs').toBe(true);
      });
    }
  }

  // Deeper nesting than corelab prints (bpftool has no limit; the TypeScript dumper's stack
  // would give out near 1,300 levels): a 'too-large' error, after exactly bpftool's text so far.
  for (const [name, build] of [
    ['513 structs nested inside one another', (b: BtfBuilder) => nestedStructs(b, 513)],
    ['600 function pointers nested in parameters', (b: BtfBuilder) => nestedProtos(b, 600)],
  ] as const) {
    it(`${name}: a 'too-large' error where bpftool prints on`, () => {
      const { file, bytes } = blob(name, build);
      const want = spawnSync(requireTool('bpftool'), ['btf', 'dump', 'file', file, 'format', 'c'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(want.status).toBe(0);
      for (const engine of ['wasm', 'ts'] as const) {
        const got = dumpC(parseBtf(bytes), { engine });
        expect(got.error?.kind, engine).toBe('too-large');
        expect(got.error?.message).toContain('declarations nested deeper than 512');
        expect(want.stdout.startsWith(got.text), `${engine}: text before the error is bpftool's`).toBe(true);
      }
    });
  }

  for (const [name, build] of CRASHERS) {
    it(`${name}: a 'loop' error, not a crash`, () => {
      const { bytes } = blob(name, build);
      const got = dumpC(parseBtf(bytes));
      expect(got.error?.kind).toBe('loop');
      expect(got.error?.section).toBe('.BTF');
    });
  }
});

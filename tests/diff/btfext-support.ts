/**
 * Test-side helpers for the `.BTF.ext` tests: the `.BTF` string table of an object (kept here so
 * the tests do not depend on the BTF parser), the objects to test on, and parsers for the text
 * llvm-objdump-19 prints about CO-RE records and source lines.
 */

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseElf, type ElfFile } from '../../core-ts/elf/index.ts';
import { parseBtfExt } from '../../core-ts/btfext/parse.ts';
import type { BtfExt } from '../../core-ts/btfext/types.ts';

export const REPO = resolve(import.meta.dirname, '../..');
export const LLVM_OBJDUMP = 'llvm-objdump-19';
export const CLANG = 'clang-19';

/** String lookup over the `.BTF` section of an ELF (header: magic, ver, flags, hdr_len, type_off/len, str_off/len). */
export function btfStrings(elf: ElfFile): (off: number) => string | undefined {
  const sec = elf.section('.BTF');
  if (!sec) throw new Error('object has no .BTF');
  const b = elf.data(sec);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = dv.getUint16(0, true) === 0xeb9f;
  const hdrLen = dv.getUint32(4, le);
  const strOff = dv.getUint32(16, le);
  const strLen = dv.getUint32(20, le);
  const strs = b.subarray(hdrLen + strOff, hdrLen + strOff + strLen);
  const dec = new TextDecoder();
  return (off) => {
    if (off >= strs.length) return undefined;
    const end = strs.indexOf(0, off);
    if (end < 0) return undefined;
    return dec.decode(strs.subarray(off, end));
  };
}

export interface LoadedObject {
  path: string;
  elf: ElfFile;
  extBytes: Uint8Array;
  ext: BtfExt;
}

export function loadObject(path: string): LoadedObject | undefined {
  const elf = parseElf(new Uint8Array(readFileSync(path)));
  const sec = elf.section('.BTF.ext');
  if (!sec || !elf.section('.BTF')) return undefined;
  const extBytes = elf.data(sec);
  const ext = parseBtfExt(extBytes, { endian: elf.endian, strings: btfStrings(elf) });
  return { path, elf, extBytes, ext };
}

/**
 * BPF objects to test on: the corpus manifest when it has been built, otherwise (while the
 * corpus is not there) the project's own programs compiled for both byte orders into /tmp.
 */
export function corpusObjects(): { path: string; endian: 'little' | 'big'; group: string }[] {
  const manifest = join(REPO, '.cache/corpus/manifest.json');
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as unknown;
    const list = (Array.isArray(m) ? m : (m as { objects?: unknown[] }).objects ?? []) as Record<string, unknown>[];
    return list.map((o) => {
      const p = String(o.path ?? o.file);
      return {
        path: resolve(REPO, p),
        endian: String(o.endian ?? o.byteOrder ?? '').startsWith('b') ? 'big' : 'little',
        group: String(o.group ?? ''),
      };
    });
  }
  const out: { path: string; endian: 'little' | 'big'; group: string }[] = [];
  const dir = '/tmp/corelab-btfext-progs';
  mkdirSync(dir, { recursive: true });
  const progs = join(REPO, 'tests/progs');
  for (const f of readdirSync(progs).filter((n) => n.endsWith('.bpf.c'))) {
    for (const [target, endian] of [['bpf', 'little'], ['bpfeb', 'big']] as const) {
      const o = join(dir, `${f.replace(/\.c$/, '')}.${target}.o`);
      execFileSync(CLANG, ['-g', '-O2', '-target', target, '-I', join(REPO, '.cache/corpus/inc'), '-c', join(progs, f), '-o', o]);
      out.push({ path: o, endian, group: 'progs-fallback' });
    }
  }
  return out;
}

export interface ObjdumpCoreRelo {
  section: string;
  insnOff: number;
  kind: string;
  typeId: number;
  /** the access string llvm-objdump prints in parentheses (field kinds only) */
  accessStr: string | undefined;
  text: string;
}

export interface SourcePos {
  file: string;
  line: number;
}

export interface ObjdumpListing {
  coreRelos: ObjdumpCoreRelo[];
  /** per section: instruction byte offset → the "; file:line" comments printed just above it (DWARF) */
  lines: Map<string, Map<number, SourcePos[]>>;
}

/** Run `llvm-objdump-19 -drl` (asynchronously, so tests can overlap objects). */
export function objdumpListing(path: string): Promise<ObjdumpListing> {
  return new Promise((res, rej) => {
    execFile(LLVM_OBJDUMP, ['-drl', '--no-show-raw-insn', path], { encoding: 'utf8', maxBuffer: 1 << 30 }, (err, out) => {
      if (err) rej(err);
      else res(parseObjdumpListing(out));
    });
  });
}

/**
 * CO-RE lines ("<hex off>:  CO-RE <kind> [id] description") and DWARF line comments
 * ("; file:line") of an llvm-objdump listing, by section.
 */
export function parseObjdumpListing(text: string): ObjdumpListing {
  const coreRelos: ObjdumpCoreRelo[] = [];
  const lines = new Map<string, Map<number, SourcePos[]>>();
  let section = '';
  let cur: Map<number, SourcePos[]> | undefined;
  let pending: SourcePos[] = [];
  for (const line of text.split('\n')) {
    const s = /^Disassembly of section (.*):$/.exec(line);
    if (s) {
      section = s[1]!;
      cur = new Map();
      lines.set(section, cur);
      pending = [];
      continue;
    }
    const c = /^; (.+):(\d+)$/.exec(line);
    if (c) {
      pending.push({ file: c[1]!, line: Number(c[2]) });
      continue;
    }
    // annotation lines (CO-RE, ELF relocations) start with tabs and a 16-digit offset
    const m = /^\t+([0-9a-f]+):\s+CO-RE <(\w+)> \[(\d+)\] (.*)$/.exec(line);
    if (m) {
      const acc = /\(([0-9:]+)\)$/.exec(m[4]!);
      coreRelos.push({
        section,
        insnOff: parseInt(m[1]!, 16),
        kind: m[2]!,
        typeId: Number(m[3]),
        accessStr: acc ? acc[1] : undefined,
        text: m[4]!,
      });
      continue;
    }
    // instruction lines: right-aligned decimal index with spaces, then a tab
    const i = /^ *(\d+):\t/.exec(line);
    if (i && cur) {
      if (pending.length) cur.set(Number(i[1]) * 8, pending);
      pending = [];
    }
  }
  return { coreRelos, lines };
}

/** A small deterministic PRNG (mulberry32) so that mutation runs are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING_U32 = [0, 1, 2, 3, 4, 7, 8, 12, 15, 16, 17, 20, 23, 24, 28, 31, 32, 33, 0x7fffffff, 0x80000000, 0xfffffff8, 0xfffffffc, 0xffffffff];

/**
 * One structure-aware mutation of a `.BTF.ext` section: bit flips, truncation, and u32/u8 fields
 * (header fields, record sizes, num_info, offsets) set to boundary values, in either byte order.
 */
export function mutateBtfExt(src: Uint8Array, rnd: () => number): Uint8Array {
  let b: Uint8Array = src.slice();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const op = Math.floor(rnd() * 7);
    const le = rnd() < 0.5;
    const putU32 = (off: number, v: number) => {
      if (off < 0 || off + 4 > b.length) return;
      new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(off, v >>> 0, le);
    };
    if (op === 0 && b.length) {
      const i = Math.floor(rnd() * b.length);
      b[i]! ^= 1 << Math.floor(rnd() * 8);
    } else if (op === 1) {
      b = b.slice(0, Math.floor(rnd() * (b.length + 1)));
    } else if (op === 2) {
      // header fields: hdr_len and the six subsection off/len words
      putU32(pick([4, 8, 12, 16, 20, 24, 28]), rnd() < 0.7 ? pick(INTERESTING_U32) : Math.floor(rnd() * (b.length + 64)));
    } else if (op === 3) {
      // an aligned word somewhere: often a rec_size, sec_name_off or num_info
      const words = b.length >> 2;
      if (words) putU32(4 * Math.floor(rnd() * words), rnd() < 0.5 ? pick(INTERESTING_U32) : Math.floor(rnd() * 0x10000));
    } else if (op === 4 && b.length >= 4) {
      b[Math.floor(rnd() * 4)] = pick([0, 1, 2, 0x9f, 0xeb, 0xff]);
    } else if (op === 5) {
      // swap the byte order of the header words (a section written for the other endianness)
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (b.length >= 2) dv.setUint16(0, dv.getUint16(0, true), false);
      for (let off = 4; off + 4 <= Math.min(b.length, 32); off += 4) dv.setUint32(off, dv.getUint32(off, true), false);
    } else if (op === 6) {
      const extra = new Uint8Array(Math.floor(rnd() * 16));
      const c = new Uint8Array(b.length + extra.length);
      c.set(b);
      c.set(extra, b.length);
      b = c;
    }
  }
  return b;
}

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorelabError } from '../../core-ts/errors.ts';
import { isXz, xzDecompress } from '../../core-ts/xz/index.ts';
import { requireTool } from '../support/tools.ts';

/*
 * Every expected output here is the original input fed to the real `xz` (XZ Utils 5.4), or
 * what `xz -dc` prints; nothing is typed in from our own output.
 */

const XZ = requireTool('xz');

function xz(args: string[], input: Uint8Array): Uint8Array {
  return new Uint8Array(execFileSync(XZ, [...args, '-c'], { input, maxBuffer: 1 << 30 }));
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
function randomBytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** Text-like data with long and short repeats, the kind LZMA finds matches in. */
function repetitive(n: number, seed: number): Uint8Array {
  const words = ['struct', 'task_struct', 'int', 'unsigned', 'long', '__u32', 'list_head', ' ', '\n', '{', '};', 'bpf'];
  const r = randomBytes(n, seed);
  const out = new Uint8Array(n);
  let i = 0;
  let k = 0;
  while (i < n) {
    const w = words[r[k++ % n]! % words.length]!;
    for (let j = 0; j < w.length && i < n; j++) out[i++] = w.charCodeAt(j);
  }
  return out;
}

/** Random stretches, repeated stretches and runs mixed: exercises literals, matches and reps. */
function mixed(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  const r = randomBytes(n, seed);
  let i = 0;
  let k = 0;
  while (i < n) {
    const kind = r[k++ % n]! % 4;
    const len = 1 + (r[k++ % n]! << 2);
    for (let j = 0; j < len && i < n; j++, i++) {
      if (kind === 0) out[i] = r[(k + j) % n]!;
      else if (kind === 1 && i > 300) out[i] = out[i - 1 - (r[k % n]! % 300)]!;
      else if (kind === 2) out[i] = 0;
      else out[i] = out[Math.max(0, i - 4)]!;
    }
  }
  return out;
}

const INPUTS: Record<string, Uint8Array> = {
  empty: new Uint8Array(0),
  'one byte': new Uint8Array([0x42]),
  'random 200 KiB': randomBytes(200 * 1024, 1),
  'repetitive 300 KiB': repetitive(300 * 1024, 2),
  'mixed 600 KiB': mixed(600 * 1024, 3),
  'zeros 3 MiB': new Uint8Array(3 * 1024 * 1024),
};

const ARGS: string[][] = [
  ['-0'],
  ['-6'],
  ['-9e'],
  ['-6', '--check=crc32'],
  ['-6', '--check=crc64'],
  ['-6', '--check=none'],
  ['-6', '--check=sha256'],
  ['-1', '--block-size=65536'],
  ['-6', '--block-size=100000', '-T2'], // sizes in block headers
  ['--lzma2=preset=6,lc=0,lp=4,pb=0'],
  ['--lzma2=preset=6,lc=4,lp=0,pb=4'],
  ['--lzma2=preset=1,mf=hc3,nice=273,dict=4KiB'],
  ['--delta=dist=4', '--lzma2=preset=3'],
  ['--delta=dist=256', '--lzma2=preset=3'],
];

describe('xzDecompress: xz CLI round trips', () => {
  for (const [name, data] of Object.entries(INPUTS)) {
    it.each(ARGS.map((a) => [a.join(' ')]))(`${name}, xz %s`, (joined) => {
      const packed = xz(joined.split(' '), data);
      expect(isXz(packed)).toBe(true);
      const got = xzDecompress(packed);
      expect(got.length).toBe(data.length);
      expect(Buffer.compare(Buffer.from(got), Buffer.from(data))).toBe(0);
    });
  }
});

describe('xzDecompress: check tails and check mismatches', () => {
  // lengths around the 8-byte CRC strides and the 64-byte SHA-256 block with its 9-byte trailer
  const lengths = [1, 7, 8, 9, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000];
  for (const check of ['crc32', 'crc64', 'sha256']) {
    it.each(lengths)(`--check=${check}, %i bytes`, (n) => {
      const data = randomBytes(n, n + 100);
      const got = xzDecompress(xz(['-6', `--check=${check}`], data));
      expect(Buffer.compare(Buffer.from(got), Buffer.from(data))).toBe(0);
    });
    it(`--check=${check}: a flipped check byte is caught, and xz catches it too`, () => {
      const bad = xz(['-6', `--check=${check}`], repetitive(5000, 5)).slice();
      const footer = bad.length - 12;
      const backward = (new DataView(bad.buffer).getUint32(footer + 4, true) + 1) * 4;
      const size = { crc32: 4, crc64: 8, sha256: 32 }[check]!;
      bad[footer - backward - size]! ^= 0x01;
      expect(() => execFileSync(XZ, ['-dc'], { input: bad, stdio: 'pipe' })).toThrow();
      const e = catchError(() => xzDecompress(bad));
      expect([e.kind, e.offset, e.section]).toEqual(['invalid', footer - backward - size, 'xz']);
      expect(e.message).toContain({ crc32: 'CRC32', crc64: 'CRC64', sha256: 'SHA-256' }[check]!);
    });
  }
});

describe('xzDecompress: filters on machine code', () => {
  // a real x86-64 ELF: the BCJ filter rewrites its CALL/JMP operands
  const code = new Uint8Array(readFileSync(process.execPath).subarray(0, 1536 * 1024));
  it.each([
    [['--x86', '--lzma2=preset=6']],
    [['--x86=start=4096', '--lzma2=preset=1']],
    [['--x86', '--delta=dist=2', '--lzma2=preset=0']],
    [['-6', '--block-size=300000', '--x86', '--lzma2']],
  ])('xz %j', (args) => {
    const got = xzDecompress(xz(args, code));
    expect(Buffer.compare(Buffer.from(got), Buffer.from(code))).toBe(0);
  });

  it.each([
    ['--ia64', 0x06],
  ])('%s is rejected as unsupported, naming filter 0x%s', (flag, id) => {
    const packed = xz([flag, '--lzma2=preset=0'], code.subarray(0, 4096));
    const e = catchError(() => xzDecompress(packed));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toContain(`0x${id.toString(16)}`);
    expect(e.section).toBe('xz');
    expect(e.offset).toBeGreaterThan(12); // inside the first block header
  });
});

/**
 * Branch-dense synthetic code for each BCJ filter: random words, half of them forced into the
 * branch encodings the filter converts, so that every conversion path runs many times.
 */
function branchy(arch: string, n: number, seed: number): Uint8Array {
  const r = randomBytes(n + 8, seed);
  const b = r.slice(0, n);
  for (let i = 0; i + 8 <= n; i += 4) {
    if (r[i + 4]! & 1) continue;
    const k = r[i + 5]!;
    switch (arch) {
      case 'x86':
        b[i] = 0xe8 | (k & 1);
        b[i + 4] = k & 2 ? 0xff : 0x00;
        i += 1;
        break;
      case 'arm':
        b[i + 3] = 0xeb;
        break;
      case 'armthumb':
        b[i + 1] = 0xf0 | (k & 7);
        b[i + 3] = 0xf8 | ((k >> 3) & 7);
        break;
      case 'powerpc':
        b[i] = 0x48 | (k & 3);
        b[i + 3] = (b[i + 3]! & 0xfc) | 1;
        break;
      case 'sparc':
        if (k & 1) {
          b[i] = 0x40;
          b[i + 1] &= 0x3f;
        } else {
          b[i] = 0x7f;
          b[i + 1] |= 0xc0;
        }
        break;
      case 'arm64':
        if (k & 1) b[i + 3] = 0x94 | (k & 2 ? 3 : 0); // BL
        else {
          b[i + 3] = 0x90 | (k & 0x60); // ADRP, immhi small enough to convert most of the time
          b[i + 2] &= k & 0x80 ? 0x1f : 0xff;
        }
        break;
    }
  }
  return b;
}

describe('xzDecompress: BCJ filters against xz', () => {
  const code = new Uint8Array(readFileSync(process.execPath).subarray(0, 256 * 1024));
  const cases: [string, string[]][] = [];
  for (const arch of ['x86', 'arm', 'armthumb', 'powerpc', 'sparc', 'arm64']) {
    cases.push([arch, [`--${arch}`, '--lzma2=preset=1']]);
    cases.push([arch, [`--${arch}=start=65536`, '--lzma2=preset=0']]);
    cases.push([arch, ['--block-size=30000', `--${arch}`, '--lzma2=preset=0']]);
  }
  it.each(cases)('%s: xz %j', (arch, args) => {
    for (const data of [branchy(arch, 100_003, arch.length), code]) {
      const got = xzDecompress(xz(args, data));
      expect(Buffer.compare(Buffer.from(got), Buffer.from(data))).toBe(0);
    }
  });
});

describe('xzDecompress: streams and padding', () => {
  const a = repetitive(50_000, 7);
  const b = randomBytes(30_000, 8);
  const pa = xz(['-6'], a);
  const pb = xz(['-0', '--check=crc32'], b);
  const pEmpty = xz(['-6'], new Uint8Array(0));
  const cat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  const expectDecodesLikeXz = (input: Uint8Array): void => {
    const want = new Uint8Array(execFileSync(XZ, ['-dc'], { input, maxBuffer: 1 << 30 }));
    const got = xzDecompress(input);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(want))).toBe(0);
  };

  it('two concatenated streams', () => expectDecodesLikeXz(cat(pa, pb)));
  it('three streams, one empty, with stream padding between and after', () =>
    expectDecodesLikeXz(cat(pa, new Uint8Array(8), pEmpty, new Uint8Array(4), pb, new Uint8Array(12))));
  it('padding that is not a multiple of 4 is rejected (xz rejects it too)', () => {
    const bad = cat(pa, new Uint8Array(3));
    expect(() => execFileSync(XZ, ['-dc'], { input: bad, stdio: 'pipe' })).toThrow();
    const e = catchError(() => xzDecompress(bad));
    expect(e.kind).toBe('invalid');
    expect(e.offset).toBe(pa.length);
  });
  it('garbage after a stream is rejected at its offset (xz rejects it too)', () => {
    const bad = cat(pa, new Uint8Array([1, 2, 3, 4]));
    expect(() => execFileSync(XZ, ['-dc'], { input: bad, stdio: 'pipe' })).toThrow();
    const e = catchError(() => xzDecompress(bad));
    expect(e.offset).toBe(pa.length);
  });
});

function catchError(f: () => unknown): CorelabError {
  try {
    f();
  } catch (e) {
    if (e instanceof CorelabError) return e;
    throw e;
  }
  throw new Error('expected a CorelabError, got a result');
}

describe('xzDecompress: malformed input', () => {
  const data = mixed(100_000, 11);
  const packed = xz(['-6'], data);

  it('bad magic', () => {
    expect(isXz(new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a]))).toBe(false);
    const e = catchError(() => xzDecompress(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])));
    expect([e.kind, e.offset, e.section]).toEqual(['bad-magic', 0, 'xz']);
    // the .lzma (LZMA_Alone) format is not .xz
    expect(catchError(() => xzDecompress(xz(['--format=lzma'], data))).kind).toBe('bad-magic');
  });

  it('stream header CRC mismatch', () => {
    const bad = packed.slice();
    bad[8]! ^= 1;
    const e = catchError(() => xzDecompress(bad));
    expect([e.kind, e.offset]).toEqual(['invalid', 8]);
    expect(e.message).toContain('CRC32');
  });

  it('unsupported (reserved) check ID, header CRC fixed up', () => {
    const bad = packed.slice();
    bad[7] = 0x02;
    const crc = crc32Of(bad.subarray(6, 8));
    new DataView(bad.buffer).setUint32(8, crc, true);
    const e = catchError(() => xzDecompress(bad));
    expect([e.kind, e.offset]).toEqual(['unsupported', 7]);
  });

  it('block check mismatch (flipped check byte) is caught by CRC64', () => {
    const bad = packed.slice();
    // the CRC64 is the 8 bytes before the index; the index is backward-size bytes before the footer
    const footer = bad.length - 12;
    const backward = (new DataView(bad.buffer).getUint32(footer + 4, true) + 1) * 4;
    bad[footer - backward - 1]! ^= 0x80;
    const e = catchError(() => xzDecompress(bad));
    expect(e.kind).toBe('invalid');
    expect(e.message).toContain('CRC64');
    expect(e.offset).toBe(footer - backward - 8);
  });

  it('every truncation fails with a CorelabError at an offset inside the input', () => {
    const small = xz(['-6', '--block-size=3000'], data.subarray(0, 9000));
    for (let n = 0; n < small.length; n++) {
      const e = catchError(() => xzDecompress(small.subarray(0, n)));
      expect(e.section).toBe('xz');
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(n);
    }
  });

  it('output beyond maxOutput is too-large', () => {
    expect(xzDecompress(packed, { maxOutput: data.length }).length).toBe(data.length);
    const e = catchError(() => xzDecompress(packed, { maxOutput: data.length - 1 }));
    expect(e.kind).toBe('too-large');
    const zeros = xz(['-9'], new Uint8Array(8 << 20));
    expect(catchError(() => xzDecompress(zeros, { maxOutput: 1 << 20 })).kind).toBe('too-large');
  });

  it('invalid LZMA2 control byte', () => {
    // first byte of the LZMA2 data sits right after the 12-byte stream header and the block header
    const bad = packed.slice();
    const headerSize = (bad[12]! + 1) * 4;
    bad[12 + headerSize] = 0x03;
    const e = catchError(() => xzDecompress(bad));
    expect([e.kind, e.offset]).toEqual(['invalid', 12 + headerSize]);
  });

  it('first LZMA2 chunk that does not reset the dictionary', () => {
    const bad = packed.slice();
    const at = 12 + (bad[12]! + 1) * 4;
    bad[at] = (bad[at]! & 0x1f) | 0x80; // LZMA chunk, no reset
    const e = catchError(() => xzDecompress(bad));
    expect([e.kind, e.offset]).toEqual(['invalid', at]);
    expect(e.message).toContain('reset the dictionary');
  });
});

function crc32Of(b: Uint8Array): number {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('xzDecompress: kernel BTFs from tests/kernels against xz -dc', () => {
  const dir = join(import.meta.dirname, '..', 'kernels');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.btf.xz')).sort() : [];
  it('tests/kernels holds kernel BTFs', () => expect(files.length).toBeGreaterThan(0));
  it.each(files)('%s', (f) => {
    const path = join(dir, f);
    const want = new Uint8Array(execFileSync(XZ, ['-dc', path], { maxBuffer: 1 << 30 }));
    const got = xzDecompress(new Uint8Array(readFileSync(path)));
    expect(got.length).toBe(want.length);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(want))).toBe(0);
  });
});

/** The control bytes of the LZMA2 chunks of the first block of a single-stream .xz file. */
function lzma2Controls(packed: Uint8Array): number[] {
  let p = 12 + (packed[12]! + 1) * 4;
  const controls: number[] = [];
  for (;;) {
    const c = packed[p]!;
    controls.push(c);
    if (c === 0) return controls;
    if (c >= 0x80) p += (c >= 0xc0 ? 6 : 5) + ((packed[p + 3]! << 8) | packed[p + 4]!) + 1;
    else p += 3 + ((packed[p + 1]! << 8) | packed[p + 2]!) + 1;
  }
}

describe('xzDecompress: one block of many LZMA2 chunks of every kind', () => {
  // LZMA chunks hold at most 2 MiB out / 64 KiB in, and xz stores incompressible stretches as
  // uncompressed chunks: so one block has LZMA chunks continuing one another's state and
  // dictionary, and LZMA chunks right after uncompressed ones (the decoder's chunk boundary).
  const data = new Uint8Array([
    ...mixed(700 * 1024, 21),
    ...randomBytes(200 * 1024, 22),
    ...repetitive(3 << 20, 23),
    ...randomBytes(150 * 1024, 24),
    ...mixed(500 * 1024, 25),
  ]);
  const packed = xz(['-6'], data);
  const controls = lzma2Controls(packed);

  it('the block has LZMA chunks that keep the state, and uncompressed chunks between LZMA ones', () => {
    expect(controls.filter((c) => c >= 0x80 && c < 0xa0).length).toBeGreaterThan(0);
    expect(controls.some((c) => c === 1 || c === 2)).toBe(true);
    const afterUncompressed = controls.some((c, i) => i > 0 && c >= 0x80 && (controls[i - 1] === 1 || controls[i - 1] === 2));
    expect(afterUncompressed).toBe(true);
  });

  it('decodes to the original bytes', () => {
    const got = xzDecompress(packed);
    expect(got.length).toBe(data.length);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(data))).toBe(0);
  });

  it('a flipped byte in a later chunk fails with a CorelabError inside the input', () => {
    // the last LZMA chunk's data: past the dictionary and state carried across the boundaries
    const bad = packed.slice();
    const at = packed.length - 200;
    bad[at]! ^= 0x10;
    const e = catchError(() => xzDecompress(bad));
    expect(e.section).toBe('xz');
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bad.length);
    expect(spawnSync(XZ, ['-dc'], { input: bad }).status).not.toBe(0);
  });
});

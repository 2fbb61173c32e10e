import { describe, expect, it } from 'vitest';
import { CorelabError, corelabErrorFromData, isCorelabError } from '../../core-ts/errors.ts';
import { ByteView } from '../../core-ts/bytes/view.ts';

describe('CorelabError', () => {
  it('survives structured cloning as plain data', () => {
    const e = new CorelabError('truncated', 'header cut short', { offset: 12, section: '.BTF' });
    const cloned = structuredClone(e.toData());
    expect(isCorelabError(cloned)).toBe(true);
    const back = corelabErrorFromData(cloned);
    expect(back).toBeInstanceOf(CorelabError);
    expect(back.describe()).toBe('.BTF @0xc: header cut short');
  });
});

describe('ByteView', () => {
  const bytes = new Uint8Array([1, 2, 3, 4, 0x61, 0x62, 0, 0x63]);
  it.each([
    ['little', 0x04030201],
    ['big', 0x01020304],
  ] as const)('reads u32 in %s-endian order', (endian, want) => {
    expect(new ByteView(bytes, endian, 'x').u32(0)).toBe(want);
  });
  it.each([
    ['u32 past end', (v: ByteView) => v.u32(6)],
    ['u64 past end', (v: ByteView) => v.u64(1)],
    ['negative offset', (v: ByteView) => v.u8(-1)],
    ['string without NUL', (v: ByteView) => v.cstr(7)],
    ['sub-view past end', (v: ByteView) => v.sub(4, 5)],
  ])('%s is a typed truncated error', (_name, f) => {
    const v = new ByteView(bytes, 'little', 'sec');
    try {
      f(v);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CorelabError);
      expect((e as CorelabError).kind).toBe('truncated');
      expect((e as CorelabError).section).toBe('sec');
    }
  });
  it('reads C strings', () => {
    expect(new ByteView(bytes, 'little', 'x').cstr(4)).toBe('ab');
  });
});

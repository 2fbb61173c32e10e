import { CorelabError } from '../errors.ts';
import { ByteView } from '../bytes/view.ts';
import type { BtfHeader } from './types.ts';

export const BTF_MAGIC = 0xeb9f;
/** The classic header; the 2026 UAPI appends layout_off/layout_len (32 bytes). */
export const BTF_HEADER_MIN = 24;
export const BTF_HEADER_LAYOUT = 32;
/** libbpf's BTF_MAX_STR_OFFSET: the string section may be at most this + 1 bytes. */
const MAX_STR_OFFSET = 0x7fffffff;

/** Where each section sits inside the BTF blob (absolute offsets, after the header). */
export interface BtfLayoutInfo {
  readonly header: BtfHeader;
  readonly typeStart: number;
  readonly strStart: number;
  readonly layoutStart: number;
}

/**
 * The byte order is decided here, once: the magic read little-endian or big-endian.
 * Returns a view of the whole blob in that order.
 */
export function btfView(bytes: Uint8Array, section: string): ByteView {
  if (bytes.length < 2) {
    throw new CorelabError('truncated', `BTF needs at least a 2-byte magic, got ${bytes.length} bytes`, {
      offset: 0,
      section,
    });
  }
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  if (b0 === 0x9f && b1 === 0xeb) return new ByteView(bytes, 'little', section);
  if (b0 === 0xeb && b1 === 0x9f) return new ByteView(bytes, 'big', section);
  throw new CorelabError(
    'bad-magic',
    `not BTF: magic is 0x${hex2(b0)}${hex2(b1)} (bytes), expected 0xeB9F in either byte order`,
    { offset: 0, section },
  );
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/**
 * Header checks as libbpf's btf_parse_hdr (1.1.2, plus HEAD's layout section):
 * sections inside the blob, types before strings, types 4-aligned.
 * Deviation, on purpose: hdr_len < 24 is refused (libbpf would read header bytes as types).
 */
export function parseBtfHeader(v: ByteView): BtfLayoutInfo {
  const sec = v.section;
  if (v.length < BTF_HEADER_MIN) {
    throw new CorelabError('truncated', `BTF header needs ${BTF_HEADER_MIN} bytes, blob has ${v.length}`, {
      offset: 0,
      section: sec,
    });
  }
  const magic = v.u16(0);
  const version = v.u8(2);
  const flags = v.u8(3);
  const hdrLen = v.u32(4);
  if (hdrLen < BTF_HEADER_MIN) {
    throw new CorelabError('invalid', `BTF hdr_len is ${hdrLen}, smaller than the ${BTF_HEADER_MIN}-byte header`, {
      offset: 4,
      section: sec,
    });
  }
  if (hdrLen > v.length) {
    throw new CorelabError('truncated', `BTF hdr_len ${hdrLen} is larger than the blob (${v.length} bytes)`, {
      offset: 4,
      section: sec,
    });
  }
  const typeOff = v.u32(8);
  const typeLen = v.u32(12);
  const strOff = v.u32(16);
  const strLen = v.u32(20);
  let layoutOff: number | undefined;
  let layoutLen: number | undefined;
  if (hdrLen >= BTF_HEADER_LAYOUT) {
    layoutOff = v.u32(24);
    layoutLen = v.u32(28);
  }
  const header: BtfHeader =
    layoutOff === undefined
      ? { magic, version, flags, hdrLen, typeOff, typeLen, strOff, strLen }
      : { magic, version, flags, hdrLen, typeOff, typeLen, strOff, strLen, layoutOff, layoutLen: layoutLen! };

  const metaLeft = v.length - hdrLen;
  if (strOff + strLen > metaLeft) {
    throw new CorelabError(
      'out-of-bounds',
      `BTF string section (str_off ${strOff} + str_len ${strLen}) runs past the end of the data (${metaLeft} bytes after the header)`,
      { offset: 16, section: sec },
    );
  }
  if (typeOff + typeLen > strOff) {
    throw new CorelabError(
      'invalid',
      `BTF sections overlap: types at ${typeOff} + ${typeLen}, strings at ${strOff} + ${strLen}`,
      { offset: 8, section: sec },
    );
  }
  if (typeOff % 4 !== 0) {
    throw new CorelabError('misaligned', `BTF type section offset ${typeOff} is not 4-byte aligned`, {
      offset: 8,
      section: sec,
    });
  }
  if (layoutLen) {
    const lo = layoutOff!;
    if (lo % 4 !== 0) {
      throw new CorelabError('misaligned', `BTF layout section offset ${lo} is not 4-byte aligned`, {
        offset: 24,
        section: sec,
      });
    }
    if (lo < typeOff + typeLen || lo + layoutLen > strOff) {
      throw new CorelabError(
        'invalid',
        `BTF layout section at ${lo} + ${layoutLen} must lie between types (${typeOff} + ${typeLen}) and strings (${strOff})`,
        { offset: 24, section: sec },
      );
    }
    if (layoutLen % 4 !== 0) {
      throw new CorelabError('invalid', `BTF layout section length ${layoutLen} is not a multiple of 4`, {
        offset: 28,
        section: sec,
      });
    }
  }
  return {
    header,
    typeStart: hdrLen + typeOff,
    strStart: hdrLen + strOff,
    layoutStart: hdrLen + (layoutOff ?? 0),
  };
}

/**
 * String-section rules of libbpf's btf_parse_str_sec: last byte NUL, size limit, and for a base
 * BTF the first byte NUL (offset 0 is the empty name). A split BTF may have no strings at all.
 */
export function checkStringSection(v: ByteView, strStart: number, strLen: number, split: boolean): void {
  const sec = v.section;
  if (split && strLen === 0) return;
  if (strLen === 0) {
    throw new CorelabError('invalid', 'BTF string section is empty (it must hold at least the empty name)', {
      offset: strStart,
      section: sec,
    });
  }
  if (strLen - 1 > MAX_STR_OFFSET) {
    throw new CorelabError('too-large', `BTF string section of ${strLen} bytes exceeds the format's limit`, {
      offset: strStart,
      section: sec,
    });
  }
  if (v.u8(strStart + strLen - 1) !== 0) {
    throw new CorelabError('invalid', 'BTF string section does not end with a NUL byte', {
      offset: strStart + strLen - 1,
      section: sec,
    });
  }
  if (!split && v.u8(strStart) !== 0) {
    throw new CorelabError(
      'invalid',
      'BTF string section does not start with a NUL byte (a split BTF read without its base?)',
      { offset: strStart, section: sec },
    );
  }
}

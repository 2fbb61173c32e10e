/**
 * CRC32 (IEEE, reflected 0xEDB88320) and CRC64 (ECMA-182, reflected 0xC96C5795D7870F42), the two
 * integrity checks xz uses. Both are slicing-by-8 because they run over every decompressed byte
 * (~5 MB per kernel BTF) and byte-at-a-time would cost as much as a third of the LZMA time.
 * CRC64 is kept as two 32-bit halves: BigInt per byte would be far too slow.
 */

const CRC32_TABLES = buildCrc32Tables();
const CRC64_LO = new Int32Array(8 * 256);
const CRC64_HI = new Int32Array(8 * 256);
buildCrc64Tables();

function buildCrc32Tables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[i] = c;
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const prev = t[(k - 1) * 256 + i]!;
      t[k * 256 + i] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

function buildCrc64Tables(): void {
  const POLY_LO = 0xd7870f42 | 0;
  const POLY_HI = 0xc96c5795 | 0;
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let k = 0; k < 8; k++) {
      const odd = lo & 1;
      lo = (lo >>> 1) | (hi << 31);
      hi = hi >>> 1;
      if (odd) {
        lo ^= POLY_LO;
        hi ^= POLY_HI;
      }
    }
    CRC64_LO[i] = lo;
    CRC64_HI[i] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const plo = CRC64_LO[(k - 1) * 256 + i]!;
      const phi = CRC64_HI[(k - 1) * 256 + i]!;
      const idx = plo & 0xff;
      CRC64_LO[k * 256 + i] = ((plo >>> 8) | (phi << 24)) ^ CRC64_LO[idx]!;
      CRC64_HI[k * 256 + i] = (phi >>> 8) ^ CRC64_HI[idx]!;
    }
  }
}

/** CRC32 of bytes[start, end), as an unsigned number. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = CRC32_TABLES;
  let c = ~0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    const b = bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + (b & 0xff)]! ^
      t[512 + ((b >>> 8) & 0xff)]! ^
      t[256 + ((b >>> 16) & 0xff)]! ^
      t[b >>> 24]!;
  }
  for (; i < end; i++) c = (c >>> 8) ^ t[(c ^ bytes[i]!) & 0xff]!;
  return ~c >>> 0;
}

/** CRC64 of bytes[start, end) as [low 32 bits, high 32 bits], both unsigned. */
export function crc64(bytes: Uint8Array, start = 0, end = bytes.length): [number, number] {
  const tl = CRC64_LO;
  const th = CRC64_HI;
  let lo = ~0;
  let hi = ~0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = lo ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    const b = hi ^ (bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24));
    const i7 = 1792 + (a & 0xff);
    const i6 = 1536 + ((a >>> 8) & 0xff);
    const i5 = 1280 + ((a >>> 16) & 0xff);
    const i4 = 1024 + (a >>> 24);
    const i3 = 768 + (b & 0xff);
    const i2 = 512 + ((b >>> 8) & 0xff);
    const i1 = 256 + ((b >>> 16) & 0xff);
    const i0 = b >>> 24;
    lo = tl[i7]! ^ tl[i6]! ^ tl[i5]! ^ tl[i4]! ^ tl[i3]! ^ tl[i2]! ^ tl[i1]! ^ tl[i0]!;
    hi = th[i7]! ^ th[i6]! ^ th[i5]! ^ th[i4]! ^ th[i3]! ^ th[i2]! ^ th[i1]! ^ th[i0]!;
  }
  for (; i < end; i++) {
    const idx = (lo ^ bytes[i]!) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ tl[idx]!;
    hi = (hi >>> 8) ^ th[idx]!;
  }
  return [~lo >>> 0, ~hi >>> 0];
}

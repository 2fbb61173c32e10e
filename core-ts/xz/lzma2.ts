import { xzFail } from './fail.ts';
import { LzmaDecoder } from './lzma.ts';
import type { OutputBuffer } from './output.ts';

/** Dictionary size from the LZMA2 filter's properties byte (40 means 4 GiB - 1). */
export function lzma2DictSize(props: number, offset: number): number {
  if (props > 40) xzFail('invalid', `LZMA2 dictionary size byte ${props} is above 40`, offset);
  if (props === 40) return 0xffffffff;
  return (2 | (props & 1)) * 2 ** ((props >>> 1) + 11);
}

/**
 * Decode one block's LZMA2 data starting at input[start] into `out`, and return the input
 * offset just past its end-of-data byte. Each loop turn consumes at least one input byte.
 */
export function decodeLzma2(input: Uint8Array, start: number, out: OutputBuffer, dictSize: number, lzma: LzmaDecoder): number {
  // Distances are checked against the dictionary the way liblzma sizes it.
  const dictLimit = Math.max(4096, Math.ceil(dictSize / 16) * 16);
  let p = start;
  let needDictReset = true;
  let needProps = true;
  let dictStart = out.length;
  for (;;) {
    if (p >= input.length) xzFail('truncated', 'xz input ends inside LZMA2 data (no end-of-data byte)', p);
    const control = input[p]!;
    if (control === 0) return p + 1;
    if (control >= 0xe0 || control === 1) {
      // a dictionary reset means the next LZMA chunk must bring new properties
      needProps = true;
      needDictReset = false;
      dictStart = out.length;
    } else if (needDictReset) {
      xzFail('invalid', `LZMA2 chunk control 0x${control.toString(16)} does not reset the dictionary, but the block's first chunk must`, p);
    }

    if (control >= 0x80) {
      const hdr = control >= 0xc0 ? 6 : 5;
      if (p + hdr > input.length) xzFail('truncated', 'xz input ends inside an LZMA2 chunk header', p);
      const unpacked = (control & 0x1f) * 65536 + ((input[p + 1]! << 8) | input[p + 2]!) + 1;
      const packed = ((input[p + 3]! << 8) | input[p + 4]!) + 1;
      if (control >= 0xc0) {
        lzma.setProperties(input[p + 5]!, p + 5);
        lzma.resetState();
        needProps = false;
      } else if (needProps) {
        xzFail('invalid', `LZMA2 chunk control 0x${control.toString(16)} keeps properties, but none were set since the dictionary reset`, p);
      } else if (control >= 0xa0) {
        lzma.resetState();
      }
      const dataStart = p + hdr;
      const dataEnd = dataStart + packed;
      if (dataEnd > input.length) xzFail('truncated', `LZMA2 chunk declares ${packed} packed bytes, past the end of the input`, p);
      out.reserve(unpacked, p);
      const pos = out.length;
      lzma.decodeChunk(input, dataStart, dataEnd, out.buf, pos, pos + unpacked, dictStart, dictLimit);
      out.length = pos + unpacked;
      p = dataEnd;
    } else {
      if (control > 2) xzFail('invalid', `LZMA2 chunk control byte 0x${control.toString(16)} is invalid`, p);
      if (p + 3 > input.length) xzFail('truncated', 'xz input ends inside an LZMA2 chunk header', p);
      const size = ((input[p + 1]! << 8) | input[p + 2]!) + 1;
      const dataStart = p + 3;
      if (dataStart + size > input.length) xzFail('truncated', `uncompressed LZMA2 chunk of ${size} bytes runs past the end of the input`, p);
      out.append(input.subarray(dataStart, dataStart + size), p);
      p = dataStart + size;
    }
  }
}

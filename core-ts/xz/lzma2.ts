import { xzFail } from './fail.ts';
import type { LzmaDecoder } from './lzma.ts';
import type { OutputBuffer } from './output.ts';

/** Dictionary size from the LZMA2 filter's properties byte (40 means 4 GiB - 1). */
export function lzma2DictSize(props: number, offset: number): number {
  if (props > 40) xzFail('invalid', `LZMA2 dictionary size byte ${props} is above 40`, offset);
  if (props === 40) return 0xffffffff;
  return (2 | (props & 1)) * 2 ** ((props >>> 1) + 11);
}

/**
 * The chunk headers of one block's LZMA2 data, read one LZMA chunk at a time. `next()` copies
 * uncompressed chunks itself and stops at the next LZMA chunk, leaving what the LZMA decoder
 * needs in the fields below, so the decoder's hot loop calls out only at chunk boundaries and
 * runs a whole block in one call (one optimised compile, no re-entry per chunk).
 */
export class Lzma2Chunks {
  readonly input: Uint8Array;
  readonly out: OutputBuffer;
  /** Distances are checked against the dictionary the way liblzma sizes it. */
  readonly dictLimit: number;
  /** Input offset of the next chunk header; after the end-of-data byte once `next()` is false. */
  p: number;
  /** The current LZMA chunk: packed bytes input[inStart, inEnd) give out[.., outEnd). */
  inStart = 0;
  inEnd = 0;
  outEnd = 0;
  /** Where the dictionary starts in the output (the last dictionary reset). */
  dictStart: number;
  /** The current chunk resets the decoder state (probabilities, state, distances). */
  resetState = false;
  lc = 0;
  lp = 0;
  pb = 0;
  private needDictReset = true;
  private needProps = true;

  constructor(input: Uint8Array, start: number, out: OutputBuffer, dictSize: number) {
    this.input = input;
    this.out = out;
    this.dictLimit = Math.max(4096, Math.ceil(dictSize / 16) * 16);
    this.p = start;
    this.dictStart = out.length;
  }

  /**
   * Move to the next LZMA chunk: true with the fields set and room reserved in the output, or
   * false at the end-of-data byte. Each loop turn consumes at least one input byte.
   */
  next(): boolean {
    const input = this.input;
    const out = this.out;
    let p = this.p;
    for (;;) {
      if (p >= input.length) xzFail('truncated', 'xz input ends inside LZMA2 data (no end-of-data byte)', p);
      const control = input[p]!;
      if (control === 0) {
        this.p = p + 1;
        return false;
      }
      if (control >= 0xe0 || control === 1) {
        // a dictionary reset means the next LZMA chunk must bring new properties
        this.needProps = true;
        this.needDictReset = false;
        this.dictStart = out.length;
      } else if (this.needDictReset) {
        xzFail('invalid', `LZMA2 chunk control 0x${control.toString(16)} does not reset the dictionary, but the block's first chunk must`, p);
      }

      if (control >= 0x80) {
        const hdr = control >= 0xc0 ? 6 : 5;
        if (p + hdr > input.length) xzFail('truncated', 'xz input ends inside an LZMA2 chunk header', p);
        const unpacked = (control & 0x1f) * 65536 + ((input[p + 1]! << 8) | input[p + 2]!) + 1;
        const packed = ((input[p + 3]! << 8) | input[p + 4]!) + 1;
        if (control >= 0xc0) {
          this.setProperties(input[p + 5]!, p + 5);
          this.resetState = true;
          this.needProps = false;
        } else if (this.needProps) {
          xzFail('invalid', `LZMA2 chunk control 0x${control.toString(16)} keeps properties, but none were set since the dictionary reset`, p);
        } else {
          this.resetState = control >= 0xa0;
        }
        const dataStart = p + hdr;
        const dataEnd = dataStart + packed;
        if (dataEnd > input.length) xzFail('truncated', `LZMA2 chunk declares ${packed} packed bytes, past the end of the input`, p);
        out.reserve(unpacked, p);
        if (packed < 5) xzFail('invalid', `LZMA chunk of ${packed} bytes is too short for the range coder`, dataStart);
        if (input[dataStart] !== 0) xzFail('invalid', 'LZMA range coder does not start with a zero byte', dataStart);
        this.inStart = dataStart;
        this.inEnd = dataEnd;
        this.outEnd = out.length + unpacked;
        this.p = dataEnd;
        return true;
      }
      if (control > 2) xzFail('invalid', `LZMA2 chunk control byte 0x${control.toString(16)} is invalid`, p);
      if (p + 3 > input.length) xzFail('truncated', 'xz input ends inside an LZMA2 chunk header', p);
      const size = ((input[p + 1]! << 8) | input[p + 2]!) + 1;
      const dataStart = p + 3;
      if (dataStart + size > input.length) xzFail('truncated', `uncompressed LZMA2 chunk of ${size} bytes runs past the end of the input`, p);
      out.append(input.subarray(dataStart, dataStart + size), p);
      p = dataStart + size;
    }
  }

  /** Apply an lc/lp/pb properties byte; `offset` locates it for errors. */
  private setProperties(props: number, offset: number): void {
    if (props >= 9 * 5 * 5) xzFail('invalid', `LZMA properties byte 0x${props.toString(16)} is out of range`, offset);
    const lc = props % 9;
    const rest = (props / 9) | 0;
    const lp = rest % 5;
    const pb = (rest / 5) | 0;
    if (lc + lp > 4) xzFail('invalid', `LZMA2 forbids lc + lp > 4 (lc=${lc}, lp=${lp})`, offset);
    this.lc = lc;
    this.lp = lp;
    this.pb = pb;
  }
}

/**
 * Decode one block's LZMA2 data starting at input[start] into `out`, and return the input
 * offset just past its end-of-data byte.
 */
export function decodeLzma2(input: Uint8Array, start: number, out: OutputBuffer, dictSize: number, lzma: LzmaDecoder): number {
  const chunks = new Lzma2Chunks(input, start, out, dictSize);
  lzma.decodeBlock(chunks);
  return chunks.p;
}

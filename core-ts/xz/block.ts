import { verifyCheck, checkSize } from './check.ts';
import { crc32 } from './crc.ts';
import { xzFail } from './fail.ts';
import { applyPostFilter, FilterId, filterName, parsePostFilter, type PostFilter } from './filters.ts';
import { decodeLzma2, lzma2DictSize } from './lzma2.ts';
import type { LzmaDecoder } from './lzma.ts';
import type { OutputBuffer } from './output.ts';
import { readVarint } from './varint.ts';

export interface BlockHeader {
  readonly headerSize: number;
  readonly compressedSize: number | undefined;
  readonly uncompressedSize: number | undefined;
  readonly dictSize: number;
  /** non-last filters, in header order (the decoder undoes them last to first) */
  readonly postFilters: readonly PostFilter[];
}

/** What the index must say about a block. */
export interface BlockRecord {
  readonly unpaddedSize: number;
  readonly uncompressedSize: number;
}

function le32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

export function parseBlockHeader(input: Uint8Array, p: number): BlockHeader {
  const headerSize = (input[p]! + 1) * 4;
  if (p + headerSize > input.length) xzFail('truncated', `block header of ${headerSize} bytes runs past the end of the input`, p);
  const crcAt = p + headerSize - 4;
  if (crc32(input, p, crcAt) !== le32(input, crcAt)) xzFail('invalid', 'block header CRC32 mismatch', crcAt);
  const flags = input[p + 1]!;
  if (flags & 0x3c) xzFail('unsupported', `block flags 0x${flags.toString(16)} set reserved bits`, p + 1);

  let q = p + 2;
  let compressedSize: number | undefined;
  let uncompressedSize: number | undefined;
  if (flags & 0x40) {
    const v = readVarint(input, q, crcAt, 'block compressed size');
    if (v.value === 0) xzFail('invalid', 'block compressed size is zero', q);
    compressedSize = v.value;
    q = v.next;
  }
  if (flags & 0x80) {
    const v = readVarint(input, q, crcAt, 'block uncompressed size');
    uncompressedSize = v.value;
    q = v.next;
  }

  const count = (flags & 3) + 1;
  const postFilters: PostFilter[] = [];
  let dictSize = 0;
  for (let i = 0; i < count; i++) {
    const idAt = q;
    const id = readVarint(input, q, crcAt, 'filter ID');
    const size = readVarint(input, id.next, crcAt, 'filter properties size');
    const propsAt = size.next;
    if (propsAt + size.value > crcAt) xzFail('invalid', `properties of filter 0x${id.value.toString(16)} run past the block header`, propsAt);
    q = propsAt + size.value;
    if (i < count - 1) {
      postFilters.push(parsePostFilter(id.value, input, propsAt, size.value, idAt));
    } else if (id.value !== FilterId.LZMA2) {
      if (id.value >= FilterId.Delta && id.value <= FilterId.RISCV) {
        xzFail('invalid', `filter 0x${id.value.toString(16)} (${filterName(id.value)}) cannot be the last filter`, idAt);
      }
      xzFail('unsupported', `xz filter 0x${id.value.toString(16)} (${filterName(id.value)}) is not supported`, idAt);
    } else {
      if (size.value !== 1) xzFail('invalid', `LZMA2 filter properties are ${size.value} bytes, not 1`, propsAt);
      dictSize = lzma2DictSize(input[propsAt]!, propsAt);
    }
  }
  for (; q < crcAt; q++) if (input[q] !== 0) xzFail('invalid', 'block header padding is not zero', q);
  return { headerSize, compressedSize, uncompressedSize, dictSize, postFilters };
}

/** Decode the block at input[p] into `out`; returns its index record and the offset after it. */
export function decodeBlock(
  input: Uint8Array,
  p: number,
  checkId: number,
  out: OutputBuffer,
  lzma: LzmaDecoder,
): { record: BlockRecord; next: number } {
  const h = parseBlockHeader(input, p);
  if (h.uncompressedSize !== undefined) {
    if (h.uncompressedSize > out.max - out.length) {
      xzFail('too-large', `block declares ${h.uncompressedSize} bytes, beyond the ${out.max}-byte output limit`, p);
    }
  }
  const dataStart = p + h.headerSize;
  const outStart = out.length;
  const dataEnd = decodeLzma2(input, dataStart, out, h.dictSize, lzma);
  const compressed = dataEnd - dataStart;
  const uncompressed = out.length - outStart;
  if (h.compressedSize !== undefined && h.compressedSize !== compressed) {
    xzFail('invalid', `block header says ${h.compressedSize} compressed bytes, the data has ${compressed}`, dataStart);
  }
  if (h.uncompressedSize !== undefined && h.uncompressedSize !== uncompressed) {
    xzFail('invalid', `block header says ${h.uncompressedSize} uncompressed bytes, the data gives ${uncompressed}`, dataStart);
  }
  for (let i = h.postFilters.length - 1; i >= 0; i--) applyPostFilter(h.postFilters[i]!, out.buf, outStart, out.length, p);

  let q = dataEnd;
  for (; (q - dataStart) % 4 !== 0; q++) {
    if (q >= input.length) xzFail('truncated', 'xz input ends inside block padding', q);
    if (input[q] !== 0) xzFail('invalid', 'block padding is not zero', q);
  }
  const size = checkSize(checkId);
  if (q + size > input.length) xzFail('truncated', 'xz input ends inside a block check', q);
  verifyCheck(checkId, out.buf, outStart, out.length, input, q);
  return {
    record: { unpaddedSize: h.headerSize + compressed + size, uncompressedSize: uncompressed },
    next: q + size,
  };
}

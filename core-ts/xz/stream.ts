import { decodeBlock, type BlockRecord } from './block.ts';
import { checkName, isSupportedCheck } from './check.ts';
import { crc32 } from './crc.ts';
import { xzFail } from './fail.ts';
import type { LzmaDecoder } from './lzma.ts';
import type { OutputBuffer } from './output.ts';
import { readVarint } from './varint.ts';

export const HEADER_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] as const;
const FOOTER_MAGIC_0 = 0x59; // 'Y'
const FOOTER_MAGIC_1 = 0x5a; // 'Z'
export const STREAM_HEADER_SIZE = 12;
export const STREAM_FOOTER_SIZE = 12;

function le32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

export function hasHeaderMagic(input: Uint8Array, p: number): boolean {
  if (p + 6 > input.length) return false;
  for (let i = 0; i < 6; i++) if (input[p + i] !== HEADER_MAGIC[i]) return false;
  return true;
}

/** Check the stream flags at input[p, p+2) and return the check ID. */
function parseStreamFlags(input: Uint8Array, p: number): number {
  const f0 = input[p]!;
  const f1 = input[p + 1]!;
  if (f0 !== 0 || f1 & 0xf0) xzFail('unsupported', `stream flags 0x${f0.toString(16)} 0x${f1.toString(16)} set reserved bits`, p);
  return f1;
}

/** The stream header at input[p]: returns its check ID. */
export function parseStreamHeader(input: Uint8Array, p: number): number {
  if (!hasHeaderMagic(input, p)) xzFail('bad-magic', 'not an xz stream (bad header magic)', p);
  if (p + STREAM_HEADER_SIZE > input.length) xzFail('truncated', 'xz input ends inside the stream header', p);
  if (crc32(input, p + 6, p + 8) !== le32(input, p + 8)) xzFail('invalid', 'stream header CRC32 mismatch', p + 8);
  const checkId = parseStreamFlags(input, p + 6);
  if (!isSupportedCheck(checkId)) xzFail('unsupported', `xz integrity check ${checkName(checkId)} is not supported`, p + 7);
  return checkId;
}

/** The stream footer at input[p]: returns its backward size and check ID (flags byte). */
export function parseStreamFooter(input: Uint8Array, p: number): { backwardSize: number; flags: number } {
  if (p + STREAM_FOOTER_SIZE > input.length) xzFail('truncated', 'xz input ends inside the stream footer', p);
  if (input[p + 10] !== FOOTER_MAGIC_0 || input[p + 11] !== FOOTER_MAGIC_1) xzFail('bad-magic', 'bad xz stream footer magic', p + 10);
  if (crc32(input, p + 4, p + 10) !== le32(input, p)) xzFail('invalid', 'stream footer CRC32 mismatch', p);
  const flags = parseStreamFlags(input, p + 8);
  return { backwardSize: (le32(input, p + 4) + 1) * 4, flags };
}

/**
 * The index at input[p]. Returns its records and the offset after it. The record count is
 * checked against the bytes left before anything is allocated for it.
 */
export function parseIndex(input: Uint8Array, p: number): { records: BlockRecord[]; next: number } {
  if (p >= input.length) xzFail('truncated', 'xz input ends before the index', p);
  if (input[p] !== 0) xzFail('invalid', 'index indicator is not zero', p);
  const count = readVarint(input, p + 1, input.length, 'index record count');
  // each record is at least two bytes
  if (count.value > (input.length - count.next) / 2) {
    xzFail('truncated', `index declares ${count.value} records, more than the input can hold`, p + 1);
  }
  const records: BlockRecord[] = [];
  let q = count.next;
  for (let i = 0; i < count.value; i++) {
    const unpadded = readVarint(input, q, input.length, 'index unpadded size');
    const uncompressed = readVarint(input, unpadded.next, input.length, 'index uncompressed size');
    if (unpadded.value < 5) xzFail('invalid', `index unpadded size ${unpadded.value} is too small`, q);
    records.push({ unpaddedSize: unpadded.value, uncompressedSize: uncompressed.value });
    q = uncompressed.next;
  }
  for (; (q - p) % 4 !== 0; q++) {
    if (q >= input.length) xzFail('truncated', 'xz input ends inside index padding', q);
    if (input[q] !== 0) xzFail('invalid', 'index padding is not zero', q);
  }
  if (q + 4 > input.length) xzFail('truncated', 'xz input ends inside the index CRC32', q);
  if (crc32(input, p, q) !== le32(input, q)) xzFail('invalid', 'index CRC32 mismatch', q);
  return { records, next: q + 4 };
}

/** Decode the whole stream at input[p] into `out`; returns the offset after its footer. */
export function decodeStream(input: Uint8Array, p: number, out: OutputBuffer, lzma: LzmaDecoder): number {
  const checkId = parseStreamHeader(input, p);
  const decoded: BlockRecord[] = [];
  let q = p + STREAM_HEADER_SIZE;
  // each block consumes at least its 8-byte header
  for (;;) {
    if (q >= input.length) xzFail('truncated', 'xz input ends before the index', q);
    if (input[q] === 0) break;
    const b = decodeBlock(input, q, checkId, out, lzma);
    decoded.push(b.record);
    q = b.next;
  }

  const indexAt = q;
  const index = parseIndex(input, indexAt);
  if (index.records.length !== decoded.length) {
    xzFail('invalid', `index lists ${index.records.length} blocks, the stream has ${decoded.length}`, indexAt);
  }
  for (let i = 0; i < decoded.length; i++) {
    const a = index.records[i]!;
    const b = decoded[i]!;
    if (a.unpaddedSize !== b.unpaddedSize || a.uncompressedSize !== b.uncompressedSize) {
      xzFail(
        'invalid',
        `index record ${i} (${a.unpaddedSize}/${a.uncompressedSize} bytes) does not match block ${i} (${b.unpaddedSize}/${b.uncompressedSize})`,
        indexAt,
      );
    }
  }

  const footerAt = index.next;
  const footer = parseStreamFooter(input, footerAt);
  if (footer.flags !== checkId) xzFail('invalid', 'stream footer flags differ from the stream header', footerAt + 8);
  if (footer.backwardSize !== footerAt - indexAt) {
    xzFail('invalid', `stream footer backward size ${footer.backwardSize} differs from the index size ${footerAt - indexAt}`, footerAt + 4);
  }
  return footerAt + STREAM_FOOTER_SIZE;
}

/**
 * Total decompressed size as the indexes tell it, walking streams back from the end; only a
 * hint for sizing the output (the forward decode verifies everything), so any doubt gives
 * undefined. Each step moves back by at least a header and a footer.
 */
export function indexedSize(input: Uint8Array): number | undefined {
  try {
    let end = input.length;
    let total = 0;
    while (end > 0) {
      while (end >= 4 && le32(input, end - 4) === 0) end -= 4; // stream padding
      const footerAt = end - STREAM_FOOTER_SIZE;
      if (footerAt < STREAM_HEADER_SIZE || end % 4 !== 0) return undefined;
      const footer = parseStreamFooter(input, footerAt);
      const indexAt = footerAt - footer.backwardSize;
      if (indexAt < STREAM_HEADER_SIZE) return undefined;
      const index = parseIndex(input, indexAt);
      if (index.next !== footerAt) return undefined;
      let blocks = 0;
      for (const r of index.records) {
        blocks += Math.ceil(r.unpaddedSize / 4) * 4;
        total += r.uncompressedSize;
      }
      const streamAt = indexAt - blocks - STREAM_HEADER_SIZE;
      if (streamAt < 0 || !hasHeaderMagic(input, streamAt)) return undefined;
      end = streamAt;
    }
    return total;
  } catch {
    return undefined;
  }
}

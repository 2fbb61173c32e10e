import { crc32, crc64 } from './crc.ts';
import { xzFail } from './fail.ts';
import { sha256 } from './sha256.ts';

/** Stream-flags check IDs (xz-file-format §2.1.1.2). */
export const CheckId = { None: 0x00, CRC32: 0x01, CRC64: 0x04, SHA256: 0x0a } as const;

const NAMES: Record<number, string> = { 0: 'none', 1: 'CRC32', 4: 'CRC64', 10: 'SHA-256' };

/** Size in bytes of the check field for any of the 16 IDs, including reserved ones. */
export function checkSize(id: number): number {
  if (id === 0) return 0;
  return 4 << (((id - 1) / 3) | 0);
}

export function checkName(id: number): string {
  return NAMES[id] ?? `reserved check 0x${id.toString(16)}`;
}

export function isSupportedCheck(id: number): boolean {
  return id in NAMES;
}

function le32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

/** Compare the check of data[start, end) with the field at input[at]. */
export function verifyCheck(id: number, data: Uint8Array, start: number, end: number, input: Uint8Array, at: number): void {
  let ok = true;
  if (id === CheckId.CRC32) {
    ok = crc32(data, start, end) === le32(input, at);
  } else if (id === CheckId.CRC64) {
    const [lo, hi] = crc64(data, start, end);
    ok = lo === le32(input, at) && hi === le32(input, at + 4);
  } else if (id === CheckId.SHA256) {
    const h = sha256(data, start, end);
    for (let i = 0; i < 32; i++) if (h[i] !== input[at + i]) ok = false;
  }
  if (!ok) xzFail('invalid', `block ${checkName(id)} does not match the decompressed data`, at);
}

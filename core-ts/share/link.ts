/**
 * Cases as URL fragments and as files. Fragment: "v1.<base64url(deflate-raw(bundle))>.<crc>",
 * the CRC-32 of the compressed bytes in base 36 so the link ends in a letter or digit (chat
 * linkifiers drop trailing punctuation). A case file is "corelab-case\n" + the compressed bundle.
 * Compression uses the web-standard CompressionStream, present in browsers, workers and Node ≥ 18.
 */
import { CorelabError } from '../errors.ts';
import { crc32 } from '../xz/crc.ts';
import { base64urlDecode, base64urlEncode } from './base64url.ts';
import { decodeBundle, encodeBundle } from './bundle.ts';
import type { CaseBundle } from './bundle.ts';

/** The longest link offered; above it the case is offered as a file (Chromium's omnibox limit). */
export const LINK_BUDGET = 32 * 1024;

const FILE_MAGIC = new TextEncoder().encode('corelab-case\n');

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream('deflate-raw'));
}

export async function inflateRaw(bytes: Uint8Array, what: string): Promise<Uint8Array> {
  try {
    return await pipe(bytes, new DecompressionStream('deflate-raw'));
  } catch {
    throw new CorelabError('invalid', `${what}: the compressed case data is corrupt (deflate stream does not decode)`, { section: 'case' });
  }
}

export async function caseToFragment(b: CaseBundle): Promise<string> {
  const z = await deflateRaw(encodeBundle(b));
  return `v1.${base64urlEncode(z)}.${crc32(z).toString(36)}`;
}

/** Accepts the fragment with or without its leading '#'. */
export async function fragmentToCase(fragment: string): Promise<CaseBundle> {
  const f = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const parts = f.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1') {
    throw new CorelabError('bad-version', `the link's case is not in a format this playground knows (expected "v1.<data>.<check>", got "${f.slice(0, 12)}…")`, { section: 'link' });
  }
  const z = base64urlDecode(parts[1]!);
  if (!z) throw new CorelabError('invalid', 'the link is damaged: its data is not base64url', { section: 'link' });
  if (crc32(z).toString(36) !== parts[2]) {
    throw new CorelabError('invalid', 'the link is damaged or cut short: its checksum does not match (was it truncated by a chat tool?)', { section: 'link' });
  }
  return decodeBundle(await inflateRaw(z, 'link'));
}

export function isCaseFile(bytes: Uint8Array): boolean {
  return bytes.length >= FILE_MAGIC.length && FILE_MAGIC.every((c, i) => bytes[i] === c);
}

export async function caseToFile(b: CaseBundle): Promise<Uint8Array> {
  const z = await deflateRaw(encodeBundle(b));
  const out = new Uint8Array(FILE_MAGIC.length + z.length);
  out.set(FILE_MAGIC, 0);
  out.set(z, FILE_MAGIC.length);
  return out;
}

export async function fileToCase(bytes: Uint8Array): Promise<CaseBundle> {
  if (!isCaseFile(bytes)) throw new CorelabError('bad-magic', 'not a corelab case file', { section: 'case', offset: 0 });
  return decodeBundle(await inflateRaw(bytes.subarray(FILE_MAGIC.length), 'case file'));
}

/** Lower-case hex of a sha256 digest. */
export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

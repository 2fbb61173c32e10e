/**
 * Base64 → bytes. `atob` (Node, browsers, workers) decodes natively — the loop below runs cold,
 * in the interpreter, once per process; the loop is there for hosts without it.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64Decode(s: string): Uint8Array {
  const atob_ = (globalThis as { atob?: (s: string) => string }).atob;
  if (typeof atob_ === 'function') {
    const bin = atob_(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  const lut = new Uint8Array(128);
  for (let i = 0; i < ALPHABET.length; i++) lut[ALPHABET.charCodeAt(i)] = i;
  let len = s.length;
  while (len > 0 && s[len - 1] === '=') len--;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    const a = lut[s.charCodeAt(i)]!;
    const b = lut[s.charCodeAt(i + 1)]!;
    const c = i + 2 < len ? lut[s.charCodeAt(i + 2)]! : 0;
    const d = i + 3 < len ? lut[s.charCodeAt(i + 3)]! : 0;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    if (i + 2 < len) out[o++] = (v >> 8) & 0xff;
    if (i + 3 < len) out[o++] = v & 0xff;
  }
  return out;
}

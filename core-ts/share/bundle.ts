/**
 * A shareable case: the inputs (each by value, or by reference to a bundled file through its
 * sha256) and the UI state to restore. Versioned from the first release so that every link
 * ever made keeps opening: a new layout gets a new version and the old decoder stays.
 *
 * Layout of version 1 (before compression): "CLB" 0x01, u32 LE length of a UTF-8 JSON header,
 * the header, then the by-value inputs' bytes back to back in header order.
 */
import { CorelabError } from '../errors.ts';

export type CaseRole = 'object' | 'vmlinux' | 'module';

export interface CaseInput {
  readonly role: CaseRole;
  /** file name as the user saw it */
  readonly name: string;
  /** sha256 (hex) of the bytes as dropped */
  readonly sha256: string;
  readonly size: number;
  /** by value; absent when referenced by sha256 (a file bundled with the playground) */
  readonly bytes?: Uint8Array;
  /** module BTFs: the module name libbpf would show ("nf_conntrack") */
  readonly module?: string;
  /** a kernel BTF cut down to this case (share/minimize.ts): the file it was cut from */
  readonly minimizedFrom?: { readonly name: string; readonly sha256: string; readonly size: number };
}

export interface CaseBundle {
  readonly version: 1;
  readonly inputs: readonly CaseInput[];
  /** selected relocation key and open tab, for the receiver's first view */
  readonly ui: { readonly relo?: string; readonly tab?: string };
}

const MAGIC = [0x43, 0x4c, 0x42, 0x01]; // "CLB" v1
const MAX_HEADER = 1 << 20;

interface HeaderInput {
  role: CaseRole;
  name: string;
  sha256: string;
  size: number;
  byValue: boolean;
  module?: string;
  minimizedFrom?: { name: string; sha256: string; size: number };
}

export function encodeBundle(b: CaseBundle): Uint8Array {
  const header = {
    v: 1,
    inputs: b.inputs.map((i): HeaderInput => {
      const h: HeaderInput = { role: i.role, name: i.name, sha256: i.sha256, size: i.size, byValue: i.bytes !== undefined };
      if (i.module !== undefined) h.module = i.module;
      if (i.minimizedFrom !== undefined) h.minimizedFrom = { ...i.minimizedFrom };
      return h;
    }),
    ui: b.ui,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const blobs = b.inputs.filter((i) => i.bytes).map((i) => i.bytes!);
  const total = 8 + json.length + blobs.reduce((n, x) => n + x.length, 0);
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const x of blobs) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

const bad = (msg: string, offset?: number): CorelabError =>
  new CorelabError('invalid', msg, offset === undefined ? { section: 'case' } : { section: 'case', offset });

export function decodeBundle(bytes: Uint8Array): CaseBundle {
  if (bytes.length < 8) throw new CorelabError('truncated', `case data is ${bytes.length} bytes, shorter than its 8-byte header`, { section: 'case', offset: 0 });
  if (MAGIC.some((m, i) => bytes[i] !== m)) {
    if (bytes[0] === 0x43 && bytes[1] === 0x4c && bytes[2] === 0x42) {
      throw new CorelabError('bad-version', `case format version ${bytes[3]} is newer than this playground knows (1)`, { section: 'case', offset: 3 });
    }
    throw new CorelabError('bad-magic', 'not a corelab case (magic "CLB\\x01" missing)', { section: 'case', offset: 0 });
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (len > MAX_HEADER || 8 + len > bytes.length) {
    throw new CorelabError('truncated', `case header of ${len} bytes runs past the end of the data (${bytes.length} bytes)`, { section: 'case', offset: 4 });
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + len)));
  } catch {
    throw bad('case header is not valid UTF-8 JSON', 8);
  }
  const h = header as { v?: unknown; inputs?: unknown; ui?: unknown };
  if (h.v !== 1 || !Array.isArray(h.inputs)) throw bad('case header lacks version 1 or its input list', 8);
  let at = 8 + len;
  const inputs: CaseInput[] = [];
  for (const [n, raw] of (h.inputs as unknown[]).entries()) {
    const i = raw as Partial<HeaderInput>;
    if (
      (i.role !== 'object' && i.role !== 'vmlinux' && i.role !== 'module') ||
      typeof i.name !== 'string' ||
      typeof i.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(i.sha256) ||
      typeof i.size !== 'number' ||
      !Number.isSafeInteger(i.size) ||
      i.size < 0
    ) {
      throw bad(`case input #${n} is malformed (role, name, sha256 or size)`, 8);
    }
    const input: { -readonly [K in keyof CaseInput]: CaseInput[K] } = { role: i.role, name: i.name, sha256: i.sha256, size: i.size };
    if (typeof i.module === 'string') input.module = i.module;
    const mf = i.minimizedFrom as Partial<{ name: unknown; sha256: unknown; size: unknown }> | undefined;
    if (mf !== undefined) {
      if (typeof mf !== 'object' || mf === null || typeof mf.name !== 'string' || typeof mf.sha256 !== 'string' || typeof mf.size !== 'number') {
        throw bad(`case input #${n} has a malformed minimizedFrom`, 8);
      }
      input.minimizedFrom = { name: mf.name, sha256: mf.sha256, size: mf.size };
    }
    if (i.byValue) {
      if (at + i.size > bytes.length) {
        throw new CorelabError('truncated', `case input #${n} (${i.name}) needs ${i.size} bytes at ${at}, only ${bytes.length - at} remain`, {
          section: 'case',
          offset: at,
        });
      }
      input.bytes = bytes.slice(at, at + i.size);
      at += i.size;
    }
    inputs.push(input);
  }
  const ui = (typeof h.ui === 'object' && h.ui !== null ? h.ui : {}) as { relo?: unknown; tab?: unknown };
  const outUi: { relo?: string; tab?: string } = {};
  if (typeof ui.relo === 'string') outUi.relo = ui.relo;
  if (typeof ui.tab === 'string') outUi.tab = ui.tab;
  return { version: 1, inputs, ui: outUi };
}

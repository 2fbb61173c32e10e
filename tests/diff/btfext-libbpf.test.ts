/**
 * Differential test against the system libbpf 1.1.2: every corpus `.BTF.ext` and thousands of
 * mutations of them go through btf_ext__new (tests/diff/btfext-libbpf-oracle.c) and through our
 * parser emulating libbpf on this host; the verdict, errno, log line and — when accepted —
 * every record word must be the same.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBtfExt } from '../../core-ts/btfext/parse.ts';
import type { BtfExt, ExtSection } from '../../core-ts/btfext/types.ts';
import { CorelabError } from '../../core-ts/errors.ts';
import { CASES, build } from '../unit/btfext-cases.ts';
import { CLANG, REPO, corpusObjects, loadObject, mutateBtfExt, prng } from './btfext-support.ts';

const HOST: 'little' | 'big' = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';
const ERRNO: Record<string, number> = { EINVAL: 22, ENOTSUP: 95 };
const MUTANTS_PER_SECTION = 400;

let oracle = '';
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'corelab-btfext-'));
  oracle = join(dir, 'btfext-oracle');
  execFileSync(CLANG, ['-O1', '-o', oracle, join(REPO, 'tests/diff/btfext-libbpf-oracle.c'), '-lbpf']);
});

function runOracle(inputs: Uint8Array[]): string[] {
  const parts: Uint8Array[] = [];
  for (const b of inputs) {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, b.length, true);
    parts.push(len, b);
  }
  const out = execFileSync(oracle, { input: Buffer.concat(parts), maxBuffer: 1 << 30, encoding: 'utf8' });
  const lines = out.split('\n');
  lines.pop();
  return lines;
}

function blocksText<R>(secs: readonly ExtSection<R>[], recSize: number, words: (r: R) => number[]): string {
  let len = 0;
  let body = '';
  for (const s of secs) {
    len += 8 + s.records.length * recSize;
    body += `|${s.sectionNameOff},${s.records.length}`;
    for (const r of s.records) body += ',' + words(r).join(',');
  }
  return ` ${secs.length ? recSize : 0}:${len}:${secs.length}${body}`;
}

/** Our verdict in the oracle's line format. */
function ours(bytes: Uint8Array): string {
  let ext: BtfExt;
  try {
    ext = parseBtfExt(bytes, { endian: HOST, strings: () => undefined, libbpfHost: HOST, loadChecks: false });
  } catch (e) {
    if (!(e instanceof CorelabError)) throw e;
    const q = /\(libbpf 1\.1\.2: (?:"(.*)", -(\w+)|-(\w+), no message)\)$/.exec(e.message);
    if (!q) return `ERR ? unparsable message: ${e.message}`;
    return `ERR ${ERRNO[q[2] ?? q[3]!]} ${q[1] ?? '-'}`;
  }
  return (
    'OK' +
    blocksText(ext.funcInfo, ext.funcInfoRecSize, (r) => [r.insnOff, r.typeId]) +
    blocksText(ext.lineInfo, ext.lineInfoRecSize, (r) => [r.insnOff, r.fileNameOff, r.lineOff, r.lineCol]) +
    blocksText(ext.coreRelos, ext.coreReloRecSize, (r) => [r.insnOff, r.typeId, r.accessStrOff, r.kind])
  );
}

describe('.BTF.ext acceptance and records vs libbpf 1.1.2 btf_ext__new', () => {
  const objects = corpusObjects();
  const sections: { path: string; bytes: Uint8Array }[] = [];
  for (const o of objects) {
    const l = loadObject(o.path);
    if (l) sections.push({ path: o.path, bytes: l.extBytes });
  }

  it('has corpus objects with .BTF.ext', () => {
    expect(sections.length).toBeGreaterThan(4);
  });

  it('agrees on every corpus .BTF.ext as is', () => {
    const want = runOracle(sections.map((s) => s.bytes));
    const got = sections.map((s) => ours(s.bytes));
    let same = 0;
    for (let i = 0; i < sections.length; i++) if (want[i] === got[i]) same++;
    // names the first disagreement if any
    for (let i = 0; i < sections.length; i++) expect(got[i], sections[i]!.path).toBe(want[i]);
    console.log(`btfext vs libbpf: ${same} of ${sections.length} corpus sections identical`);
    // our host is little-endian: big-endian objects must be refused the way libbpf refuses them
    expect(want.some((w) => w.startsWith('OK'))).toBe(true);
  });

  it('agrees on every hand-built case of the unit tables, both byte orders', () => {
    const inputs = CASES.flatMap((c) => (['little', 'big'] as const).map((e) => ({ name: `${c.name} (${e})`, bytes: build(c.spec(e)).bytes })));
    const want = runOracle(inputs.map((i) => i.bytes));
    for (let i = 0; i < inputs.length; i++) expect(ours(inputs[i]!.bytes), inputs[i]!.name).toBe(want[i]);
    // the tables exercise every rule btf_ext__new has
    expect(new Set(want.map((w) => w.replace(/\d+/g, 'N').slice(0, 40))).size).toBeGreaterThanOrEqual(20);
  });

  it('agrees on mutated sections (verdict, errno, message, records)', () => {
    const rnd = prng(0xb7fe);
    const inputs: Uint8Array[] = [];
    // a bounded sample of sources keeps this under a few seconds whatever the corpus size
    const step = Math.max(1, Math.floor(sections.length / 40));
    for (let i = 0; i < sections.length; i += step) {
      for (let k = 0; k < MUTANTS_PER_SECTION; k++) inputs.push(mutateBtfExt(sections[i]!.bytes, rnd));
    }
    const want = runOracle(inputs);
    expect(want.length).toBe(inputs.length);
    let same = 0;
    const verdicts = new Map<string, number>();
    const bad: string[] = [];
    for (let i = 0; i < inputs.length; i++) {
      const g = ours(inputs[i]!);
      const key = want[i]!.startsWith('OK') ? 'OK' : want[i]!.replace(/magic:[0-9a-f]+|flags:[0-9a-f]+/, (m) => m.replace(/:.*/, ':X')).replace(/\d+/g, 'N');
      verdicts.set(key, (verdicts.get(key) ?? 0) + 1);
      if (g === want[i]) same++;
      else if (bad.length < 5) bad.push(`#${i}\n  libbpf: ${want[i]!.slice(0, 300)}\n  ours:   ${g.slice(0, 300)}`);
    }
    console.log(`btfext mutants vs libbpf: ${same} of ${inputs.length} identical; verdicts: ${JSON.stringify([...verdicts])}`);
    expect(bad).toEqual([]);
    // the mutations must actually reach most of libbpf's rules, or this test proves little
    expect(verdicts.size).toBeGreaterThanOrEqual(10);
  });
});

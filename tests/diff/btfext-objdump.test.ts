/**
 * Our `.BTF.ext` records against LLVM's own decoding, for every corpus object:
 * - CO-RE records: `llvm-objdump-19 -dr` prints each one under its instruction
 *   ("CO-RE <kind> [type id] … (access string)"); record by record they must be the same.
 * - line_info: `llvm-objdump-19 -l` prints the DWARF line table ("; file:line") — a different
 *   encoding of the same positions. At every instruction a line_info record starts, the line in
 *   force must be the same in both.
 */

import { describe, expect, it } from 'vitest';
import { BtfExtIndex } from '../../core-ts/btfext/lookup.ts';
import { isFieldBasedKind, reloKindName } from '../../core-ts/btfext/relo-kind.ts';
import { corpusObjects, loadObject, objdumpListing, type ObjdumpListing, type SourcePos } from './btfext-support.ts';

interface Tally {
  objects: number;
  relos: number;
  relosSame: number;
  lineStarts: number;
  linesSame: number;
  funcEntryDecl: number;
  lineZero: number;
  diffs: string[];
}

/** DWARF line in force at off: the last comment printed at or before it. */
function dwarfAt(sorted: [number, SourcePos[]][], off: number): SourcePos | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]![0] <= off) lo = mid + 1;
    else hi = mid;
  }
  const at = sorted[lo - 1]?.[1];
  return at?.[at.length - 1];
}

function compare(path: string, listing: ObjdumpListing, t: Tally): void {
  const o = loadObject(path);
  if (!o) return;
  t.objects++;
  const key = (section: string, off: number, kind: string, id: number, acc: string | undefined) =>
    `${section} @${off} <${kind}> [${id}]${acc === undefined ? '' : ` (${acc})`}`;

  const theirs = new Map<string, number>();
  for (const r of listing.coreRelos) {
    const k = key(r.section, r.insnOff, r.kind, r.typeId, r.accessStr);
    theirs.set(k, (theirs.get(k) ?? 0) + 1);
  }
  let mine = 0;
  for (const s of o.ext.coreRelos) {
    for (const r of s.records) {
      mine++;
      const k = key(s.section, r.insnOff, reloKindName(r.kind), r.typeId, isFieldBasedKind(r.kind) ? r.accessStr : undefined);
      const n = theirs.get(k) ?? 0;
      if (n > 0) {
        t.relosSame++;
        theirs.set(k, n - 1);
      } else t.diffs.push(`${path}: ours only: ${k}`);
    }
  }
  t.relos += Math.max(mine, listing.coreRelos.length);
  for (const [k, n] of theirs) if (n > 0) t.diffs.push(`${path}: llvm-objdump only: ${k} ×${n}`);

  const idx = new BtfExtIndex(o.ext);
  for (const s of o.ext.lineInfo) {
    const dwarf = [...(listing.lines.get(s.section) ?? new Map<number, SourcePos[]>())].sort((a, b) => a[0] - b[0]);
    for (const off of new Set(s.records.map((r) => r.insnOff))) {
      t.lineStarts++;
      const ours = idx.lineAt(s.section, off)!;
      const d = dwarfAt(dwarf, off);
      if (d && d.file === ours.fileName && d.line === ours.lineNum) t.linesSame++;
      else if (ours.lineNum === 0) {
        // compiler-made code at line 0: llvm-objdump -l never prints line-0 rows, so there is
        // nothing to compare with
        t.lineZero++;
      } else if (d && d.file === ours.fileName && ours.col === 0 && ours.lineNum < d.line && idx.funcAt(s.section, off)) {
        // a function's entry: clang's BTF gives the declaration's line (column 0), DWARF the
        // line of its opening brace (DW_AT_decl_line vs scope line): two encodings, not a misread
        t.funcEntryDecl++;
      } else t.diffs.push(`${path}: ${s.section} @${off}: line_info ${ours.fileName}:${ours.lineNum}, DWARF ${d ? `${d.file}:${d.line}` : 'none'}`);
    }
  }
}

describe('.BTF.ext vs llvm-objdump-19 on the corpus', () => {
  it('CO-RE records and source lines match LLVM record by record', { timeout: 900_000 }, async () => {
    const objects = corpusObjects();
    expect(objects.length).toBeGreaterThan(4);
    const t: Tally = { objects: 0, relos: 0, relosSame: 0, lineStarts: 0, linesSame: 0, funcEntryDecl: 0, lineZero: 0, diffs: [] };
    // two objdumps at a time: the machine has two cores
    let next = 0;
    const worker = async () => {
      while (next < objects.length) {
        const o = objects[next++]!;
        compare(o.path, await objdumpListing(o.path), t);
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(
      `btfext vs llvm-objdump: ${t.objects} objects; CO-RE ${t.relosSame} of ${t.relos} records identical; ` +
        `line_info ${t.linesSame} of ${t.lineStarts} line starts identical, ${t.funcEntryDecl} function entries at their declaration line, ${t.lineZero} at line 0`,
    );
    expect(t.relos).toBeGreaterThan(100);
    expect(t.relosSame).toBe(t.relos);
    // the two exceptions must stay exceptions
    expect(t.linesSame).toBeGreaterThan(0.9 * t.lineStarts);
    expect(t.diffs.slice(0, 20)).toEqual([]);
  });
});

/**
 * Lookups over a parsed `.BTF.ext` for the CO-RE engine and the disassembly view: records of
 * one ELF section, CO-RE records of one instruction, the source line in force at an instruction.
 */

import type { BtfExt, CoreReloRecord, ExtSection, FuncInfoRecord, LineInfoRecord } from './types.ts';

/**
 * All records of one ELF section, in file order. A section may appear in several blocks (a
 * linked object can carry more than one), so blocks with the same name are concatenated.
 */
export function recordsFor<R>(blocks: readonly ExtSection<R>[], section: string): R[] {
  const out: R[] = [];
  for (const b of blocks) if (b.section === section) for (const r of b.records) out.push(r);
  return out;
}

export function funcInfoFor(ext: BtfExt, section: string): FuncInfoRecord[] {
  return recordsFor(ext.funcInfo, section);
}
export function lineInfoFor(ext: BtfExt, section: string): LineInfoRecord[] {
  return recordsFor(ext.lineInfo, section);
}
export function coreRelosFor(ext: BtfExt, section: string): CoreReloRecord[] {
  return recordsFor(ext.coreRelos, section);
}

/** Names of the ELF sections mentioned anywhere in the `.BTF.ext`, first mention first. */
export function sectionNames(ext: BtfExt): string[] {
  const seen = new Set<string>();
  const lists: readonly (readonly ExtSection<unknown>[])[] = [ext.funcInfo, ext.lineInfo, ext.coreRelos];
  for (const list of lists) for (const b of list) seen.add(b.section);
  return [...seen];
}

/** Records ordered by insnOff, stable, so "last with insnOff ≤ x" keeps file order among equals. */
function sortedByInsn<R extends { insnOff: number }>(records: readonly R[]): R[] {
  return records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.insnOff - b.r.insnOff || a.i - b.i)
    .map((x) => x.r);
}

/** Index of the last element with insnOff ≤ off in an insnOff-sorted list, or -1. */
function lastAtOrBefore(sorted: readonly { insnOff: number }[], off: number): number {
  let lo = 0;
  let hi = sorted.length; // answer is lo - 1 when the loop ends
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.insnOff <= off) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The line_info record in force at insnOff (bytes): the last one with insnOff ≤ off. */
export function lineInfoAt(ext: BtfExt, section: string, insnOff: number): LineInfoRecord | undefined {
  const sorted = sortedByInsn(lineInfoFor(ext, section));
  const i = lastAtOrBefore(sorted, insnOff);
  return i < 0 ? undefined : sorted[i];
}

/**
 * Per-section lookups built once, for callers that ask about every instruction (a disassembly
 * listing, the relocation engine walking a program).
 */
export class BtfExtIndex {
  readonly ext: BtfExt;
  private readonly lines = new Map<string, LineInfoRecord[]>();
  private readonly relos = new Map<string, Map<number, CoreReloRecord[]>>();
  private readonly funcs = new Map<string, Map<number, FuncInfoRecord>>();

  constructor(ext: BtfExt) {
    this.ext = ext;
  }

  /** line_info in force at insnOff (bytes) of section: last record with insnOff ≤ off. */
  lineAt(section: string, insnOff: number): LineInfoRecord | undefined {
    let sorted = this.lines.get(section);
    if (!sorted) {
      sorted = sortedByInsn(lineInfoFor(this.ext, section));
      this.lines.set(section, sorted);
    }
    const i = lastAtOrBefore(sorted, insnOff);
    return i < 0 ? undefined : sorted[i];
  }

  /** line_info records that start exactly at insnOff (what a listing prints above that insn). */
  linesStartingAt(section: string, insnOff: number): LineInfoRecord[] {
    this.lineAt(section, 0); // builds the sorted list
    const sorted = this.lines.get(section)!;
    const out: LineInfoRecord[] = [];
    for (let i = lastAtOrBefore(sorted, insnOff); i >= 0 && sorted[i]!.insnOff === insnOff; i--) out.unshift(sorted[i]!);
    return out;
  }

  /** CO-RE records of the instruction at insnOff (bytes), in file order. */
  relosAt(section: string, insnOff: number): readonly CoreReloRecord[] {
    let m = this.relos.get(section);
    if (!m) {
      m = new Map();
      for (const r of coreRelosFor(this.ext, section)) {
        const list = m.get(r.insnOff);
        if (list) list.push(r);
        else m.set(r.insnOff, [r]);
      }
      this.relos.set(section, m);
    }
    return m.get(insnOff) ?? [];
  }

  /** func_info record of a function starting at insnOff (bytes); the first one if repeated. */
  funcAt(section: string, insnOff: number): FuncInfoRecord | undefined {
    let m = this.funcs.get(section);
    if (!m) {
      m = new Map();
      for (const r of funcInfoFor(this.ext, section)) if (!m.has(r.insnOff)) m.set(r.insnOff, r);
      this.funcs.set(section, m);
    }
    return m.get(insnOff);
  }
}

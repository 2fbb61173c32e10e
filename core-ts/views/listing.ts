/**
 * Bytecode before and after CO-RE, as two texts of equal line count (llvm-objdump's shape:
 * slot, bytes, instruction), plus what each line is: which function and instruction, the
 * relocations that touched it, and the C source line from line_info. CO-RE patches in place, so
 * line i of one text is line i of the other and a line diff shows exactly the changed slots.
 */
import { ByteView } from '../bytes/view.ts';
import type { BtfExtIndex } from '../btfext/lookup.ts';
import type { FunctionReport, RelocationReport, ReloStatus } from '../core/relocate.ts';
import { decodeInsn } from '../insn/decode.ts';
import { formatInsn } from '../insn/text.ts';
import { reloKey } from './keys.ts';

export interface InsnMark {
  readonly reloKey: string;
  readonly status: ReloStatus;
  /** what the patch changed: imm, off, mem_sz, imm64, poison */
  readonly what: string;
  readonly from: string;
  readonly to: string;
}

export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly text: string;
}

export interface ListingLine {
  readonly kind: 'function' | 'source' | 'insn';
  readonly fn: string;
  /** program-relative instruction slot (insn lines) */
  readonly insn: number | undefined;
  /** slots the instruction takes: 1, or 2 for ld_imm64 (0 for other lines) */
  readonly slots: number;
  /** relocation records of this instruction, patched or not */
  readonly relos: readonly string[];
  /** patches applied to this instruction */
  readonly marks: readonly InsnMark[];
  /** line_info in force at this instruction (insn and source lines) */
  readonly source: SourceRef | undefined;
}

export interface BytecodeListing {
  readonly before: string;
  readonly after: string;
  /** lines[i] describes line i + 1 of both texts */
  readonly lines: readonly ListingLine[];
}

const hexBytes = (b: Uint8Array, at: number, n: number): string =>
  Array.from(b.subarray(at, at + n), (x) => x.toString(16).padStart(2, '0')).join(' ');

function insnText(view: ByteView, at: number): { text: string; size: number } {
  try {
    const insn = decodeInsn(view, at);
    return { text: formatInsn(insn), size: insn.size };
  } catch {
    return { text: '<unknown>', size: 8 };
  }
}

function push<T>(m: Map<number, T[]>, k: number, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function buildListing(
  functions: readonly FunctionReport[],
  relocations: readonly RelocationReport[],
  endian: 'little' | 'big',
  ext: BtfExtIndex | undefined,
): BytecodeListing {
  const before: string[] = [];
  const after: string[] = [];
  const lines: ListingLine[] = [];
  const byFn = new Map<string, RelocationReport[]>();
  for (const r of relocations) {
    if (r.program === undefined) continue;
    const list = byFn.get(r.program);
    if (list) list.push(r);
    else byFn.set(r.program, [r]);
  }

  for (const f of functions) {
    // relocation sites and patches by program-relative slot
    const siteAt = new Map<number, string[]>();
    const marksAt = new Map<number, InsnMark[]>();
    for (const r of byFn.get(f.name) ?? []) {
      const key = reloKey(r.section, r.index);
      if (r.insn !== undefined) push(siteAt, r.insn, key);
      for (const p of r.patches) push(marksAt, p.insn, { reloKey: key, status: r.status, what: p.what, from: p.from.toString(), to: p.to.toString() });
    }
    const header = `${f.name} (${f.section}, ${f.insnCount} insns${f.isSubprog ? ', subprogram' : ''}${f.autoload ? '' : ', not autoloaded'}):`;
    before.push(header);
    after.push(header);
    lines.push({ kind: 'function', fn: f.name, insn: undefined, slots: 0, relos: [], marks: [], source: undefined });

    const vb = new ByteView(f.before, endian, f.section);
    const va = new ByteView(f.after, endian, f.section);
    let lastSource: SourceRef | undefined;
    for (let at = 0; at + 8 <= f.before.length; ) {
      const slot = at / 8;
      const li = ext?.lineAt(f.section, (f.secInsnOff + slot) * 8);
      const source = li && li.stringsResolved ? { file: li.fileName, line: li.lineNum, col: li.col, text: li.line } : undefined;
      if (source && (source.line !== lastSource?.line || source.file !== lastSource?.file)) {
        const text = `; ${source.text.trim()}`;
        before.push(text);
        after.push(text);
        lines.push({ kind: 'source', fn: f.name, insn: slot, slots: 0, relos: [], marks: [], source });
      }
      lastSource = source;

      const b = insnText(vb, at);
      // decode the after side at the before side's boundaries so both texts stay aligned
      // (a poisoned ld_imm64 becomes two one-slot calls)
      let a = insnText(va, at);
      if (a.size < b.size && at + b.size <= f.after.length) a = { text: `${a.text}; ${insnText(va, at + 8).text}`, size: b.size };
      const slotStr = String(slot).padStart(5);
      before.push(`${slotStr}:  ${hexBytes(f.before, at, b.size).padEnd(47)}  ${b.text}`);
      after.push(`${slotStr}:  ${hexBytes(f.after, at, b.size).padEnd(47)}  ${a.text}`);

      const here: string[] = [];
      const marks: InsnMark[] = [];
      for (let s = slot; s < slot + b.size / 8; s++) {
        here.push(...(siteAt.get(s) ?? []));
        marks.push(...(marksAt.get(s) ?? []));
      }
      lines.push({ kind: 'insn', fn: f.name, insn: slot, slots: b.size / 8, relos: here, marks, source });
      at += b.size;
    }
  }
  return { before: before.join('\n') + '\n', after: after.join('\n') + '\n', lines };
}

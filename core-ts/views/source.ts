/**
 * The C source an object carries: clang stores the text of every line that produced code in
 * `.BTF.ext` line_info. Lines without code are not stored, so the file is rebuilt with those
 * lines left empty — line numbers stay those of the original file.
 */
import type { BtfExt } from '../btfext/types.ts';

export interface SourceFile {
  readonly name: string;
  readonly text: string;
  /** how many lines came from line_info (the rest are gaps) */
  readonly knownLines: number;
}

/** Files are capped so a malformed line number cannot make a gigantic text. */
const MAX_LINE = 200_000;

export function sourcesFromLineInfo(ext: BtfExt | undefined): SourceFile[] {
  if (!ext) return [];
  const files = new Map<string, Map<number, string>>();
  for (const sec of ext.lineInfo) {
    for (const li of sec.records) {
      if (!li.stringsResolved || li.lineNum <= 0 || li.lineNum > MAX_LINE) continue;
      let m = files.get(li.fileName);
      if (!m) files.set(li.fileName, (m = new Map()));
      if (!m.has(li.lineNum)) m.set(li.lineNum, li.line);
    }
  }
  const out: SourceFile[] = [];
  for (const [name, m] of files) {
    const last = Math.max(...m.keys());
    const lines: string[] = [];
    for (let n = 1; n <= last; n++) lines.push(m.get(n) ?? '');
    out.push({ name, text: lines.join('\n') + '\n', knownLines: m.size });
  }
  return out;
}

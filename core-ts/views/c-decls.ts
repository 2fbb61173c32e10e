/**
 * Where each named type is defined in a vmlinux.h text, for go-to-type: the line of
 * `struct NAME {`, `union NAME {`, `enum NAME {` or the typedef ending in `NAME;`. Only
 * definitions at column 0 count, as btf_dump writes them; forward declarations do not.
 */
export interface CDeclIndex {
  /** "struct task_struct" → 1-based line; plain typedef names map too ("u32") */
  readonly lines: ReadonlyMap<string, number>;
  readonly names: readonly string[];
}

const DEF = /^(struct|union|enum) ([A-Za-z_][A-Za-z0-9_]*) \{/;
const TYPEDEF = /^typedef .*?\b([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])*(\)\(.*\))?;$/;

export function indexCDecls(text: string): CDeclIndex {
  const lines = new Map<string, number>();
  let lineNo = 1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const c = text.charCodeAt(start);
    // 's', 'u', 'e', 't': the only openings of a definition line
    if (c === 0x73 || c === 0x75 || c === 0x65 || c === 0x74) {
      const line = text.slice(start, end);
      const m = DEF.exec(line);
      if (m) {
        const key = `${m[1]} ${m[2]}`;
        if (!lines.has(key)) lines.set(key, lineNo);
      } else if (line.startsWith('typedef ')) {
        const t = TYPEDEF.exec(line);
        if (t && !lines.has(t[1]!)) lines.set(t[1]!, lineNo);
      }
    }
    lineNo++;
    start = end + 1;
  }
  return { lines, names: [...lines.keys()].sort() };
}

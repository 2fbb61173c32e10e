// Reads the kernel selftests' prog_tests/core_reloc.c and prints its test table
// as JSON: every case with its object, target BTF file and expected failure.
//
//   node selftest-table.mjs core_reloc.c > selftests-core_reloc.json
//
// The table is built from macros (NESTING_ERR_CASE(x) sets .fails, ...), so
// the file's macro definitions and the table are run through the C
// preprocessor (cpp, no includes needed) and the expanded initialisers are
// read field by field at the top brace level of each entry.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: node selftest-table.mjs core_reloc.c\n');
  process.exit(2);
}
const src = readFileSync(path, 'utf8');
const startTable = src.indexOf('static const struct core_reloc_test_case test_cases[]');
if (startTable < 0) throw new Error(`${path}: test_cases[] table not found`);
const endTable = src.indexOf('\n};', startTable);
// keep the macro definitions (everything after the #include block) and the table
const firstDefine = src.indexOf('#define ');
const chunk = src.slice(firstDefine, endTable + 3).replace(/^#include .*$/gm, '');
const expanded = execFileSync('cpp', ['-P', '-undef'], { input: chunk, encoding: 'utf8', maxBuffer: 64 << 20 });

const open = expanded.indexOf('{', expanded.indexOf('test_cases[] ='));
const entries = topLevelEntries(expanded, open);
const cases = entries.map((e) => {
  const f = fields(e);
  return {
    case_name: str(f.case_name),
    bpf_obj_file: str(f.bpf_obj_file),
    btf_src_file: str(f.btf_src_file),
    prog_name: str(f.prog_name),
    fails: f.fails === 'true',
    run_btfgen_fails: f.run_btfgen_fails === 'true',
    needs_testmod: f.needs_testmod === 'true',
  };
});

process.stdout.write(JSON.stringify({
  source: `linux-source-6.12/tools/testing/selftests/bpf/prog_tests/${basename(path)}`,
  cases: cases.length,
  expected_failures: cases.filter((c) => c.fails).length,
  with_target_btf: cases.filter((c) => c.btf_src_file !== null).length,
  table: cases,
}, null, 1) + '\n');

// Splits "{ {..}, {..}, MACRO(..) }" starting at the table's "{" into the
// text of each element, skipping strings and char literals.
function topLevelEntries(text, openIdx) {
  const out = [];
  let depth = 0;
  let start = -1;
  for (let i = openIdx; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") { i = skipQuoted(text, i); continue; }
    if (c === '{') {
      depth++;
      if (depth === 2) start = i;
    } else if (c === '}') {
      if (depth === 2) out.push(text.slice(start + 1, i));
      depth--;
      if (depth === 0) return out;
    }
  }
  throw new Error('unterminated test_cases[] table');
}

// ".name = value" pairs at depth 0 of one entry's text
function fields(entry) {
  const out = {};
  let depth = 0;
  let segStart = 0;
  const segs = [];
  for (let i = 0; i < entry.length; i++) {
    const c = entry[i];
    if (c === '"' || c === "'") { i = skipQuoted(entry, i); continue; }
    if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) { segs.push(entry.slice(segStart, i)); segStart = i + 1; }
  }
  segs.push(entry.slice(segStart));
  for (const s of segs) {
    const m = /^\s*\.([a-z_0-9]+)\s*=\s*([\s\S]*?)\s*$/.exec(s);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

function skipQuoted(text, i) {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') { j++; continue; }
    if (text[j] === q) return j;
  }
  throw new Error('unterminated literal');
}

// A C string expression of adjacent literals ("a" "b") or NULL.
function str(v) {
  if (v === undefined || v === 'NULL') return null;
  const parts = [...v.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  if (!parts.length) throw new Error(`not a string: ${v}`);
  return parts.join('');
}

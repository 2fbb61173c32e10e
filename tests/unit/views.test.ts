/**
 * core-ts/views against the corpus and the real tools: input roles of every corpus object and
 * kernel BTF (expected roles from the corpus manifest); C access paths and raw specs of every
 * CO-RE record against llvm-objdump-19's rendering of the same record; layout tables against
 * bpftool 7.1's member offsets; C sources rebuilt from line_info against the sample sources;
 * the vmlinux.h declaration index against bpftool's `format c`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFieldBasedKind, isEnumvalBasedKind, ReloKind } from '../../core-ts/btfext/relo-kind.ts';
import { makeTargetSet } from '../../core-ts/core/candidates.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import type { RelocateResult } from '../../core-ts/core/relocate.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import { xzDecompress } from '../../core-ts/xz/index.ts';
import { cAccessPath } from '../../core-ts/views/access-path.ts';
import { indexCDecls } from '../../core-ts/views/c-decls.ts';
import { detectInput, moduleNameFromFileName } from '../../core-ts/views/detect.ts';
import { layoutsForSpec } from '../../core-ts/views/layout.ts';
import { filterRows, reloRows } from '../../core-ts/views/relo-view.ts';
import type { ResultWord } from '../../core-ts/views/relo-view.ts';
import { sourcesFromLineInfo } from '../../core-ts/views/source.ts';
import { absPath, corpusKernels, corpusObjects, REPO_ROOT } from '../corpus.ts';
import { requireTool } from '../support/tools.ts';

const SAMPLES = join(REPO_ROOT, 'public/samples');
const SAMPLE_OBJECTS = ['task_exe', 'file_times'];

function tool(name: string, args: string[]): string {
  const r = spawnSync(requireTool(name), args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** The object relocated against its own BTF: enough for the local specs the views are built from. */
function selfRelocated(path: string): { res: RelocateResult; obj: ReturnType<typeof parseBpfObject> } | undefined {
  const obj = parseBpfObject(new Uint8Array(readFileSync(path)));
  if (!obj.btf || !obj.btfExt) return undefined;
  return { obj, res: relocateObject(obj, makeTargetSet(obj.btf)) };
}

describe('input roles, told by content', () => {
  const objects = corpusObjects();
  it('has a corpus', () => expect(objects.length).toBeGreaterThan(50));
  for (const o of objects) {
    it(`${o.path} is a BPF object`, () => {
      const d = detectInput(new Uint8Array(readFileSync(absPath(o))));
      expect([d.role, d.container]).toEqual(['object', 'elf']);
      expect(d.summary).toBe(`BPF object (ELF, ${o.endian}-endian)`);
    });
  }
  for (const k of corpusKernels({ all: true })) {
    const role = k.base ? 'module' : 'vmlinux';
    it(`${k.path} is a ${role} BTF, xz and raw alike`, () => {
      const xz = new Uint8Array(readFileSync(absPath(k)));
      const d = detectInput(xz);
      expect([d.role, d.container]).toEqual([role, 'xz+raw']);
      expect(d.summary).toContain(`${k.endian}-endian`);
      const raw = detectInput(xzDecompress(xz));
      expect([raw.role, raw.container]).toEqual([role, 'raw']);
      if (k.base) expect(moduleNameFromFileName(k.path)).toBe(k.name.split('--').pop());
    });
  }
});

/**
 * llvm-objdump-19 -dr prints each CO-RE record as `CO-RE <kind> [id] <type>::<path> (<raw>)`.
 * Its path names anonymous members `<anon N>` and starts with `[k]` for a non-zero first index;
 * C drops the anonymous members and reaches the first member through `->`.
 */
const UNNAMED = '(unnamed non-composite type)';

function cPathFromLlvm(kind: number, typeText: string, path: string | undefined): string {
  const bare = typeText.replace(/^(struct|union|typedef|enum) /, '');
  if (isFieldBasedKind(kind)) {
    const name = bare.startsWith('<anon') ? 'anon' : bare;
    const p = (path ?? '').replace(/<anon \d+>\.?/g, '').replace(/\.$/, '');
    if (p === '') return name;
    return p.startsWith('[') ? name + p : `${name}->${p}`;
  }
  // an unnamed pointer, array or prototype: llvm names it only by id, corelab spells it in C
  if (/^<anon \d+>$/.test(typeText)) return UNNAMED;
  const root = typeText.startsWith('typedef ') ? bare : typeText.replace(/^(struct|union|enum) <anon \d+>$/, '$1 {…}');
  if (isEnumvalBasedKind(kind)) return `${root}::${path}`;
  return kind === ReloKind.TypeSize ? `sizeof(${root})` : root;
}

const KINDS: Record<string, number> = { byte_off: 0, byte_sz: 1, field_exists: 2, signed: 3, lshift_u64: 4, rshift_u64: 5, local_type_id: 6, target_type_id: 7, type_exists: 8, type_size: 9, enumval_exists: 10, enumval_value: 11, type_matches: 12 };

interface LlvmRecord {
  section: string;
  off: number;
  kind: number;
  path: string;
  raw: string | undefined;
}

function llvmRecords(path: string): LlvmRecord[] {
  const out: LlvmRecord[] = [];
  let section = '';
  for (const line of tool('llvm-objdump-19', ['-dr', path]).split('\n')) {
    const s = /^Disassembly of section (.*):$/.exec(line);
    if (s) section = s[1]!;
    const m = /^\s+([0-9a-f]+):\s+CO-RE <(\w+)> \[\d+\] (.*)$/.exec(line);
    if (!m) continue;
    const kind = KINDS[m[2]!]!;
    let rest = m[3]!;
    let raw: string | undefined;
    const r = / \(([\d:]+)\)$/.exec(rest);
    if (isFieldBasedKind(kind) && r) {
      raw = r[1];
      rest = rest.slice(0, r.index);
    }
    if (isEnumvalBasedKind(kind)) rest = rest.replace(/ = -?\d+$/, '');
    // the type is "struct X", "union X", "typedef X", "enum X" or "<kind> <anon N>"; the path follows "::"
    const sep = rest.indexOf('::');
    const typeText = sep >= 0 ? rest.slice(0, sep) : rest;
    const p = sep >= 0 ? rest.slice(sep + 2) : undefined;
    out.push({ section, off: parseInt(m[1]!, 16), kind, path: cPathFromLlvm(kind, typeText, p), raw });
  }
  return out;
}

describe('hand-checked rows: llvm-objdump rendering → C access path', () => {
  it.each([
    [ReloKind.FieldByteOffset, 'struct task_struct', 'mm', 'task_struct->mm'],
    [ReloKind.FieldByteOffset, 'struct inode___v66', '__i_ctime.tv_sec', 'inode___v66->__i_ctime.tv_sec'],
    [ReloKind.FieldByteOffset, 'struct sock_common', '<anon 0>.<anon 1>.skc_daddr', 'sock_common->skc_daddr'],
    [ReloKind.FieldByteOffset, 'struct sock_common', '[1].skc_family', 'sock_common[1].skc_family'],
    [ReloKind.FieldByteOffset, 'struct nf_conn', 'tuplehash[1].tuple.dst.u.icmp.code', 'nf_conn->tuplehash[1].tuple.dst.u.icmp.code'],
    [ReloKind.FieldByteOffset, 'struct core_reloc_arrays', 'b[1][2][3]', 'core_reloc_arrays->b[1][2][3]'],
    [ReloKind.FieldByteSize, 'struct ef_elem', '[3].a', 'ef_elem[3].a'],
    [ReloKind.FieldByteOffset, 'struct <anon 5>', 'y', 'anon->y'],
    [ReloKind.EnumvalValue, 'enum pid_type', 'PIDTYPE_MAX', 'enum pid_type::PIDTYPE_MAX'],
    [ReloKind.EnumvalValue, 'typedef corelab_anon_enum_t', 'CORELAB_ANON_A', 'corelab_anon_enum_t::CORELAB_ANON_A'],
    [ReloKind.TypeSize, 'struct task_struct', undefined, 'sizeof(struct task_struct)'],
    [ReloKind.TypeIdLocal, 'struct <anon 5>', undefined, 'struct {…}'],
  ] as const)('kind %i: %s::%s → %s', (kind, type, path, want) => {
    expect(cPathFromLlvm(kind, type, path)).toBe(want);
  });
});

describe('C access paths and raw specs of every corpus CO-RE record = llvm-objdump-19', () => {
  const objects = corpusObjects((o) => o.endian === 'little');
  const tally = { records: 0 };
  for (const o of objects) {
    it(o.path, () => {
      const got = selfRelocated(absPath(o));
      const want = llvmRecords(absPath(o));
      if (!got) {
        expect(want).toEqual([]);
        return;
      }
      const ours: LlvmRecord[] = got.res.relocations
        .filter((r) => r.localSpecModel)
        .map((r) => ({ section: r.section, off: r.insnOff, kind: r.kind, path: cAccessPath(r.localSpecModel!), raw: isFieldBasedKind(r.kind) ? r.localSpecModel!.raw.join(':') : undefined }));
      const key = (x: LlvmRecord) => `${x.section}@${x.off}#${x.kind}`;
      const sort = (a: LlvmRecord[]) => [...a].sort((x, y) => (key(x) + x.path < key(y) + y.path ? -1 : 1));
      // records whose spec libbpf cannot parse (deliberately broken edge objects) have no model
      const modelled = new Set(ours.map(key));
      const unnamed = new Set(want.filter((w) => w.path === UNNAMED).map(key));
      for (const x of ours.filter((x) => unnamed.has(key(x)))) expect(x.path).toMatch(/\*|\[\d+\]|\(\*\)/);
      expect(sort(ours.filter((x) => !unnamed.has(key(x))))).toEqual(sort(want.filter((w) => modelled.has(key(w)) && !unnamed.has(key(w)))));
      tally.records += ours.length;
    });
  }
  it('compared records', () => expect(tally.records).toBeGreaterThan(1000));
});

interface BpftoolMember {
  name: string;
  bitsOffset: number;
}
function bpftoolMembers(path: string): Map<number, BpftoolMember[]> {
  const out = new Map<number, BpftoolMember[]>();
  let cur: BpftoolMember[] | undefined;
  for (const line of tool('bpftool', ['btf', 'dump', 'file', path]).split('\n')) {
    const t = /^\[(\d+)\] (STRUCT|UNION) /.exec(line);
    if (t) out.set(Number(t[1]), (cur = []));
    else if (/^\[/.test(line)) cur = undefined;
    const m = /^\t'(.*)' type_id=\d+ bits_offset=(\d+)/.exec(line);
    if (m && cur) cur.push({ name: m[1]!, bitsOffset: Number(m[2]) });
  }
  return out;
}

describe('layout tables = bpftool 7.1 member offsets; the accessed member is the spec\'s', () => {
  for (const name of SAMPLE_OBJECTS) {
    it(name, () => {
      const path = join(SAMPLES, `${name}.bpf.o`);
      const { res } = selfRelocated(path)!;
      const members = bpftoolMembers(path);
      let tables = 0;
      for (const r of res.relocations) {
        if (!r.localSpecModel || !isFieldBasedKind(r.kind)) continue;
        const spec = r.localSpecModel;
        const ts = layoutsForSpec(spec);
        for (const [k, t] of ts.entries()) {
          expect(t.rows.map((x) => ({ name: x.name, bitsOffset: x.bitOffset }))).toEqual(members.get(t.typeId));
          for (const row of t.rows) expect(row.offset).toBe(Math.floor(row.bitOffset / 8));
          // the path goes through raw component k+1 of this table
          expect(t.rows.filter((x) => x.onPath).map((x) => x.index)).toEqual([spec.raw[k + 1]]);
          tables++;
        }
      }
      expect(tables).toBeGreaterThan(3);
    });
  }
});

describe('C sources rebuilt from line_info are the sample sources, line for line', () => {
  for (const name of SAMPLE_OBJECTS) {
    it(name, () => {
      const obj = parseBpfObject(new Uint8Array(readFileSync(join(SAMPLES, `${name}.bpf.o`))));
      const real = readFileSync(join(SAMPLES, `${name}.bpf.c`), 'utf8').split('\n');
      const files = sourcesFromLineInfo(obj.btfExt);
      const mine = files.find((f) => f.name.endsWith(`${name}.bpf.c`));
      expect(mine, files.map((f) => f.name).join(', ')).toBeDefined();
      const lines = mine!.text.split('\n');
      let known = 0;
      for (const [i, l] of lines.entries()) {
        if (l === '') continue;
        expect(l, `line ${i + 1}`).toBe(real[i]);
        known++;
      }
      expect(known).toBe(mine!.knownLines);
      expect(known).toBeGreaterThan(5);
    });
  }
});

describe('relocation rows and their filter', () => {
  const { res, obj } = selfRelocated(join(SAMPLES, 'task_exe.bpf.o'))!;
  const rows = reloRows(res, undefined);
  it('one row per record, keyed section#index, status as the engine says', () => {
    expect(rows.map((r) => r.key)).toEqual(res.relocations.map((r) => `${r.section}#${r.index}`));
    expect(rows.map((r) => r.status)).toEqual(res.relocations.map((r) => r.status));
    expect(obj.btfExt).toBeDefined();
  });
  it.each([
    ['', [] as ResultWord[]],
    ['task_struct', []],
    ['TASK_STRUCT mm', []],
    ['byte_off', ['patched']],
    ['', ['poisoned', 'error']],
    ['no such thing', []],
  ] as const)('query %j, results %j', (query, results) => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const want = rows.filter(
      (r) => (!results.length || (results as readonly string[]).includes(r.result)) && words.every((w) => `${r.key} ${r.program} ${r.kind} ${r.path} ${r.result} ${r.value}`.toLowerCase().includes(w)),
    );
    expect(filterRows(rows, { query, results })).toEqual(want);
  });
});

describe('vmlinux.h declaration index over bpftool 7.1 format c', () => {
  for (const name of SAMPLE_OBJECTS) {
    it(name, () => {
      const text = tool('bpftool', ['btf', 'dump', 'file', join(SAMPLES, `${name}.bpf.o`), 'format', 'c']);
      const lines = text.split('\n');
      const idx = indexCDecls(text);
      expect(idx.lines.size).toBeGreaterThan(1);
      for (const [key, n] of idx.lines) {
        const l = lines[n - 1]!;
        if (/^(struct|union|enum) /.test(key)) expect(l.startsWith(`${key} {`), `${key} at ${n}: ${l}`).toBe(true);
        else expect(l.startsWith('typedef ') && new RegExp(`\\b${key}\\b`).test(l), `${key} at ${n}: ${l}`).toBe(true);
      }
      // every definition bpftool wrote is found, at its first line
      for (const [i, l] of lines.entries()) {
        const m = /^(struct|union|enum) (\w+) \{/.exec(l);
        if (m) expect(idx.lines.get(`${m[1]} ${m[2]}`)! <= i + 1).toBe(true);
      }
      expect(idx.names).toEqual([...idx.lines.keys()].sort());
    });
  }
});

/**
 * Puts corelab's relocation result in the shape of the oracle's golden documents
 * (tests/oracle/assemble.mjs), so that each field can be compared one to one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadBtf } from '../../core-ts/btf/load.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { makeTargetSet, type TargetSet } from '../../core-ts/core/candidates.ts';
import { insnHex } from '../../core-ts/core/relocate.ts';
import type { RelocateResult, RelocationReport } from '../../core-ts/core/relocate.ts';

const ROOT = join(import.meta.dirname, '../..');
export const GOLDEN_DIR = join(ROOT, 'tests/golden/relo');
export const GOLDEN_INDEX = join(GOLDEN_DIR, 'index.json');

/** One (object, target) pair of tests/golden/relo/index.json. */
export interface GoldenPair {
  golden: string;
  group: string;
  object: string;
  object_sha256: string;
  target: string;
  base: string | null;
  case_name?: string;
  expect_fail?: boolean;
  ok?: boolean;
  stage?: string | null;
}

/** Every golden pair ([] before tests/oracle/regen.sh has run: callers assert there are some). */
export function goldenPairs(): GoldenPair[] {
  return existsSync(GOLDEN_INDEX) ? JSON.parse(readFileSync(GOLDEN_INDEX, 'utf8')).pairs : [];
}

/** A pair's golden document (gzipped or not). */
export function readGolden<T = GoldenDoc>(p: GoldenPair): T {
  const raw = readFileSync(join(GOLDEN_DIR, p.golden));
  return JSON.parse((p.golden.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as T;
}

const btfs = new Map<string, Btf>();
/** A corpus BTF file, parsed once per test file (split on `base` when given). */
export function corpusBtf(path: string, base?: Btf): Btf {
  const key = `${path}\0${base ? 'split' : ''}`;
  let b = btfs.get(key);
  if (!b) btfs.set(key, (b = loadBtf(new Uint8Array(readFileSync(join(ROOT, path))), base ? { base } : {}).btf));
  return b;
}

const targets = new Map<string, { btf: Btf; set: TargetSet }>();
/**
 * A pair's target as the oracle gives it to libbpf (a split BTF flattened onto its base, as
 * btf_custom_path), with its target set: built once, its name index holds no per-run state.
 */
export function pairTarget(p: GoldenPair): { btf: Btf; set: TargetSet } {
  const key = `${p.target}\0${p.base ?? ''}`;
  let t = targets.get(key);
  if (!t) {
    const btf = p.base ? corpusBtf(p.target, corpusBtf(p.base)) : corpusBtf(p.target);
    targets.set(key, (t = { btf, set: makeTargetSet(btf) }));
  }
  return t;
}

/** libbpf's load failed: in CO-RE, or the verifier reached a poisoned call ("N: (85) call unknown#195896080"). */
export function libbpfFailsLoad(g: { result: { stage: string | null }; programs?: GoldenProgram[] }): boolean {
  return (
    g.result.stage === 'core_relocation' ||
    (g.programs ?? []).some((x) => (x.load.verifier_log_tail ?? []).some((l) => /^\d+: \(85\) call unknown#195896080$/.test(l)))
  );
}

export interface GoldenRelo {
  section: string;
  index: number;
  program?: string | null;
  insn?: number | null;
  kind: string;
  type_id: number;
  access: string;
  local_spec?: string | null;
  candidate_search?: string[];
  candidates?: { index: number; matching: boolean; spec: string; error?: number }[];
  no_matching_targets?: boolean;
  status: string;
  patches?: { insn: number; class: string; field: string; old: string; new: string }[];
  poisoned?: number[];
  error?: string | null;
  warnings?: string[];
}

export interface GoldenFunction {
  name: string;
  section: string;
  insn_cnt: number;
  from_program?: string | null;
  at?: number;
  core_applied?: boolean | null;
  insns?: string[] | null;
  /** indexes the oracle masked (libbpf's later map/call fix-ups) */
  masked?: number[];
}

export interface GoldenDoc {
  result: { ok: boolean; stage: string | null };
  relos: GoldenRelo[];
  functions: GoldenFunction[];
  log: [string, string, string][];
}

const u64 = (v: bigint): string => BigInt.asUintN(64, v).toString();
const CLASS: Record<string, string> = { imm: 'ALU/ALU64', off: 'LDX/ST/STX', mem_sz: 'LDX/ST/STX', imm64: 'LDIMM64' };

function body(text: string): string {
  const t = text.replace(/\n $/, '').replace(/\n$/, '');
  return t.startsWith('libbpf: ') ? t.slice('libbpf: '.length) : t;
}

/** tests/oracle/assemble.mjs names record kinds libbpf has no word for `kind_N` */
const ORACLE_KIND = ['byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64', 'local_type_id', 'target_type_id', 'type_exists', 'type_size', 'enumval_exists', 'enumval_value', 'type_matches'];

export interface FunctionSpan {
  readonly name: string;
  readonly section: string;
  readonly secInsnOff: number;
  readonly insnCount: number;
}

/**
 * One relocation of ours, in golden form (empty fields included). The golden form is derived
 * from libbpf's log, so a record libbpf rejects before logging anything about it (an unaligned
 * insn_off: bpf_object__relocate_core returns -EINVAL silently) reads there as not processed,
 * placed by the oracle's own (fractional) instruction index.
 */
export function oracleShape(r: RelocationReport, functions: readonly FunctionSpan[] = []): Required<GoldenRelo> {
  const warnings = r.warnings.map((w) => {
    const b = body(w);
    const at = b.indexOf(': relo #');
    return b.startsWith("prog '") && at >= 0 ? b.slice(at + 2) : b;
  });
  const err = warnings
    .map((w) => /^relo #\d+: (.*)$/s.exec(w)?.[1])
    .find((w) => w !== undefined && /^(failed to (relocate|patch insn|record relocation)|target candidate search failed)/.test(w));
  const silent = r.status === 'error' && r.insnOff % 8 !== 0;
  const status =
    r.status === 'skipped' ? 'skipped_weak' : r.status === 'not-processed' || r.status === 'not-autoloaded' || silent ? 'not_processed' : r.status;
  let program = r.program ?? null;
  let insn = r.insn ?? null;
  if (silent) {
    const at = r.insnOff / 8;
    const f = functions.find((x) => x.section === r.section && at >= x.secInsnOff && at < x.secInsnOff + x.insnCount);
    program = f?.name ?? null;
    insn = f ? at - f.secInsnOff : null;
  }
  return {
    section: r.section,
    index: r.index,
    program,
    insn,
    kind: ORACLE_KIND[r.kind] ?? `kind_${r.kind}`,
    type_id: r.localTypeId,
    access: r.accessStr,
    local_spec: r.localSpec ?? null,
    candidate_search: r.candidateSearch.map((l) => body(l).replace(/^CO-RE relocating /, '')),
    candidates: r.candidates.map((c) => (c.error !== undefined ? { index: c.index, matching: false, spec: c.spec, error: c.error } : { index: c.index, matching: c.matched, spec: c.spec })),
    no_matching_targets: r.noMatch,
    status,
    patches: r.patches
      .filter((p) => p.what !== 'poison')
      .map((p) => ({ insn: p.insn, class: CLASS[p.what]!, field: p.what, old: u64(p.from), new: u64(p.to) })),
    poisoned: r.patches.filter((p) => p.what === 'poison').map((p) => p.insn),
    error: err ?? null,
    warnings,
  };
}

/** Fill a golden relocation's omitted empty fields. */
export function goldenFull(g: GoldenRelo): Required<GoldenRelo> {
  return {
    section: g.section,
    index: g.index,
    program: g.program ?? null,
    insn: g.insn ?? null,
    kind: g.kind,
    type_id: g.type_id,
    access: g.access,
    local_spec: g.local_spec ?? null,
    candidate_search: g.candidate_search ?? [],
    candidates: g.candidates ?? [],
    no_matching_targets: g.no_matching_targets ?? false,
    status: g.status,
    patches: g.patches ?? [],
    poisoned: g.poisoned ?? [],
    error: g.error ?? null,
    warnings: g.warnings ?? [],
  };
}

const maskOne = (h: string): string => h.slice(0, 2) + '0' + h[3] + '0000' + '00000000';

/**
 * The oracle's masking of run-specific fields (map fds, data addresses, subprogram call offsets,
 * kfunc ids): its own rule, plus the indexes it masked in libbpf's final instructions (ld_imm64
 * that libbpf turned into map references after CO-RE have src_reg 0 in the object).
 */
export function maskInsns(insns: string[], alsoAt: readonly number[] = []): string[] {
  const out = insns.slice();
  for (const i of alsoAt) if (i < out.length) out[i] = maskOne(out[i]!);
  for (let i = 0; i < out.length; i++) {
    const code = parseInt(out[i]!.slice(0, 2), 16);
    const src = parseInt(out[i]![2]!, 16);
    if ((code === 0x18 && src !== 0) || (code === 0x85 && (src === 1 || src === 2))) {
      out[i] = maskOne(out[i]!);
      if (code === 0x18 && i + 1 < out.length) {
        out[i + 1] = maskOne(out[i + 1]!);
        i++;
      }
    }
  }
  return out;
}

export interface PairDiff {
  relocations: { total: number; identical: number; diffs: string[] };
  functions: { total: number; identical: number; diffs: string[] };
  log: { total: number; identical: number; diffs: string[] };
  fixups: { total: number; identical: number; diffs: string[] };
}

export function comparePair(ours: RelocateResult, golden: GoldenDoc): PairDiff {
  const d: PairDiff = {
    relocations: { total: 0, identical: 0, diffs: [] },
    functions: { total: 0, identical: 0, diffs: [] },
    log: { total: 0, identical: 0, diffs: [] },
    fixups: { total: 0, identical: 0, diffs: [] },
  };

  const mine = new Map(ours.relocations.map((r) => [`${r.section}\0${r.index}`, r]));
  for (const g of golden.relos) {
    d.relocations.total++;
    const r = mine.get(`${g.section}\0${g.index}`);
    const want = JSON.stringify(goldenFull(g));
    const spans = ours.functions.map((f) => ({ name: f.name, section: f.elfSection, secInsnOff: f.secInsnOff, insnCount: f.insnCount }));
    const got = r ? JSON.stringify(oracleShape(r, spans)) : 'missing';
    if (want === got) d.relocations.identical++;
    else d.relocations.diffs.push(`${g.section} #${g.index}:\n  libbpf: ${want}\n  ours:   ${got}`);
  }
  if (ours.relocations.length !== golden.relos.length) {
    d.relocations.diffs.push(`relocation count: libbpf ${golden.relos.length}, ours ${ours.relocations.length}`);
  }

  for (const g of golden.functions) {
    if (!g.insns) continue;
    d.functions.total++;
    const f = ours.functions.find((x) => x.name === g.name && x.section === g.section);
    const got = f ? maskInsns(insnHex(f.after), g.masked ?? []) : [];
    if (JSON.stringify(got) === JSON.stringify(g.insns)) d.functions.identical++;
    else {
      const at = got.findIndex((h, i) => h !== g.insns![i]);
      d.functions.diffs.push(`${g.section}/${g.name}: first difference at insn ${at}: libbpf ${g.insns[at]}, ours ${got[at]}`);
    }
  }

  const theirs = golden.log.filter((l) => l[1] === 'c').map((l) => l[2]);
  const lines = ours.lines.map((l) => l.text);
  const n = Math.max(theirs.length, lines.length);
  d.log.total = n;
  for (let i = 0; i < n; i++) {
    if (theirs[i] === lines[i]) d.log.identical++;
    else if (d.log.diffs.length < 5) d.log.diffs.push(`line ${i}:\n  libbpf: ${theirs[i]}\n  ours:   ${lines[i]}`);
  }

  // verifier-log fix-ups: "N: <invalid CO-RE relocation>" + "failed to resolve …" pairs
  const v = golden.log.filter((l) => l[1] === 'v').map((l) => l[2]);
  for (let i = 0; i + 1 < v.length; i++) {
    const m = /^(\d+): <invalid CO-RE relocation>$/.exec(v[i]!);
    if (!m) continue;
    d.fixups.total++;
    const text = `${v[i]}\n${v[i + 1]}\n`;
    const found = ours.relocations.some((r) => r.fixups.some((f) => f.text === text));
    if (found) d.fixups.identical++;
    else d.fixups.diffs.push(`verifier fix-up not produced: ${JSON.stringify(text)}`);
  }
  return d;
}

export interface GoldenProgram {
  name: string;
  load: { attempted?: boolean; ok: boolean; errno?: number; verifier_log_tail?: string[] };
}

export interface GuardCounts {
  /** poisoned insns the verifier reached (libbpf rewrote its log there) */
  reached: number;
  /** …of which corelab's analysis also calls reachable (must be all: it may only prune what the verifier prunes) */
  reachedAgree: number;
  /** poisoned insns of programs the kernel accepted (so the verifier found them dead) */
  dead: number;
  /** …of which corelab's analysis also calls unreachable */
  deadAgree: number;
  disagreements: string[];
}

/**
 * The verifier's verdicts as an oracle for corelab's "is this poisoned insn guarded" estimate,
 * for poisoned instructions in main program functions.
 */
export function compareGuards(
  golden: GoldenDoc & { programs?: GoldenProgram[] },
  poisoned: { program: string; insn: number; reachable: boolean }[],
): GuardCounts {
  const c: GuardCounts = { reached: 0, reachedAgree: 0, dead: 0, deadAgree: 0, disagreements: [] };
  for (const p of golden.programs ?? []) {
    const mine = poisoned.filter((x) => x.program === p.name);
    if (!p.load.attempted && p.load.attempted !== undefined) continue;
    if (p.load.ok) {
      for (const x of mine) {
        c.dead++;
        if (!x.reachable) c.deadAgree++;
        else c.disagreements.push(`${p.name} insn ${x.insn}: the kernel accepted the program, corelab calls the poisoned insn reachable`);
      }
    } else {
      // the verifier stops at the first poisoned call it reaches: "N: (85) call unknown#195896080"
      const reachedAt = new Set<number>();
      for (const line of p.load.verifier_log_tail ?? []) {
        const m = /^(\d+): \(85\) call unknown#195896080$/.exec(line);
        if (m) reachedAt.add(Number(m[1]));
      }
      for (const x of mine) {
        if (!reachedAt.has(x.insn)) continue;
        c.reached++;
        if (x.reachable) c.reachedAgree++;
        else c.disagreements.push(`${p.name} insn ${x.insn}: the verifier reached it, corelab calls it guarded`);
      }
    }
  }
  return c;
}

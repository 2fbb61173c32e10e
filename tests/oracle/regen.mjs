// Regenerates tests/golden/relo/ from libbpf 1.1.2 (relo-oracle), for every
// (object, target BTF) pair of pairs() below. Run through regen.sh, which
// builds the oracle first. Needs root (libbpf 1.1 only relocates while loading).
//
//   node tests/oracle/regen.mjs [--jobs N] [--filter SUBSTRING] [--list] [--reassemble]
//
// Writes:
//   tests/golden/relo/<obj>__<target>.json.gz   one compact oracle document per pair
//     (gzip: ~10 MB of JSON over all pairs, mostly instructions, compresses ~5x)
//   tests/golden/relo/selftests-core_reloc.json   prog_tests/core_reloc.c's table
//   tests/golden/relo/index.json             every pair: paths, hashes, expectations
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, compact } from './assemble.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const CACHE = join(ROOT, '.cache/oracle');
const ORACLE = join(CACHE, 'relo-oracle');
const GOLDEN = join(ROOT, 'tests/golden/relo');
const CORPUS = join(ROOT, '.cache/corpus');
const LINUX_TAR = process.env.CORELAB_LINUX_SOURCE ?? '/usr/src/linux-source-6.12.tar.xz';
const CORE_RELOC_C = 'linux-source-6.12/tools/testing/selftests/bpf/prog_tests/core_reloc.c';

// Kernels each group is relocated against (names as in tests/kernels/MANIFEST.tsv).
const KERNELS_ALL = [
  'host-6.18-amd64', 'debian-6.1.0-56-amd64', 'debian-6.12.117-amd64',
  'debian-6.1.0-50-arm64', 'pahole-6.1.0-50-armmp-lpae', 'pahole-6.1.0-50-s390x',
];
const KERNELS_TOOLS = ['host-6.18-amd64', 'debian-6.1.0-56-amd64', 'debian-6.1.0-50-arm64', 'pahole-6.1.0-50-s390x', 'pahole-6.1.0-50-armmp-lpae'];
const KERNELS_OTHER_SELFTESTS = KERNELS_ALL;

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const JOBS = Number(argValue('--jobs') ?? 2);
const FILTER = argValue('--filter');
const LIST_ONLY = process.argv.includes('--list');
// only re-run assemble.mjs over the last run's raw oracle output (same pairs)
const REASSEMBLE = process.argv.includes('--reassemble');

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
const stem = (f) => basename(f).replace(/\.(bpf\.o|o|btf\.xz|btf)$/, '');
const rel = (p) => relative(ROOT, p);

// ---------- inputs ----------

function kernels() {
  const tsv = readFileSync(join(ROOT, 'tests/kernels/MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const head = tsv[0].split('\t');
  const out = new Map();
  for (const line of tsv.slice(1)) {
    const r = line.split('\t');
    const file = r[head.indexOf('file')];
    const base = r[head.indexOf('base')];
    out.set(stem(file), {
      name: stem(file),
      xz: join(ROOT, 'tests/kernels', file),
      base: base && base !== '-' ? base : null,
    });
  }
  return out;
}

// Decompressed once into .cache/oracle/kernels/ (the oracle wants plain files).
function plainKernel(k) {
  const dir = join(CACHE, 'kernels');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${k.name}.btf`);
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(k.xz).mtimeMs) {
    writeFileSync(out + '.tmp', execFileSync('xz', ['-dc', k.xz], { maxBuffer: 1 << 30 }));
    execFileSync('mv', [out + '.tmp', out]);
  }
  return out;
}

function selftestTable() {
  const src = join(CACHE, 'src', 'core_reloc.c');
  if (!existsSync(src)) {
    mkdirSync(dirname(src), { recursive: true });
    const text = execFileSync('tar', ['-xJOf', LINUX_TAR, CORE_RELOC_C], { maxBuffer: 64 << 20 });
    writeFileSync(src, text);
  }
  const json = execFileSync('node', [join(HERE, 'selftest-table.mjs'), src], { encoding: 'utf8' });
  return JSON.parse(json);
}

function objects(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.o')).sort().map((f) => join(dir, f));
}

// tests/progs/edge_*.bpf.c: "corelab-targets: T…" names the targets (a kernel of
// tests/kernels/MANIFEST.tsv, or tests/progs/targets/T.c built by the corpus,
// T-eb for its big-endian build, T-intoff for its copy with legacy INT offsets);
// "corelab-patch: NAME …" lines are variants with rewritten .BTF.ext records
// (tests/progs/patch-btfext.mjs), a "corelab-int-offset:" line a variant with
// legacy INT offsets (tests/progs/patch-btf-int.mjs), "corelab-link: NAME …"
// lines objects linked by bpftool gen object (tests/corpus/build.sh); all of
// them go against the same targets.
function edgePrograms() {
  const dir = join(ROOT, 'tests/progs');
  const out = [];
  for (const f of readdirSync(dir).filter((x) => /^edge_.*\.bpf\.c$/.test(x)).sort()) {
    const src = readFileSync(join(dir, f), 'utf8');
    const name = f.slice(0, -'.c'.length);
    const targets = (/corelab-targets:([^*\n]*)/.exec(src)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
    if (targets.length === 0) throw new Error(`tests/progs/${f}: no "corelab-targets:" line`);
    out.push({ group: 'edge', object: join(CORPUS, 'progs/bpf', `${name}.o`), targets });
    for (const m of src.matchAll(/^\/\/ corelab-patch: (\S+)/gm)) {
      out.push({ group: 'edge-patched', object: join(CORPUS, 'progs/patched', `${name.replace(/\.bpf$/, '')}-${m[1]}.bpf.o`), targets });
    }
    if (/^\/\/ corelab-int-offset:/m.test(src)) {
      out.push({ group: 'edge-patched', object: join(CORPUS, 'progs/patched', `${name.replace(/\.bpf$/, '')}-intoff.bpf.o`), targets });
    }
    for (const m of src.matchAll(/^\/\/ corelab-link: (\S+)/gm)) {
      out.push({ group: 'edge-linked', object: join(CORPUS, 'progs/linked', `${name.replace(/\.bpf$/, '')}-${m[1]}.bpf.o`), targets });
    }
  }
  return out;
}

function pairs(table, ks, filtered = true) {
  const out = [];
  const add = (group, obj, kname, extra = {}) => {
    const k = ks.get(kname);
    if (!k) throw new Error(`kernel ${kname} not in tests/kernels/MANIFEST.tsv`);
    const base = k.base ? ks.get(k.base) : null;
    out.push({ group, object: obj, target: k.xz, target_plain: plainKernel(k), base: base?.xz ?? null, base_plain: base ? plainKernel(base) : null, ...extra });
  };
  const st = join(CORPUS, 'selftests/bpf');
  for (const c of table.table) {
    if (!c.btf_src_file) continue;
    const obj = join(st, c.bpf_obj_file);
    const tgt = join(st, c.btf_src_file);
    out.push({ group: 'selftests-core_reloc', object: obj, target: tgt, target_plain: tgt, base: null, base_plain: null, case_name: c.case_name, expect_fail: c.fails });
  }
  for (const k of KERNELS_ALL) add('selftests-core_reloc-kernel', join(st, 'test_core_reloc_kernel.bpf.o'), k, { case_name: 'kernel', expect_fail: false });
  for (const obj of objects(st)) {
    const n = basename(obj);
    if (/^(test_core_reloc_|btf__core_reloc_|btf_dump_test_case_)/.test(n)) continue;
    for (const k of KERNELS_OTHER_SELFTESTS) add('selftests-other', obj, k);
  }
  for (const obj of objects(join(CORPUS, 'libbpf-tools'))) for (const k of KERNELS_TOOLS) add('libbpf-tools', obj, k);
  // edge-case programs name their own targets; the others go against every kernel
  const progs = objects(join(CORPUS, 'progs/bpf')).filter((o) => !basename(o).startsWith('edge_'));
  for (const obj of progs) for (const k of KERNELS_ALL) add('progs', obj, k);
  for (const obj of progs) for (const [name, k] of ks) if (k.base) add('progs-module', obj, name);
  for (const e of edgePrograms()) {
    for (const t of e.targets) {
      if (ks.has(t)) add(e.group, e.object, t);
      else {
        const tgt = join(CORPUS, 'progs/targets', t.endsWith('-eb') ? 'bpfeb' : 'bpf', `${t}.o`);
        out.push({ group: e.group, object: e.object, target: tgt, target_plain: tgt, base: null, base_plain: null });
      }
    }
  }
  return out.filter((p) => !filtered || !FILTER || `${p.group} ${basename(p.object)} ${basename(p.target)}`.includes(FILTER));
}

// ---------- running ----------

function runOracle(p, rawOut) {
  // from the object's folder with its bare name: libbpf puts the path in messages
  const args = [basename(p.object), p.target_plain];
  if (p.base_plain) args.push('--base', p.base_plain);
  return new Promise((res, rej) => {
    const child = spawn(ORACLE, args, { cwd: dirname(p.object), stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let err = '';
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => { err += c; });
    child.on('error', rej);
    child.on('close', (code) => {
      if (code !== 0) return rej(new Error(`relo-oracle ${args.join(' ')}: exit ${code}: ${err}`));
      writeFileSync(rawOut, Buffer.concat(chunks));
      res();
    });
  });
}

async function pool(items, n, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
}

export function goldenName(p) {
  return `${stem(p.object)}__${stem(p.target)}.json.gz`;
}

async function main() {
  const t0 = Date.now();
  if (!existsSync(ORACLE)) throw new Error(`${ORACLE} missing: run tests/oracle/regen.sh (it builds the oracle)`);
  if (!existsSync(join(CORPUS, 'selftests/bpf')) || !existsSync(join(CORPUS, 'libbpf-tools'))) {
    throw new Error('corpus missing: run bash tests/corpus/build.sh first');
  }
  const table = selftestTable();
  const ks = kernels();
  const ps = pairs(table, ks);
  const names = new Set();
  for (const p of ps) {
    if (!existsSync(p.object)) throw new Error(`missing object ${rel(p.object)} (corpus not built?)`);
    if (!existsSync(p.target)) throw new Error(`missing target ${rel(p.target)}`);
    const n = goldenName(p);
    if (names.has(n)) throw new Error(`two pairs map to ${n}`);
    names.add(n);
  }
  if (LIST_ONLY) {
    for (const p of ps) console.log(`${p.group}\t${rel(p.object)}\t${rel(p.target)}${p.base ? `\t--base ${rel(p.base)}` : ''}`);
    return;
  }
  mkdirSync(GOLDEN, { recursive: true });
  const rawDir = join(CACHE, 'raw');
  const pairKey = JSON.stringify(ps.map((p) => [p.object, p.target, p.base, sha256(p.object), sha256(p.target)]));
  if (REASSEMBLE) {
    if (!existsSync(join(rawDir, 'pairs.json')) || readFileSync(join(rawDir, 'pairs.json'), 'utf8') !== pairKey) {
      throw new Error('--reassemble: the last run was over other pairs or inputs; run without it');
    }
  } else {
    rmSync(rawDir, { recursive: true, force: true });
    mkdirSync(rawDir, { recursive: true });
    await pool(ps, JOBS, (p, i) => runOracle(p, join(rawDir, `${i}.json`)));
    writeFileSync(join(rawDir, 'pairs.json'), pairKey);
  }
  const tRun = Date.now();

  const totals = { pairs: ps.length, relocations: 0, outcomes: {}, functions: 0, functions_with_insns: 0, programs: 0, programs_loaded: 0, log_lines: 0 };
  const index = [];
  let bytes = 0;
  let jsonBytes = 0;
  ps.forEach((p, i) => {
    const raw = JSON.parse(readFileSync(join(rawDir, `${i}.json`), 'utf8'));
    const doc = compact(assemble(raw, { targetName: basename(p.target), baseName: p.base ? basename(p.base) : null }));
    const text = JSON.stringify(doc) + '\n';
    const name = goldenName(p);
    const gz = gzipSync(text, { level: 9 });
    writeFileSync(join(GOLDEN, name), gz);
    bytes += gz.length;
    jsonBytes += text.length;
    totals.relocations += doc.relos.length;
    for (const r of doc.relos) totals.outcomes[r.status] = (totals.outcomes[r.status] ?? 0) + 1;
    totals.functions += doc.functions.length;
    totals.functions_with_insns += doc.functions.filter((f) => f.insns).length;
    totals.programs += doc.programs.length;
    totals.programs_loaded += doc.programs.filter((x) => x.load.ok).length;
    totals.log_lines += doc.log.length;
    index.push({
      golden: name,
      group: p.group,
      object: rel(p.object),
      object_sha256: sha256(p.object),
      target: rel(p.target),
      target_sha256: sha256(p.target),
      base: p.base ? rel(p.base) : null,
      ...(p.case_name !== undefined ? { case_name: p.case_name, expect_fail: p.expect_fail } : {}),
      ok: doc.result.ok,
      stage: doc.result.stage,
      relocations: doc.relos.length,
    });
  });
  // golden files of pairs that no longer exist would be stale
  if (!FILTER) {
    for (const f of readdirSync(GOLDEN)) {
      if (/\.json(\.gz)?$/.test(f) && f.includes('__') && !names.has(f)) rmSync(join(GOLDEN, f));
    }
  }
  // with --filter only some pairs were rerun: the index keeps every other pair
  // still in the pair list, and the totals are recounted from all golden files
  let merged = index;
  if (FILTER && existsSync(join(GOLDEN, 'index.json'))) {
    const all = new Set(pairs(table, ks, false).map(goldenName));
    const fresh = new Map(index.map((e) => [e.golden, e]));
    const old = JSON.parse(readFileSync(join(GOLDEN, 'index.json'), 'utf8')).pairs.filter((e) => all.has(e.golden) && !fresh.has(e.golden));
    merged = [...old, ...index];
    const order = new Map(pairs(table, ks, false).map((p, i) => [goldenName(p), i]));
    merged.sort((a, b) => order.get(a.golden) - order.get(b.golden));
    Object.assign(totals, { pairs: merged.length, relocations: 0, outcomes: {}, functions: 0, functions_with_insns: 0, programs: 0, programs_loaded: 0, log_lines: 0 });
    bytes = 0;
    jsonBytes = 0;
    for (const e of merged) {
      const gz = readFileSync(join(GOLDEN, e.golden));
      const doc = JSON.parse(gunzipSync(gz).toString('utf8'));
      bytes += gz.length;
      jsonBytes += doc ? JSON.stringify(doc).length + 1 : 0;
      totals.relocations += doc.relos.length;
      for (const r of doc.relos) totals.outcomes[r.status] = (totals.outcomes[r.status] ?? 0) + 1;
      totals.functions += doc.functions.length;
      totals.functions_with_insns += doc.functions.filter((f) => f.insns).length;
      totals.programs += doc.programs.length;
      totals.programs_loaded += doc.programs.filter((x) => x.load.ok).length;
      totals.log_lines += doc.log.length;
    }
  }
  const byGroup = {};
  for (const e of merged) {
    const g = (byGroup[e.group] ??= { pairs: 0, relocations: 0, loaded_ok: 0 });
    g.pairs++;
    g.relocations += e.relocations;
    if (e.ok) g.loaded_ok++;
  }
  const summary = { ...totals, golden_bytes: bytes, golden_json_bytes: jsonBytes, by_group: byGroup, oracle_ms: tRun - t0, total_ms: Date.now() - t0 };
  if (!FILTER) writeFileSync(join(GOLDEN, 'selftests-core_reloc.json'), JSON.stringify(table, null, 1) + '\n');
  if (!FILTER || existsSync(join(GOLDEN, 'index.json'))) {
    writeFileSync(join(GOLDEN, 'index.json'), JSON.stringify({
      generator: 'tests/oracle/regen.sh',
      libbpf: 'libbpf-dev 1.1.2 (static), relo-oracle',
      summary: { ...summary, oracle_ms: undefined, total_ms: undefined },
      pairs: merged,
    }, null, 1) + '\n');
  }
  console.log(JSON.stringify(summary));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`regen: ${e.message}`);
    process.exit(1);
  });
}

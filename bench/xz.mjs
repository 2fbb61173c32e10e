// xz decode speed: corelab's TypeScript decoder (core-ts/xz) on every kernel BTF in tests/kernels,
// next to Debian's `xz -dc` (XZ Utils) timed in the same rounds. Every decoder's output is first
// checked byte-identical to `xz -dc`, or nothing is timed.
//   cold    a fresh Node process per run; "decode" is xzDecompress alone (after the module loaded
//           and the file was read), "process" is spawn to exit; xz's column is its process wall
//   warm    in this process, after warm-up rounds
//   chromium  the biggest kernel decoded in a fresh Chromium context per run (Debian's Chromium,
//           playwright-core), the engine the playground runs in
// Medians of BENCH_RUNS (default 7). XZ_BENCH_BASE=<git rev> also times core-ts/xz as it was at
// that revision, interleaved with today's, for before/after numbers from the same run.
// XZ_BENCH_PARTS=cold,warm,chromium picks parts (default all).
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.cache/bench/xz');
mkdirSync(work, { recursive: true });
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const XZ = '/usr/bin/xz';
const TIME = '/usr/bin/time';
const PARTS = new Set((process.env.XZ_BENCH_PARTS ?? 'cold,warm,chromium').split(','));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
for (const tool of [XZ, TIME, CHROMIUM]) {
  if (!existsSync(tool)) {
    console.error(`bench xz: ${tool} is required`);
    process.exit(1);
  }
}

// --- the decoders: today's core-ts/xz, and optionally the one at XZ_BENCH_BASE ----------------
async function bundle(label, srcRoot) {
  const entry = join(work, `entry-${label}.ts`);
  writeFileSync(entry, `export { xzDecompress } from ${JSON.stringify(join(srcRoot, 'core-ts/xz/index.ts'))};\n`);
  const esm = join(work, `xz-${label}.mjs`);
  const iife = join(work, `xz-${label}.js`);
  await build({ entryPoints: [entry], outfile: esm, bundle: true, platform: 'neutral', format: 'esm', logLevel: 'warning' });
  await build({ entryPoints: [entry], outfile: iife, bundle: true, platform: 'neutral', format: 'iife', globalName: 'corelabXz', logLevel: 'warning' });
  return { label, esm, iife };
}

const decoders = [];
const base = process.env.XZ_BENCH_BASE;
if (base) {
  const dir = join(work, 'base-src');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // the xz decoder only imports core-ts/errors.ts from outside its directory
  execFileSync('sh', ['-c', `git -C "${root}" archive "${base}" core-ts/xz core-ts/errors.ts | tar -x -C "${dir}"`]);
  decoders.push(await bundle(`base@${base}`.replace(/[^\w@.-]/g, '_'), dir));
}
decoders.push(await bundle('now', root));

const kernels = readdirSync(join(root, 'tests/kernels'))
  .filter((f) => f.endsWith('.btf.xz'))
  .map((f) => join(root, 'tests/kernels', f))
  .sort((a, b) => statSync(a).size - statSync(b).size);
if (kernels.length === 0) {
  console.error('bench xz: no .btf.xz in tests/kernels');
  process.exit(1);
}
const biggest = kernels[kernels.length - 1];
const short = (f) => f.split('/').pop().replace('.btf.xz', '');
const sha = (b) => createHash('sha256').update(b).digest('hex');
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const refs = new Map();
for (const k of kernels) {
  const r = spawnSync(XZ, ['-dc', k], { maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`xz -dc ${k} failed: ${r.stderr}`);
  refs.set(k, { sha: sha(r.stdout), size: r.stdout.length });
}

// --- cold: one fresh process per decode ------------------------------------------------------
const runner = join(work, 'cold-runner.mjs');
writeFileSync(
  runner,
  `import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
const { xzDecompress } = await import(process.argv[2]);
const input = new Uint8Array(readFileSync(process.argv[3]));
const c = process.cpuUsage();
const t = performance.now();
const out = xzDecompress(input);
const ms = performance.now() - t;
const cpu = process.cpuUsage(c);
console.log(JSON.stringify({ ms, cpu: (cpu.user + cpu.system) / 1000, sha: createHash('sha256').update(out).digest('hex') }));
`,
);

function coldNode(d, k) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [runner, pathToFileURL(d.esm).href, k], { encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`${d.label} on ${k}: ${r.stderr}`);
  const res = JSON.parse(r.stdout);
  if (res.sha !== refs.get(k).sha) throw new Error(`${d.label}: output for ${short(k)} differs from xz -dc`);
  return { decode: res.ms, cpu: res.cpu, wall };
}

/** xz -dc to /dev/null: wall from our clock, CPU (user + sys) from /usr/bin/time. */
function runXz(k) {
  const t = performance.now();
  const r = spawnSync(TIME, ['-f', 'TIME %U %S', XZ, '-dc', k], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = performance.now() - t;
  const m = /TIME ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`xz -dc ${k} failed: ${r.stderr}`);
  return { wall, cpu: (Number(m[1]) + Number(m[2])) * 1000 };
}
const coldXz = (k) => runXz(k).wall;

// outputs first: a decoder that disagrees with xz is not timed
for (const d of decoders) for (const k of kernels) coldNode(d, k);

console.log(`xz decode, ${RUNS} runs each, medians; ratios are against xz -dc's process wall in the same rounds`);
const coldSummary = new Map(decoders.map((d) => [d.label, []]));
if (PARTS.has('cold')) {
  console.log('\ncold (fresh Node process per run): wall ms / CPU ms (all threads, so JIT compiles count)');
  const head = ['kernel', 'MB out', 'xz -dc'];
  for (const d of decoders) head.push(`${d.label} decode`, 'ratio', `${d.label} process`);
  console.log(head.join('\t'));
  for (const k of kernels) {
    const xzT = [];
    const xzC = [];
    const per = new Map(decoders.map((d) => [d.label, { decode: [], cpu: [], wall: [] }]));
    for (let i = 0; i < RUNS; i++) {
      // alternate the order each round so neither side always follows the other
      const order = i % 2 ? [...decoders].reverse() : decoders;
      const x = runXz(k);
      xzT.push(x.wall);
      xzC.push(x.cpu);
      for (const d of order) {
        const r = coldNode(d, k);
        per.get(d.label).decode.push(r.decode);
        per.get(d.label).cpu.push(r.cpu);
        per.get(d.label).wall.push(r.wall);
      }
    }
    const x = median(xzT);
    const xc = median(xzC);
    const row = [short(k), (refs.get(k).size / 1e6).toFixed(2), `${x.toFixed(0)} / ${xc.toFixed(0)}`];
    for (const d of decoders) {
      const p = per.get(d.label);
      const dec = median(p.decode);
      const cpu = median(p.cpu);
      coldSummary.get(d.label).push([dec / x, cpu / xc]);
      row.push(`${dec.toFixed(0)} / ${cpu.toFixed(0)}`, `${(dec / x).toFixed(2)}x / ${(cpu / xc).toFixed(2)}x`, `${median(p.wall).toFixed(0)}`);
    }
    console.log(row.join('\t'));
  }
}

// --- warm: in this process ------------------------------------------------------------------
if (PARTS.has('warm')) {
  console.log('\nwarm (in-process, after 3 warm-up decodes): wall ms / CPU ms');
  const wantWarm = ['kernel', 'xz -dc'];
  for (const d of decoders) wantWarm.push(`${d.label}`, 'ratio');
  console.log(wantWarm.join('\t'));
  const warmFns = [];
  for (const d of decoders) warmFns.push({ label: d.label, fn: (await import(pathToFileURL(d.esm).href)).xzDecompress });
  for (const k of kernels) {
    const input = new Uint8Array(readFileSync(k));
    const xs = [];
    for (let i = 0; i < RUNS; i++) xs.push(runXz(k));
    const x = median(xs.map((r) => r.wall));
    const xc = median(xs.map((r) => r.cpu));
    const row = [short(k), `${x.toFixed(0)} / ${xc.toFixed(0)}`];
    for (const { fn } of warmFns) {
      for (let i = 0; i < 3; i++) fn(input);
      const t = [];
      const c = [];
      for (let i = 0; i < RUNS; i++) {
        globalThis.gc?.();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        fn(input);
        t.push(performance.now() - t0);
        const cu = process.cpuUsage(c0);
        c.push((cu.user + cu.system) / 1000);
      }
      const m = median(t);
      const mc = median(c);
      row.push(`${m.toFixed(0)} / ${mc.toFixed(0)}`, `${(m / x).toFixed(2)}x / ${(mc / xc).toFixed(2)}x`);
    }
    console.log(row.join('\t'));
  }
}

// --- Chromium: the biggest kernel, cold, one fresh context per run ----------------------------
if (PARTS.has('chromium')) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const xzBytes = readFileSync(biggest);
    console.log(`\nchromium cold (${short(biggest)}, a fresh browser context per run)`);
    const per = new Map(decoders.map((d) => [d.label, []]));
    const xzT = [];
    for (let i = 0; i < RUNS; i++) {
      xzT.push(coldXz(biggest));
      const order = i % 2 ? [...decoders].reverse() : decoders;
      for (const d of order) {
        const ctx = await browser.newContext();
        const page = await ctx.newPage();
        const js = readFileSync(d.iife);
        await page.route('http://localhost:9/**', (route) => {
          const url = route.request().url();
          if (url.endsWith('/decoder.js')) return route.fulfill({ body: js, contentType: 'text/javascript' });
          if (url.endsWith('/input.xz')) return route.fulfill({ body: xzBytes, contentType: 'application/octet-stream' });
          return route.fulfill({ body: '<!doctype html><script src="/decoder.js"></script>', contentType: 'text/html' });
        });
        // localhost is a secure context, so crypto.subtle is there for the output check
        await page.goto('http://localhost:9/');
        const r = await page.evaluate(async () => {
          const input = new Uint8Array(await (await fetch('/input.xz')).arrayBuffer());
          const t = performance.now();
          const out = globalThis.corelabXz.xzDecompress(input);
          const ms = performance.now() - t;
          const h = new Uint8Array(await crypto.subtle.digest('SHA-256', out));
          return { ms, sha: Array.from(h, (b) => b.toString(16).padStart(2, '0')).join('') };
        });
        if (r.sha !== refs.get(biggest).sha) throw new Error(`${d.label} in Chromium: output differs from xz -dc`);
        per.get(d.label).push(r.ms);
        await ctx.close();
      }
    }
    const x = median(xzT);
    console.log(['xz -dc', ...decoders.map((d) => d.label)].join('\t'));
    console.log([`${x.toFixed(0)} ms`, ...decoders.map((d) => `${median(per.get(d.label)).toFixed(0)} ms (${(median(per.get(d.label)) / x).toFixed(2)}x)`)].join('\t'));
  } finally {
    await browser.close();
  }
}

if (PARTS.has('cold')) console.log('\ncold decode / xz -dc, geometric mean over the kernels (wall / CPU):');
const geo = (xs) => Math.exp(xs.reduce((s, r) => s + Math.log(r), 0) / xs.length).toFixed(2);
for (const [label, rs] of PARTS.has('cold') ? coldSummary : []) {
  console.log(`  ${label}: ${geo(rs.map((r) => r[0]))}x / ${geo(rs.map((r) => r[1]))}x`);
}

// vmlinux.h generation: `corelab btf dump file X format c` vs Debian's bpftool 7.1
// `bpftool btf dump file X format c`, both as whole processes (start-up, read, parse, dump,
// write to /dev/null) on the 6.18 vmlinux BTF, run in turn in the same session.
// Wall time and peak RSS per process come from /usr/bin/time; medians of RUNS.
// Also shown: corelab's warm in-process dump (parse + dumpC), for what start-up costs.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache/bench');
mkdirSync(out, { recursive: true });
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

for (const tool of ['/usr/sbin/bpftool', '/usr/bin/time']) {
  if (!existsSync(tool)) {
    console.error(`bench dump-c: ${tool} is required`);
    process.exit(1);
  }
}

const entry = join(out, 'dump-c-entry.ts');
writeFileSync(
  entry,
  [
    `export { parseBtf } from ${JSON.stringify(join(root, 'core-ts/btf/parse.ts'))};`,
    `export { dumpC } from ${JSON.stringify(join(root, 'core-ts/dump-c/index.ts'))};`,
    `export { xzDecompress } from ${JSON.stringify(join(root, 'core-ts/xz/index.ts'))};`,
  ].join('\n'),
);
const bundle = join(out, 'dump-c-entry.mjs');
await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
const { parseBtf, dumpC, xzDecompress } = await import(pathToFileURL(bundle).href);

const cli = join(root, 'dist/corelab.mjs');
const b = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root, encoding: 'utf8' });
if (b.status !== 0) {
  console.error(`bench dump-c: building the CLI failed\n${b.stderr}`);
  process.exit(1);
}

const rawPath = join(out, 'host-6.18-amd64.btf');
writeFileSync(rawPath, xzDecompress(readFileSync(join(root, 'tests/kernels/host-6.18-amd64.btf.xz'))));

// both must print the same header, or the comparison means nothing
const ref = spawnSync('/usr/sbin/bpftool', ['btf', 'dump', 'file', rawPath, 'format', 'c'], { maxBuffer: 64 << 20 });
const ours = spawnSync(process.execPath, [cli, 'btf', 'dump', 'file', rawPath, 'format', 'c'], { maxBuffer: 64 << 20 });
if (ref.status !== 0 || ours.status !== 0 || Buffer.compare(ref.stdout, ours.stdout) !== 0) {
  console.error('bench dump-c: corelab and bpftool outputs differ (or one failed); not timing');
  process.exit(1);
}

function timed(cmd) {
  const r = spawnSync('/bin/sh', ['-c', `/usr/bin/time -f '%e %M' ${cmd} > /dev/null`], { encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [secs, kb] = last.split(' ').map(Number);
  if (r.status !== 0 || !(secs >= 0) || !(kb > 0)) throw new Error(`${cmd}: ${r.stderr}`);
  return { ms: secs * 1000, kb };
}

const median = (xs) => [...xs].sort((a, c) => a - c)[xs.length >> 1];
const bpftoolCmd = `/usr/sbin/bpftool btf dump file ${rawPath} format c`;
const corelabCmd = `${process.execPath} ${cli} btf dump file ${rawPath} format c`;
const bt = [];
const cl = [];
timed(bpftoolCmd);
timed(corelabCmd);
for (let i = 0; i < RUNS; i++) {
  bt.push(timed(bpftoolCmd));
  cl.push(timed(corelabCmd));
}

const bytes = new Uint8Array(readFileSync(rawPath));
const warm = [];
for (let i = 0; i < 3; i++) dumpC(parseBtf(bytes));
for (let i = 0; i < RUNS; i++) {
  globalThis.gc?.();
  const t0 = performance.now();
  dumpC(parseBtf(bytes));
  warm.push(performance.now() - t0);
}

const row = (name, ms, kb) => `${name.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms ${(kb / 1024).toFixed(1).padStart(8)} MB`;
const bMs = median(bt.map((x) => x.ms));
const bKb = median(bt.map((x) => x.kb));
const cMs = median(cl.map((x) => x.ms));
const cKb = median(cl.map((x) => x.kb));
console.log(`vmlinux.h of host-6.18-amd64 (${ref.stdout.length} bytes, identical), median of ${RUNS} runs, whole process:`);
console.log(row('bpftool 7.1 btf dump … format c', bMs, bKb));
console.log(row('corelab btf dump … format c', cMs, cKb));
console.log(`ratio corelab/bpftool: time ${(cMs / bMs).toFixed(2)}x, peak RSS ${(cKb / bKb).toFixed(2)}x (goal: time < 1)`);
console.log(`corelab warm in-process parse+dumpC: ${median(warm).toFixed(0)} ms (min ${Math.min(...warm).toFixed(0)})`);
console.log('(/usr/bin/time has 10 ms resolution; the machine is shared, so compare the ratio, not the absolute figures)');

// The CLI's cold path, phase by phase: `corelab btf dump file X format c` and the raw dump on the
// 6.18 vmlinux BTF, each a fresh Node process with CORELAB_TIMINGS=1 (cli/timings.ts), output to
// /dev/null. Medians of RUNS per phase: wall ms / CPU ms (process-wide) / minor page faults.
// The process's own wall (spawn to exit, our clock) and CPU (/usr/bin/time) come last: what is
// left after `total-to-exit` is Node's exit plus spawning. CLI_BUNDLES=a/corelab.mjs,b/corelab.mjs
// compares bundles interleaved in the same run (default: a fresh dist/corelab.mjs); bpftool 7.1
// runs in the same rounds, for the ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BPFTOOL = '/usr/sbin/bpftool';
for (const tool of [BPFTOOL, '/usr/bin/time']) {
  if (!existsSync(tool)) {
    console.error(`bench cli-cold: ${tool} is required`);
    process.exit(1);
  }
}

const bundles = process.env.CLI_BUNDLES ? process.env.CLI_BUNDLES.split(',').map((b) => resolve(b)) : [];
if (bundles.length === 0) {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) {
    console.error(`bench cli-cold: building the CLI failed\n${b.stderr}`);
    process.exit(1);
  }
  bundles.push(join(root, 'dist/corelab.mjs'));
}

const out = join(root, '.cache/bench');
mkdirSync(out, { recursive: true });
const rawPath = join(out, 'host-6.18-amd64.btf');
if (!existsSync(rawPath)) {
  // the same file bench/dump-c.mjs writes: the committed .btf.xz, decompressed by xz(1)
  const x = spawnSync('xz', ['-dc', join(root, 'tests/kernels/host-6.18-amd64.btf.xz')], { maxBuffer: 64 << 20 });
  if (x.status !== 0) {
    console.error('bench cli-cold: xz -dc failed');
    process.exit(1);
  }
  writeFileSync(rawPath, x.stdout);
}

const cases = [
  { name: 'format c', args: ['btf', 'dump', 'file', rawPath, 'format', 'c'] },
  { name: 'raw dump', args: ['btf', 'dump', 'file', rawPath] },
];

// every bundle must print bpftool's bytes, or its timings mean nothing
for (const c of cases) {
  const ref = spawnSync(BPFTOOL, c.args, { maxBuffer: 256 << 20 });
  for (const b of bundles) {
    const ours = spawnSync(process.execPath, [b, ...c.args], { maxBuffer: 256 << 20 });
    if (ref.status !== 0 || ours.status !== 0 || Buffer.compare(ref.stdout, ours.stdout) !== 0) {
      console.error(`bench cli-cold: ${c.name}: ${b} and bpftool outputs differ (or one failed); not timing`);
      process.exit(1);
    }
  }
}

/** One process under /usr/bin/time; with timings, the phase lines from its stderr. */
function run(argv, env) {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %R', ...argv], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  // wall from our clock (/usr/bin/time's has 10 ms steps); it includes starting /usr/bin/time
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  const phases = new Map();
  let cpu = NaN;
  let faults = NaN;
  for (const line of r.stderr.split('\n')) {
    const w = line.split(' ');
    if (w[0] === 'corelab-timing') {
      const num = (x) => (x === '-' ? NaN : Number(x));
      phases.set(w[1], { wall: Number(w[2]), cpu: num(w[3]), faults: num(w[4]) });
    }
    if (w[0] === 'TIME') {
      cpu = (Number(w[2]) + Number(w[3])) * 1000;
      faults = Number(w[4]);
    }
  }
  return { wall, cpu, faults, phases };
}

const median = (xs) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};
const fmt = (x, d = 1) => (Number.isNaN(x) ? '-' : x.toFixed(d));

console.log(
  `cold processes, median of ${RUNS} interleaved runs: wall ms / CPU ms / minor page faults ` +
    '(phase CPU is process-wide; a first touch of a page costs microseconds on this kind of VM):',
);
for (const c of cases) {
  const results = bundles.map(() => []);
  const ref = [];
  for (let i = 0; i < RUNS; i++) {
    ref.push(run([BPFTOOL, ...c.args], {}));
    // alternate the order: whichever process runs right after bpftool starts slower
    const order = i % 2 ? [...bundles.keys()].reverse() : [...bundles.keys()];
    for (const k of order) results[k].push(run([process.execPath, bundles[k], ...c.args], { CORELAB_TIMINGS: '1' }));
  }
  console.log(`\n${c.name}:`);
  const names = [...new Set(results.flatMap((rs) => rs.flatMap((r) => [...r.phases.keys()])))];
  const W = 28;
  // shortest path tail that tells the bundles apart
  let tail = 2;
  while (tail < 8 && new Set(bundles.map((b) => b.split('/').slice(-tail).join('/'))).size < bundles.length) tail++;
  const label = (b) => b.split('/').slice(-tail).join('/');
  const head = bundles.map((b) => label(b).padStart(W)).join('');
  console.log(`  ${'phase'.padEnd(16)}${head}`);
  const cell = (rs, pick) =>
    `${fmt(median(rs.map((r) => pick(r).wall)))} / ${fmt(median(rs.map((r) => pick(r).cpu)))} / ${fmt(median(rs.map((r) => pick(r).faults)), 0)}`;
  const line = (label, pick) => console.log(`  ${label.padEnd(16)}${results.map((rs) => cell(rs, pick).padStart(W)).join('')}`);
  const none = { wall: NaN, cpu: NaN, faults: NaN };
  for (const n of names) line(n, (r) => r.phases.get(n) ?? none);
  // what the process spends after its last statement (and spawning, ~1 ms), from outside
  line('teardown', (r) => ({ ...none, wall: r.wall - (r.phases.get('total-to-exit')?.wall ?? NaN) }));
  line('process', (r) => r);
  console.log(`  ${'bpftool 7.1'.padEnd(16)}${cell(ref, (r) => r).padStart(W)}`);
  const bt = { wall: median(ref.map((r) => r.wall)), cpu: median(ref.map((r) => r.cpu)) };
  results.forEach((rs, k) => {
    const w = median(rs.map((r) => r.wall));
    const u = median(rs.map((r) => r.cpu));
    console.log(`  ${label(bundles[k])} / bpftool: wall ${(w / bt.wall).toFixed(2)}x, cpu ${(u / bt.cpu).toFixed(2)}x`);
  });
}
console.log('(process wall: spawn to exit, our clock; CPU: /usr/bin/time, 10 ms steps; phases: performance.now() inside the process)');

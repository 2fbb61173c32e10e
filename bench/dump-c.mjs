// Whole-process comparison with Debian's bpftool 7.1 on the 6.18 vmlinux BTF:
//   `corelab btf dump file X format c` vs `bpftool btf dump file X format c` (vmlinux.h), and
//   `corelab btf dump file X`          vs `bpftool btf dump file X`          (raw text).
// Each pair is checked byte-identical first, then run in turn (interleaved, same session),
// output to /dev/null. /usr/bin/time gives wall, user, sys and peak RSS per process; the figures
// are medians of RUNS. CPU time (user+sys) is the number to trust on a shared, loaded machine:
// wall time includes waiting for a core. corelab runs twice per round: as shipped (the C dump in
// WebAssembly) and with CORELAB_ENGINE=ts (its TypeScript twin). Also shown: warm in-process
// parse+dumpC with each dumper.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache/bench');
mkdirSync(out, { recursive: true });
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BPFTOOL = '/usr/sbin/bpftool';

for (const tool of [BPFTOOL, '/usr/bin/time']) {
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

const cases = [
  { name: 'format c (vmlinux.h)', args: ['btf', 'dump', 'file', rawPath, 'format', 'c'] },
  { name: 'raw dump', args: ['btf', 'dump', 'file', rawPath] },
];

// both must print the same bytes, or the comparison means nothing
for (const c of cases) {
  const ref = spawnSync(BPFTOOL, c.args, { maxBuffer: 256 << 20 });
  const ours = spawnSync(process.execPath, [cli, ...c.args], { maxBuffer: 256 << 20 });
  if (ref.status !== 0 || ours.status !== 0 || Buffer.compare(ref.stdout, ours.stdout) !== 0) {
    console.error(`bench dump-c: ${c.name}: corelab and bpftool outputs differ (or one failed); not timing`);
    process.exit(1);
  }
  c.bytes = ref.stdout.length;
}

/** One process under /usr/bin/time: wall, cpu (user+sys) in ms, peak RSS in kB. */
function timed(argv, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...argv], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, CORELAB_ENGINE: '', ...env },
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, sys, kb] = last.split(' ').map(Number);
  if (r.status !== 0 || !(wall >= 0) || !(kb > 0)) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return { wall: wall * 1000, cpu: (user + sys) * 1000, kb };
}

const median = (xs) => [...xs].sort((a, c) => a - c)[xs.length >> 1];
const summary = (runs) => ({
  wall: median(runs.map((x) => x.wall)),
  cpu: median(runs.map((x) => x.cpu)),
  cpuMin: Math.min(...runs.map((x) => x.cpu)),
  kb: median(runs.map((x) => x.kb)),
});
const row = (name, s) =>
  `  ${name.padEnd(12)} cpu ${s.cpu.toFixed(0).padStart(5)} ms (min ${s.cpuMin.toFixed(0).padStart(5)})` +
  `   wall ${s.wall.toFixed(0).padStart(5)} ms   peak RSS ${(s.kb / 1024).toFixed(1).padStart(6)} MB`;

console.log(`host-6.18-amd64 vmlinux BTF, whole processes, median of ${RUNS} interleaved runs:`);
for (const c of cases) {
  const bt = [];
  const cl = [];
  const ts = [];
  const twin = c.name.startsWith('format c');
  timed([BPFTOOL, ...c.args]);
  timed([process.execPath, cli, ...c.args]);
  for (let i = 0; i < RUNS; i++) {
    bt.push(timed([BPFTOOL, ...c.args]));
    cl.push(timed([process.execPath, cli, ...c.args]));
    if (twin) ts.push(timed([process.execPath, cli, ...c.args], { CORELAB_ENGINE: 'ts' }));
  }
  const sb = summary(bt);
  const sc = summary(cl);
  console.log(`${c.name} (${c.bytes} bytes, identical):`);
  console.log(row('bpftool 7.1', sb));
  console.log(row('corelab', sc));
  if (twin) console.log(row('  (TS twin)', summary(ts)) + '   CORELAB_ENGINE=ts');
  console.log(
    `  ratio corelab/bpftool: cpu ${(sc.cpu / sb.cpu).toFixed(2)}x, wall ${(sc.wall / sb.wall).toFixed(2)}x, ` +
      `peak RSS ${(sc.kb / sb.kb).toFixed(2)}x (goal: cpu and wall < 1)`,
  );
}
const node0 = summary(Array.from({ length: RUNS }, () => timed([process.execPath, '-e', '0'])));
console.log(row('node -e 0', node0) + '   (start-up floor of any Node process)');

const bytes = new Uint8Array(readFileSync(rawPath));
for (const engine of ['wasm', 'ts']) {
  const warm = [];
  for (let i = 0; i < 3; i++) dumpC(parseBtf(bytes), { engine });
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    const t0 = performance.now();
    dumpC(parseBtf(bytes), { engine });
    warm.push(performance.now() - t0);
  }
  console.log(`corelab warm in-process parse+dumpC (${engine}): ${median(warm).toFixed(0)} ms (min ${Math.min(...warm).toFixed(0)})`);
}
console.log('(/usr/bin/time has 10 ms resolution; on a shared machine compare ratios from the same run)');

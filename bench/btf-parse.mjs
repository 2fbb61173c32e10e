// BTF parse speed: corelab's parseBtf vs libbpf 1.1.2's btf__new / btf__parse on the 6.18
// vmlinux BTF (tests/kernels/host-6.18-amd64.btf.xz, decompressed to a file first).
// corelab "parse" = header checks + the one index scan over all types (what parseBtf does);
// "decode" = parse + type(id) for every id. Warm (after warm-up rounds), median and min of RUNS.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache/bench');
mkdirSync(out, { recursive: true });
const RUNS = Number(process.env.BENCH_RUNS ?? 21);

// bundle the engine pieces we time (core-ts is TypeScript)
const entry = join(out, 'btf-parse-entry.ts');
writeFileSync(
  entry,
  [
    `export { parseBtf } from ${JSON.stringify(join(root, 'core-ts/btf/parse.ts'))};`,
    `export { dumpRawBytes } from ${JSON.stringify(join(root, 'core-ts/btf/dump-raw.ts'))};`,
    `export { xzDecompress } from ${JSON.stringify(join(root, 'core-ts/xz/index.ts'))};`,
  ].join('\n'),
);
const bundle = join(out, 'btf-parse-entry.mjs');
await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
const { parseBtf, xzDecompress, dumpRawBytes } = await import(pathToFileURL(bundle).href);

const rawPath = join(out, 'host-6.18-amd64.btf');
writeFileSync(rawPath, xzDecompress(readFileSync(join(root, 'tests/kernels/host-6.18-amd64.btf.xz'))));
const bytes = new Uint8Array(readFileSync(rawPath));

function stats(f) {
  for (let i = 0; i < 5; i++) f();
  const t = [];
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { median: t[t.length >> 1], min: t[0] };
}

let types = 0;
const parse = stats(() => {
  types = parseBtf(bytes).typeCount - 1;
});
const readParse = stats(() => parseBtf(new Uint8Array(readFileSync(rawPath))));
const decode = stats(() => {
  const btf = parseBtf(bytes);
  for (let id = 1; id < btf.typeCount; id++) btf.type(id);
});
const dump = stats(() => dumpRawBytes(parseBtf(bytes)));

// libbpf: build the C timer against the system libbpf (libbpf-dev 1.1.2)
const exe = join(out, 'btf-parse-libbpf');
const cc = spawnSync('cc', ['-O2', '-o', exe, join(root, 'bench/btf-parse-libbpf.c'), '-lbpf'], { encoding: 'utf8' });
if (cc.status !== 0) {
  console.error(`cannot build bench/btf-parse-libbpf.c (needs cc and libbpf-dev):\n${cc.stderr}`);
  process.exit(1);
}
const run = spawnSync(exe, [rawPath, String(RUNS)], { encoding: 'utf8' });
if (run.status !== 0) {
  console.error(`libbpf timer failed: ${run.stderr}`);
  process.exit(1);
}
const lb = JSON.parse(run.stdout);

const f = (x) => x.toFixed(2).padStart(8);
const row = (name, c, l, lmin) =>
  console.log(`${name.padEnd(34)} ${f(c.median)} ${f(c.min)}   ${f(l)} ${f(lmin)}   ${(c.median / l).toFixed(2).padStart(6)}`);
console.log(`6.18 vmlinux BTF: ${types} types, ${bytes.length} bytes; ${RUNS} runs, warm`);
console.log(`${''.padEnd(34)} corelab ms (med / min)   libbpf 1.1.2 ms (med / min)   ratio (med)`);
row('parse, bytes in memory (btf__new)', parse, lb.memory_ms, lb.memory_min_ms);
row('read file + parse (btf__parse)', readParse, lb.file_ms, lb.file_min_ms);
row('parse + decode every type', decode, lb.decode_ms, lb.decode_min_ms);
console.log(`${'parse + raw dump (12 MB of text)'.padEnd(34)} ${f(dump.median)} ${f(dump.min)}   (whole-process raw dump vs bpftool: bench/dump-c.mjs)`);
console.log('decode builds one object per type, member, parameter and enumerator (the Btf API); libbpf hands out');
console.log('pointers into its buffer, so that ratio measures the API, not the scan. The dumpers read records directly.');
if (lb.types !== types) {
  console.error(`type counts differ: corelab ${types}, libbpf ${lb.types}`);
  process.exit(1);
}

// Hot path: WebAssembly vs its TypeScript twin vs libbpf 1.1.2 on the 6.18 vmlinux BTF
// (tests/kernels/host-6.18-amd64.btf.xz, decompressed into .cache/bench), in Node and in
// Chromium (Debian's /usr/bin/chromium via playwright-core). Times: the type scan (wasm: copy
// in and out included), parseBtf, the essential-name index + 100 struct lookups (100 names
// spread evenly over the id range), lookups alone, parse + index + lookups, and format c of the
// parsed BTF (dumpC, the two C dumpers; bpftool's whole process is in bench/dump-c.mjs); libbpf:
// btf__parse and btf__find_by_name_kind (a linear scan per call). One run, interleaved rounds.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache/bench');
mkdirSync(out, { recursive: true });
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// one bundle of bench/hotpath-run.ts (plus the xz decoder) for Node and for the page
const entry = join(out, 'hotpath-entry.ts');
writeFileSync(
  entry,
  `export * from ${JSON.stringify(join(root, 'bench/hotpath-run.ts'))};\nexport { xzDecompress } from ${JSON.stringify(join(root, 'core-ts/xz/index.ts'))};\n`,
);
const bundle = join(out, 'hotpath-entry.mjs');
await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'neutral', format: 'esm', logLevel: 'warning' });
const { runHotpathBench, pickStructNames, xzDecompress } = await import(pathToFileURL(bundle).href);

const rawPath = join(out, 'host-6.18-amd64.btf');
writeFileSync(rawPath, xzDecompress(readFileSync(join(root, 'tests/kernels/host-6.18-amd64.btf.xz'))));
const bytes = new Uint8Array(readFileSync(rawPath));
const names = pickStructNames(bytes, 100);
const namesPath = join(out, 'hotpath-names.txt');
writeFileSync(namesPath, names.join('\n') + '\n');

// libbpf
const exe = join(out, 'btf-find-libbpf');
const cc = spawnSync('cc', ['-O2', '-Wall', '-o', exe, join(root, 'bench/btf-find-libbpf.c'), '-lbpf'], { encoding: 'utf8' });
if (cc.status !== 0) {
  console.error(`cannot build bench/btf-find-libbpf.c (needs cc and libbpf-dev):\n${cc.stderr}`);
  process.exit(1);
}
const lr = spawnSync(exe, [rawPath, namesPath, String(RUNS)], { encoding: 'utf8' });
if (lr.status !== 0) {
  console.error(`libbpf timer failed: ${lr.stderr}`);
  process.exit(1);
}
const lb = JSON.parse(lr.stdout);

const node = runHotpathBench(bytes, names, RUNS);

// Chromium: a local page that fetches the bundle and the BTF from this process
if (!existsSync(CHROMIUM)) {
  console.error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  process.exit(1);
}
// in a module worker, as the playground runs the engine (Chromium's main thread refuses to
// compile a WebAssembly module over 4 KB synchronously)
const worker = `import { runHotpathBench } from '/bench.mjs';
const bytes = new Uint8Array(await (await fetch('/btf')).arrayBuffer());
const names = await (await fetch('/names')).json();
try { postMessage(runHotpathBench(bytes, names, ${RUNS})); } catch (e) { postMessage({ error: String(e) }); }`;
const page = `<!doctype html><meta charset=utf-8><script type=module>
const w = new Worker('/worker.mjs', { type: 'module' });
w.onmessage = (e) => { window.__result = e.data; };
w.onerror = (e) => { window.__result = { error: String(e.message) }; };
</script>`;
const files = {
  '/': ['text/html', page],
  '/worker.mjs': ['text/javascript', worker],
  '/bench.mjs': ['text/javascript', readFileSync(bundle)],
  '/btf': ['application/octet-stream', bytes],
  '/names': ['application/json', JSON.stringify(names)],
};
const server = createServer((req, res) => {
  const f = files[req.url ?? ''];
  if (!f) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
let web;
try {
  const p = await browser.newPage();
  await p.goto(`http://127.0.0.1:${server.address().port}/`);
  await p.waitForFunction(() => window.__result !== undefined, null, { timeout: 600_000 });
  web = await p.evaluate(() => window.__result);
  if (web.error) throw new Error(`in Chromium: ${web.error}`);
} finally {
  await browser.close();
  server.close();
}

// answers must agree before timings mean anything
for (const [where, r] of [['node', node], ['chromium', web]]) {
  if (r.wasm.dumpBytes !== r.ts.dumpBytes || r.wasm.dumpHash !== r.ts.dumpHash) {
    console.error(`${where}: the two C dumpers' outputs differ`);
    process.exit(1);
  }
  for (const e of ['wasm', 'ts']) {
    if (r[e].ids.join() !== lb.ids.join()) {
      console.error(`${where} ${e}: struct ids differ from btf__find_by_name_kind`);
      process.exit(1);
    }
  }
}
if (node.types !== lb.types) {
  console.error(`type counts differ: corelab ${node.types}, libbpf ${lb.types}`);
  process.exit(1);
}

const f = (x) => x.toFixed(2).padStart(8);
const ratio = (a, b) => (a / b).toFixed(2).padStart(6);
console.log(`6.18 vmlinux BTF: ${node.types} types, ${bytes.length} bytes; ${names.length} struct names; ${RUNS} interleaved rounds; ms median (min)`);
console.log(`${''.padEnd(28)} ${'wasm'.padStart(17)} ${'TS'.padStart(17)}  TS/wasm   ${'libbpf 1.1.2'.padStart(17)}  wasm/libbpf`);
const row = (label, w, t, l) =>
  console.log(
    `${label.padEnd(28)} ${f(w.median)} (${f(w.min).trim().padStart(6)}) ${f(t.median)} (${f(t.min).trim().padStart(6)})  ${ratio(t.median, w.median)}   ` +
      (l ? `${f(l.median)} (${f(l.min).trim().padStart(6)})  ${ratio(w.median, l.median)}` : ''),
  );
for (const [where, r] of [['Node ' + process.version, node], ['Chromium', web]]) {
  console.log(`-- ${where}`);
  row('type scan', r.wasm.scan, r.ts.scan);
  row('parseBtf (btf__parse)', r.wasm.parse, r.ts.parse, lb.parse);
  row('name index + 100 lookups', r.wasm.indexAndLookups, r.ts.indexAndLookups, lb.lookups);
  row('100 lookups, index built', r.wasm.lookups, r.ts.lookups, lb.lookups);
  row('parse + index + lookups', r.wasm.parseIndexLookups, r.ts.parseIndexLookups, lb.parseAndLookups);
  row('format c (dumpC, parsed)', r.wasm.dumpC, r.ts.dumpC);
}
console.log('(libbpf parse reads the file; corelab parses bytes in memory. libbpf "lookups" = 100 x btf__find_by_name_kind)');

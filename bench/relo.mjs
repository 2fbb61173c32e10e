// CO-RE relocation speed: corelab vs libbpf 1.1.2 on a generated object with >= 700 CO-RE
// relocations (byte offsets of fields of 26+ kernel structs, chosen from the target itself),
// relocated against the 6.18 vmlinux BTF (tests/kernels/host-6.18-amd64.btf.xz).
//   corelab: parse target BTF + parse object + candidate index + relocate, warm, one process;
//   libbpf:  btf__parse(target) + its CO-RE loop inside bpf_object__load (bench/relo-libbpf.c).
// Also peak RSS of each (a fresh process for corelab; the C timer's own getrusage).
// Needs clang-19, cc, libbpf-dev and root (libbpf 1.1 only relocates while loading).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache/bench');
mkdirSync(out, { recursive: true });
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const MIN_RELOS = 700;

const entry = join(out, 'relo-entry.ts');
writeFileSync(
  entry,
  [
    `export { parseBtf } from ${JSON.stringify(join(root, 'core-ts/btf/parse.ts'))};`,
    `export { xzDecompress } from ${JSON.stringify(join(root, 'core-ts/xz/index.ts'))};`,
    `export { parseBpfObject } from ${JSON.stringify(join(root, 'core-ts/object/index.ts'))};`,
    `export { makeTargetSet } from ${JSON.stringify(join(root, 'core-ts/core/candidates.ts'))};`,
    `export { relocateObject } from ${JSON.stringify(join(root, 'core-ts/core/relocate.ts'))};`,
  ].join('\n'),
);
const bundle = join(out, 'relo-entry.mjs');
await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
const { parseBtf, xzDecompress, parseBpfObject, makeTargetSet, relocateObject } = await import(pathToFileURL(bundle).href);

const btfPath = join(out, 'host-6.18-amd64.btf');
const btfBytes = xzDecompress(readFileSync(join(root, 'tests/kernels/host-6.18-amd64.btf.xz')));
writeFileSync(btfPath, btfBytes);

// ---------- the object: plain int/pointer members of well-known structs, read by address ----------
const STRUCTS = [
  'task_struct', 'mm_struct', 'file', 'inode', 'dentry', 'super_block', 'sock', 'sk_buff', 'net_device',
  'cred', 'vm_area_struct', 'path', 'vfsmount', 'address_space', 'files_struct', 'fs_struct',
  'signal_struct', 'sighand_struct', 'cgroup', 'css_set', 'pid', 'nsproxy', 'user_namespace', 'bio',
  'request_queue', 'block_device', 'tcp_sock', 'inet_sock', 'socket', 'kiocb', 'net', 'page',
  'module', 'perf_event', 'rq', 'cfs_rq', 'sched_entity', 'task_group', 'kernfs_node', 'device', 'gendisk',
  'request', 'bpf_prog', 'bpf_map', 'xdp_buff', 'nf_conn', 'ipv6_pinfo', 'udp_sock', 'sk_buff_head', 'msghdr',
];
const target = parseBtf(btfBytes);
const C_INT = { 1: 'unsigned char', 2: 'unsigned short', 4: 'unsigned int', 8: 'unsigned long' };
let src = '#define SEC(n) __attribute__((section(n), used))\n\n';
let body = '';
let fields = 0;
let structs = 0;
for (const name of STRUCTS) {
  const id = target.findByName(name, 4)[0];
  if (id === undefined) continue;
  const t = target.type(id);
  const members = [];
  for (const m of t.members) {
    if (!m.name || m.bitfieldSize) continue;
    const mt = target.type(target.skipModsAndTypedefs(m.type));
    if (mt.kind === 2) members.push(`\tvoid *${m.name};`);
    else if (mt.kind === 1 && C_INT[mt.size]) members.push(`\t${C_INT[mt.size]} ${m.name};`);
    if (members.length === 40) break;
  }
  if (members.length < 8) continue;
  structs++;
  src += `struct ${name} {\n${members.join('\n')}\n} __attribute__((preserve_access_index));\n\n`;
  for (const line of members) {
    const f = line.trim().replace(/;$/, '').split(/[ *]+/).pop();
    // the barrier keeps each relocated offset short-lived (else clang spills them all)
    body += `\ts += (unsigned long)&((struct ${name} *)ctx)->${f};\n\tasm volatile("" : "+r"(s));\n`;
    fields++;
  }
}
src += `SEC("raw_tp/sys_enter")\nint many_relos(void *ctx)\n{\n\tunsigned long s = 0;\n\n${body}\treturn s & 1;\n}\n\nchar LICENSE[] SEC("license") = "GPL";\n`;
const cPath = join(out, 'many_relos.bpf.c');
const objPath = join(out, 'many_relos.bpf.o');
writeFileSync(cPath, src);
const cc = spawnSync('clang-19', ['-target', 'bpf', '-O2', '-g', '-c', cPath, '-o', objPath], { encoding: 'utf8' });
if (cc.status !== 0) {
  console.error(`clang-19 failed:\n${cc.stderr}`);
  process.exit(1);
}
const objBytes = new Uint8Array(readFileSync(objPath));

// ---------- corelab ----------
function stats(f) {
  for (let i = 0; i < 3; i++) f();
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
let relos = 0;
let patched = 0;
const parseOnly = stats(() => parseBtf(btfBytes));
const whole = stats(() => {
  const r = relocateObject(parseBpfObject(objBytes), makeTargetSet(parseBtf(btfBytes)));
  relos = r.relocations.length;
  patched = r.relocations.filter((x) => x.status === 'patched').length;
});
if (relos < MIN_RELOS) {
  console.error(`generated object has only ${relos} CO-RE relocations from ${fields} fields of ${structs} structs (want >= ${MIN_RELOS})`);
  process.exit(1);
}
// peak RSS of one cold relocation in a fresh process
const rssScript = join(out, 'relo-rss.mjs');
writeFileSync(
  rssScript,
  `import { readFileSync } from 'node:fs';
const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const r = m.relocateObject(m.parseBpfObject(new Uint8Array(readFileSync(${JSON.stringify(objPath)}))), m.makeTargetSet(m.parseBtf(new Uint8Array(readFileSync(${JSON.stringify(btfPath)})))));
console.log(JSON.stringify({ relos: r.relocations.length, max_rss_kib: process.resourceUsage().maxRSS }));\n`,
);
const rss = JSON.parse(spawnSync(process.execPath, [rssScript], { encoding: 'utf8' }).stdout);

// ---------- libbpf ----------
const exe = join(out, 'relo-libbpf');
const build2 = spawnSync('cc', ['-O2', '-o', exe, join(root, 'bench/relo-libbpf.c'), '-lbpf'], { encoding: 'utf8' });
if (build2.status !== 0) {
  console.error(`cannot build bench/relo-libbpf.c (needs cc and libbpf-dev):\n${build2.stderr}`);
  process.exit(1);
}
const run = spawnSync(exe, [objPath, btfPath, String(RUNS)], { encoding: 'utf8' });
if (run.status !== 0) {
  console.error(`libbpf timer failed (root needed): ${run.stderr}`);
  process.exit(1);
}
const lb = JSON.parse(run.stdout);
const lbTotal = lb.target_parse_ms + lb.core_loop_ms;

const f = (x) => x.toFixed(2).padStart(9);
console.log(`object: ${relos} CO-RE relocations over ${structs} structs (${patched} patched), 6.18 vmlinux BTF (${target.typeCount - 1} types); ${RUNS} runs, warm`);
console.log(`${''.padEnd(40)}   corelab ms    libbpf 1.1.2 ms   ratio`);
console.log(`${'target BTF parse'.padEnd(40)} ${f(parseOnly.median)}   ${f(lb.target_parse_ms)}`);
const ratio = whole.median / lbTotal;
console.log(`${'parse + index + relocate (median)'.padEnd(40)} ${f(whole.median)}   ${f(lbTotal)}   ${ratio.toFixed(2).padStart(6)} (corelab/libbpf; < 1 = corelab faster)`);
console.log(`${'  (min)'.padEnd(40)} ${f(whole.min)}   ${f(lb.target_parse_min_ms + lb.core_loop_min_ms)}`);
const warmBtf = parseBtf(btfBytes);
const warmObj = parseBpfObject(objBytes);
const loop = stats(() => relocateObject(warmObj, makeTargetSet(warmBtf)));
console.log(`${'CO-RE loop alone (index + relocate)'.padEnd(40)} ${f(loop.median)}   ${f(lb.core_loop_ms)}   ${(loop.median / lb.core_loop_ms).toFixed(2).padStart(6)}`);
console.log(`${'peak RSS (KiB)'.padEnd(40)} ${String(rss.max_rss_kib).padStart(9)}   ${String(lb.max_rss_kib).padStart(9)}   (corelab: fresh node process, one cold run; libbpf: whole timer incl. loads)`);

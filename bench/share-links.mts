// Share-link sizes with a dropped (non-bundled) kernel BTF minimized to the case: the bundled
// samples against each bundled kernel, and libbpf-tools objects against kernels the playground
// does not bundle. Prints a markdown table; every minimized BTF is checked (same outcomes).
// Run: npx tsx bench/share-links.mts
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBtf } from '../core-ts/btf/load.ts';
import { makeTargetSet } from '../core-ts/core/candidates.ts';
import { relocateObject } from '../core-ts/core/relocate.ts';
import { parseBpfObject } from '../core-ts/object/index.ts';
import type { CaseInput } from '../core-ts/share/bundle.ts';
import { LINK_BUDGET, caseToFragment, hex } from '../core-ts/share/link.ts';
import { minimizeForCase } from '../core-ts/share/minimize.ts';
import { sha256 } from '../core-ts/xz/sha256.ts';

const root = join(import.meta.dirname, '..');
const kernelsDir = existsSync(join(root, '../shared/kernels')) ? join(root, '../shared/kernels') : join(root, 'tests/kernels');
const cases: [string, string][] = [];
for (const o of ['public/samples/task_exe.bpf.o', 'public/samples/file_times.bpf.o'])
  for (const k of ['debian-6.1.0-56-amd64', 'debian-6.12.117-amd64', 'host-6.18-amd64']) cases.push([o, join(root, 'public/samples/kernels', `${k}.btf.xz`)]);
for (const tool of ['opensnoop', 'biolatency', 'tcpconnect', 'runqslower', 'execsnoop', 'tcplife'])
  for (const k of ['debian-6.1.0-47-amd64', 'debian-6.12.117-cloud-amd64']) cases.push([`.cache/corpus/libbpf-tools/${tool}.bpf.o`, join(kernelsDir, `${k}.btf.xz`)]);
cases.push(['.cache/corpus/progs/bpf/many_relos.bpf.o', join(kernelsDir, 'debian-6.12.117-cloud-amd64.btf.xz')]);

const input = (role: CaseInput['role'], name: string, bytes: Uint8Array): CaseInput => ({ role, name, sha256: hex(sha256(bytes)), size: bytes.length, bytes });
console.log('| object | kernel (dropped) | relocations | kernel as dropped | minimized BTF (types / bytes) | link, minimized | link, whole kernel | fits 32K |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
const btfs = new Map<string, ReturnType<typeof loadBtf>['btf']>();
for (const [o, k] of cases) {
  const objPath = join(root, o);
  if (!existsSync(objPath) || !existsSync(k)) {
    console.log(`| ${o} | ${k} | missing | | | | | |`);
    continue;
  }
  const objBytes = new Uint8Array(readFileSync(objPath));
  const kBytes = new Uint8Array(readFileSync(k));
  let btf = btfs.get(k);
  if (!btf) btfs.set(k, (btf = loadBtf(kBytes).btf));
  const obj = parseBpfObject(objBytes);
  const res = relocateObject(obj, makeTargetSet(btf));
  const m = minimizeForCase(obj, btf, res, 0);
  if (!m.ok) throw new Error(`${o} × ${k}: ${m.reason}`);
  const objIn = input('object', o.split('/').pop()!, objBytes);
  const kName = k.split('/').pop()!;
  const minFrag = await caseToFragment({ version: 1, inputs: [objIn, { ...input('vmlinux', kName.replace(/\.btf\.xz$/, '.min.btf'), m.bytes), minimizedFrom: { name: kName, sha256: hex(sha256(kBytes)), size: kBytes.length } }], ui: {} });
  const wholeFrag = await caseToFragment({ version: 1, inputs: [objIn, input('vmlinux', kName, kBytes)], ui: {} });
  const url = (f: string): number => 'http://127.0.0.1:4173/#'.length + f.length;
  console.log(
    `| ${o.split('/').pop()} | ${kName.replace(/\.btf\.xz$/, '')} | ${res.relocations.length} | ${kBytes.length} | ${m.types} / ${m.bytes.length} | ${url(minFrag)} | ${url(wholeFrag)} | ${url(minFrag) <= LINK_BUDGET ? 'yes' : 'no'} |`,
  );
}

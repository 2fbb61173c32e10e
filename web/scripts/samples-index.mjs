// Writes public/samples/index.json: the playground's samples menu. Hashes are computed here,
// from the files, so share links can reference a bundled file by sha256.
// Run after changing public/samples: node web/scripts/samples-index.mjs
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../public/samples');
const file = (rel) => {
  const b = readFileSync(join(dir, rel));
  return { path: rel, size: statSync(join(dir, rel)).size, sha256: createHash('sha256').update(b).digest('hex') };
};

const kernels = [
  { id: 'debian-6.1', label: 'Debian 12, 6.1.0-56-amd64', ...file('kernels/debian-6.1.0-56-amd64.btf.xz') },
  { id: 'debian-6.12', label: 'Debian 12 backports, 6.12.117-amd64', ...file('kernels/debian-6.12.117-amd64.btf.xz') },
  { id: 'host-6.18', label: 'This machine, 6.18 amd64', ...file('kernels/host-6.18-amd64.btf.xz') },
];
const samples = [
  {
    id: 'task_exe',
    label: 'task_exe: pointer chains, renamed fields, bitfield, enum, sizeof',
    object: file('task_exe.bpf.o'),
    source: 'task_exe.bpf.c',
    kernel: 'host-6.18',
  },
  {
    id: 'file_times',
    label: 'file_times: fine on 6.1, poisoned on 6.12 and 6.18 (inode timestamps renamed)',
    object: file('file_times.bpf.o'),
    source: 'file_times.bpf.c',
    kernel: 'debian-6.12',
  },
];
writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: 1, default: 'task_exe', samples, kernels }, null, 1) + '\n');
console.log(`wrote ${join(dir, 'index.json')}: ${samples.length} samples, ${kernels.length} kernels`);

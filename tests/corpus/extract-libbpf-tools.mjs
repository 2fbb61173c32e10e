#!/usr/bin/env node
// Cuts the BPF objects that libbpf skeletons embed as byte arrays out of
// Debian's libbpf-tools binaries.
//
// usage: node extract-libbpf-tools.mjs <out-dir> [binary...]
//   with no binaries, the list comes from `dpkg -L libbpf-tools` (/usr/sbin/*).
// The summary is also kept in <out-dir>/summary.json; when it is newer than
// every binary and than this script, it is reused without rescanning.
// Symlinks (ext4dist -> fsdist, ...) are skipped: they would only duplicate
// an object already cut from their target. Outputs newer than their binary are
// left alone. Prints one JSON line: { binaries, symlinks, objects, written, problems }.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const EM_BPF = 247;
const SHT_NOBITS = 8;

function listBinaries() {
  const out = execFileSync('dpkg', ['-L', 'libbpf-tools'], { encoding: 'utf8' });
  return out.split('\n').filter((p) => /^\/usr\/sbin\/[^/]+$/.test(p));
}

/**
 * Reads the ELF header at `at` and returns the embedded file's extent, or a
 * reason string when the bytes there are not a complete BPF ELF.
 */
function embeddedElf(buf, at) {
  const cls = buf[at + 4];
  const data = buf[at + 5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) return 'bad e_ident';
  const le = data === 1;
  const is64 = cls === 2;
  const ehsize = is64 ? 64 : 52;
  if (at + ehsize > buf.length) return 'truncated header';
  const dv = new DataView(buf.buffer, buf.byteOffset + at, buf.length - at);
  const u16 = (o) => dv.getUint16(o, le);
  const u32 = (o) => dv.getUint32(o, le);
  const uaddr = (o) => (is64 ? Number(dv.getBigUint64(o, le)) : dv.getUint32(o, le));
  if (u16(18) !== EM_BPF) return 'not EM_BPF';
  const shoff = uaddr(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const avail = buf.length - at;
  if (shnum === 0 || shentsize < (is64 ? 64 : 40)) return 'no section headers';
  let end = shoff + shnum * shentsize;
  if (!Number.isSafeInteger(end) || end > avail) return 'section header table out of bounds';
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    const type = u32(sh + 4);
    if (type === SHT_NOBITS) continue;
    const off = uaddr(sh + (is64 ? 0x18 : 0x10));
    const size = uaddr(sh + (is64 ? 0x20 : 0x14));
    const secEnd = off + size;
    if (!Number.isSafeInteger(secEnd) || secEnd > avail) return `section ${i} out of bounds`;
    if (secEnd > end) end = secEnd;
  }
  return { size: Math.max(end, ehsize), endian: le ? 'little' : 'big', class: is64 ? 64 : 32 };
}

function findObjects(buf) {
  const found = [];
  const problems = [];
  // The host executable itself starts with an ELF header (x86-64), so every
  // hit is checked for EM_BPF; found objects are skipped over as a whole.
  let i = buf.indexOf('\x7fELF', 0, 'latin1');
  while (i >= 0) {
    const r = embeddedElf(buf, i);
    if (typeof r === 'object') {
      found.push({ offset: i, ...r });
      i = buf.indexOf('\x7fELF', i + r.size, 'latin1');
    } else {
      if (r !== 'not EM_BPF' && r !== 'bad e_ident') problems.push(`offset ${i}: ${r}`);
      i = buf.indexOf('\x7fELF', i + 4, 'latin1');
    }
  }
  return { found, problems };
}

function main() {
  const [outDir, ...args] = process.argv.slice(2);
  if (!outDir) {
    process.stderr.write('usage: extract-libbpf-tools.mjs <out-dir> [binary...]\n');
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  const binaries = args.length ? args : listBinaries();
  const summaryFile = join(outDir, 'summary.json');
  if (existsSync(summaryFile)) {
    const made = statSync(summaryFile).mtimeMs;
    const inputs = [...binaries, new URL(import.meta.url).pathname];
    if (inputs.every((b) => statSync(b).mtimeMs < made)) {
      const cached = JSON.parse(readFileSync(summaryFile, 'utf8'));
      if (cached.objects.every((o) => existsSync(o.path))) {
        process.stdout.write(JSON.stringify({ ...cached, written: 0 }) + '\n');
        return;
      }
    }
  }
  const summary = { binaries: 0, symlinks: [], objects: [], written: 0, problems: [] };
  for (const bin of binaries) {
    if (lstatSync(bin).isSymbolicLink()) {
      summary.symlinks.push(basename(bin));
      continue;
    }
    summary.binaries++;
    const tool = basename(bin);
    const binStat = statSync(bin);
    const buf = readFileSync(bin);
    const { found, problems } = findObjects(buf);
    for (const p of problems) summary.problems.push(`${tool}: ${p}`);
    if (found.length === 0) summary.problems.push(`${tool}: no embedded BPF ELF`);
    found.forEach((obj, n) => {
      const name = found.length === 1 ? tool : `${tool}.${n}`;
      const out = join(outDir, `${name}.bpf.o`);
      summary.objects.push({ name, path: out, endian: obj.endian, size: obj.size, from: bin });
      if (existsSync(out) && statSync(out).mtimeMs >= binStat.mtimeMs && statSync(out).size === obj.size) return;
      writeFileSync(out, buf.subarray(obj.offset, obj.offset + obj.size));
      summary.written++;
    });
  }
  writeFileSync(summaryFile, JSON.stringify(summary) + '\n');
  process.stdout.write(JSON.stringify(summary) + '\n');
}

main();

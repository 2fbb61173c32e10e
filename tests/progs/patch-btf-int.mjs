#!/usr/bin/env node
// Writes a copy of a target object whose .BTF has legacy bit offsets in some INT
// encodings (BTF_INT_OFFSET != 0), which clang never emits (notes §10 item 16):
//
//   node tests/progs/patch-btf-int.mjs SRC.c IN.o OUT.o
//
// Every "// corelab-int-offset: NAME OFFSET" line of SRC rewrites each INT type
// called NAME (e.g. "unsigned short") to bit offset OFFSET and nr_bits
// size*8 - OFFSET, so that offset + bits still fill the int exactly (the kernel's
// own rule for INT encodings; libbpf 1.1.2's btf__parse checks neither).
// Only the 4-byte encoding word after each INT record changes: sizes, ids and
// strings stay as clang wrote them. Little-endian ELF64 objects only.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [src, inPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: patch-btf-int.mjs SRC.c IN.o OUT.o');
  process.exit(2);
}
const fail = (m) => {
  console.error(`patch-btf-int: ${basename(src)}: ${m}`);
  process.exit(1);
};

const wanted = [...readFileSync(src, 'utf8').matchAll(/^\/\/ corelab-int-offset: (.+?) (\d+)\s*$/gm)].map((m) => ({ name: m[1], offset: Number(m[2]), hits: 0 }));
if (wanted.length === 0) fail('no "// corelab-int-offset: NAME OFFSET" line');
// rebuilt only when the input object or this script is newer
const newer = (a, b) => statSync(a).mtimeMs > statSync(b).mtimeMs;
if (existsSync(outPath) && newer(outPath, inPath) && newer(outPath, new URL(import.meta.url))) process.exit(0);

const buf = Buffer.from(readFileSync(inPath));
if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) fail('not a little-endian ELF64 object');
const shoff = Number(buf.readBigUInt64LE(0x28));
const shentsize = buf.readUInt16LE(0x3a);
const shnum = buf.readUInt16LE(0x3c);
const shstrndx = buf.readUInt16LE(0x3e);
const hdr = (i) => ({ nameOff: buf.readUInt32LE(shoff + i * shentsize), offset: Number(buf.readBigUInt64LE(shoff + i * shentsize + 0x18)), size: Number(buf.readBigUInt64LE(shoff + i * shentsize + 0x20)) });
const shstr = hdr(shstrndx);
let btfAt = -1;
let btfSize = 0;
for (let i = 0; i < shnum; i++) {
  const h = hdr(i);
  const s = shstr.offset + h.nameOff;
  if (buf.toString('latin1', s, buf.indexOf(0, s)) === '.BTF') {
    btfAt = h.offset;
    btfSize = h.size;
  }
}
if (btfAt < 0) fail('no .BTF section');
if (buf.readUInt16LE(btfAt) !== 0xeb9f) fail('.BTF: bad magic');
const hdrLen = buf.readUInt32LE(btfAt + 4);
const typeStart = btfAt + hdrLen + buf.readUInt32LE(btfAt + 8);
const typeEnd = typeStart + buf.readUInt32LE(btfAt + 12);
const strStart = btfAt + hdrLen + buf.readUInt32LE(btfAt + 16);
if (typeEnd > btfAt + btfSize) fail('.BTF: type section out of bounds');
const nameAt = (off) => buf.toString('latin1', strStart + off, buf.indexOf(0, strStart + off));

// bytes after the 12-byte common record, by kind (vlen = number of members/params/values)
const extra = (kind, vlen) => {
  switch (kind) {
    case 1: case 14: case 17: return 4; // INT, VAR, DECL_TAG
    case 3: return 12; // ARRAY
    case 4: case 5: case 15: case 19: return 12 * vlen; // STRUCT, UNION, DATASEC, ENUM64
    case 6: case 13: return 8 * vlen; // ENUM, FUNC_PROTO
    case 2: case 7: case 8: case 9: case 10: case 11: case 12: case 16: case 18: return 0;
    default: return fail(`.BTF: unknown kind ${kind}`);
  }
};
for (let at = typeStart; at < typeEnd;) {
  const info = buf.readUInt32LE(at + 4);
  const kind = (info >>> 24) & 0x1f;
  const vlen = info & 0xffff;
  if (kind === 1) {
    const w = wanted.find((x) => x.name === nameAt(buf.readUInt32LE(at)));
    if (w) {
      const bits = buf.readUInt32LE(at + 8) * 8 - w.offset;
      if (w.offset > 255 || bits <= 0) fail(`${w.name}: offset ${w.offset} does not fit the int`);
      const enc = buf.readUInt32LE(at + 12) & 0x0f000000;
      buf.writeUInt32LE((enc | (w.offset << 16) | bits) >>> 0, at + 12);
      w.hits++;
    }
  }
  at += 12 + extra(kind, vlen);
}
for (const w of wanted) if (w.hits === 0) fail(`no INT named "${w.name}" in .BTF`);
writeFileSync(outPath + '.tmp', buf);
renameSync(outPath + '.tmp', outPath);

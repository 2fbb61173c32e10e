#!/usr/bin/env node
// Writes variants of an edge program with rewritten .BTF.ext CO-RE records, for
// access strings, kinds and instruction targets that clang never emits (notes §10).
//
//   node tests/progs/patch-btfext.mjs SRC.bpf.c OBJ.bpf.o OUTDIR
//
// Every "// corelab-patch: NAME SEC#N key=value…" line of SRC gives OUTDIR/<src>-NAME.bpf.o:
// the N-th CO-RE record of ELF section SEC with
//   access=STR   a new access string (added to the .BTF string section)
//   kind=K       a new relocation kind number
//   type=ID      a new local type id
//   insn=I       insn_off = 8*I (instruction index within the section)
//   insn=op:XX   insn_off of the first instruction of the section with opcode byte XX (hex);
//                op:XX/S also wants src_reg S
//   insn_off=B   insn_off = B bytes (may be unaligned)
// When the string section grows, the new .BTF goes to the end of the file and
// its section header points there. Little-endian ELF64 objects only.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [src, objPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: patch-btfext.mjs SRC.bpf.c OBJ.bpf.o OUTDIR');
  process.exit(2);
}
const fail = (m) => {
  console.error(`patch-btfext: ${basename(src)}: ${m}`);
  process.exit(1);
};

function sections(buf) {
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) fail('not a little-endian ELF64 object');
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const shstrndx = buf.readUInt16LE(0x3e);
  const hdrs = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    hdrs.push({ at: o, nameOff: buf.readUInt32LE(o), offset: Number(buf.readBigUInt64LE(o + 0x18)), size: Number(buf.readBigUInt64LE(o + 0x20)) });
  }
  const strs = hdrs[shstrndx];
  for (const h of hdrs) {
    const s = strs.offset + h.nameOff;
    h.name = buf.toString('latin1', s, buf.indexOf(0, s));
  }
  return hdrs;
}

const patches = [...readFileSync(src, 'utf8').matchAll(/^\/\/ corelab-patch: (\S+) (\S+)#(\d+)((?: \S+=\S*)+)\s*$/gm)];
if (patches.length === 0) process.exit(0);
mkdirSync(outDir, { recursive: true });
const stem = basename(src).replace(/\.bpf\.c$/, '');
const orig = readFileSync(objPath);
let written = 0;
for (const [, name, secName, idxText, opsText] of patches) {
  const out = join(outDir, `${stem}-${name}.bpf.o`);
  // rebuilt only when the source object or this script is newer
  if (existsSync(out) && statSync(out).mtimeMs > statSync(objPath).mtimeMs && statSync(out).mtimeMs > statSync(new URL(import.meta.url)).mtimeMs) continue;
  let buf = Buffer.from(orig);
  const hdrs = sections(buf);
  const btfH = hdrs.find((h) => h.name === '.BTF');
  const extH = hdrs.find((h) => h.name === '.BTF.ext');
  if (!btfH || !extH) fail('no .BTF / .BTF.ext');
  const btf = buf.subarray(btfH.offset, btfH.offset + btfH.size);
  const btfHdrLen = btf.readUInt32LE(4);
  const strOff = btfHdrLen + btf.readUInt32LE(16);
  const strLen = btf.readUInt32LE(20);
  const strAt = (off) => btf.toString('latin1', strOff + off, btf.indexOf(0, strOff + off));
  const ext = buf.subarray(extH.offset, extH.offset + extH.size);
  const extHdrLen = ext.readUInt32LE(4);
  if (extHdrLen < 32) fail('.BTF.ext header has no CO-RE part');
  const coreStart = extHdrLen + ext.readUInt32LE(24);
  const coreEnd = coreStart + ext.readUInt32LE(28);
  const recSize = ext.readUInt32LE(coreStart);
  // find the record
  let at = coreStart + 4;
  let rec = -1;
  while (at < coreEnd) {
    const sec = strAt(ext.readUInt32LE(at));
    const n = ext.readUInt32LE(at + 4);
    if (sec === secName && Number(idxText) < n) rec = at + 8 + Number(idxText) * recSize;
    at += 8 + n * recSize;
  }
  if (rec < 0) fail(`${name}: no CO-RE record ${secName}#${idxText}`);
  const secH = hdrs.find((h) => h.name === secName);
  const newStrings = [];
  for (const op of opsText.trim().split(' ')) {
    const eq = op.indexOf('=');
    const key = op.slice(0, eq);
    const value = op.slice(eq + 1).replace(/^"(.*)"$/, '$1');
    if (key === 'access') {
      newStrings.push({ rec, value });
    } else if (key === 'kind') ext.writeUInt32LE(Number(value), rec + 12);
    else if (key === 'type') ext.writeUInt32LE(Number(value), rec + 4);
    else if (key === 'insn_off') ext.writeUInt32LE(Number(value), rec);
    else if (key === 'insn' && value.startsWith('op:')) {
      if (!secH) fail(`${name}: no section ${secName}`);
      const [codeText, srcText] = value.slice(3).split('/');
      const code = parseInt(codeText, 16);
      const srcReg = srcText === undefined ? -1 : Number(srcText);
      let found = -1;
      for (let i = 0; i * 8 < secH.size; i++) {
        const b = secH.offset + i * 8;
        if (buf[b] === code && (srcReg < 0 || buf[b + 1] >> 4 === srcReg)) {
          found = i;
          break;
        }
      }
      if (found < 0) fail(`${name}: no instruction with opcode 0x${value.slice(3)} in ${secName}`);
      ext.writeUInt32LE(found * 8, rec);
    } else if (key === 'insn') ext.writeUInt32LE(Number(value) * 8, rec);
    else fail(`${name}: unknown key ${key}`);
  }
  if (newStrings.length) {
    // new strings are appended to the string section; .BTF moves to the file's end
    const extra = [];
    let next = strLen;
    for (const s of newStrings) {
      ext.writeUInt32LE(next, s.rec + 8);
      const bytes = Buffer.from(s.value + '\0', 'latin1');
      extra.push(bytes);
      next += bytes.length;
    }
    const newBtf = Buffer.concat([btf.subarray(0, strOff + strLen), ...extra]);
    newBtf.writeUInt32LE(next, 20);
    const pad = (8 - (buf.length % 8)) % 8;
    const newOffset = buf.length + pad;
    buf = Buffer.concat([buf, Buffer.alloc(pad), newBtf]);
    buf.writeBigUInt64LE(BigInt(newOffset), btfH.at + 0x18);
    buf.writeBigUInt64LE(BigInt(newBtf.length), btfH.at + 0x20);
  }
  // renamed into place: a test reading the old file never sees half a file
  writeFileSync(out + '.tmp', buf);
  renameSync(out + '.tmp', out);
  written++;
}
if (written) console.error(`patch-btfext: ${basename(src)}: ${written} variant(s) written`);

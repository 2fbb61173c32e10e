#!/usr/bin/env node
// Writes .cache/corpus/manifest.json from what build.sh left in the cache,
// prints the one-line summary, and fails when a compile error is not a known one.
//
// usage: node write-manifest.mjs --root <repo> --out <.cache/corpus> --compiled N --ms N
// All paths in the manifest are relative to the repository root.
import { existsSync, openSync, readSync, closeSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

function args() {
  const a = process.argv.slice(2);
  const get = (k) => {
    const i = a.indexOf(k);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return { root: resolve(get('--root') ?? '.'), out: get('--out') ?? '.cache/corpus', compiled: Number(get('--compiled') ?? 0), ms: Number(get('--ms') ?? 0) };
}

/** Byte order from e_ident[EI_DATA]; undefined if the file is not ELF. */
function elfEndian(file) {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(6);
    if (readSync(fd, b, 0, 6, 0) < 6 || b.readUInt32BE(0) !== 0x7f454c46) return undefined;
    return b[5] === 1 ? 'little' : b[5] === 2 ? 'big' : undefined;
  } finally {
    closeSync(fd);
  }
}

function selftestRole(name) {
  if (name.startsWith('btf__core_reloc_')) return 'target-btf';
  if (name.startsWith('test_core_reloc_')) return 'local';
  if (name.startsWith('btf_dump_test_case_')) return 'btf-dump-case';
  return 'core-prog';
}

function readTsv(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
}

function kernelsFrom(dir, rootDir, source) {
  const manifest = join(dir, 'MANIFEST.tsv');
  if (!existsSync(manifest)) return [];
  const [header, ...rows] = readTsv(manifest);
  const col = (name) => header.indexOf(name);
  const kernels = [];
  for (const r of rows) {
    const file = r[col('file')];
    const abs = join(dir, file);
    if (!existsSync(abs)) throw new Error(`${manifest}: lists ${file}, which does not exist`);
    const base = r[col('base')];
    const entry = {
      path: relative(rootDir, abs),
      name: file.replace(/^modules\//, '').replace(/\.btf\.xz$/, ''),
      arch: r[col('arch')],
      endian: r[col('endianness')],
      longSize: Number(r[col('long_size')]),
      types: Number(r[col('types')]),
      firstTypeId: Number(r[col('first_type_id')]),
      rawSize: Number(r[col('raw_size')]),
      sha256: r[col('sha256_raw')],
      source,
    };
    if (base && base !== '-') entry.base = base;
    kernels.push(entry);
  }
  return kernels;
}

/** .btf.xz files under dir (and dir/modules) that MANIFEST.tsv does not describe. */
function unlistedKernels(dir, rootDir, listed) {
  if (!existsSync(dir)) return [];
  const known = new Set(listed.map((k) => resolve(rootDir, k.path)));
  const found = [];
  for (const sub of ['.', 'modules']) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) {
      const abs = resolve(d, f);
      if (f.endsWith('.btf.xz') && !known.has(abs)) found.push(relative(rootDir, abs));
    }
  }
  return found;
}

function main() {
  const { root, out, compiled, ms } = args();
  const outAbs = resolve(root, out);
  const rel = (p) => relative(root, p);
  const objects = [];
  const failures = [];
  const unexpected = [];

  const known = new Map();
  for (const [name, target, reason] of readTsv(join(root, 'tests/corpus/known-failures.tsv'))) {
    known.set(`${name}\t${target}`, reason);
  }

  const addCompiled = (group, dir, names, roleOf) => {
    for (const target of ['bpf', 'bpfeb']) {
      for (const name of names) {
        const obj = join(outAbs, group, target, `${name}.bpf.o`);
        if (existsSync(obj)) {
          const endian = elfEndian(obj);
          const expected = target === 'bpf' ? 'little' : 'big';
          if (endian !== expected) throw new Error(`${rel(obj)}: ELF byte order ${endian}, expected ${expected}`);
          const o = { path: rel(obj), group, name, endian, target };
          const role = roleOf(name);
          if (role) o.role = role;
          objects.push(o);
          continue;
        }
        const errFile = `${obj}.err`;
        const log = existsSync(errFile) ? readFileSync(errFile, 'utf8') : 'no output and no error log';
        const firstError = log.split('\n').find((l) => /error/.test(l)) ?? log.split('\n')[0];
        const reason = known.get(`${name}\t${target}`) ?? known.get(`${name}\t*`);
        const f = { group, name, target, error: firstError.trim(), log: rel(errFile) };
        if (reason !== undefined) failures.push({ ...f, known: true, reason });
        else {
          failures.push({ ...f, known: false });
          unexpected.push(`${group}/${target}/${name}: ${firstError.trim()}`);
        }
      }
    }
  };

  const progNames = readdirSync(join(root, 'tests/progs'))
    .filter((f) => f.endsWith('.bpf.c'))
    .map((f) => f.slice(0, -'.bpf.c'.length))
    .sort();
  // Objects are named <name>.bpf.o; own programs' sources already end in .bpf.c.
  addCompiled('progs', 'progs', progNames, () => 'own');

  const stNames = readFileSync(join(outAbs, 'selftests/sources.txt'), 'utf8').split('\n').filter(Boolean).sort();
  addCompiled('selftests', 'selftests', stNames, selftestRole);

  const tools = JSON.parse(readFileSync(join(outAbs, 'libbpf-tools/summary.json'), 'utf8'));
  for (const p of tools.problems) unexpected.push(`libbpf-tools: ${p}`);
  for (const t of tools.objects.sort((a, b) => a.name.localeCompare(b.name))) {
    objects.push({ path: rel(resolve(root, t.path)), group: 'libbpf-tools', name: t.name, endian: t.endian, role: 'tool', from: t.from });
  }

  const kernels = [
    ...kernelsFrom(join(root, 'tests/kernels'), root, 'repo'),
    ...kernelsFrom(resolve(root, '../shared/kernels'), root, 'shared'),
  ];
  // Files without a MANIFEST.tsv row have no arch/endianness to test against:
  // they are listed separately and make the build fail for the repo's own folder.
  const unlisted = [
    ...unlistedKernels(join(root, 'tests/kernels'), root, kernels),
    ...unlistedKernels(resolve(root, '../shared/kernels'), root, kernels),
  ];
  for (const u of unlisted) {
    if (u.startsWith('tests/')) unexpected.push(`${u}: not described in tests/kernels/MANIFEST.tsv`);
    else process.stderr.write(`corpus: warning: ${u} has no MANIFEST.tsv row; not used\n`);
  }

  const manifest = {
    generated: new Date().toISOString(),
    tools: {
      libbpfToolsBinaries: tools.binaries,
      libbpfToolsSymlinks: tools.symlinks,
    },
    objects,
    kernels,
    unlistedKernels: unlisted,
    failures,
  };
  // Written under another name and renamed, so a test reading it never sees half a file.
  const manifestPath = join(outAbs, 'manifest.json');
  writeFileSync(`${manifestPath}.tmp`, JSON.stringify(manifest, null, 1) + '\n');
  renameSync(`${manifestPath}.tmp`, manifestPath);

  const count = (g, e) => objects.filter((o) => o.group === g && (!e || o.endian === e)).length;
  const line =
    `corpus: progs ${count('progs', 'little')}+${count('progs', 'big')}eb, ` +
    `selftests ${count('selftests', 'little')}+${count('selftests', 'big')}eb, ` +
    `libbpf-tools ${count('libbpf-tools')}, kernels ${kernels.length}; ` +
    `compiled ${compiled}, failed ${failures.length} (${unexpected.length} unexpected); ${(ms / 1000).toFixed(1)}s`;
  process.stdout.write(line + '\n');
  if (unexpected.length) {
    for (const u of unexpected) process.stderr.write(`corpus: FAILED ${u}\n`);
    process.stderr.write('corpus: fix these or list them with a reason in tests/corpus/known-failures.tsv\n');
    process.exit(1);
  }
}

main();

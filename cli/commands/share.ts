/**
 * `corelab share`: the playground's share link and case file, made and opened from the command line.
 * The case is built as the playground's worker builds it (web/src/engine/worker.ts `share`): files
 * bundled with the playground (public/samples, recognised by sha256) go by reference, a dropped
 * kernel BTF travels in the link cut down to the case (share/minimize.ts), the case file carries
 * every non-bundled file whole. Encoding and decoding are core-ts/share's, the web's own codec.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBtf } from '../../core-ts/btf/load.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { makeTargetSet } from '../../core-ts/core/candidates.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import type { RelocateResult } from '../../core-ts/core/relocate.ts';
import { CorelabError } from '../../core-ts/errors.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import type { CaseBundle, CaseInput } from '../../core-ts/share/bundle.ts';
import { LINK_BUDGET, caseToFile, caseToFragment, fileToCase, fragmentToCase, hex, isCaseFile } from '../../core-ts/share/link.ts';
import { minimizeForCase } from '../../core-ts/share/minimize.ts';
import { moduleNameFromFileName } from '../../core-ts/views/detect.ts';
import { reloKey } from '../../core-ts/views/keys.ts';
import { sha256 } from '../../core-ts/xz/sha256.ts';
import { EXIT, UsageError, option, parseArgs, type CliIo, type Command, type ParsedArgs } from '../args.ts';

const USAGE =
  'corelab share OBJ --btf VMLINUX [--base BASE] [--module [NAME=]MOD.btf …] [--case OUT.corelab] [--base-url URL] [--samples DIR]\n' +
  '       corelab share open LINK|FILE.corelab [-o DIR] [--samples DIR]';

/** `npm run playground` serves here (vite preview's default port). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:4173/';

// ---- the files bundled with the playground -------------------------------------------------

interface BundledFile {
  /** absolute path */
  readonly path: string;
  readonly size: number;
}

interface SamplesIndexJson {
  samples?: { object?: { path?: unknown; size?: unknown; sha256?: unknown } }[];
  kernels?: { path?: unknown; size?: unknown; sha256?: unknown }[];
}

/**
 * public/samples of this checkout: the directory the playground serves its samples from. The
 * bundle runs from dist/ or dist/chunks/, the sources from cli/commands/: walk up a few levels.
 */
function findSamplesDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const d = join(dir, 'public', 'samples');
    if (existsSync(join(d, 'index.json'))) return d;
    dir = dirname(dir);
  }
  return undefined;
}

/** sha256 → file, for every object and kernel index.json lists (what the playground's bundledByHash maps). */
function loadBundled(dir: string | undefined): Map<string, BundledFile> {
  const m = new Map<string, BundledFile>();
  if (!dir) return m;
  const indexPath = join(dir, 'index.json');
  let idx: SamplesIndexJson;
  try {
    idx = JSON.parse(readFileSync(indexPath, 'utf8')) as SamplesIndexJson;
  } catch (e) {
    throw new CorelabError('not-found', `cannot read the playground's samples index ${indexPath}: ${(e as Error).message}`);
  }
  const add = (f: { path?: unknown; size?: unknown; sha256?: unknown } | undefined): void => {
    if (f && typeof f.path === 'string' && typeof f.sha256 === 'string' && typeof f.size === 'number') {
      m.set(f.sha256, { path: join(dir, f.path), size: f.size });
    }
  };
  for (const s of idx.samples ?? []) add(s.object);
  for (const k of idx.kernels ?? []) add(k);
  return m;
}

function samplesDirOf(args: ParsedArgs): string | undefined {
  const given = option(args, '--samples');
  if (given === undefined) return findSamplesDir();
  // an empty --samples means: nothing is bundled (every file goes by value)
  return given === '' ? undefined : resolve(given);
}

// ---- making a case -------------------------------------------------------------------------

const baseName = (p: string): string => p.split(/[/\\]/).pop() ?? p;

/** "nf_conntrack" from ".../debian-6.12--nf_conntrack.btf.xz", or an explicit NAME=PATH: `corelab relocate`'s rule. */
function moduleSpec(arg: string): { name: string; path: string } {
  const eq = arg.indexOf('=');
  if (eq > 0) return { name: arg.slice(0, eq), path: arg.slice(eq + 1) };
  const stem = baseName(arg).replace(/\.xz$/, '').replace(/\.(btf|o|elf)$/, '');
  const dd = stem.lastIndexOf('--');
  return { name: dd >= 0 ? stem.slice(dd + 2) : stem, path: arg };
}

interface ShareArgs {
  readonly objPath: string;
  readonly btfPath: string;
  readonly basePath: string | undefined;
  readonly modules: readonly { name: string; path: string }[];
}

/** What `share` found out, for the messages and for tests. */
export interface ShareOutcome {
  readonly link: CaseBundle;
  readonly file: CaseBundle;
  readonly fragment: string;
  readonly url: string;
  readonly res: RelocateResult;
  readonly minimized?: { readonly name: string; readonly fromBytes: number; readonly toBytes: number; readonly types: number };
  readonly minimizeNote: string;
}

/** The first relocation that did not patch cleanly: the one a failing case is about. */
function firstTrouble(res: RelocateResult): string | undefined {
  const r = res.relocations.find((x) => x.status === 'poisoned' || x.status === 'error');
  return r ? reloKey(r.section, r.index) : undefined;
}

export async function makeCase(a: ShareArgs, io: CliIo, bundled: ReadonlyMap<string, BundledFile>, baseUrl: string): Promise<ShareOutcome> {
  const objBytes = io.readFile(a.objPath);
  const obj = parseBpfObject(objBytes);
  const btfBytes = io.readFile(a.btfPath);
  const baseBytes = a.basePath ? io.readFile(a.basePath) : undefined;
  // the same targets `corelab relocate` builds
  const base = baseBytes ? loadBtf(baseBytes).btf : undefined;
  const vmlinux: Btf = loadBtf(btfBytes, base ? { base } : {}).btf;
  const modBytes = a.modules.map((m) => ({ ...m, bytes: io.readFile(m.path) }));
  const modules = modBytes.map((m) => ({ name: m.name, btf: loadBtf(m.bytes, { base: vmlinux }).btf }));
  const res = relocateObject(obj, makeTargetSet(vmlinux, modules));

  const whole = (role: CaseInput['role'], name: string, bytes: Uint8Array, module?: string): CaseInput => {
    const sha = hex(sha256(bytes));
    return { role, name, sha256: sha, size: bytes.length, ...(bundled.has(sha) ? {} : { bytes }), ...(module !== undefined ? { module } : {}) };
  };
  const object = whole('object', baseName(a.objPath), objBytes);
  const kernel = whole('vmlinux', baseName(a.btfPath), btfBytes);
  const mods = modBytes.map((m) => {
    // the playground names a module after its file: a NAME= that differs renames the file to match
    const file = baseName(m.path);
    const name = moduleNameFromFileName(file) === m.name ? file : `${m.name}.btf${file.endsWith('.xz') ? '.xz' : ''}`;
    return whole('module', name, m.bytes, m.name);
  });

  let minimized: ShareOutcome['minimized'];
  let minimizeNote = '';
  let linkKernel = kernel;
  if (kernel.bytes || base) {
    const m = minimizeForCase(obj, vmlinux, res, modules.length);
    if (m.ok) {
      const name = kernel.name.replace(/(\.btf)?(\.xz)?$/, '') + '.min.btf';
      minimized = { name, fromBytes: kernel.size, toBytes: m.bytes.length, types: m.types };
      linkKernel = {
        role: 'vmlinux',
        name,
        sha256: hex(sha256(m.bytes)),
        size: m.bytes.length,
        bytes: m.bytes,
        minimizedFrom: { name: kernel.name, sha256: kernel.sha256, size: kernel.size },
      };
    } else if (base) {
      // a case has no role for "split BTF flattened onto a base": only a standalone cut-down BTF says it
      throw new CorelabError(
        'unsupported',
        `--base: a case carries a split BTF on a base only as one minimized standalone BTF, and minimizing failed: ${m.reason}`,
        { section: 'share' },
      );
    } else minimizeNote = m.reason;
  }
  const trouble = firstTrouble(res);
  const ui = trouble ? { relo: trouble } : {};
  const link: CaseBundle = { version: 1, inputs: [object, linkKernel, ...mods], ui };
  // the case file carries a dropped kernel whole, as the playground's does; a split-on-base one cannot be
  const file: CaseBundle = { version: 1, inputs: [object, base ? linkKernel : kernel, ...mods], ui };
  const fragment = await caseToFragment(link);
  const url = `${baseUrl.replace(/#.*$/, '')}#${fragment}`;
  return { link, file, fragment, url, res, ...(minimized ? { minimized } : {}), minimizeNote };
}

async function runShare(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    valued: ['--btf', '--base', '--module', '--case', '--base-url', '--samples'],
    aliases: { '-B': '--base' },
  });
  if (args.positional.length !== 1) throw new UsageError('expected exactly one object file');
  const btfPath = option(args, '--btf');
  if (!btfPath) throw new UsageError('--btf VMLINUX is required');
  const basePath = option(args, '--base');
  if (basePath && args.options.has('--module')) throw new UsageError('--base and --module do not combine');
  const baseUrl = option(args, '--base-url') ?? DEFAULT_BASE_URL;
  const bundled = loadBundled(samplesDirOf(args));
  const s = await makeCase(
    { objPath: args.positional[0]!, btfPath, basePath, modules: (args.options.get('--module') ?? []).map(moduleSpec) },
    io,
    bundled,
    baseUrl,
  );

  io.out(s.url + '\n');
  const byValue = s.link.inputs.filter((i) => i.bytes).length;
  io.err(`corelab share: ${s.url.length} characters; ${s.link.inputs.length - byValue} input(s) by reference to files bundled with the playground, ${byValue} carried in the link\n`);
  if (s.minimized) {
    const m = s.minimized;
    io.err(`corelab share: the kernel BTF travels as ${m.name}: ${m.types} types, ${m.toBytes} of ${m.fromBytes} bytes; every relocation's outcome was checked against the full BTF\n`);
  } else if (s.minimizeNote) io.err(`corelab share: the kernel BTF goes whole (it could not be minimized: ${s.minimizeNote})\n`);
  if (s.link.ui.relo !== undefined) io.err(`corelab share: the link opens on ${s.link.ui.relo}, the first relocation that is poisoned or failed\n`);
  if (basePath) io.err(`corelab share: a split BTF on --base travels as that one minimized BTF, in the link and in the case file\n`);
  const casePath = option(args, '--case');
  if (casePath) {
    const bytes = await caseToFile(s.file);
    io.writeFile(casePath, bytes);
    io.err(`corelab share: wrote the case file ${casePath} (${bytes.length} bytes)\n`);
  }
  if (s.url.length > LINK_BUDGET) {
    io.err(
      `corelab share: warning: the link is ${s.url.length} characters, over the ${LINK_BUDGET}-character budget: browsers and chat tools cut longer links. ` +
        (casePath ? `Share the case file ${casePath} instead.\n` : 'Share a case file instead (--case OUT.corelab).\n'),
    );
  }
  return EXIT.OK;
}

// ---- opening a case ------------------------------------------------------------------------

const isLinkText = (s: string): boolean => s.includes('#') || /^v\d+\./.test(s);

function fragmentOf(s: string): string {
  // a link wrapped or indented by a terminal or a mail client is still the link
  const t = s.replace(/\s+/g, '');
  const hash = t.indexOf('#');
  const f = hash >= 0 ? t.slice(hash + 1) : t;
  // a link whose ".<check>" end was cut off says so, instead of looking like an unknown format
  if (/^v1\.[A-Za-z0-9_-]*$/.test(f)) {
    throw new CorelabError('truncated', 'the link is cut short: its ".<check>" end is missing (was it truncated by a chat tool?)', { section: 'link' });
  }
  return f;
}

/** A link (full URL or bare "#v1." fragment), a case file, or a file holding a link. */
async function readCase(arg: string, io: CliIo): Promise<{ bundle: CaseBundle; from: string }> {
  if (isLinkText(arg) && !existsSync(arg)) return { bundle: await fragmentToCase(fragmentOf(arg)), from: 'link' };
  if (/^https?:\/\//.test(arg)) {
    throw new CorelabError('invalid', 'the URL has no "#v1." fragment: the case lives in the part after "#"', { section: 'link' });
  }
  const bytes = io.readFile(arg);
  if (isCaseFile(bytes)) return { bundle: await fileToCase(bytes), from: `case file, ${bytes.length} bytes` };
  // a saved link: short ASCII text
  if (bytes.length < 64 << 20 && bytes.every((b) => b >= 0x20 && b < 0x7f || b === 0x0a || b === 0x0d)) {
    const text = new TextDecoder().decode(bytes).trim();
    if (isLinkText(text)) return { bundle: await fragmentToCase(fragmentOf(text)), from: `link in ${arg}` };
  }
  throw new CorelabError('bad-magic', `${arg} is neither a corelab case file ("corelab-case" header) nor a share link`, { section: 'case', offset: 0 });
}

interface ResolvedInput {
  readonly input: CaseInput;
  readonly bytes: Uint8Array;
  /** the bundled file it was resolved from, if by reference */
  readonly bundledPath?: string;
}

/** Every input's bytes, checked against the sha256 and size the case records. */
function resolveInputs(b: CaseBundle, bundled: ReadonlyMap<string, BundledFile>, samplesDir: string | undefined, io: CliIo): ResolvedInput[] {
  return b.inputs.map((input, n) => {
    const what = `case input #${n} (${input.role} ${input.name})`;
    let bytes = input.bytes;
    let bundledPath: string | undefined;
    if (!bytes) {
      const f = bundled.get(input.sha256);
      if (!f) {
        const where = samplesDir ? `${join(samplesDir, 'index.json')} lists no file with it` : 'no public/samples directory was found (--samples DIR)';
        throw new CorelabError('not-found', `${what} is a file bundled with the playground, sha256 ${input.sha256}, but ${where}`, { section: 'case' });
      }
      bytes = io.readFile(f.path);
      bundledPath = f.path;
    }
    const sha = hex(sha256(bytes));
    if (sha !== input.sha256 || bytes.length !== input.size) {
      throw new CorelabError(
        'invalid',
        `${what}: the case records ${input.size} bytes with sha256 ${input.sha256}, ${bundledPath ? `the bundled ${bundledPath} has` : 'its bytes have'} ${bytes.length} bytes with sha256 ${sha}`,
        { section: 'case' },
      );
    }
    return { input, bytes, ...(bundledPath ? { bundledPath } : {}) };
  });
}

/** A file name from the case, made safe to write inside DIR (no directories, no "..") and unique. */
function safeNames(inputs: readonly CaseInput[]): string[] {
  const used = new Set<string>();
  return inputs.map((i, n) => {
    let name = baseName(i.name).replace(/[\0-\x1f]/g, '_');
    if (name === '' || name === '.' || name === '..') name = `input-${n}`;
    let out = name;
    for (let k = 2; used.has(out); k++) out = `${k}-${name}`;
    used.add(out);
    return out;
  });
}

const shellWord = (s: string): string => (/^[A-Za-z0-9_./=:@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The `corelab relocate` line for written files; undefined when the case lacks an object or a kernel. */
export function relocateCommand(inputs: readonly CaseInput[], paths: readonly string[]): string | undefined {
  // the playground relocates its first object against its first vmlinux, with every module
  const o = inputs.findIndex((i) => i.role === 'object');
  const k = inputs.findIndex((i) => i.role === 'vmlinux');
  if (o < 0 || k < 0) return undefined;
  const words = ['corelab', 'relocate', paths[o]!, '--btf', paths[k]!];
  inputs.forEach((i, n) => {
    if (i.role === 'module') words.push('--module', `${i.module ?? moduleNameFromFileName(i.name)}=${paths[n]!}`);
  });
  return words.map(shellWord).join(' ');
}

async function runOpen(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { valued: ['-o', '--samples'], aliases: { '--output': '-o' } });
  if (args.positional.length !== 1) throw new UsageError('expected exactly one link or case file');
  const samplesDir = samplesDirOf(args);
  const { bundle, from } = await readCase(args.positional[0]!, io);
  const resolved = resolveInputs(bundle, loadBundled(samplesDir), samplesDir, io);
  const outDir = option(args, '-o');

  if (!outDir) {
    io.out(`corelab case v${bundle.version} (${from}): ${resolved.length} input(s)\n`);
    for (const r of resolved) {
      const i = r.input;
      const how = r.bundledPath ? `bundled: ${r.bundledPath}` : 'carried in the case';
      io.out(`  ${i.role.padEnd(8)} ${i.name}  ${i.size} bytes  sha256 ${i.sha256}  (${how})\n`);
      if (i.module !== undefined) io.out(`           module ${i.module}\n`);
      if (i.minimizedFrom) io.out(`           minimized from ${i.minimizedFrom.name}, ${i.minimizedFrom.size} bytes, sha256 ${i.minimizedFrom.sha256}\n`);
    }
    if (bundle.ui.relo !== undefined) io.out(`  selected relocation: ${bundle.ui.relo}\n`);
    if (bundle.ui.tab !== undefined) io.out(`  open tab: ${bundle.ui.tab}\n`);
    return EXIT.OK;
  }

  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new CorelabError('usage', `cannot create the directory ${outDir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const names = safeNames(bundle.inputs);
  const paths = names.map((n) => join(outDir, n));
  resolved.forEach((r, n) => {
    io.writeFile(paths[n]!, r.bytes);
    io.err(`corelab share open: wrote ${paths[n]} (${r.input.role}, ${r.bytes.length} bytes${r.input.minimizedFrom ? `, minimized from ${r.input.minimizedFrom.name}` : ''})\n`);
  });
  const cmd = relocateCommand(bundle.inputs, paths);
  if (!cmd) {
    io.err('corelab share open: the case has no object or no kernel BTF, so no relocate command reproduces it\n');
    return EXIT.FAIL;
  }
  const min = bundle.inputs.find((i) => i.minimizedFrom);
  if (min) {
    io.err(
      `corelab share open: ${min.name} is ${min.minimizedFrom!.name} cut down to this case: every relocation has the same outcome, ` +
        'but target type ids (TYPE_ID_TARGET values, candidate ids) are renumbered\n',
    );
  }
  io.out(cmd + '\n');
  return EXIT.OK;
}

export const command: Command = {
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    return argv[0] === 'open' ? runOpen(argv.slice(1), io) : runShare(argv, io);
  },
};

/** `corelab matrix`: one object relocated against several kernels, as a relocation × kernel grid. */
import { loadBtf } from '../../core-ts/btf/load.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { makeTargetSet } from '../../core-ts/core/candidates.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import { loadVerdict } from '../../core-ts/core/verdict.ts';
import { CorelabError, isCorelabError } from '../../core-ts/errors.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import { detectInput } from '../../core-ts/views/detect.ts';
import { buildMatrix, matrixJson, matrixText } from '../../core-ts/views/matrix.ts';
import type { KernelRun } from '../../core-ts/views/matrix.ts';
import { EXIT, UsageError, option, parseArgs, type CliIo, type Command } from '../args.ts';

const USAGE = 'corelab matrix OBJ --btf KERNEL [--btf KERNEL …] [--base BASE] [--json] [--only-differing]';

/** "debian-6.1.0-56-amd64" from ".../debian-6.1.0-56-amd64.btf.xz". */
export function kernelName(path: string): string {
  return path.split('/').pop()!.replace(/\.xz$/, '').replace(/\.btf$/, '');
}

/** Names for the columns: file names, or the paths as given where two file names collide. */
function kernelNames(paths: readonly string[]): string[] {
  const short = paths.map(kernelName);
  return short.map((n, i) => (short.indexOf(n) !== short.lastIndexOf(n) ? paths[i]! : n));
}

/** The file a reader failed on goes in front of the section: with several kernels, "where" needs it. */
function inFile<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (isCorelabError(e)) throw new CorelabError(e.kind, e.message, { offset: e.offset, section: e.section ? `${path} ${e.section}` : path });
    throw e;
  }
}

export const command: Command = {
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { valued: ['--btf', '--base'], flags: ['--json', '--only-differing'], aliases: { '-B': '--base' } });
    if (args.positional.length !== 1) throw new UsageError('expected exactly one object file');
    const paths = args.options.get('--btf') ?? [];
    if (paths.length === 0) throw new UsageError('at least one --btf KERNEL is required');
    const objPath = args.positional[0]!;
    const objBytes = io.readFile(objPath);
    const obj = inFile(objPath, () => parseBpfObject(objBytes));
    const basePath = option(args, '--base');
    const baseBytes = basePath ? io.readFile(basePath) : undefined;
    const base: Btf | undefined = basePath && baseBytes ? inFile(basePath, () => loadBtf(baseBytes).btf) : undefined;

    const names = kernelNames(paths);
    let baseUsed = false;
    const runs: KernelRun[] = paths.map((path, i) => {
      const bytes = io.readFile(path);
      const btf = inFile(path, () => {
        // decompressed once; the role says whether --base applies (a split BTF continues its base)
        const input = detectInput(bytes);
        if (input.role !== 'module') return loadBtf(input.bytes).btf;
        if (!base) throw new UsageError(`${path} is split BTF (a module's): give its base with --base`);
        baseUsed = true;
        return loadBtf(input.bytes, { base }).btf;
      });
      // a split BTF on --base is one flattened target, as `corelab relocate --base` takes it
      const result = relocateObject(obj, makeTargetSet(btf));
      return { kernel: names[i]!, result, verdict: loadVerdict(obj, result) };
    });

    if (basePath && !baseUsed) io.err(`corelab: --base ${basePath} applies to no --btf: none of them is split BTF\n`);
    const m = buildMatrix(obj, runs);
    const onlyDiffering = args.flags.has('--only-differing');
    if (obj.btfExtError) io.err(`corelab: .BTF.ext ignored, as libbpf 1.1.2 would: ${obj.btfExtError.describe()}\n`);
    io.out(args.flags.has('--json') ? matrixJson(m, { onlyDiffering }) : matrixText(m, { onlyDiffering }));
    return m.kernels.every((k) => k.ok) ? EXIT.OK : EXIT.FAIL;
  },
};

import { loadBtf } from '../../core-ts/btf/load.ts';
import type { Btf, TypeId } from '../../core-ts/btf/types.ts';
import { DUMP_FLAVORS, dumpC, findRootTypes, isDumpFlavor } from '../../core-ts/dump-c/index.ts';
import { timed } from '../timings.ts';
import { EXIT, UsageError, option, parseArgs, type CliIo, type Command } from '../args.ts';

const USAGE =
  'corelab btf dump file FILE format c [--base|-B BASE] [--flavor bpftool-7.1|libbpf-1.1] [--type NAME|ID]... [--no-header]';

/**
 * `btf dump file X format c`: the vmlinux.h bpftool 7.1 prints (or libbpf 1.1's btf_dump
 * text with `--flavor libbpf-1.1`). `--type` limits it to some types and what they need.
 * Reached through `btf dump`, which hands over its whole argv when it sees `format c`.
 */
export const command: Command = {
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, {
      valued: ['--base', '--flavor', '--type'],
      flags: ['--no-header'],
      aliases: { '-B': '--base' },
    });
    const pos = args.positional;
    if (pos[0] !== 'file' || pos.length < 2) throw new UsageError('expected: file FILE format c');
    const file = pos[1]!;
    let formatC = false;
    for (let i = 2; i < pos.length; i++) {
      if (pos[i] === 'format') {
        const f = pos[++i];
        if (f === undefined) throw new UsageError("expecting value for 'format' option");
        if (f !== 'c') throw new UsageError(`this command prints format c, not '${f}'`);
        formatC = true;
      } else {
        throw new UsageError(`unrecognized option: '${pos[i]}'`);
      }
    }
    if (!formatC) throw new UsageError('expected: format c');
    const flavor = option(args, '--flavor') ?? 'bpftool-7.1';
    if (!isDumpFlavor(flavor)) {
      throw new UsageError(`unknown flavor '${flavor}', possible values: ${DUMP_FLAVORS.join(', ')}`);
    }

    const basePath = option(args, '--base');
    const base: Btf | undefined =
      basePath === undefined ? undefined : timed('parse', () => loadBtf(io.readFile(basePath)).btf);
    const { btf } = timed('parse', () => loadBtf(io.readFile(file), base ? { base } : {}));

    let roots: TypeId[] | undefined;
    const specs = args.options.get('--type');
    if (specs) roots = specs.flatMap((s) => findRootTypes(btf, s));

    const header = !args.flags.has('--no-header');
    // streamed when the CLI can take bytes; like bpftool, what was printed before an error stays printed
    const write = io.outBytes ? (chunk: Uint8Array): void => io.outBytes!(chunk) : undefined;
    const r = timed('dump', () => dumpC(btf, { flavor, roots, header, ...(write ? { write } : {}) }));
    if (!write) io.out(r.text);
    if (r.error) throw r.error;
    return EXIT.OK;
  },
};

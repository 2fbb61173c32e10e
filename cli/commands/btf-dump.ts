import { loadBtf } from '../../core-ts/btf/load.ts';
import { dumpRaw, dumpRawTo } from '../../core-ts/btf/dump-raw.ts';
import { dumpJson } from '../../core-ts/btf/dump-json.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { timed } from '../timings.ts';
import { EXIT, UsageError, option, parseArgs, type CliIo, type Command } from '../args.ts';
import { command as formatC } from './btf-dump-c.ts';

const USAGE = 'corelab btf dump file FILE [--base|-B BASE] [--json|-j] [format {raw|c}]';

/** Base BTF for a split file, loaded the same way as the file itself (raw, ELF, xz). */
export function loadBase(io: CliIo, path: string | undefined): Btf | undefined {
  if (path === undefined) return undefined;
  return timed('parse', () => loadBtf(io.readFile(path)).btf);
}

export const command: Command = {
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    // format c has options of its own (--flavor, --type…): hand over before parsing ours
    const f = argv.indexOf('format');
    if (f >= 0 && argv[f + 1] === 'c') return formatC.run(argv, io);
    const args = parseArgs(argv, { valued: ['--base'], flags: ['--json'], aliases: { '-B': '--base', '-j': '--json' } });
    const pos = args.positional;
    if (pos[0] !== 'file' || pos.length < 2) throw new UsageError('expected: file FILE');
    const file = pos[1]!;
    let format = 'raw';
    for (let i = 2; i < pos.length; i++) {
      if (pos[i] === 'format') {
        const f = pos[++i];
        if (f === undefined) throw new UsageError("expecting value for 'format' option");
        if (f !== 'raw' && f !== 'c') {
          throw new UsageError(`unrecognized format specifier: '${f}', possible values: raw, c`);
        }
        format = f;
      } else {
        throw new UsageError(`unrecognized option: '${pos[i]}'`);
      }
    }
    if (format === 'c') return formatC.run(argv, io);

    const base = loadBase(io, option(args, '--base'));
    const { btf } = timed('parse', () => loadBtf(io.readFile(file), base ? { base } : {}));
    timed('dump', () => {
      if (args.flags.has('--json')) io.out(dumpJson(btf));
      // the raw dump is bytes already: no decode to a string and encode back on the way out
      else if (io.outBytes) dumpRawTo(btf, io.outBytes);
      else io.out(dumpRaw(btf));
    });
    return EXIT.OK;
  },
};

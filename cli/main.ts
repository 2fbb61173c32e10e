// first, so that its clock starts when the bundle starts evaluating (CORELAB_TIMINGS=1)
import { bundleEvaluated, timed, timedAsync } from './timings.ts';
import { writeFileSync, writeSync } from 'node:fs';
import { readWholeFile } from './read-file.ts';
import { CorelabError } from '../core-ts/errors.ts';
import { EXIT, UsageError, type CliIo } from './args.ts';
import { COMMANDS, type CommandEntry } from './commands/index.ts';
import { isHotPathChoice, selectHotPath } from '../core-ts/hotpath/index.ts';
import { keepBaselineWasm } from './wasm-tiering.ts';

keepBaselineWasm();

/**
 * process.stdout and process.stderr are made on first use (for a pipe stdout costs a cold run
 * ~2 ms): big dumps write fd 1 with writeSync and never need the stream.
 */
let stdoutMade = false;
let stderrMade = false;

function stdout(): NodeJS.WriteStream {
  if (!stdoutMade) {
    stdoutMade = true;
    // stdout closed early (e.g. `| head`) is not an error worth a stack trace.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
  return process.stdout;
}

function stderr(): NodeJS.WriteStream {
  stderrMade = true;
  return process.stderr;
}

const io: CliIo = {
  out: (s) => void stdout().write(s),
  outBytes: (b) => timed('write', () => writeStdoutSync(b), false),
  err: (s) => void stderr().write(s),
  readFile: (p) => {
    try {
      return timed('read', () => readWholeFile(p));
    } catch (e) {
      throw new CorelabError('not-found', `cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  },
  writeFile: (p, d) => writeFileSync(p, d),
};

/**
 * Write all of `b` to fd 1 before returning: the caller reuses the buffer. A non-blocking
 * stdout that is full is retried; a closed one ends the process quietly, like EPIPE below.
 */
function writeStdoutSync(b: Uint8Array): void {
  let off = 0;
  while (off < b.length) {
    try {
      off += writeSync(1, b, off, b.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw e;
    }
  }
}

function helpText(cmds: readonly CommandEntry[]): string {
  const lines = ['usage: corelab <command> [options]', '', 'commands:'];
  for (const c of cmds) lines.push(`  ${c.name.join(' ').padEnd(18)} ${c.summary}`);
  lines.push('', 'corelab <command> --help shows a command\'s usage.');
  return lines.join('\n') + '\n';
}

/** Longest match of argv's leading words against command names. */
function findCommand(cmds: readonly CommandEntry[], argv: string[]): CommandEntry | undefined {
  let best: CommandEntry | undefined;
  for (const c of cmds) {
    if (c.name.length <= argv.length && c.name.every((w, i) => argv[i] === w)) {
      if (!best || c.name.length > best.name.length) best = c;
    }
  }
  return best;
}

export async function main(argv: string[]): Promise<number> {
  bundleEvaluated();
  const cmds = COMMANDS;
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.out(helpText(cmds));
    return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  const entry = findCommand(cmds, argv);
  if (!entry) {
    io.err(`corelab: unknown command '${argv.slice(0, 3).join(' ')}'\n\n${helpText(cmds)}`);
    return EXIT.USAGE;
  }
  const cmd = await timedAsync('command-load', () => entry.load());
  const rest = argv.slice(entry.name.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${cmd.usage}\n`);
    return EXIT.OK;
  }
  try {
    // CORELAB_ENGINE=ts|wasm|auto forces the hot path for every command (corelab info --engine shows it)
    const engine = process.env.CORELAB_ENGINE;
    if (engine) {
      if (!isHotPathChoice(engine)) throw new UsageError(`CORELAB_ENGINE must be ts, wasm or auto (got '${engine}')`);
      selectHotPath(engine);
    }
    return await timedAsync('command', () => cmd.run(rest, io));
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`corelab ${entry.name.join(' ')}: ${e.message}\nusage: ${cmd.usage}\n`);
      return EXIT.USAGE;
    }
    if (e instanceof CorelabError) {
      io.err(`corelab: error: ${e.describe()} [${e.kind}]\n`);
      return EXIT.USAGE;
    }
    throw e;
  }
}

/**
 * End the process once its output is out: Node winding down by itself (freeing the heap, the
 * isolate) cost a cold 6.18 format c run ~4 ms more. Exiting at once is safe only when nothing
 * is still queued on a stream we wrote to (Node's pipes and files are synchronous on Linux, so
 * normally nothing is; big dumps go through writeSync); else Node exits when they have drained.
 */
function finish(code: number): void {
  process.exitCode = code;
  const queued = (stdoutMade && process.stdout.writableLength > 0) || (stderrMade && process.stderr.writableLength > 0);
  if (!queued) process.exit(code);
}

main(process.argv.slice(2)).then(finish, (e) => {
  stderr().write(`corelab: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  finish(70);
});

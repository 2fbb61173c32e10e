/** What every CLI command looks like, and a small argv parser shared by them. */

export interface CliIo {
  out(s: string): void;
  /**
   * Raw bytes to stdout, written before it returns (big dumps stream through it in chunks
   * whose buffer is then reused, and skip a decode/encode round trip); optional for test doubles.
   */
  outBytes?(b: Uint8Array): void;
  err(s: string): void;
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: Uint8Array | string): void;
}

/** A command's module; its name and summary live in cli/commands/index.ts, which loads it. */
export interface Command {
  readonly usage: string;
  /** argv after the command's name words; returns the exit status */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Exit statuses shared by all commands. */
export const EXIT = { OK: 0, FAIL: 1, USAGE: 2 } as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  positional: string[];
  /** --flag value / --flag=value; repeated options accumulate */
  options: Map<string, string[]>;
  flags: Set<string>;
}

/**
 * Parse argv against declared options. `valued` options take a value, `flags` don't;
 * anything else starting with '-' is a usage error (so typos are not silently ignored).
 * Aliases map short spellings to long ones: { '-B': '--base' }.
 */
export function parseArgs(
  argv: string[],
  spec: { valued?: string[]; flags?: string[]; aliases?: Record<string, string> },
): ParsedArgs {
  const valued = new Set(spec.valued ?? []);
  const flagSet = new Set(spec.flags ?? []);
  const aliases = spec.aliases ?? {};
  const res: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    if (a === '--') {
      res.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      res.positional.push(a);
      continue;
    }
    let inline: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    a = aliases[a] ?? a;
    if (flagSet.has(a)) {
      if (inline !== undefined) throw new UsageError(`option ${a} takes no value`);
      res.flags.add(a);
    } else if (valued.has(a)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`option ${a} needs a value`);
      const list = res.options.get(a) ?? [];
      list.push(v);
      res.options.set(a, list);
    } else {
      throw new UsageError(`unknown option ${a}`);
    }
  }
  return res;
}

export function option(p: ParsedArgs, name: string): string | undefined {
  const v = p.options.get(name);
  return v?.[v.length - 1];
}

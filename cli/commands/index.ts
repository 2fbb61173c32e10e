import type { Command } from '../args.ts';

// One import per command module; the order of COMMANDS is the order of `corelab help`.

export const COMMANDS: Command[] = [];

export async function loadCommands(): Promise<Command[]> {
  return COMMANDS;
}

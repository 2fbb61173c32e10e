import type { Command } from '../args.ts';
import { command as btfDump } from './btf-dump.ts';
import { command as info } from './info.ts';
import { command as objdump } from './objdump.ts';
import { command as relocate } from './relocate.ts';

// One import per command module; the order of COMMANDS is the order of `corelab help`.

export const COMMANDS: Command[] = [btfDump, info, objdump, relocate];

export async function loadCommands(): Promise<Command[]> {
  return COMMANDS;
}

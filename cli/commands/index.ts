import type { Command } from '../args.ts';
import { command as btfDump } from './btf-dump.ts';

/**
 * A command as `corelab help` lists it and argv finds it. Modules are imported when their command
 * runs (a cold `btf dump` need not compile the CO-RE engine or the disassembler), except
 * `btf dump`'s: its cold start is measured against bpftool's (bench/dump-c.mjs), and in Node 20
 * each dynamically imported chunk costs a few milliseconds, more than compiling it in the entry.
 */
export interface CommandEntry {
  /** words after `corelab`, e.g. ['btf', 'dump'] */
  readonly name: readonly string[];
  readonly summary: string;
  load(): Promise<Command>;
}

// The order of COMMANDS is the order of `corelab help`.
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: ['btf', 'dump'],
    summary: 'print a BTF file like `bpftool btf dump file` (raw, or C with format c)',
    load: async () => btfDump,
  },
  {
    name: ['info'],
    summary: 'what a file is: BPF object, vmlinux BTF or split module BTF, with counts',
    load: async () => (await import('./info.ts')).command,
  },
  {
    name: ['objdump'],
    summary: 'disassemble a BPF object like llvm-objdump -d --no-show-raw-insn [-r]',
    load: async () => (await import('./objdump.ts')).command,
  },
  {
    name: ['relocate'],
    summary: 'apply CO-RE relocations exactly as libbpf 1.1.2 would (table, --log, --json, --explain)',
    load: async () => (await import('./relocate.ts')).command,
  },
  {
    name: ['matrix'],
    summary: 'relocate one object against several kernels at once: a relocation × kernel grid and a verdict per kernel',
    load: async () => (await import('./matrix.ts')).command,
  },
  {
    name: ['share'],
    summary: 'make a playground share link / .corelab case file for a relocation (share open: unpack one)',
    load: async () => (await import('./share.ts')).command,
  },
];

import { EXIT, UsageError, parseArgs, type CliIo, type Command } from '../args.ts';
import { listObject, renderListing } from '../../core-ts/insn/objdump.ts';
import type { Listing } from '../../core-ts/insn/objdump.ts';

/** JSON form of the listing: bigints as hex strings, each instruction's fields spelled out. */
function listingJson(l: Listing): unknown {
  return {
    file: l.fileName,
    format: l.format,
    warnings: l.warnings,
    sections: l.sections.map((s) => ({
      index: s.index,
      name: s.name,
      blocks: s.blocks.map((b) => ({
        address: `0x${b.address.toString(16)}`,
        label: b.label,
        lines: b.lines.map((ln) => {
          if (ln.kind !== 'insn') return ln;
          const relocs = ln.relocs.map((r) => ({ ...r, address: `0x${r.address.toString(16)}` }));
          const i = ln.insn;
          return {
            kind: 'insn',
            index: Math.floor(ln.offset / 8),
            offset: ln.offset,
            bytes: ln.bytes,
            text: ln.text,
            ...(ln.target !== undefined ? { target: ln.target } : {}),
            ...(i
              ? {
                  form: i.form,
                  code: i.code,
                  dst: i.dst,
                  src: i.src,
                  off: i.off,
                  imm: i.imm,
                  ...(i.imm64 !== undefined ? { imm64: `0x${BigInt.asUintN(64, i.imm64).toString(16)}` } : {}),
                }
              : { unknown: true }),
            ...(ln.core !== undefined ? { core: ln.core } : {}),
            relocs,
          };
        }),
      })),
    })),
  };
}

export const command: Command = {
  usage: 'corelab objdump OBJ [-r|--reloc] [--show-raw-insn] [--mattr=+alu32] [--json]',
  async run(argv: string[], io: CliIo): Promise<number> {
    const p = parseArgs(argv, {
      flags: ['--reloc', '--json', '--show-raw-insn', '--no-show-raw-insn', '-d', '--disassemble'],
      valued: ['--mattr'],
      aliases: { '-r': '--reloc', '-dr': '--reloc' },
    });
    if (p.positional.length !== 1) throw new UsageError('expected exactly one object file');
    const file = p.positional[0]!;
    let alu32 = false;
    for (const m of p.options.get('--mattr') ?? []) {
      for (const f of m.split(',')) {
        if (f === '+alu32') alu32 = true;
        else if (f === '-alu32') alu32 = false;
        else throw new UsageError(`unsupported --mattr feature '${f}' (only +alu32/-alu32)`);
      }
    }
    const opts = { relocs: p.flags.has('--reloc'), rawInsn: p.flags.has('--show-raw-insn'), alu32, fileName: file };
    const listing = listObject(io.readFile(file), opts);
    for (const w of listing.warnings) io.err(`corelab objdump: warning: ${file}: ${w}\n`);
    if (p.flags.has('--json')) io.out(JSON.stringify(listingJson(listing), null, 1) + '\n');
    else io.out(renderListing(listing, opts));
    return EXIT.OK;
  },
};

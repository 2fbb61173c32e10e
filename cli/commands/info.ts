import { CorelabError, isCorelabError } from '../../core-ts/errors.ts';
import { isElf, parseElf, EM_BPF } from '../../core-ts/elf/index.ts';
import type { ElfFile } from '../../core-ts/elf/index.ts';
import { isXz, xzDecompress } from '../../core-ts/xz/index.ts';
import { btfSection, isRawBtf, loadBtf } from '../../core-ts/btf/load.ts';
import { btfStrOrUndefined, parseBtf } from '../../core-ts/btf/parse.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { parseBtfExt } from '../../core-ts/btfext/index.ts';
import { reloKindName } from '../../core-ts/btfext/relo-kind.ts';
import { EXIT, UsageError, option, parseArgs, type CliIo, type Command } from '../args.ts';
import { loadBase } from './btf-dump.ts';
import { hotPathReport, isHotPathChoice, selectHotPath } from '../../core-ts/hotpath/index.ts';

const USAGE = 'corelab info FILE [--base|-B BASE] [--json] [--engine [ts|wasm|auto]]   (or: corelab info --engine [ts|wasm|auto])';
const SHF_EXECINSTR = 0x4;
const STT_FUNC = 2;

interface BtfSummary {
  endian: string;
  header_len: number;
  types: number;
  first_type_id: number;
  string_bytes: number;
  ptr_size: number;
  ptr_size_source: string;
  split: boolean;
}

interface Info {
  file: string;
  container: string;
  what: string;
  btf?: BtfSummary;
  note?: string;
  elf?: { class: number; endian: string; machine: string };
  sections?: { name: string; type: number; size: number }[];
  programs?: { name: string; section: string; insns: number }[];
  core_relocations?: { total: number; by_kind: Record<string, number> };
  btf_ext_error?: string;
  engine?: ReturnType<typeof hotPathReport>;
}

function summarize(btf: Btf): BtfSummary {
  return {
    endian: btf.endian,
    header_len: btf.header.hdrLen,
    types: btf.typeCount - btf.startId,
    first_type_id: btf.startId,
    string_bytes: btf.header.strLen,
    ptr_size: btf.ptrSize,
    ptr_size_source: btf.ptrSizeSource,
    split: btf.base !== undefined,
  };
}

/** A split BTF's string section does not start with NUL; that is how it fails without a base. */
function looksSplit(bytes: Uint8Array): boolean {
  try {
    parseBtf(bytes);
    return false;
  } catch (e) {
    if (!isCorelabError(e) || e.kind !== 'invalid') return false;
    try {
      // a stand-in empty base: if the blob parses as split, it is one
      parseBtf(bytes, { base: parseBtf(EMPTY_BTF) });
      return true;
    } catch {
      return false;
    }
  }
}

/** Smallest valid base BTF: 24-byte header, no types, one NUL string. */
const EMPTY_BTF = new Uint8Array([0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);

function objectDetails(elf: ElfFile, btf: Btf, info: Info): void {
  info.sections = elf.sections
    .filter((s) => s.index !== 0)
    .map((s) => ({ name: s.name, type: s.type, size: s.size }));
  const progs: Info['programs'] = [];
  for (const sym of elf.symbols()) {
    if (sym.type !== STT_FUNC) continue;
    const sec = elf.sections[sym.shndx];
    if (!sec || (sec.flags & SHF_EXECINSTR) === 0) continue;
    progs.push({ name: sym.name, section: sec.name, insns: Math.floor(sym.size / 8) });
  }
  info.programs = progs;
  const extSec = elf.section('.BTF.ext');
  if (!extSec) return;
  try {
    const ext = parseBtfExt(elf.data(extSec), {
      endian: elf.endian,
      strings: (off) => btfStrOrUndefined(btf, off),
      loadChecks: false,
    });
    const byKind: Record<string, number> = {};
    let total = 0;
    for (const blk of ext.coreRelos) {
      for (const r of blk.records) {
        const k = reloKindName(r.kind);
        byKind[k] = (byKind[k] ?? 0) + 1;
        total++;
      }
    }
    info.core_relocations = { total, by_kind: byKind };
  } catch (e) {
    if (!(e instanceof CorelabError)) throw e;
    info.btf_ext_error = e.describe();
  }
}

function gather(file: string, bytes: Uint8Array, base: Btf | undefined): Info {
  let container = '';
  let plain = bytes;
  if (isXz(bytes)) {
    container = 'xz+';
    plain = xzDecompress(bytes);
  }
  if (isRawBtf(plain)) {
    container += 'raw';
    if (!base && looksSplit(plain)) {
      return {
        file,
        container,
        what: 'split BTF (a kernel module\'s); give its base with --base to read it',
        note: 'its string section does not start with NUL, so its offsets continue a base BTF',
      };
    }
    const { btf } = loadBtf(plain, base ? { base } : {});
    const what = btf.base ? 'split BTF (module) on the given base' : btf.findByName('task_struct').length ? 'vmlinux BTF' : 'BTF';
    return { file, container, what, btf: summarize(btf) };
  }
  if (isElf(plain)) {
    container += 'elf';
    const elf = parseElf(plain);
    const info: Info = {
      file,
      container,
      what: elf.machine === EM_BPF ? 'BPF object' : `ELF (${elf.machineName})`,
      elf: { class: elf.class, endian: elf.endian, machine: elf.machineName },
    };
    btfSection(elf); // names the sections if there is no .BTF
    const { btf } = loadBtf(plain, base ? { base } : {});
    info.btf = summarize(btf);
    if (elf.machine === EM_BPF) objectDetails(elf, btf, info);
    return info;
  }
  // let the loader produce its bad-magic error
  loadBtf(plain);
  throw new CorelabError('bad-magic', 'unrecognised file');
}

function engineText(e: ReturnType<typeof hotPathReport>): string {
  const f = e.functions;
  return (
    `engine: ${e.why}${e.wasmAvailable ? '' : ' — this host cannot instantiate WebAssembly'}\n` +
    `  type scan: ${f.scanTypes}, name index: ${f.nameIndex}, instruction patching: ${f.patchInsns}, C dump: ${f.cDump}\n` +
    `  (force with --engine ts|wasm|auto, or CORELAB_ENGINE=ts|wasm|auto for any command)\n`
  );
}

function text(info: Info): string {
  const l: string[] = [`${info.file}: ${info.what} (${info.container})`];
  if (info.note) l.push(`  note: ${info.note}`);
  if (info.elf) l.push(`  ELF${info.elf.class} ${info.elf.endian}-endian, machine ${info.elf.machine}`);
  const b = info.btf;
  if (b) {
    l.push(`  BTF: ${b.endian}-endian, header ${b.header_len} bytes`);
    l.push(`  types: ${b.types}${b.split ? ` (ids ${b.first_type_id}..${b.first_type_id + b.types - 1})` : ''}`);
    l.push(`  string bytes: ${b.string_bytes}`);
    l.push(`  pointer size: ${b.ptr_size} (${b.ptr_size_source})`);
  }
  if (info.sections) {
    l.push(`  sections (${info.sections.length}):`);
    for (const s of info.sections) l.push(`    ${s.name.padEnd(28)} type ${String(s.type).padStart(2)} size ${s.size}`);
  }
  if (info.programs) {
    l.push(`  programs (${info.programs.length}):`);
    for (const p of info.programs) l.push(`    ${p.name.padEnd(28)} ${p.section} (${p.insns} insns)`);
  }
  if (info.core_relocations) {
    const c = info.core_relocations;
    l.push(`  CO-RE relocations: ${c.total}`);
    for (const [k, n] of Object.entries(c.by_kind)) l.push(`    ${k.padEnd(28)} ${n}`);
  }
  if (info.btf_ext_error) l.push(`  .BTF.ext: ${info.btf_ext_error}`);
  return l.join('\n') + '\n';
}

export const command: Command = {
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    // --engine takes an optional value: a following ts|wasm|auto forces that path first
    const rest = [...argv];
    const at = rest.indexOf('--engine');
    const showEngine = at >= 0;
    if (showEngine) {
      const val = rest[at + 1];
      if (val !== undefined && isHotPathChoice(val)) {
        selectHotPath(val);
        rest.splice(at, 2);
      } else rest.splice(at, 1);
    }
    const args = parseArgs(rest, { valued: ['--base'], flags: ['--json'], aliases: { '-B': '--base', '-j': '--json' } });
    const json = args.flags.has('--json');
    if (showEngine && args.positional.length === 0) {
      const e = hotPathReport();
      io.out(json ? JSON.stringify({ engine: e }, null, 2) + '\n' : engineText(e));
      return EXIT.OK;
    }
    if (args.positional.length !== 1) throw new UsageError('expected one FILE');
    const file = args.positional[0]!;
    const base = loadBase(io, option(args, '--base'));
    const info = gather(file, io.readFile(file), base);
    if (showEngine) info.engine = hotPathReport();
    io.out(json ? JSON.stringify(info, null, 2) + '\n' : (showEngine ? engineText(info.engine!) : '') + text(info));
    return EXIT.OK;
  },
};

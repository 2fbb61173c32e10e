/** `corelab relocate`: libbpf 1.1.2's CO-RE pass over an object, against a kernel's BTF. */
import { loadBtf } from '../../core-ts/btf/load.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { makeTargetSet } from '../../core-ts/core/candidates.ts';
import { explainAll } from '../../core-ts/core/explain.ts';
import { loadVerdict } from '../../core-ts/core/verdict.ts';
import type { Explanation } from '../../core-ts/core/explain.ts';
import type { LoadVerdict } from '../../core-ts/core/verdict.ts';
import { insnHex, relocateObject } from '../../core-ts/core/relocate.ts';
import type { RelocateResult, RelocationReport } from '../../core-ts/core/relocate.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import type { BpfObject } from '../../core-ts/object/index.ts';
import { EXIT, UsageError, option, parseArgs, type CliIo, type Command } from '../args.ts';

const USAGE =
  'corelab relocate OBJ --btf VMLINUX [--base BASE] [--module [NAME=]MOD.btf …] [--log] [--json] [--explain] [-o OUT.o]';

/** "nf_conntrack" from ".../debian-6.12--nf_conntrack.btf.xz" or an explicit NAME=PATH. */
function moduleSpec(arg: string): { name: string; path: string } {
  const eq = arg.indexOf('=');
  if (eq > 0) return { name: arg.slice(0, eq), path: arg.slice(eq + 1) };
  const base = arg.split('/').pop()!.replace(/\.xz$/, '').replace(/\.(btf|o|elf)$/, '');
  const dd = base.lastIndexOf('--');
  return { name: dd >= 0 ? base.slice(dd + 2) : base, path: arg };
}

function describe(r: RelocationReport, why?: Explanation): string {
  const where = `${r.section} #${r.index}`;
  const prog = r.program ? `${r.program}+${r.insn}` : '-';
  const spec = r.localSpec ?? `<${r.kindName}> [${r.localTypeId}] ${r.localTypeKind} ${r.localTypeName || '<anon>'} "${r.accessStr}"`;
  let outcome: string;
  switch (r.status) {
    case 'patched':
      outcome = `${r.targetSpec ? `→ ${r.targetSpec}` : 'no target'}; ${r.patches.map((p) => `${p.what} ${p.from} -> ${p.to}`).join(', ')}`;
      break;
    case 'poisoned':
      outcome = `POISONED (${r.targetSpec ? 'field access cannot be resized' : 'no matching target'})`;
      break;
    case 'error':
      outcome = `ERROR ${r.errno}: ${r.warnings[0] ?? ''}`;
      break;
    default:
      outcome = r.status;
  }
  const ex = why ? `${''.padEnd(29)}${why.sentence}\n` : '';
  return `${where.padEnd(28)} ${prog.padEnd(24)} ${spec}\n${''.padEnd(29)}${outcome}\n${ex}`;
}

function toJson(res: RelocateResult, verdict: LoadVerdict, why?: Explanation[]): unknown {
  return {
    load: verdict,
    ...(why ? { explanations: why } : {}),
    ok: res.ok,
    errno: res.errno,
    relocations: res.relocations.map((r) => ({
      section: r.section,
      index: r.index,
      program: r.program ?? null,
      insn: r.insn ?? null,
      kind: r.kindName,
      local_type_id: r.localTypeId,
      access: r.accessStr,
      status: r.status,
      local_spec: r.localSpec ?? null,
      candidate_search: r.candidateSearch,
      candidates: r.candidates,
      target_spec: r.targetSpec ?? null,
      local_layout: r.localLayout,
      target_layout: r.targetLayout,
      orig_value: r.origValue?.toString() ?? null,
      new_value: r.newValue?.toString() ?? null,
      patches: r.patches.map((p) => ({ insn: p.insn, what: p.what, from: p.from.toString(), to: p.to.toString() })),
      errno: r.errno ?? null,
      warnings: r.warnings,
      fixups: r.fixups,
    })),
    functions: res.functions.map((f) => ({
      name: f.name,
      section: f.section,
      sec_insn_off: f.secInsnOff,
      insn_cnt: f.insnCount,
      autoload: f.autoload,
      subprog: f.isSubprog,
      before: insnHex(f.before),
      after: insnHex(f.after),
    })),
    log: res.lines.map((l) => l.text),
  };
}

/** The object's bytes with every function's instructions replaced by their relocated form. */
export function relocatedImage(obj: BpfObject, bytes: Uint8Array, res: RelocateResult): Uint8Array {
  const out = bytes.slice();
  for (const f of res.functions) {
    const prog = obj.programs.find((p) => p.name === f.name && p.secInsnOff === f.secInsnOff && p.section === f.section);
    if (!prog) continue;
    const sec = obj.elf.sections[prog.secIdx]!;
    out.set(f.after, sec.offset + prog.secInsnOff * 8);
  }
  return out;
}

export const command: Command = {
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, {
      valued: ['--btf', '--base', '--module', '-o'],
      flags: ['--log', '--json', '--explain'],
      aliases: { '--output': '-o', '-B': '--base' },
    });
    if (args.positional.length !== 1) throw new UsageError('expected exactly one object file');
    const btfPath = option(args, '--btf');
    if (!btfPath) throw new UsageError('--btf VMLINUX is required');

    const objBytes = io.readFile(args.positional[0]!);
    const obj = parseBpfObject(objBytes);
    // --base: --btf is split BTF on BASE, taken as one flattened target (libbpf's btf_custom_path
    // of a module BTF merged onto vmlinux), so its base types are candidates too
    const basePath = option(args, '--base');
    const base = basePath ? loadBtf(io.readFile(basePath)).btf : undefined;
    const vmlinux: Btf = loadBtf(io.readFile(btfPath), base ? { base } : {}).btf;
    if (base && args.options.has('--module')) throw new UsageError('--base and --module do not combine');
    const modules = (args.options.get('--module') ?? []).map((m) => {
      const { name, path } = moduleSpec(m);
      return { name, btf: loadBtf(io.readFile(path), { base: vmlinux }).btf };
    });
    const targets = makeTargetSet(vmlinux, modules);
    const res = relocateObject(obj, targets);
    const why = args.flags.has('--explain') ? explainAll(obj, targets, res) : undefined;
    const verdict = loadVerdict(obj, res);

    if (obj.btfExtError) io.err(`corelab: .BTF.ext ignored, as libbpf 1.1.2 would: ${obj.btfExtError.describe()}\n`);
    if (args.flags.has('--json')) io.out(JSON.stringify(toJson(res, verdict, why), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 1) + '\n');
    else if (args.flags.has('--log')) io.out(res.lines.map((l) => l.text + '\n').join(''));
    else {
      res.relocations.forEach((r, i) => io.out(describe(r, why?.[i])));
      const n = (s: string): number => res.relocations.filter((r) => r.status === s).length;
      io.out(
        `${res.relocations.length} relocations: ${n('patched')} patched, ${n('poisoned')} poisoned, ${n('error')} error, ` +
          `${n('skipped') + n('not-autoloaded') + n('not-processed')} not applied\n`,
      );
      if (!res.ok) io.out(`libbpf would fail the load during CO-RE (error ${res.errno})\n`);
      else if (!verdict.ok) {
        const at = verdict.reachable.map((x) => `${x.program} insn ${x.insn} (${x.section} #${x.index})`).join(', ');
        io.out(`libbpf would fail the load: the verifier reaches poisoned instructions: ${at}\n`);
      } else io.out('libbpf would load this (no CO-RE error, every poisoned instruction is guarded)\n');
    }
    const outPath = option(args, '-o');
    if (outPath) io.writeFile(outPath, relocatedImage(obj, objBytes, res));
    return verdict.ok ? EXIT.OK : EXIT.FAIL;
  },
};

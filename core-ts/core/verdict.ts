/**
 * Would libbpf's load go through? CO-RE itself can fail it (a hard error), and after CO-RE the
 * verifier rejects any program in which a poisoned instruction is reachable. The second part
 * uses the guard estimate (guard.ts), which the differential suite checks against the kernel's
 * verdicts; the rest of verification (helpers, attach targets, bounds) is not modelled.
 */
import type { BpfObject } from '../object/index.ts';
import { rodataRefs } from '../object/data-refs.ts';
import { analyseReachability } from './guard.ts';
import { InsnBuffer } from './insns.ts';
import type { RelocateResult } from './relocate.ts';

export interface LoadVerdict {
  readonly ok: boolean;
  readonly reason: 'core-error' | 'poisoned-reachable' | undefined;
  /** poisoned instructions the verifier would reach, per loaded program */
  readonly reachable: { readonly program: string; readonly function: string; readonly insn: number; readonly section: string; readonly index: number }[];
}

export function loadVerdict(obj: BpfObject, res: RelocateResult): LoadVerdict {
  if (!res.ok) return { ok: false, reason: 'core-error', reachable: [] };
  const reachable: LoadVerdict['reachable'][number][] = [];
  const cache = new Map<string, boolean>();
  for (const r of res.relocations) {
    if (r.status !== 'poisoned' || r.program === undefined || r.insn === undefined) continue;
    const key = `${r.section}\0${r.program}\0${r.insn}`;
    let reach = cache.get(key);
    if (reach === undefined) {
      const fn = res.functions.find((f) => f.name === r.program && f.elfSection === r.section);
      const prog = obj.programs.find((p) => p.name === r.program && p.elfSection === r.section);
      reach = fn && prog ? analyseReachability(new InsnBuffer(fn.after.slice(), obj.endian), r.insn, { rodata: rodataRefs(obj, prog) }).reachable : false;
      cache.set(key, reach);
    }
    if (!reach) continue;
    // the function counts once for every loaded program it is linked into
    for (const [main, entries] of res.layouts ?? []) {
      const e = entries.find((x) => x.function === r.program);
      if (e) reachable.push({ program: main, function: r.program, insn: e.at + r.insn, section: r.section, index: r.index });
    }
  }
  return { ok: reachable.length === 0, reason: reachable.length ? 'poisoned-reachable' : undefined, reachable };
}

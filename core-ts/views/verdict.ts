/**
 * The playground's one-line verdict: would this object load on that kernel? Built from the
 * engine's own load verdict (core/verdict.ts), so the status bar and `corelab relocate`'s exit
 * status say the same thing.
 */
import type { LoadVerdict } from '../core/verdict.ts';
import type { RelocateResult } from '../core/relocate.ts';

export function verdictSentence(res: RelocateResult, v: LoadVerdict): string {
  if (v.reason === 'core-error') return `libbpf fails the load during CO-RE (error ${res.errno})`;
  if (v.reason === 'poisoned-reachable') {
    const first = v.reachable[0]!;
    const more = v.reachable.length > 1 ? ` (and ${v.reachable.length - 1} more)` : '';
    return `CO-RE succeeds, but the verifier would reject '${first.program}': poisoned insn #${first.insn} is reachable${more}`;
  }
  return 'libbpf would load this: CO-RE succeeds and no poisoned instruction is reachable';
}

/**
 * bpf_core_calc_relo_insn: one relocation against its candidate list — parse and log the local
 * spec, match every candidate (logging each), check that all matches agree, prune the list,
 * and fall back to the "nothing matched" values.
 */
import type { Btf } from '../btf/types.ts';
import { ReloKind, reloKindName } from '../btfext/relo-kind.ts';
import { kindWord, strAt } from './btf-util.ts';
import type { Candidate } from './candidates.ts';
import { Errno } from './errno.ts';
import type { CoreLog } from './log.ts';
import { u32, u64 } from './log.ts';
import { matchSpec } from './match.ts';
import { formatSpecText, parseSpec } from './spec.ts';
import type { AccessSpec } from './spec.ts';
import type { CoreRelo } from './relo.ts';
import { calcRelo, emptyRes } from './value.ts';
import type { ReloRes } from './value.ts';

export interface CandidateOutcome {
  readonly index: number;
  readonly candidate: Candidate;
  /** 1 matched, 0 not, < 0 error */
  readonly result: number;
  /** the candidate spec as libbpf logs it */
  readonly spec: string;
  readonly specModel: AccessSpec;
  /** when not matched: the local accessor at which matching stopped */
  readonly failedAt: number | undefined;
  /** …and the target type it was applied to */
  readonly failedTargetId: number | undefined;
}

export interface CalcOutcome {
  /** 0 or a negative errno (a hard error: libbpf aborts the load) */
  readonly err: number;
  readonly res: ReloRes;
  readonly localSpec: AccessSpec | undefined;
  readonly localSpecText: string | undefined;
  readonly candidates: CandidateOutcome[];
  /** spec of the first matching candidate */
  readonly targetSpec: AccessSpec | undefined;
  /** the candidates that matched (what the cache is pruned to) */
  readonly matched: Candidate[];
  /** libbpf logged "no matching targets found" and used its no-target values */
  readonly noMatch: boolean;
}

export function calcReloInsn(
  progName: string,
  relo: CoreRelo,
  reloIdx: number,
  localBtf: Btf,
  cands: Candidate[] | undefined,
  endian: 'little' | 'big',
  log: CoreLog,
): CalcOutcome {
  const outcome = {
    err: 0,
    res: emptyRes(),
    localSpec: undefined as AccessSpec | undefined,
    localSpecText: undefined as string | undefined,
    candidates: [] as CandidateOutcome[],
    targetSpec: undefined as AccessSpec | undefined,
    matched: [] as Candidate[],
    noMatch: false,
  };
  const p = `prog '${progName}': relo #${reloIdx}: `;
  const localId = relo.typeId;
  const localName = localBtf.name(localId);

  const parsed = parseSpec(progName, localBtf, relo, log);
  if (!parsed.ok) {
    const specStr = strAt(localBtf, relo.accessStrOff);
    log.warn(
      `${p}parsing [${localId}] ${kindWord(localBtf, localId)} ${localName || '<anon>'} + ${specStr ?? '<?>'} failed: ${parsed.err}\n`,
    );
    return { ...outcome, err: -Errno.EINVAL };
  }
  const local = parsed.spec;
  outcome.localSpec = local;
  outcome.localSpecText = formatSpecText(local);
  log.debug(`${p}${outcome.localSpecText}\n`);

  if (relo.kind === ReloKind.TypeIdLocal) {
    // the local id needs no target; it is not checked because linking may renumber it
    const res = emptyRes();
    res.validate = false;
    res.origVal = BigInt(local.rootTypeId >>> 0);
    res.newVal = res.origVal;
    return { ...outcome, res };
  }

  if (localName === '') {
    log.warn(`${p}<${reloKindName(relo.kind)}> (${relo.kind | 0}) relocation doesn't support anonymous types\n`);
    return { ...outcome, err: -Errno.EOPNOTSUPP };
  }

  let targRes: ReloRes | undefined;
  let targSpec: AccessSpec | undefined;
  const list = cands ?? [];
  for (let i = 0; i < list.length; i++) {
    const cand = list[i]!;
    const m = matchSpec(local, cand.target.btf, cand.id, log);
    const specText = formatSpecText(m.spec);
    outcome.candidates.push({ index: i, candidate: cand, result: m.result, spec: specText, specModel: m.spec, failedAt: m.failedAt, failedTargetId: m.failedTargetId });
    if (m.result < 0) {
      // 1.1.2 ends this warning with "\n " (a stray space starts the next line)
      log.warn(`${p}error matching candidate #${i} ${specText}: ${m.result}\n `);
      return { ...outcome, err: m.result, targetSpec: targSpec };
    }
    log.debug(`${p}${m.result === 0 ? 'non-matching' : 'matching'} candidate #${i} ${specText}\n`);
    if (m.result === 0) continue;

    const c = calcRelo(progName, relo, reloIdx, local, m.spec, endian, log);
    if (c.err) return { ...outcome, err: c.err, targetSpec: targSpec };

    if (targRes === undefined || targSpec === undefined) {
      targRes = c.res;
      targSpec = m.spec;
    } else if (m.spec.bitOffset >>> 0 !== targSpec.bitOffset >>> 0) {
      log.warn(`${p}field offset ambiguity: ${u32(m.spec.bitOffset)} != ${u32(targSpec.bitOffset)}\n`);
      return { ...outcome, err: -Errno.EINVAL, targetSpec: targSpec };
    } else if (c.res.poison !== targRes.poison || c.res.newVal !== targRes.newVal) {
      log.warn(
        `${p}relocation decision ambiguity: ${c.res.poison ? 'failure' : 'success'} ${u64(c.res.newVal)} != ${targRes.poison ? 'failure' : 'success'} ${u64(targRes.newVal)}\n`,
      );
      return { ...outcome, err: -Errno.EINVAL, targetSpec: targSpec };
    }
    outcome.matched.push(cand);
  }

  if (targRes === undefined) {
    log.debug(`${p}no matching targets found\n`);
    outcome.noMatch = true;
    const c = calcRelo(progName, relo, reloIdx, local, undefined, endian, log);
    if (c.err) return { ...outcome, err: c.err };
    targRes = c.res;
  }
  return { ...outcome, res: targRes, targetSpec: targSpec };
}

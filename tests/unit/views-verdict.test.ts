import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBtf } from '../../core-ts/btf/load.ts';
import { makeTargetSet } from '../../core-ts/core/candidates.ts';
import { relocateObject } from '../../core-ts/core/relocate.ts';
import { loadVerdict } from '../../core-ts/core/verdict.ts';
import { parseBpfObject } from '../../core-ts/object/index.ts';
import { verdictSentence } from '../../core-ts/views/verdict.ts';
import { REPO_ROOT } from '../corpus.ts';

/** The playground's verdict sentence says what `corelab relocate`'s exit status says. */
const S = join(REPO_ROOT, 'public/samples');
const cases = [
  ['task_exe.bpf.o', 'debian-6.1.0-56-amd64.btf.xz'],
  ['task_exe.bpf.o', 'debian-6.12.117-amd64.btf.xz'],
  ['task_exe.bpf.o', 'host-6.18-amd64.btf.xz'],
  ['file_times.bpf.o', 'debian-6.1.0-56-amd64.btf.xz'],
  ['file_times.bpf.o', 'debian-6.12.117-amd64.btf.xz'],
  ['file_times.bpf.o', 'host-6.18-amd64.btf.xz'],
] as const;

describe('verdict sentence agrees with corelab relocate exit status', () => {
  it.each(cases)('%s on %s', (obj, kernel) => {
    const objPath = join(S, obj);
    const btfPath = join(S, 'kernels', kernel);
    const o = parseBpfObject(new Uint8Array(readFileSync(objPath)));
    const res = relocateObject(o, makeTargetSet(loadBtf(new Uint8Array(readFileSync(btfPath))).btf));
    const sentence = verdictSentence(res, loadVerdict(o, res));
    const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/corelab.mjs'), 'relocate', objPath, '--btf', btfPath]);
    expect([0, 1]).toContain(cli.status);
    if (cli.status === 0) expect(sentence).toMatch(/^libbpf would load this/);
    else expect(sentence).toMatch(/verifier would reject|fails the load during CO-RE/);
  });
});

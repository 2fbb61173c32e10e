/**
 * The matrix view's state inside a share link. Version 1 of the case codec keeps only two UI
 * strings (relo, tab), so the matrix rides in `tab` after the bottom tab's name:
 * "bytecode;matrix=debian-6.1,host-6.18;differing". A playground that does not know it sees an
 * unknown tab and opens its default view, so old links and old playgrounds are unaffected.
 * Only bundled kernels are named: a dropped kernel other than the current one is not in the case.
 */
export interface MatrixState {
  /** bundled kernel ids (samples/index.json) ticked as columns */
  readonly kernels: readonly string[];
  readonly differing: boolean;
}

export function encodeTab(tab: string, matrix: MatrixState | undefined): string {
  if (!matrix) return tab;
  return [tab, `matrix=${matrix.kernels.join(',')}`, ...(matrix.differing ? ['differing'] : [])].join(';');
}

export function decodeTab(s: string | undefined): { tab: string | undefined; matrix: MatrixState | undefined } {
  if (s === undefined) return { tab: undefined, matrix: undefined };
  const [tab, ...rest] = s.split(';');
  const m = rest.find((p) => p.startsWith('matrix='));
  if (m === undefined) return { tab, matrix: undefined };
  const kernels = m
    .slice('matrix='.length)
    .split(',')
    .filter((k) => /^[\w.-]{1,64}$/.test(k));
  return { tab, matrix: { kernels, differing: rest.includes('differing') } };
}

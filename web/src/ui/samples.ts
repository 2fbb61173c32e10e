/** The samples menu, read from public/samples/index.json (same origin). */
export interface SampleFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}
export interface Sample {
  readonly id: string;
  readonly label: string;
  readonly object: SampleFile;
  readonly source: string;
  readonly kernel: string;
}
export interface KernelSample extends SampleFile {
  readonly id: string;
  readonly label: string;
}
export interface SamplesIndex {
  readonly version: 1;
  readonly default: string;
  readonly samples: readonly Sample[];
  readonly kernels: readonly KernelSample[];
}

export async function loadSamplesIndex(): Promise<SamplesIndex> {
  const r = await fetch('samples/index.json');
  if (!r.ok) throw new Error(`samples/index.json: HTTP ${r.status}`);
  return (await r.json()) as SamplesIndex;
}

export async function fetchSample(path: string): Promise<Blob> {
  const r = await fetch(`samples/${path}`);
  if (!r.ok) throw new Error(`samples/${path}: HTTP ${r.status}`);
  return r.blob();
}

/** Every bundled file by sha256, for share links that reference instead of carrying them. */
export function bundledByHash(idx: SamplesIndex): Map<string, { path: string; name: string }> {
  const m = new Map<string, { path: string; name: string }>();
  for (const s of idx.samples) m.set(s.object.sha256, { path: s.object.path, name: s.object.path });
  for (const k of idx.kernels) m.set(k.sha256, { path: k.path, name: k.path.split('/').pop()! });
  return m;
}

/**
 * What crosses the worker boundary. Everything is plain data (structured-clone safe); errors
 * are CorelabErrorData because Comlink would drop a thrown error's kind, offset and section.
 */
import type { CorelabErrorData } from '../../../core-ts/errors.ts';
import type { InputRole } from '../../../core-ts/views/detect.ts';
import type { BytecodeListing } from '../../../core-ts/views/listing.ts';
import type { KernelMatrix } from '../../../core-ts/views/matrix.ts';
import type { ReloDetail, ReloRow } from '../../../core-ts/views/relo-view.ts';
import type { SourceFile } from '../../../core-ts/views/source.ts';

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CorelabErrorData };

export interface FileInfo {
  readonly id: number;
  readonly name: string;
  readonly role: InputRole;
  readonly summary: string;
  /** bytes as given (before xz decompression) */
  readonly size: number;
  /** '' until a share link is made */
  readonly sha256: string;
  /** module BTFs: the module name (from the file name: "…--nf_conntrack.btf.xz" → nf_conntrack) */
  readonly module?: string;
}

export interface RelocView {
  readonly objectName: string;
  readonly kernelName: string;
  readonly ok: boolean;
  readonly errno: number;
  /** would it load: the engine's load verdict in words */
  readonly verdict: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly rows: readonly ReloRow[];
  /** the raw libbpf log, one line per entry, exactly as libbpf prints it */
  readonly log: readonly string[];
  /** why .BTF.ext was ignored, as libbpf would */
  readonly btfExtNote: string;
  readonly millis: number;
}

/** What the other panes need from the same result, asked for after the table is shown. */
export interface ReloExtras {
  readonly listing: BytecodeListing;
  /** C sources reconstructed from line_info, when the object carries them */
  readonly sources: readonly SourceFile[];
}

export interface HeaderView {
  readonly text: string;
  /** definitions for go-to-type: [name, 1-based line] */
  readonly decls: readonly (readonly [string, number])[];
  readonly error: string;
}

export interface CaseOpened {
  /** inputs carried by value, to be added like dropped files */
  readonly byValue: readonly { role: InputRole; name: string; bytes: Uint8Array; module?: string }[];
  /** inputs referenced by sha256: files bundled with the playground */
  readonly byRef: readonly { role: InputRole; name: string; sha256: string; size: number }[];
  readonly ui: { readonly relo?: string; readonly tab?: string };
}

export interface ShareOut {
  /** the fragment, when it fits the link budget */
  readonly fragment: string | undefined;
  readonly fragmentLength: number;
  readonly budget: number;
  /** the same case as a file (always) */
  readonly file: Uint8Array;
  /** inputs sent by value / by reference */
  readonly byValue: number;
  readonly byRef: number;
  /** the link carries the dropped kernel BTF cut down to this case (the case file carries it whole) */
  readonly minimized: { readonly name: string; readonly fromBytes: number; readonly toBytes: number; readonly types: number } | undefined;
  /** why a dropped kernel BTF went into the link whole ('' when minimized or bundled) */
  readonly minimizeNote: string;
}

export interface EngineApi {
  hotPath(): Promise<string>;
  addFile(name: string, bytes: Uint8Array): Promise<Result<FileInfo>>;
  removeFile(id: number): Promise<void>;
  clear(): Promise<void>;
  relocate(): Promise<Result<RelocView | undefined>>;
  /** a kernel BTF held only as a matrix column (the current vmlinux stays); the same bytes twice give the same id */
  addKernel(name: string, bytes: Uint8Array): Promise<Result<FileInfo>>;
  /** every kernel BTF held: the current vmlinux first, then the matrix columns */
  kernels(): Promise<FileInfo[]>;
  /** make a held kernel the current vmlinux (a matrix cell opened in the detail pane) */
  useKernel(id: number): Promise<Result<FileInfo>>;
  /** the loaded object relocated against each of these kernels, alone (no module BTFs) */
  matrix(objectId: number, kernelIds: readonly number[]): Promise<Result<KernelMatrix>>;
  /** listing and sources of the last relocation (undefined when there is none) */
  extras(): Promise<Result<ReloExtras | undefined>>;
  detail(key: string): Promise<Result<ReloDetail | undefined>>;
  vmlinuxHeader(): Promise<Result<HeaderView | undefined>>;
  share(bundled: readonly string[], ui: { relo?: string; tab?: string }): Promise<Result<ShareOut>>;
  openCase(input: string | Uint8Array): Promise<Result<CaseOpened>>;
  /** milliseconds spent per engine phase since the last call (bench instrumentation) */
  phases(): Promise<Record<string, number>>;
  /** busy-loops this long: only for exercising the watchdog */
  spin(ms: number): Promise<void>;
}

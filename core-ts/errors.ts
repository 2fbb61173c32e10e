/**
 * The one error type of corelab. Every reader reports malformed input through it, and it is
 * plain data (no class identity needed) so it survives postMessage/Comlink structured cloning.
 */

export type ErrorKind =
  | 'truncated' // input ends before a structure it declares
  | 'bad-magic' // not the format we were asked to read
  | 'bad-version' // format version or flags we do not accept
  | 'out-of-bounds' // an offset/size points outside its container
  | 'misaligned' // an offset that the format requires aligned is not
  | 'invalid' // a field holds a value the format forbids
  | 'unsupported' // valid for the format, but not something corelab handles (named)
  | 'not-bpf' // an ELF for another machine
  | 'loop' // a reference cycle where the format needs a DAG
  | 'too-large' // a count or size beyond what we are willing to allocate
  | 'not-found' // a named section/type/file that is absent
  | 'usage'; // bad command-line or API use

export interface CorelabErrorData {
  readonly name: 'CorelabError';
  readonly kind: ErrorKind;
  readonly message: string;
  /** byte offset in the file (or in the section, see `section`) where the problem is */
  readonly offset?: number;
  /** the format or section the problem is in: "ELF", ".BTF", ".BTF.ext", "xz", a section name… */
  readonly section?: string;
}

export class CorelabError extends Error implements CorelabErrorData {
  override readonly name = 'CorelabError' as const;
  readonly kind: ErrorKind;
  readonly offset?: number;
  readonly section?: string;

  constructor(kind: ErrorKind, message: string, where: { offset?: number; section?: string } = {}) {
    super(message);
    this.kind = kind;
    if (where.offset !== undefined) this.offset = where.offset;
    if (where.section !== undefined) this.section = where.section;
  }

  /** Plain-data form, e.g. for a worker to post back. */
  toData(): CorelabErrorData {
    const d: { -readonly [K in keyof CorelabErrorData]: CorelabErrorData[K] } = {
      name: 'CorelabError',
      kind: this.kind,
      message: this.message,
    };
    if (this.offset !== undefined) d.offset = this.offset;
    if (this.section !== undefined) d.section = this.section;
    return d;
  }

  toJSON(): CorelabErrorData {
    return this.toData();
  }

  /** "section @0x1c: message" — the form the CLI prints. */
  describe(): string {
    const where: string[] = [];
    if (this.section) where.push(this.section);
    if (this.offset !== undefined) where.push(`@0x${this.offset.toString(16)}`);
    return where.length ? `${where.join(' ')}: ${this.message}` : this.message;
  }
}

export function isCorelabError(e: unknown): e is CorelabErrorData {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'CorelabError' &&
    typeof (e as { kind?: unknown }).kind === 'string'
  );
}

/** Rebuild a CorelabError from plain data (after structured cloning). */
export function corelabErrorFromData(d: CorelabErrorData): CorelabError {
  const where: { offset?: number; section?: string } = {};
  if (d.offset !== undefined) where.offset = d.offset;
  if (d.section !== undefined) where.section = d.section;
  return new CorelabError(d.kind, d.message, where);
}

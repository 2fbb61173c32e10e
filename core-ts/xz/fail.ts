import { CorelabError, type ErrorKind } from '../errors.ts';

/** Every xz error names section 'xz' and a byte offset in the compressed input. */
export function xzFail(kind: ErrorKind, message: string, offset: number): never {
  throw new CorelabError(kind, message, { offset, section: 'xz' });
}

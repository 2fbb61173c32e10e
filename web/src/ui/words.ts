/** Engine errors in words: what went wrong, in which file and section, and where. */
import type { CorelabErrorData } from '../../../core-ts/errors.ts';

const KIND_WORDS: Record<string, string> = {
  truncated: 'the file ends too early',
  'bad-magic': 'not a file corelab knows',
  'bad-version': 'a format version corelab does not read',
  'out-of-bounds': 'an offset points outside the file',
  misaligned: 'a misaligned offset',
  invalid: 'an invalid field',
  unsupported: 'not supported',
  'not-bpf': 'not a BPF object',
  loop: 'a reference loop',
  'too-large': 'too large',
  'not-found': 'something required is missing',
  usage: 'wrong use',
};

export function errorInWords(e: CorelabErrorData): string {
  const where: string[] = [];
  if (e.section) where.push(e.section);
  if (e.offset !== undefined) where.push(`at byte 0x${e.offset.toString(16)} (${e.offset})`);
  const head = KIND_WORDS[e.kind] ?? e.kind;
  return `${head}${where.length ? ` — ${where.join(', ')}` : ''}: ${e.message} [${e.kind}]`;
}

import { BtfKind } from './types.ts';
import type { Btf } from './types.ts';

/** The 11 spellings of `long` / `unsigned long` that libbpf's determine_ptr_size accepts. */
const LONG_NAMES: ReadonlySet<string> = new Set([
  'long',
  'long int',
  'int long',
  'unsigned long',
  'long unsigned',
  'unsigned long int',
  'unsigned int long',
  'long unsigned int',
  'long int unsigned',
  'int unsigned long',
  'int long unsigned',
]);

/** Without a `long`, libbpf uses the host's pointer size; corelab pins 8 so wasm32 agrees with x86-64. */
export const FALLBACK_PTR_SIZE = 8;

/**
 * Pointer size as libbpf infers it: the size of the first 4- or 8-byte INT named like `long`.
 * A split BTF takes its base's answer when the base has one.
 */
export function determinePtrSize(btf: Btf): { size: number; source: Btf['ptrSizeSource'] } {
  const base = btf.base;
  if (base && base.ptrSizeSource !== 'fallback') return { size: base.ptrSize, source: 'base' };
  // the base (if any) found nothing, so only our own types can answer
  for (let id = btf.startId; id < btf.typeCount; id++) {
    if (btf.kind(id) !== BtfKind.Int) continue;
    if (!LONG_NAMES.has(btf.name(id))) continue;
    const t = btf.type(id);
    if (t.kind === BtfKind.Int && (t.size === 4 || t.size === 8)) return { size: t.size, source: 'long' };
  }
  return { size: FALLBACK_PTR_SIZE, source: 'fallback' };
}

/**
 * The engine's patch decisions (core/patch.ts PatchRecord, made while it validates each
 * instruction) replayed over a program's original bytes by the hot path. The engine stays the
 * one that decides; this only encodes its records and applies them in order.
 */
import { CorelabError } from '../errors.ts';
import type { PatchRecord } from '../core/patch.ts';
import { hotPath } from './index.ts';
import { PATCH_WORDS, PatchOp, type HotPath } from './types.ts';

const OP: Record<PatchRecord['what'], number> = {
  imm: PatchOp.Imm,
  off: PatchOp.Off,
  mem_sz: PatchOp.MemSize,
  imm64: PatchOp.Imm64,
  poison: PatchOp.Poison,
};

const lo32 = (v: bigint): number => Number(BigInt.asUintN(32, v));

/** PatchRecords as hot-path words: the new value's low 32 bits, and the next 32 for imm64. */
export function encodePatches(patches: readonly PatchRecord[]): Uint32Array {
  const w = new Uint32Array(patches.length * PATCH_WORDS);
  patches.forEach((p, k) => {
    const r = k * PATCH_WORDS;
    w[r] = p.insn >>> 0;
    w[r + 1] = OP[p.what];
    w[r + 2] = lo32(p.to);
    w[r + 3] = p.what === 'imm64' ? lo32(p.to >> 32n) : 0;
  });
  return w;
}

/** `before` with `patches` applied in order (as the engine applied them). */
export function applyPatches(before: Uint8Array, patches: readonly PatchRecord[], endian: 'little' | 'big', hp: HotPath = hotPath()): Uint8Array {
  const r = hp.patchInsns(before, encodePatches(patches), endian === 'little');
  if (!r.ok) {
    const p = patches[r.record]!;
    const why = r.error === 'range' ? `instruction #${p.insn} is outside the program (${Math.floor(before.length / 8)} instructions)` : r.error === 'op' ? 'unknown patch' : `memory size ${p.to} is not 1, 2, 4 or 8 bytes`;
    throw new CorelabError('invalid', `patch #${r.record} (${p.what} at insn #${p.insn}): ${why}`);
  }
  return r.bytes;
}

import { xzFail } from './fail.ts';
import type { Lzma2Chunks } from './lzma2.ts';

/*
 * The LZMA decoder proper (range decoder + literal/match model), driven chunk by chunk by
 * LZMA2. One array holds every probability so the hot loop indexes a single typed array; the
 * regions below are laid out back to back.
 */
const IS_MATCH = 0; // [state][posState] 12*16
const IS_REP = IS_MATCH + 192; // [state]
const IS_REP_G0 = IS_REP + 12;
const IS_REP_G1 = IS_REP_G0 + 12;
const IS_REP_G2 = IS_REP_G1 + 12;
const IS_REP0_LONG = IS_REP_G2 + 12; // [state][posState]
const DIST_SLOT = IS_REP0_LONG + 192; // [lenState 0..3][64]
const DIST_SPECIAL = DIST_SLOT + 256; // reverse bit trees of the distance slots 4..13: 114
const DIST_ALIGN = DIST_SPECIAL + 114; // 16
const MATCH_LEN = DIST_ALIGN + 16;
const REP_LEN = MATCH_LEN + 514;
const LITERAL = REP_LEN + 514;
// Within a length coder: two choice bits, then low[16][8], mid[16][8], high[256].
const LEN_CHOICE2 = 1;
const LEN_LOW = 2;
const LEN_MID = LEN_LOW + 128;
const LEN_HIGH = LEN_MID + 128;
/** LZMA2 caps lc + lp at 4, so at most 16 literal coders of 0x300 probabilities. */
const PROBS_MAX = LITERAL + 0x300 * 16;

const PROB_INIT = 1024; // probability 0.5 in 11-bit fixed point
/** decodeBlock has run once in this realm (see there). */
let feedbackWarm = false;
const END_MARKER = 0xffffffff;

export class LzmaDecoder {
  private readonly probs = new Uint16Array(PROBS_MAX);
  // What decodeBlock and decodeMatch share. The range coder's words and the distances go in
  // typed arrays: plain fields would box every value outside the small-integer range.
  private input: Uint8Array = new Uint8Array(0);
  private inEnd = 0;
  private dictSize = 0;
  private inPos = 0;
  /** range, code, state */
  private readonly coder = new Int32Array(3);
  /** rep0..rep3, the last four match distances minus one */
  private readonly reps = new Uint32Array(4);

  /**
   * Decode a whole block's LZMA chunks, as `chunks` reads them, into `chunks.out`. The
   * dictionary is the output from the last dictionary reset on, limited to `dictLimit` bytes back.
   *
   * This is the hot loop, so the range decoder lives in locals and its bit decode is written
   * out in place (as the blocks marked "bit"): `b` receives the bit, probability index given.
   * It runs once per block: chunk boundaries are a branch of the loop, and the loop's first
   * turn takes it (everything starts at zero, so the end-of-chunk checks pass), which gives the
   * engine type feedback for that branch before it optimises the loop.
   * Reads are not checked against the chunk's end one by one: past it the range decoder sees
   * the next chunk's bytes, or past the input `undefined`, which `|` turns into 0; the overrun
   * is caught at the next symbol. The loop is bounded: each symbol outputs at least one byte,
   * each chunk boundary consumes input.
   */
  decodeBlock(chunks: Lzma2Chunks): void {
    const probs = this.probs;
    const coder = this.coder;
    const input = chunks.input;
    const outBuf = chunks.out;
    this.input = input;
    this.dictSize = chunks.dictLimit;
    let out = outBuf.buf;
    let words = new DataView(out.buffer, out.byteOffset, out.byteLength);
    // `range` and `code` hold unsigned 32-bit values in int32 variables (V8 keeps them as
    // machine words); unsigned comparisons flip the sign bit of both sides.
    let range = 0;
    let code = 0;
    let inStart = 0;
    let inPos = 0;
    let inEnd = 0;
    let pos = outBuf.length;
    let outEnd = pos;
    let dictStart = pos;
    let i = 0;
    let p = 0;
    let bound = 0;
    let b = 0;

    let lc = 0;
    let lpMask = 0;
    let pbMask = 0;
    let state = 0;

    // The engine allocates a function's feedback vector only after it has run a while; without
    // one, the first turn's trip through the chunk-boundary branch would record nothing, and the
    // optimised loop would later throw itself away there. On the first call, resetting the
    // probabilities as a plain loop (the first chunk resets them anyway) runs long enough to get
    // the vector first; later calls have it.
    if (!feedbackWarm) {
      for (let k = 0; k < PROBS_MAX; k++) probs[k] = PROB_INIT;
      feedbackWarm = true;
    }

    for (;;) {
      if (pos >= outEnd) {
        // the end of an LZMA chunk (or the start of the block: all zeros pass these checks)
        if (inPos > inEnd) xzFail('invalid', `LZMA chunk needs more than its ${inEnd - inStart} packed bytes`, inEnd);
        if (inPos < inEnd) xzFail('invalid', `LZMA chunk ends ${inEnd - inPos} bytes before its packed size`, Math.min(inPos, inEnd));
        if (code !== 0) xzFail('invalid', 'LZMA chunk does not end with a flushed range coder', Math.min(inPos, inEnd));
        outBuf.length = pos;
        if (!chunks.next()) return;
        out = outBuf.buf;
        words = new DataView(out.buffer, out.byteOffset, out.byteLength);
        lc = chunks.lc;
        lpMask = (1 << chunks.lp) - 1;
        pbMask = (1 << chunks.pb) - 1;
        if (chunks.resetState) {
          probs.fill(PROB_INIT, 0, LITERAL + (0x300 << (lc + chunks.lp)));
          state = 0;
          this.reps.fill(0);
        }
        dictStart = chunks.dictStart;
        inStart = chunks.inStart;
        inEnd = chunks.inEnd;
        this.inEnd = inEnd;
        pos = outBuf.length;
        outEnd = chunks.outEnd;
        range = -1;
        code = (input[inStart + 1]! << 24) | (input[inStart + 2]! << 16) | (input[inStart + 3]! << 8) | input[inStart + 4]!;
        inPos = inStart + 5;
      }
      // corrupt data that has used up its chunk fails now rather than after up to 2 MiB of garbage
      if (inPos > inEnd) xzFail('invalid', `LZMA chunk needs more than its ${inEnd - inStart} packed bytes`, inEnd);
      const dictPos = pos - dictStart;
      const posState = dictPos & pbMask;
      // bit
      i = IS_MATCH + (state << 4) + posState;
      p = probs[i]!;
      bound = ((range >>> 11) * p) | 0;
      if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
        range = bound;
        p += (2048 - p) >>> 5;
        b = 0;
      } else {
        range = (range - bound) | 0;
        code = (code - bound) | 0;
        p -= p >>> 5;
        b = 1;
      }
      probs[i] = p;
      if (range >>> 24 === 0) {
        range <<= 8;
        code = (code << 8) | input[inPos]!;
        inPos++;
      }
      if (b === 0) {
        const prev = dictPos > 0 ? out[pos - 1]! : 0;
        const base = LITERAL + 0x300 * (((dictPos & lpMask) << lc) + (prev >>> (8 - lc)));
        let sym = 1;
        if (state < 7) {
          do {
            // bit
            i = base + sym;
            p = probs[i]!;
            bound = ((range >>> 11) * p) | 0;
            if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
              range = bound;
              p += (2048 - p) >>> 5;
              b = 0;
            } else {
              range = (range - bound) | 0;
              code = (code - bound) | 0;
              p -= p >>> 5;
              b = 1;
            }
            probs[i] = p;
            if (range >>> 24 === 0) {
              range <<= 8;
              code = (code << 8) | input[inPos]!;
              inPos++;
            }
            sym = (sym << 1) | b;
          } while (sym < 0x100);
        } else {
          // "Matched" literal: the byte at rep0 steers the probabilities until the first
          // bit that differs from it.
          let match = out[pos - this.reps[0]! - 1]!;
          let offs = 0x100;
          do {
            match <<= 1;
            const matchBit = match & offs;
            // bit
            i = base + offs + matchBit + sym;
            p = probs[i]!;
            bound = ((range >>> 11) * p) | 0;
            if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
              range = bound;
              p += (2048 - p) >>> 5;
              b = 0;
            } else {
              range = (range - bound) | 0;
              code = (code - bound) | 0;
              p -= p >>> 5;
              b = 1;
            }
            probs[i] = p;
            if (range >>> 24 === 0) {
              range <<= 8;
              code = (code << 8) | input[inPos]!;
              inPos++;
            }
            sym = (sym << 1) | b;
            offs &= b ? matchBit : ~matchBit;
          } while (sym < 0x100);
        }
        out[pos++] = sym & 0xff;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }

      // a match or a repeated match: its own function, so the engine compiles the two halves
      // of the loop separately (and sooner) instead of one long function
      coder[0] = range;
      coder[1] = code;
      coder[2] = state;
      this.inPos = inPos;
      pos = this.decodeMatch(out, words, pos, dictPos, posState, outEnd);
      range = coder[0]!;
      code = coder[1]!;
      state = coder[2]!;
      inPos = this.inPos;
    }
  }

  /**
   * One match or repeated match after its is-match bit: the kind, the length, for a new match
   * the distance, then the copy into out[pos, ..). Returns the output position after it. The
   * range decoder and the model state come and go through the fields.
   */
  private decodeMatch(out: Uint8Array, words: DataView, pos: number, dictPos: number, posState: number, outEnd: number): number {
    const probs = this.probs;
    const input = this.input;
    const inEnd = this.inEnd;
    const dictSize = this.dictSize;
    const coder = this.coder;
    const reps = this.reps;
    let range = coder[0]!;
    let code = coder[1]!;
    let state = coder[2]!;
    let inPos = this.inPos;
    let rep0 = reps[0]!;
    let rep1 = reps[1]!;
    let rep2 = reps[2]!;
    let rep3 = reps[3]!;
    let i = 0;
    let p = 0;
    let bound = 0;
    let b = 0;

    let lenBase: number;
    let isRep: boolean;
    // bit
    i = IS_REP + state;
    p = probs[i]!;
    bound = ((range >>> 11) * p) | 0;
    if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
      range = bound;
      p += (2048 - p) >>> 5;
      b = 0;
    } else {
      range = (range - bound) | 0;
      code = (code - bound) | 0;
      p -= p >>> 5;
      b = 1;
    }
    probs[i] = p;
    if (range >>> 24 === 0) {
      range <<= 8;
      code = (code << 8) | input[inPos]!;
      inPos++;
    }
    if (b === 0) {
      state = state < 7 ? 7 : 10;
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      lenBase = MATCH_LEN;
      isRep = false;
    } else {
      if (dictPos === 0) xzFail('invalid', 'LZMA repeated match before any data in the dictionary', Math.min(inPos, inEnd));
      // bit
      i = IS_REP_G0 + state;
      p = probs[i]!;
      bound = ((range >>> 11) * p) | 0;
      if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
        range = bound;
        p += (2048 - p) >>> 5;
        b = 0;
      } else {
        range = (range - bound) | 0;
        code = (code - bound) | 0;
        p -= p >>> 5;
        b = 1;
      }
      probs[i] = p;
      if (range >>> 24 === 0) {
        range <<= 8;
        code = (code << 8) | input[inPos]!;
        inPos++;
      }
      if (b === 0) {
        // bit
        i = IS_REP0_LONG + (state << 4) + posState;
        p = probs[i]!;
        bound = ((range >>> 11) * p) | 0;
        if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
          range = bound;
          p += (2048 - p) >>> 5;
          b = 0;
        } else {
          range = (range - bound) | 0;
          code = (code - bound) | 0;
          p -= p >>> 5;
          b = 1;
        }
        probs[i] = p;
        if (range >>> 24 === 0) {
          range <<= 8;
          code = (code << 8) | input[inPos]!;
          inPos++;
        }
        if (b === 0) {
          // short rep: one byte from rep0
          state = state < 7 ? 9 : 11;
          out[pos] = out[pos - rep0 - 1]!;
          coder[0] = range;
          coder[1] = code;
          coder[2] = state;
          this.inPos = inPos;
          return pos + 1;
        }
      } else {
        let dist: number;
        // bit
        i = IS_REP_G1 + state;
        p = probs[i]!;
        bound = ((range >>> 11) * p) | 0;
        if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
          range = bound;
          p += (2048 - p) >>> 5;
          b = 0;
        } else {
          range = (range - bound) | 0;
          code = (code - bound) | 0;
          p -= p >>> 5;
          b = 1;
        }
        probs[i] = p;
        if (range >>> 24 === 0) {
          range <<= 8;
          code = (code << 8) | input[inPos]!;
          inPos++;
        }
        if (b === 0) {
          dist = rep1;
        } else {
          // bit
          i = IS_REP_G2 + state;
          p = probs[i]!;
          bound = ((range >>> 11) * p) | 0;
          if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
            range = bound;
            p += (2048 - p) >>> 5;
            b = 0;
          } else {
            range = (range - bound) | 0;
            code = (code - bound) | 0;
            p -= p >>> 5;
            b = 1;
          }
          probs[i] = p;
          if (range >>> 24 === 0) {
            range <<= 8;
            code = (code << 8) | input[inPos]!;
            inPos++;
          }
          if (b === 0) {
            dist = rep2;
          } else {
            dist = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = dist;
      }
      state = state < 7 ? 8 : 11;
      lenBase = REP_LEN;
      isRep = true;
    }

    // match length: 2..9 (low), 10..17 (mid), 18..273 (high)
    let tree: number;
    let bits: number;
    let len: number;
    // bit
    i = lenBase;
    p = probs[i]!;
    bound = ((range >>> 11) * p) | 0;
    if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
      range = bound;
      p += (2048 - p) >>> 5;
      b = 0;
    } else {
      range = (range - bound) | 0;
      code = (code - bound) | 0;
      p -= p >>> 5;
      b = 1;
    }
    probs[i] = p;
    if (range >>> 24 === 0) {
      range <<= 8;
      code = (code << 8) | input[inPos]!;
      inPos++;
    }
    if (b === 0) {
      tree = lenBase + LEN_LOW + (posState << 3);
      bits = 3;
      len = 2;
    } else {
      // bit
      i = lenBase + LEN_CHOICE2;
      p = probs[i]!;
      bound = ((range >>> 11) * p) | 0;
      if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
        range = bound;
        p += (2048 - p) >>> 5;
        b = 0;
      } else {
        range = (range - bound) | 0;
        code = (code - bound) | 0;
        p -= p >>> 5;
        b = 1;
      }
      probs[i] = p;
      if (range >>> 24 === 0) {
        range <<= 8;
        code = (code << 8) | input[inPos]!;
        inPos++;
      }
      if (b === 0) {
        tree = lenBase + LEN_MID + (posState << 3);
        bits = 3;
        len = 10;
      } else {
        tree = lenBase + LEN_HIGH;
        bits = 8;
        len = 18;
      }
    }
    let m = 1;
    for (let k = 0; k < bits; k++) {
      // bit
      i = tree + m;
      p = probs[i]!;
      bound = ((range >>> 11) * p) | 0;
      if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
        range = bound;
        p += (2048 - p) >>> 5;
        b = 0;
      } else {
        range = (range - bound) | 0;
        code = (code - bound) | 0;
        p -= p >>> 5;
        b = 1;
      }
      probs[i] = p;
      if (range >>> 24 === 0) {
        range <<= 8;
        code = (code << 8) | input[inPos]!;
        inPos++;
      }
      m = (m << 1) | b;
    }
    len += m - (1 << bits);

    if (!isRep) {
      // distance: a 6-bit slot, then reverse-coded low bits and/or direct bits
      tree = DIST_SLOT + ((len < 6 ? len - 2 : 3) << 6);
      m = 1;
      for (let k = 0; k < 6; k++) {
        // bit
        i = tree + m;
        p = probs[i]!;
        bound = ((range >>> 11) * p) | 0;
        if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
          range = bound;
          p += (2048 - p) >>> 5;
          b = 0;
        } else {
          range = (range - bound) | 0;
          code = (code - bound) | 0;
          p -= p >>> 5;
          b = 1;
        }
        probs[i] = p;
        if (range >>> 24 === 0) {
          range <<= 8;
          code = (code << 8) | input[inPos]!;
          inPos++;
        }
        m = (m << 1) | b;
      }
      const slot = m - 64;
      let dist = slot;
      if (slot >= 4) {
        const direct = (slot >>> 1) - 1;
        dist = ((2 | (slot & 1)) << direct) >>> 0;
        let alignBits = direct;
        if (slot < 14) {
          tree = DIST_SPECIAL + dist - slot - 1;
        } else {
          let v = 0;
          for (let k = direct - 4; k > 0; k--) {
            range >>>= 1;
            if ((code ^ 0x80000000) >= (range ^ 0x80000000)) {
              code = (code - range) | 0;
              v = (v << 1) | 1;
            } else {
              v <<= 1;
            }
            if (range >>> 24 === 0) {
              range <<= 8;
              code = (code << 8) | input[inPos]!;
              inPos++;
            }
          }
          dist += v * 16;
          tree = DIST_ALIGN - 1;
          alignBits = 4;
        }
        m = 1;
        for (let k = 0; k < alignBits; k++) {
          // bit
          i = tree + m;
          p = probs[i]!;
          bound = ((range >>> 11) * p) | 0;
          if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
            range = bound;
            p += (2048 - p) >>> 5;
            b = 0;
          } else {
            range = (range - bound) | 0;
            code = (code - bound) | 0;
            p -= p >>> 5;
            b = 1;
          }
          probs[i] = p;
          if (range >>> 24 === 0) {
            range <<= 8;
            code = (code << 8) | input[inPos]!;
            inPos++;
          }
          m = (m << 1) | b;
          dist += b << k;
        }
        if (dist === END_MARKER) xzFail('invalid', 'LZMA end marker inside an LZMA2 chunk', Math.min(inPos, inEnd));
      }
      rep0 = dist;
    }

    if (rep0 >= dictPos || rep0 >= dictSize) {
      xzFail('invalid', `LZMA match distance ${rep0 + 1} reaches beyond the ${Math.min(dictPos, dictSize)}-byte dictionary`, Math.min(inPos, inEnd));
    }
    if (len > outEnd - pos) xzFail('invalid', `LZMA match of ${len} bytes runs past the end of its chunk`, Math.min(inPos, inEnd));
    // Copy the match: at a distance of 4 or more, a word at a time (no word reads bytes its
    // own step writes); long ones with native copies in strides of the distance; runs of one
    // byte (common in BTF) with fill; what is left byte by byte.
    let src = pos - rep0 - 1;
    const end = pos + len;
    if (rep0 >= 3) {
      if (len >= 32 && rep0 >= 31) {
        const stride = rep0 + 1;
        while (pos < end) {
          const n = Math.min(stride, end - pos);
          out.copyWithin(pos, src, src + n);
          pos += n;
          src += n;
        }
      } else {
        for (; pos + 4 <= end; pos += 4, src += 4) words.setUint32(pos, words.getUint32(src, true), true);
        while (pos < end) out[pos++] = out[src++]!;
      }
    } else if (rep0 === 0 && len >= 16) {
      out.fill(out[src]!, pos, end);
      pos = end;
    } else {
      while (pos < end) out[pos++] = out[src++]!;
    }

    coder[0] = range;
    coder[1] = code;
    coder[2] = state;
    this.inPos = inPos;
    reps[0] = rep0;
    reps[1] = rep1;
    reps[2] = rep2;
    reps[3] = rep3;
    return pos;
  }
}

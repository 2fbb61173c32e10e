import { xzFail } from './fail.ts';

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
const END_MARKER = 0xffffffff;

export class LzmaDecoder {
  private readonly probs = new Uint16Array(PROBS_MAX);
  private lc = 0;
  private lp = 0;
  private pb = 0;
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;
  // Range decoder: `range` and `code` are unsigned 32-bit values held in JS numbers.
  private range = 0;
  private code = 0;
  private input: Uint8Array = new Uint8Array(0);
  private inPos = 0;
  private inEnd = 0;

  /** Apply an lc/lp/pb properties byte; `offset` locates it for errors. */
  setProperties(props: number, offset: number): void {
    if (props >= 9 * 5 * 5) xzFail('invalid', `LZMA properties byte 0x${props.toString(16)} is out of range`, offset);
    const lc = props % 9;
    const rest = (props / 9) | 0;
    const lp = rest % 5;
    const pb = (rest / 5) | 0;
    if (lc + lp > 4) xzFail('invalid', `LZMA2 forbids lc + lp > 4 (lc=${lc}, lp=${lp})`, offset);
    this.lc = lc;
    this.lp = lp;
    this.pb = pb;
  }

  /** State reset: fresh probabilities, state and distances (the dictionary is not touched). */
  resetState(): void {
    this.probs.fill(PROB_INIT, 0, LITERAL + (0x300 << (this.lc + this.lp)));
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
  }

  private bit(i: number): number {
    const probs = this.probs;
    const p = probs[i]!;
    const bound = (this.range >>> 11) * p;
    let b: number;
    if (this.code < bound) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      b = 0;
    } else {
      this.range -= bound;
      this.code -= bound;
      probs[i] = p - (p >>> 5);
      b = 1;
    }
    if (this.range < 0x1000000) {
      // Past the chunk's end we feed zeros and let the caller reject the overrun once: every
      // symbol produces output, so this cannot run away.
      const pos = this.inPos++;
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | (pos < this.inEnd ? this.input[pos]! : 0)) >>> 0;
    }
    return b;
  }

  private tree(base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(base + m);
    return m - (1 << bits);
  }

  private reverseTree(base: number, bits: number): number {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(base + m);
      m = (m << 1) | b;
      sym |= b << i;
    }
    return sym;
  }

  private directBits(count: number): number {
    let v = 0;
    for (let i = 0; i < count; i++) {
      this.range >>>= 1;
      let b = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        b = 1;
      }
      v = ((v << 1) | b) >>> 0;
      if (this.range < 0x1000000) {
        const pos = this.inPos++;
        this.range = (this.range << 8) >>> 0;
        this.code = ((this.code << 8) | (pos < this.inEnd ? this.input[pos]! : 0)) >>> 0;
      }
    }
    return v;
  }

  private length(base: number, posState: number): number {
    if (this.bit(base) === 0) return 2 + this.tree(base + LEN_LOW + (posState << 3), 3);
    if (this.bit(base + LEN_CHOICE2) === 0) return 10 + this.tree(base + LEN_MID + (posState << 3), 3);
    return 18 + this.tree(base + LEN_HIGH, 8);
  }

  private distance(len: number): number {
    const lenState = len < 6 ? len - 2 : 3;
    const slot = this.tree(DIST_SLOT + (lenState << 6), 6);
    if (slot < 4) return slot;
    const direct = (slot >>> 1) - 1;
    const base = ((2 | (slot & 1)) << direct) >>> 0;
    if (slot < 14) return base + this.reverseTree(DIST_SPECIAL + base - slot - 1, direct);
    return base + this.directBits(direct - 4) * 16 + this.reverseTree(DIST_ALIGN - 1, 4);
  }

  /**
   * Decode one LZMA2 chunk: packed bytes input[inStart, inEnd) produce exactly out[pos, outEnd).
   * The dictionary is out[dictStart, pos), limited to `dictSize` bytes back.
   */
  decodeChunk(
    input: Uint8Array,
    inStart: number,
    inEnd: number,
    out: Uint8Array,
    pos: number,
    outEnd: number,
    dictStart: number,
    dictSize: number,
  ): void {
    if (inEnd - inStart < 5) xzFail('invalid', `LZMA chunk of ${inEnd - inStart} bytes is too short for the range coder`, inStart);
    if (input[inStart] !== 0) xzFail('invalid', 'LZMA range coder does not start with a zero byte', inStart);
    this.input = input;
    this.inEnd = inEnd;
    this.code = ((input[inStart + 1]! << 24) | (input[inStart + 2]! << 16) | (input[inStart + 3]! << 8) | input[inStart + 4]!) >>> 0;
    this.range = 0xffffffff;
    this.inPos = inStart + 5;

    const lc = this.lc;
    const lpMask = (1 << this.lp) - 1;
    const pbMask = (1 << this.pb) - 1;
    let state = this.state;
    let rep0 = this.rep0;
    let rep1 = this.rep1;
    let rep2 = this.rep2;
    let rep3 = this.rep3;

    while (pos < outEnd) {
      const dictPos = pos - dictStart;
      const posState = dictPos & pbMask;
      if (this.bit(IS_MATCH + (state << 4) + posState) === 0) {
        const prev = dictPos > 0 ? out[pos - 1]! : 0;
        const base = LITERAL + 0x300 * (((dictPos & lpMask) << lc) + (prev >>> (8 - lc)));
        let sym = 1;
        if (state < 7) {
          do sym = (sym << 1) | this.bit(base + sym);
          while (sym < 0x100);
        } else {
          // "Matched" literal: the byte at rep0 steers the probabilities until the first
          // bit that differs from it.
          let match = out[pos - rep0 - 1]!;
          let offs = 0x100;
          do {
            match <<= 1;
            const matchBit = match & offs;
            const b = this.bit(base + offs + matchBit + sym);
            sym = (sym << 1) | b;
            offs &= b ? matchBit : ~matchBit;
          } while (sym < 0x100);
        }
        out[pos++] = sym & 0xff;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }

      let len: number;
      if (this.bit(IS_REP + state) === 0) {
        len = this.length(MATCH_LEN, posState);
        state = state < 7 ? 7 : 10;
        const dist = this.distance(len);
        if (dist === END_MARKER) xzFail('invalid', 'LZMA end marker inside an LZMA2 chunk', this.inPos);
        rep3 = rep2;
        rep2 = rep1;
        rep1 = rep0;
        rep0 = dist;
      } else {
        if (dictPos === 0) xzFail('invalid', 'LZMA repeated match before any data in the dictionary', this.inPos);
        if (this.bit(IS_REP_G0 + state) === 0) {
          if (this.bit(IS_REP0_LONG + (state << 4) + posState) === 0) {
            // short rep: one byte from rep0
            state = state < 7 ? 9 : 11;
            out[pos] = out[pos - rep0 - 1]!;
            pos++;
            continue;
          }
        } else {
          let dist: number;
          if (this.bit(IS_REP_G1 + state) === 0) {
            dist = rep1;
          } else {
            if (this.bit(IS_REP_G2 + state) === 0) {
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
        len = this.length(REP_LEN, posState);
        state = state < 7 ? 8 : 11;
      }

      if (rep0 >= dictPos || rep0 >= dictSize) {
        xzFail('invalid', `LZMA match distance ${rep0 + 1} reaches beyond the ${Math.min(dictPos, dictSize)}-byte dictionary`, this.inPos);
      }
      if (len > outEnd - pos) {
        xzFail('invalid', `LZMA match of ${len} bytes runs past the end of its chunk`, this.inPos);
      }
      let src = pos - rep0 - 1;
      if (len > 32 && rep0 + 1 >= len) {
        out.copyWithin(pos, src, src + len);
        pos += len;
      } else {
        const end = pos + len;
        while (pos < end) out[pos++] = out[src++]!;
      }
    }

    this.state = state;
    this.rep0 = rep0;
    this.rep1 = rep1;
    this.rep2 = rep2;
    this.rep3 = rep3;
    if (this.inPos > inEnd) xzFail('invalid', `LZMA chunk needs more than its ${inEnd - inStart} packed bytes`, inEnd);
    if (this.inPos < inEnd) xzFail('invalid', `LZMA chunk ends ${inEnd - this.inPos} bytes before its packed size`, this.inPos);
    if (this.code !== 0) xzFail('invalid', 'LZMA chunk does not end with a flushed range coder', this.inPos);
  }
}

/**
 * Writes a standalone raw BTF (24-byte header, the classic layout every bpftool reads) from
 * decoded types: a chosen subset of a source BTF, renumbered. Used by the case minimizer, so it
 * only needs to be exact about what libbpf reads back, not about the source's byte layout.
 */
import { BtfKind } from '../btf/types.ts';
import type { BtfType, Member, TypeId } from '../btf/types.ts';
import { CorelabError } from '../errors.ts';

export interface WrittenType {
  readonly type: BtfType;
  /** struct/union: the members to keep, in declaration order (all when undefined) */
  readonly members?: readonly Member[];
}

const HDR_LEN = 24;
/** The classic header's vlen field is 16 bits. */
const MAX_VLEN = 0xffff;

class StringTable {
  private readonly offsets = new Map<string, number>();
  private readonly chunks: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;
  private readonly enc = new TextEncoder();
  offsetOf(s: string): number {
    if (s === '') return 0;
    const known = this.offsets.get(s);
    if (known !== undefined) return known;
    const b = this.enc.encode(s);
    const off = this.size;
    const z = new Uint8Array(b.length + 1);
    z.set(b);
    this.chunks.push(z);
    this.size += z.length;
    this.offsets.set(s, off);
    return off;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/**
 * `types[i]` becomes id i + 1; `remap` turns a source id into its new id (0 when dropped, so a
 * pointer to a dropped type becomes `void *`, as bpftool's min_core_btf does).
 */
export function writeBtf(types: readonly WrittenType[], remap: (id: TypeId) => TypeId, endian: 'little' | 'big'): Uint8Array {
  const strs = new StringTable();
  const words: number[] = [];
  const le = endian === 'little';
  const info = (kind: number, vlen: number, kflag: boolean): number => {
    if (vlen > MAX_VLEN) throw new CorelabError('too-large', `type has ${vlen} members or values, more than a 16-bit vlen holds`, { section: 'BTF' });
    return ((kflag ? 1 : 0) << 31) | (kind << 24) | vlen;
  };
  const head = (t: BtfType, vlen: number, kflag: boolean, sizeOrType: number): void => {
    words.push(strs.offsetOf(t.name), info(t.kind, vlen, kflag) >>> 0, sizeOrType >>> 0);
  };
  for (const { type: t, members } of types) {
    switch (t.kind) {
      case BtfKind.Int:
        head(t, 0, false, t.size);
        words.push(((t.encoding << 24) | (t.bitOffset << 16) | t.bits) >>> 0);
        break;
      case BtfKind.Ptr:
      case BtfKind.Typedef:
      case BtfKind.Volatile:
      case BtfKind.Const:
      case BtfKind.Restrict:
      case BtfKind.TypeTag:
        head(t, 0, false, remap(t.type));
        break;
      case BtfKind.Array:
        head(t, 0, false, 0);
        words.push(remap(t.type), remap(t.indexType), t.nelems >>> 0);
        break;
      case BtfKind.Struct:
      case BtfKind.Union: {
        const ms = members ?? t.members;
        head(t, ms.length, t.kflag, t.size);
        for (const m of ms) words.push(strs.offsetOf(m.name), remap(m.type), (t.kflag ? (m.bitfieldSize << 24) | m.bitOffset : m.bitOffset) >>> 0);
        break;
      }
      case BtfKind.Enum:
        head(t, t.values.length, t.signed, t.size);
        for (const v of t.values) words.push(strs.offsetOf(v.name), v.value >>> 0);
        break;
      case BtfKind.Enum64:
        head(t, t.values.length, t.signed, t.size);
        for (const v of t.values) {
          const u = BigInt.asUintN(64, v.value);
          words.push(strs.offsetOf(v.name), Number(u & 0xffffffffn), Number(u >> 32n));
        }
        break;
      case BtfKind.Fwd:
        head(t, 0, t.isUnion, 0);
        break;
      case BtfKind.Func:
        head(t, t.linkage, false, remap(t.type));
        break;
      case BtfKind.FuncProto:
        head(t, t.params.length, false, remap(t.type));
        for (const p of t.params) words.push(strs.offsetOf(p.name), remap(p.type));
        break;
      case BtfKind.Var:
        head(t, 0, false, remap(t.type));
        words.push(t.linkage >>> 0);
        break;
      case BtfKind.Datasec:
        head(t, t.vars.length, false, t.size);
        for (const v of t.vars) words.push(remap(v.type), v.offset >>> 0, v.size >>> 0);
        break;
      case BtfKind.Float:
        head(t, 0, false, t.size);
        break;
      case BtfKind.DeclTag:
        head(t, 0, false, remap(t.type));
        words.push(t.componentIdx >>> 0);
        break;
      case BtfKind.Void:
        throw new CorelabError('invalid', 'void (id 0) cannot be written as a type', { section: 'BTF' });
    }
  }
  const str = strs.bytes();
  const typeLen = words.length * 4;
  const out = new Uint8Array(HDR_LEN + typeLen + str.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, 0xeb9f, le);
  out[2] = 1; // version
  out[3] = 0; // flags
  dv.setUint32(4, HDR_LEN, le);
  dv.setUint32(8, 0, le); // type_off
  dv.setUint32(12, typeLen, le);
  dv.setUint32(16, typeLen, le); // str_off
  dv.setUint32(20, str.length, le);
  for (let i = 0; i < words.length; i++) dv.setUint32(HDR_LEN + i * 4, words[i]!, le);
  out.set(str, HDR_LEN + typeLen);
  return out;
}

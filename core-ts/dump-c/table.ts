import { ParsedBtf } from '../btf/parse.ts';
import { BtfKind, type Btf, type BtfType, type TypeId } from '../btf/types.ts';
import type { CorelabError } from '../errors.ts';
import { outOfRange } from './faults.ts';
import type { CDumpTable } from '../hotpath/types.ts';

/**
 * Every type of a BTF (its bases included) as BTF records in one array of host-order words,
 * plus one string area indexed by string offset. The C dumper reads fields straight from
 * here: decoding a kernel into one object per type and member cost more than the dump itself
 * (mostly in the garbage collector).
 *
 * Record of an id at word `rec[id]`: name_off, info, size_or_type, then the kind's extra
 * words exactly as in the BTF format (members 3 words, enumerators and params 2, …).
 * Id 0 (void) has no record: callers deal with void before reading fields.
 */
export class TypeTable {
  /** like btf__type_cnt */
  readonly count: number;
  readonly words: Uint32Array;
  readonly rec: Uint32Array;
  /** all string sections, base first, so that a name offset indexes it; strs[0] is NUL */
  readonly strs: Uint8Array;
  /** (as a CDumpTable: rec is indexed by id and holds word indexes) */
  readonly recFirstId = 0;
  readonly recInBytes = false;

  constructor(count: number, words: Uint32Array, rec: Uint32Array, strs: Uint8Array) {
    this.count = count;
    this.words = words;
    this.rec = rec;
    this.strs = strs;
  }

  kind(id: TypeId): number {
    return (this.words[this.rec[id]! + 1]! >>> 24) & 0x7f;
  }
  vlen(id: TypeId): number {
    return this.words[this.rec[id]! + 1]! & 0xffffff;
  }
  kflag(id: TypeId): boolean {
    return this.words[this.rec[id]! + 1]! >>> 31 === 1;
  }
  nameOff(id: TypeId): number {
    return this.words[this.rec[id]!]!;
  }
  /** size_or_type: the size of INT/STRUCT/UNION/ENUM*, the target of PTR/TYPEDEF/modifiers/FUNC_PROTO */
  sizeOrType(id: TypeId): number {
    return this.words[this.rec[id]! + 2]!;
  }
  /** word index of the kind's extra data (the first member, enumerator, param, array info) */
  extra(id: TypeId): number {
    return this.rec[id]! + 3;
  }
  /** Where a name's bytes start; offsets libbpf cannot resolve read as the empty name, as before. */
  namePos(off: number): number {
    return off < this.strs.length ? off : 0;
  }
  /** Whether `id` names a type (0 included). */
  valid(id: TypeId): boolean {
    return id < this.count;
  }
  /** The 'not-found' error every walk gives for a dangling id, worded as Btf.type's. */
  outOfRange(id: TypeId): CorelabError {
    return outOfRange(this.count, id);
  }
}

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One BTF of the chain (root base first): where its own records are, and its own strings. */
interface Layer {
  readonly first: TypeId;
  /** bytes holding the records; `offs` index into it */
  readonly bytes: Uint8Array;
  readonly le: boolean;
  /** byte offset of each own record within `bytes` */
  readonly offs: Uint32Array;
  /** [start, end) of the records in `bytes` */
  readonly start: number;
  readonly end: number;
  readonly strs: Uint8Array;
}

/**
 * The table for a BTF. For a base BTF of the host's byte order (the usual case) the
 * records are used where they lie, copying nothing: on a kernel BTF a copy of the type
 * section costs more page faults than the rest of the table.
 */
export function typeTable(btf: Btf): TypeTable {
  return typeTableFor(btf, false) as TypeTable;
}

/**
 * The same table as the C dumper in WebAssembly takes it (a CDumpTable). For a base BTF in
 * the host's byte order the record index is the type scan's own array of byte offsets, which
 * the dumper converts itself: no JS pass over every id.
 */
export function wasmTypeTable(btf: Btf): CDumpTable {
  return typeTableFor(btf, true);
}

function typeTableFor(btf: Btf, forWasm: boolean): TypeTable | CDumpTable {
  const chain: Btf[] = [];
  for (let b: Btf | undefined = btf; b; b = b.base) chain.unshift(b);
  const layers = chain.map((b) => (b instanceof ParsedBtf ? parsedLayer(b) : encodedLayer(b)));
  const rec = new Uint32Array(btf.typeCount);

  if (layers.length === 1) {
    const l = layers[0]!;
    const b = l.bytes;
    if (l.le === HOST_LE && b.byteOffset % 4 === 0 && l.start % 4 === 0) {
      const words = new Uint32Array(b.buffer, b.byteOffset, l.end >>> 2);
      const offs = l.offs;
      if (forWasm && l.first === 1) {
        return { count: btf.typeCount, words, rec: offs, recFirstId: 1, recInBytes: true, strs: l.strs };
      }
      for (let i = 0; i < offs.length; i++) rec[l.first + i] = offs[i]! >>> 2;
      return new TypeTable(btf.typeCount, words, rec, l.strs);
    }
  }

  let nWords = 0;
  let nStrs = 0;
  for (const l of layers) {
    nWords += (l.end - l.start) >>> 2;
    nStrs += l.strs.length;
  }
  const words = new Uint32Array(nWords);
  const strs = new Uint8Array(Math.max(1, nStrs));
  let w = 0;
  let s = 0;
  for (const l of layers) {
    const n = (l.end - l.start) >>> 2;
    const b = l.bytes;
    if (l.le === HOST_LE && (b.byteOffset + l.start) % 4 === 0) {
      words.set(new Uint32Array(b.buffer, b.byteOffset + l.start, n), w);
    } else {
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < n; i++) words[w + i] = dv.getUint32(l.start + 4 * i, l.le);
    }
    const offs = l.offs;
    for (let i = 0; i < offs.length; i++) rec[l.first + i] = w + ((offs[i]! - l.start) >>> 2);
    strs.set(l.strs, s);
    w += n;
    s += l.strs.length;
  }
  return new TypeTable(btf.typeCount, words, rec, strs);
}

function parsedLayer(b: ParsedBtf): Layer {
  const v = b.rawView();
  const offs = b.recordOffsets();
  const start = offs.length ? offs[0]! : 0;
  return { first: b.startId, bytes: v.bytes, le: v.le, offs, start, end: start + b.header.typeLen, strs: b.ownStrings() };
}

/**
 * Any other Btf implementation: its types re-encoded as BTF records, its string section
 * rebuilt from str() string by string (offsets stay what its types say).
 */
function encodedLayer(b: Btf): Layer {
  const out: number[] = [];
  const first = b.startId;
  const n = b.typeCount - first;
  const rec = new Uint32Array(n);
  const info = (kind: number, vlen: number, kflag: boolean): number => ((kflag ? 0x80000000 : 0) | (kind << 24) | vlen) >>> 0;
  for (let i = 0; i < n; i++) {
    rec[i] = out.length;
    const t: BtfType = b.type(first + i);
    switch (t.kind) {
      case BtfKind.Void:
        out.push(t.nameOff, 0, 0);
        break;
      case BtfKind.Int:
        out.push(t.nameOff, info(t.kind, 0, false), t.size, ((t.encoding << 24) | (t.bitOffset << 16) | t.bits) >>> 0);
        break;
      case BtfKind.Array:
        out.push(t.nameOff, info(t.kind, 0, false), 0, t.type, t.indexType, t.nelems);
        break;
      case BtfKind.Struct:
      case BtfKind.Union:
        out.push(t.nameOff, info(t.kind, t.members.length, t.kflag), t.size);
        for (const m of t.members) {
          out.push(m.nameOff, m.type, t.kflag ? ((m.bitfieldSize << 24) | m.bitOffset) >>> 0 : m.bitOffset);
        }
        break;
      case BtfKind.Enum:
        out.push(t.nameOff, info(t.kind, t.values.length, t.signed), t.size);
        for (const e of t.values) out.push(e.nameOff, e.value >>> 0);
        break;
      case BtfKind.Enum64:
        out.push(t.nameOff, info(t.kind, t.values.length, t.signed), t.size);
        for (const e of t.values) {
          const raw = BigInt.asUintN(64, e.value);
          out.push(e.nameOff, Number(raw & 0xffffffffn), Number(raw >> 32n));
        }
        break;
      case BtfKind.Fwd:
        out.push(t.nameOff, info(t.kind, 0, t.isUnion), 0);
        break;
      case BtfKind.Func:
        out.push(t.nameOff, info(t.kind, t.linkage, false), t.type);
        break;
      case BtfKind.FuncProto:
        out.push(t.nameOff, info(t.kind, t.params.length, false), t.type);
        for (const p of t.params) out.push(p.nameOff, p.type);
        break;
      case BtfKind.Var:
        out.push(t.nameOff, info(t.kind, 0, false), t.type, t.linkage);
        break;
      case BtfKind.Datasec:
        out.push(t.nameOff, info(t.kind, t.vars.length, false), t.size);
        for (const x of t.vars) out.push(x.type, x.offset, x.size);
        break;
      case BtfKind.Float:
        out.push(t.nameOff, info(t.kind, 0, false), t.size);
        break;
      case BtfKind.DeclTag:
        out.push(t.nameOff, info(t.kind, 0, false), t.type, t.componentIdx >>> 0);
        break;
      default:
        // typedef, modifiers, type tags: one target
        out.push(t.nameOff, info(t.kind, 0, false), t.type);
        break;
    }
  }
  const words = Uint32Array.from(out);
  const offs = rec.map((r) => r * 4);
  const bytes = new Uint8Array(words.buffer);
  return { first, bytes, le: HOST_LE, offs, start: 0, end: bytes.length, strs: rebuildStrings(b) };
}

const utf8 = new TextEncoder();

/** A Btf's own string section, from its strings laid end to end. */
function rebuildStrings(b: Btf): Uint8Array {
  const start = b.base ? ownStrStart(b.base) : 0;
  const len = b.header.strLen;
  const out = new Uint8Array(len);
  let p = 0;
  // each step consumes one string and its NUL, so the loop is bounded by len
  while (p < len) {
    let s: string;
    try {
      s = b.str(start + p);
    } catch {
      break;
    }
    const enc = utf8.encode(s);
    out.set(enc.subarray(0, len - p), p);
    p += enc.length + 1;
  }
  return out;
}

function ownStrStart(b: Btf): number {
  return (b.base ? ownStrStart(b.base) : 0) + b.header.strLen;
}

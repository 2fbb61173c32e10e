import { CorelabError } from '../errors.ts';
import { ByteView, decodeAscii } from '../bytes/view.ts';
import { btfView, checkStringSection, parseBtfHeader } from './header.ts';
import { determinePtrSize } from './ptr-size.ts';
import { alignOf, resolveSize, skipModsAndTypedefs } from './sizes.ts';
import { BtfKind } from './types.ts';
import { hotPath } from '../hotpath/index.ts';
import { recordSize } from '../hotpath/types.ts';
import type { Btf, BtfHeader, BtfType, Member, Param, TypeId } from './types.ts';

export interface ParseBtfOptions {
  /** base BTF for a split (module) BTF */
  readonly base?: Btf;
  /** section name used in errors (default '.BTF') */
  readonly section?: string;
  /** pointer size forced by the container (libbpf sets it from the ELF class) */
  readonly ptrSize?: number;
}

/** info bits, 2026 UAPI: vlen 0-23, kind 24-30, kflag 31 (old files have zeros in the new bits). */
export const infoKind = (info: number): number => (info >>> 24) & 0x7f;
export const infoVlen = (info: number): number => info & 0xffffff;
export const infoKflag = (info: number): boolean => info >>> 31 === 1;

const REC = 12; // struct btf_type

/**
 * Parse a raw BTF blob (base, or split on `opts.base`). One pass over the type section
 * records where each type starts, its info word and name offset; types are decoded on demand.
 */
export function parseBtf(bytes: Uint8Array, opts: ParseBtfOptions = {}): Btf {
  const section = opts.section ?? '.BTF';
  // a Node Buffer's subarray() is slow and we take many: work on a plain Uint8Array view
  const plain = Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = btfView(plain, section);
  const lay = parseBtfHeader(v);
  const base = opts.base;
  checkStringSection(v, lay.strStart, lay.header.strLen, base !== undefined);

  const { typeStart } = lay;
  const typeEnd = typeStart + lay.header.typeLen;
  const startId = base ? base.typeCount : 1;
  // The one pass over every record runs on the hot path (WebAssembly or its TypeScript twin).
  const scan = hotPath().scanTypes(plain, typeStart, lay.header.typeLen, v.le);
  if (!scan.ok) {
    const id = startId + scan.index;
    if (scan.error === 'unknown-kind') {
      throw new CorelabError('invalid', `BTF type [${id}] has unknown kind ${scan.kind}`, { offset: scan.offset, section });
    }
    if (scan.error === 'truncated') {
      const size = recordSize(scan.kind, infoVlen(v.u32(scan.offset + 4)));
      throw new CorelabError(
        'truncated',
        `BTF type [${id}] (kind ${scan.kind}, ${size} bytes) runs past the end of the type section`,
        { offset: scan.offset, section },
      );
    }
    throw new CorelabError('truncated', `BTF type section ends with ${typeEnd - scan.offset} stray bytes`, {
      offset: scan.offset,
      section,
    });
  }
  const { offs, infos, names } = scan;
  return new ParsedBtf(v, lay.header, lay.strStart, base, startId, offs, infos, names, opts.ptrSize);
}

export class ParsedBtf implements Btf {
  readonly endian: 'little' | 'big';
  readonly header: BtfHeader;
  readonly base: Btf | undefined;
  readonly startId: TypeId;
  readonly typeCount: number;
  /** first string offset owned by this BTF (split: after the base's strings) */
  readonly startStrOff: number;

  private readonly v: ByteView;
  private readonly strs: Uint8Array;
  private readonly offs: Uint32Array;
  private readonly infos: Uint32Array;
  private readonly nameOffs: Uint32Array;
  /** decoded types in pages of CACHE_PAGE, created on first use */
  private readonly cache: ((BtfType | undefined)[] | undefined)[] = [];
  private nameIndex: Map<string, TypeId[]> | undefined;
  private strsAscii: string | null | undefined;
  private strCache: Map<number, string> | undefined;
  /** names decoded one by one so far (see strAt) */
  private strLookups = 0;
  private ptr: { size: number; source: Btf['ptrSizeSource'] } | undefined;
  /** see stringsForIndex (null: cannot be built) */
  private joinedStrs: Uint8Array | null | undefined;

  constructor(
    v: ByteView,
    header: BtfHeader,
    strStart: number,
    base: Btf | undefined,
    startId: number,
    offs: Uint32Array,
    infos: Uint32Array,
    names: Uint32Array,
    forcedPtrSize: number | undefined,
  ) {
    this.v = v;
    this.endian = v.endian;
    this.header = header;
    this.base = base;
    this.startId = startId;
    this.typeCount = startId + offs.length;
    this.strs = v.bytes.subarray(strStart, strStart + header.strLen);
    this.startStrOff = base ? baseStrEnd(base) : 0;
    this.offs = offs;
    this.infos = infos;
    this.nameOffs = names;
    if (forcedPtrSize !== undefined) this.ptr = { size: forcedPtrSize, source: 'elf' };
  }

  get ptrSize(): number {
    return this.ptrInfo().size;
  }
  get ptrSizeSource(): Btf['ptrSizeSource'] {
    return this.ptrInfo().source;
  }
  private ptrInfo(): { size: number; source: Btf['ptrSizeSource'] } {
    if (!this.ptr) this.ptr = determinePtrSize(this);
    return this.ptr;
  }

  private checkId(id: TypeId): void {
    if (!(Number.isInteger(id) && id >= 0 && id < this.typeCount)) {
      throw new CorelabError('not-found', `BTF type id ${id} is out of range (valid: 0..${this.typeCount - 1})`, {
        section: this.v.section,
      });
    }
  }

  kind(id: TypeId): BtfKind {
    this.checkId(id);
    if (id === 0) return BtfKind.Void;
    if (id < this.startId) return this.base!.kind(id);
    return infoKind(this.infos[id - this.startId]!) as BtfKind;
  }

  name(id: TypeId): string {
    this.checkId(id);
    if (id === 0) return '';
    if (id < this.startId) return this.base!.name(id);
    return this.strAt(this.nameOffs[id - this.startId]!) ?? '';
  }

  str(off: number): string {
    const s = this.strAt(off);
    if (s === undefined) {
      throw new CorelabError('out-of-bounds', `BTF string offset ${off} is outside the string section`, {
        section: this.v.section,
      });
    }
    return s;
  }

  /** undefined where libbpf's btf__str_by_offset returns NULL. */
  strAt(off: number): string | undefined {
    if (!(Number.isInteger(off) && off >= 0)) return undefined;
    if (off < this.startStrOff) {
      const b = this.base!;
      return b instanceof ParsedBtf ? b.strAt(off) : tryStr(b, off);
    }
    const rel = off - this.startStrOff;
    const s = this.strs;
    if (rel >= s.length) return undefined;
    // A few lookups (pointer size, one --type) decode just their names; past that, slicing one
    // decoded section beats decoding names one by one (decoding a whole kernel).
    const all = this.strLookups > EAGER_AFTER ? this.asciiStrings() : (this.strLookups++, undefined);
    // the section ends with NUL (checked at parse), so these scans stop inside it
    if (all !== undefined) return all.slice(rel, all.indexOf('\0', rel));
    // BTF strings are deduplicated, so an offset names one string: the CO-RE engine asks for
    // the same few hundred names thousands of times
    const cache = (this.strCache ??= new Map());
    const hit = cache.get(rel);
    if (hit !== undefined) return hit;
    let end = rel;
    while (s[end] !== 0) end++;
    const str = decodeAscii(s, rel, end);
    cache.set(rel, str);
    return str;
  }

  /**
   * The whole string section as one JS string when it is pure ASCII (kernel BTFs are), so that
   * a name is a slice of it: decoding names one by one dominated decoding a whole kernel.
   */
  private asciiStrings(): string | undefined {
    if (this.strsAscii === undefined) {
      const s = this.strs;
      let ascii = true;
      for (let i = 0; i < s.length; i++) {
        if (s[i]! >= 0x80) {
          ascii = false;
          break;
        }
      }
      this.strsAscii = ascii ? latin1.decode(s) : null;
    }
    return this.strsAscii ?? undefined;
  }

  type(id: TypeId): BtfType {
    this.checkId(id);
    if (id === 0) return VOID;
    if (id < this.startId) return this.base!.type(id);
    const i = id - this.startId;
    // new Array(n) with n > ~100k gives slow dictionary elements in V8, and filling a packed
    // one costs more than a dump needs: small holey pages, made when first touched
    const page = (this.cache[i >>> CACHE_SHIFT] ??= new Array<BtfType | undefined>(CACHE_PAGE));
    const hit = page[i & (CACHE_PAGE - 1)];
    if (hit) return hit;
    const t = this.decode(id, i);
    page[i & (CACHE_PAGE - 1)] = t;
    return t;
  }

  private decode(id: TypeId, i: number): BtfType {
    const dv = this.v.dv;
    const le = this.v.le;
    const p = this.offs[i]!;
    const info = this.infos[i]!;
    const nameOff = this.nameOffs[i]!;
    const name = this.strAt(nameOff) ?? '';
    const kind = infoKind(info);
    const vlen = infoVlen(info);
    const kflag = infoKflag(info);
    const sizeOrType = dv.getUint32(p + 8, le);
    const q = p + REC;
    switch (kind) {
      case BtfKind.Int: {
        const x = dv.getUint32(q, le);
        return {
          kind,
          id,
          name,
          nameOff,
          size: sizeOrType,
          encoding: (x >>> 24) & 0x0f,
          bitOffset: (x >>> 16) & 0xff,
          bits: x & 0xff,
        };
      }
      case BtfKind.Ptr:
        return { kind, id, name, nameOff, type: sizeOrType };
      case BtfKind.Array:
        return {
          kind,
          id,
          name,
          nameOff,
          type: dv.getUint32(q, le),
          indexType: dv.getUint32(q + 4, le),
          nelems: dv.getUint32(q + 8, le),
        };
      case BtfKind.Struct:
      case BtfKind.Union: {
        const members: Member[] = new Array(vlen);
        for (let k = 0; k < vlen; k++) {
          const m = q + 12 * k;
          const mOff = dv.getUint32(m, le);
          const off = dv.getUint32(m + 8, le);
          members[k] = {
            name: this.strAt(mOff) ?? '',
            nameOff: mOff,
            type: dv.getUint32(m + 4, le),
            bitOffset: kflag ? off & 0xffffff : off,
            bitfieldSize: kflag ? off >>> 24 : 0,
          };
        }
        return { kind, id, name, nameOff, size: sizeOrType, kflag, members };
      }
      case BtfKind.Enum: {
        const values = new Array(vlen);
        for (let k = 0; k < vlen; k++) {
          const e = q + 8 * k;
          const eOff = dv.getUint32(e, le);
          values[k] = {
            name: this.strAt(eOff) ?? '',
            nameOff: eOff,
            value: kflag ? dv.getInt32(e + 4, le) : dv.getUint32(e + 4, le),
          };
        }
        return { kind, id, name, nameOff, size: sizeOrType, signed: kflag, values };
      }
      case BtfKind.Enum64: {
        const values = new Array(vlen);
        for (let k = 0; k < vlen; k++) {
          const e = q + 12 * k;
          const eOff = dv.getUint32(e, le);
          const raw = (BigInt(dv.getUint32(e + 8, le)) << 32n) | BigInt(dv.getUint32(e + 4, le));
          values[k] = { name: this.strAt(eOff) ?? '', nameOff: eOff, value: kflag ? BigInt.asIntN(64, raw) : raw };
        }
        return { kind, id, name, nameOff, size: sizeOrType, signed: kflag, values };
      }
      case BtfKind.Fwd:
        return { kind, id, name, nameOff, isUnion: kflag };
      case BtfKind.Typedef:
      case BtfKind.Volatile:
      case BtfKind.Const:
      case BtfKind.Restrict:
      case BtfKind.TypeTag:
        return { kind, id, name, nameOff, type: sizeOrType };
      case BtfKind.Func:
        return { kind, id, name, nameOff, type: sizeOrType, linkage: vlen };
      case BtfKind.FuncProto: {
        const params: Param[] = new Array(vlen);
        for (let k = 0; k < vlen; k++) {
          const e = q + 8 * k;
          const pOff = dv.getUint32(e, le);
          params[k] = { name: this.strAt(pOff) ?? '', nameOff: pOff, type: dv.getUint32(e + 4, le) };
        }
        return { kind, id, name, nameOff, type: sizeOrType, params };
      }
      case BtfKind.Var:
        return { kind, id, name, nameOff, type: sizeOrType, linkage: dv.getUint32(q, le) };
      case BtfKind.Datasec: {
        const vars = new Array(vlen);
        for (let k = 0; k < vlen; k++) {
          const e = q + 12 * k;
          vars[k] = { type: dv.getUint32(e, le), offset: dv.getUint32(e + 4, le), size: dv.getUint32(e + 8, le) };
        }
        return { kind, id, name, nameOff, size: sizeOrType, vars };
      }
      case BtfKind.Float:
        return { kind, id, name, nameOff, size: sizeOrType };
      case BtfKind.DeclTag:
        return { kind, id, name, nameOff, type: sizeOrType, componentIdx: dv.getInt32(q, le) };
      default:
        // unreachable: the index scan refused unknown kinds
        throw new CorelabError('invalid', `BTF type [${id}] has unknown kind ${kind}`, {
          offset: p + 4,
          section: this.v.section,
        });
    }
  }

  resolveSize(id: TypeId): number {
    return resolveSize(this, id);
  }
  alignOf(id: TypeId): number {
    return alignOf(this, id);
  }
  skipModsAndTypedefs(id: TypeId): TypeId {
    return skipModsAndTypedefs(this, id);
  }

  findByName(name: string, kind?: BtfKind): TypeId[] {
    if (!this.nameIndex) this.nameIndex = this.buildNameIndex();
    const ids = this.nameIndex.get(name);
    if (!ids) return [];
    return kind === undefined ? ids.slice() : ids.filter((id) => this.kind(id) === kind);
  }

  private buildNameIndex(): Map<string, TypeId[]> {
    // base types first, so ids come out in increasing order
    const idx = new Map<string, TypeId[]>();
    for (let id = 1; id < this.startId; id++) add(idx, this.base!.name(id), id);
    const nameOffs = this.nameOffs;
    for (let i = 0; i < nameOffs.length; i++) {
      const off = nameOffs[i]!;
      if (off === 0) continue;
      add(idx, this.strAt(off) ?? '', this.startId + i);
    }
    return idx;
  }

  /** The blob, in its byte order (for the fast raw dump). */
  rawView(): ByteView {
    return this.v;
  }
  /** This BTF's own string section (ends with NUL). */
  ownStrings(): Uint8Array {
    return this.strs;
  }
  /** Info word of an own type (id in [startId, typeCount)). */
  rawInfo(id: TypeId): number {
    return this.infos[id - this.startId]!;
  }
  /** name_off of any type, without decoding it. */
  nameOffOf(id: TypeId): number {
    this.checkId(id);
    if (id === 0) return 0;
    if (id < this.startId) {
      const b = this.base!;
      return b instanceof ParsedBtf ? b.nameOffOf(id) : b.type(id).nameOff;
    }
    return this.nameOffs[id - this.startId]!;
  }
  /**
   * Where the string at `off` sits, as [bytes, start, end) without decoding it, or undefined
   * where libbpf's btf__str_by_offset gives NULL.
   */
  strSpan(off: number): [Uint8Array, number, number] | undefined {
    if (!(Number.isInteger(off) && off >= 0)) return undefined;
    if (off < this.startStrOff) {
      const b = this.base!;
      if (b instanceof ParsedBtf) return b.strSpan(off);
      const str = tryStr(b, off);
      if (str === undefined) return undefined;
      const enc = new TextEncoder().encode(str);
      return [enc, 0, enc.length];
    }
    const rel = off - this.startStrOff;
    const s = this.strs;
    if (rel >= s.length) return undefined;
    let end = rel;
    while (s[end] !== 0) end++;
    return [s, rel, end];
  }

  /** name_off of each own type (index = id - startId), as the scan found them; read-only. */
  nameOffsets(): Uint32Array {
    return this.nameOffs;
  }
  /**
   * One buffer that every name offset of this BTF indexes directly: the own strings, or for a
   * split BTF the base's followed by its own (built once). undefined when a base is not ours.
   */
  stringsForIndex(): Uint8Array | undefined {
    if (this.joinedStrs !== undefined) return this.joinedStrs ?? undefined;
    const b = this.base;
    let r: Uint8Array | null = this.strs;
    if (b) {
      const head = b instanceof ParsedBtf ? b.stringsForIndex() : undefined;
      if (head && head.length === this.startStrOff) {
        r = new Uint8Array(head.length + this.strs.length);
        r.set(head);
        r.set(this.strs, head.length);
      } else r = null;
    }
    this.joinedStrs = r;
    return r ?? undefined;
  }

  /**
   * Record offsets of the own types inside the blob (index = id - startId), as the scan
   * found them; callers must not write to it.
   */
  recordOffsets(): Uint32Array {
    return this.offs;
  }

  /** Record offset of an own type inside the blob (for error messages and tools). */
  recordOffset(id: TypeId): number | undefined {
    if (id < this.startId || id >= this.typeCount) return undefined;
    return this.offs[id - this.startId];
  }
}

function add(idx: Map<string, TypeId[]>, name: string, id: TypeId): void {
  if (name === '') return;
  const l = idx.get(name);
  if (l) l.push(id);
  else idx.set(name, [id]);
}

function tryStr(b: Btf, off: number): string | undefined {
  try {
    return b.str(off);
  } catch {
    return undefined;
  }
}

/** One past the last string offset a BTF (with its bases) owns. */
function baseStrEnd(b: Btf): number {
  return (b instanceof ParsedBtf ? b.startStrOff : 0) + b.header.strLen;
}

const latin1 = new TextDecoder('latin1');

const CACHE_SHIFT = 10;
const CACHE_PAGE = 1 << CACHE_SHIFT;
/** names decoded singly before strAt switches to slicing the whole decoded section */
const EAGER_AFTER = 1 << 17;

const VOID: BtfType = { kind: BtfKind.Void, id: 0, name: '', nameOff: 0 };

/**
 * String at `off`, or undefined where libbpf would return NULL (bpftool prints "(invalid)").
 * Works on any Btf; fast for ours.
 */
export function btfStrOrUndefined(btf: Btf, off: number): string | undefined {
  return btf instanceof ParsedBtf ? btf.strAt(off) : tryStr(btf, off);
}

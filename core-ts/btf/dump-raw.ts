import { ParsedBtf, btfStrOrUndefined, infoKflag, infoKind, infoVlen } from './parse.ts';
import { TextSink } from '../bytes/sink.ts';
import { BtfKind } from './types.ts';
import type { Btf, BtfType, TypeId } from './types.ts';

/** bpftool's own kind words (it says UNKNOWN where libbpf says UNKN). */
const KIND_WORDS: readonly string[] = [
  'UNKNOWN', 'INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'FWD', 'TYPEDEF', 'VOLATILE',
  'CONST', 'RESTRICT', 'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC', 'FLOAT', 'DECL_TAG', 'TYPE_TAG', 'ENUM64',
];

const INT_ENCODINGS: Readonly<Record<number, string>> = { 0: '(none)', 1: 'SIGNED', 2: 'CHAR', 4: 'BOOL' };
const FUNC_LINKAGE = ['static', 'global', 'extern'];
const VAR_LINKAGE = ['static', 'global', 'extern'];

function kindWord(kind: number): string {
  return KIND_WORDS[kind] ?? 'UNKNOWN';
}

/** bpftool's btf_str: 0 is '(anon)', an offset libbpf cannot resolve is '(invalid)'. */
function nameOf(btf: Btf, off: number): string {
  if (off === 0) return '(anon)';
  return btfStrOrUndefined(btf, off) ?? '(invalid)';
}

/** One type as `bpftool btf dump` prints it, newline included. */
export function dumpRawType(btf: Btf, t: BtfType, id: TypeId = t.id): string {
  let s = `[${id}] ${kindWord(t.kind)} '${nameOf(btf, t.nameOff)}'`;
  switch (t.kind) {
    case BtfKind.Int:
      s += ` size=${t.size} bits_offset=${t.bitOffset} nr_bits=${t.bits} encoding=${INT_ENCODINGS[t.encoding] ?? 'UNKN'}`;
      break;
    case BtfKind.Ptr:
    case BtfKind.Const:
    case BtfKind.Volatile:
    case BtfKind.Restrict:
    case BtfKind.Typedef:
    case BtfKind.TypeTag:
      s += ` type_id=${t.type}`;
      break;
    case BtfKind.Array:
      s += ` type_id=${t.type} index_type_id=${t.indexType} nr_elems=${t.nelems}`;
      break;
    case BtfKind.Struct:
    case BtfKind.Union:
      s += ` size=${t.size} vlen=${t.members.length}`;
      for (const m of t.members) {
        s += `\n\t'${nameOf(btf, m.nameOff)}' type_id=${m.type} bits_offset=${m.bitOffset}`;
        if (m.bitfieldSize) s += ` bitfield_size=${m.bitfieldSize}`;
      }
      break;
    case BtfKind.Enum:
      s += ` encoding=${t.signed ? 'SIGNED' : 'UNSIGNED'} size=${t.size} vlen=${t.values.length}`;
      for (const v of t.values) s += `\n\t'${nameOf(btf, v.nameOff)}' val=${v.value}`;
      break;
    case BtfKind.Enum64: {
      const suffix = t.signed ? 'LL' : 'ULL';
      s += ` encoding=${t.signed ? 'SIGNED' : 'UNSIGNED'} size=${t.size} vlen=${t.values.length}`;
      for (const v of t.values) s += `\n\t'${nameOf(btf, v.nameOff)}' val=${v.value}${suffix}`;
      break;
    }
    case BtfKind.Fwd:
      s += ` fwd_kind=${t.isUnion ? 'union' : 'struct'}`;
      break;
    case BtfKind.Func:
      s += ` type_id=${t.type} linkage=${FUNC_LINKAGE[t.linkage] ?? '(unknown)'}`;
      break;
    case BtfKind.FuncProto:
      s += ` ret_type_id=${t.type} vlen=${t.params.length}`;
      for (const p of t.params) s += `\n\t'${nameOf(btf, p.nameOff)}' type_id=${p.type}`;
      break;
    case BtfKind.Var:
      // bpftool really prints a comma here
      s += ` type_id=${t.type}, linkage=${VAR_LINKAGE[t.linkage] ?? '(unknown)'}`;
      break;
    case BtfKind.Datasec:
      s += ` size=${t.size} vlen=${t.vars.length}`;
      for (const v of t.vars) {
        s += `\n\ttype_id=${v.type} offset=${v.offset} size=${v.size}`;
        if (v.type < btf.typeCount) {
          const vt = btf.type(v.type);
          s += ` (${kindWord(vt.kind)} '${nameOf(btf, vt.nameOff)}')`;
        }
      }
      break;
    case BtfKind.Float:
      s += ` size=${t.size}`;
      break;
    case BtfKind.DeclTag:
      s += ` type_id=${t.type} component_idx=${t.componentIdx}`;
      break;
    default:
      break;
  }
  return s + '\n';
}

/**
 * `bpftool btf dump file FILE [format raw]`: every own type in id order (a split BTF starts at
 * its first own id, as bpftool does), as the bytes bpftool writes.
 */
export function dumpRawBytes(btf: Btf): Uint8Array {
  if (btf instanceof ParsedBtf) return fastDump(btf);
  const parts: string[] = [];
  for (let id = btf.startId; id < btf.typeCount; id++) parts.push(dumpRawType(btf, btf.type(id), id));
  return new TextEncoder().encode(parts.join(''));
}

/**
 * dumpRawBytes streamed: the bytes go to `write` in chunks whose buffer is reused afterwards
 * (consume or copy each at once). A 12 MB dump then never sits in memory whole.
 */
export function dumpRawTo(btf: Btf, write: (chunk: Uint8Array) => void): void {
  if (btf instanceof ParsedBtf) {
    fastDump(btf, write);
    return;
  }
  write(dumpRawBytes(btf));
}

/** Same as dumpRawBytes, as text. */
export function dumpRaw(btf: Btf): string {
  return new TextDecoder().decode(dumpRawBytes(btf));
}


const NL = 0x0a;

/**
 * Straight from the records: no BtfType objects, names copied as bytes. Same output as
 * dumpRawType over every id (the unit tests check both agree).
 */
function fastDump(btf: ParsedBtf, write?: (chunk: Uint8Array) => void): Uint8Array {
  const v = btf.rawView();
  const dv = v.dv;
  const le = v.le;
  const out = write ? new TextSink(1 << 17, write) : new TextSink(Math.max(1 << 16, v.length * 3));
  const strs = btf.ownStrings();
  const strBase = btf.startStrOff;
  const name = (off: number): void => {
    if (off === 0) {
      out.print('(anon)');
      return;
    }
    const rel = off - strBase;
    if (rel >= 0 && rel < strs.length) {
      out.cstr(strs, rel);
      return;
    }
    const span = btf.strSpan(off);
    if (span) out.range(span[0], span[1], span[2]);
    else out.print('(invalid)');
  };
  for (let id = btf.startId; id < btf.typeCount; id++) {
    const p = btf.recordOffset(id)!;
    const info = btf.rawInfo(id);
    const kind = infoKind(info);
    const vlen = infoVlen(info);
    const kflag = infoKflag(info);
    const st = dv.getUint32(p + 8, le);
    const q = p + 12;
    out.byte(0x5b);
    out.uint(id);
    out.print('] ');
    out.print(kindWord(kind));
    out.print(" '");
    name(dv.getUint32(p, le));
    out.byte(0x27);
    switch (kind) {
      case BtfKind.Int: {
        const x = dv.getUint32(q, le);
        out.print(' size=');
        out.uint(st);
        out.print(' bits_offset=');
        out.uint((x >>> 16) & 0xff);
        out.print(' nr_bits=');
        out.uint(x & 0xff);
        out.print(' encoding=');
        out.print(INT_ENCODINGS[(x >>> 24) & 0x0f] ?? 'UNKN');
        break;
      }
      case BtfKind.Ptr:
      case BtfKind.Const:
      case BtfKind.Volatile:
      case BtfKind.Restrict:
      case BtfKind.Typedef:
      case BtfKind.TypeTag:
        out.print(' type_id=');
        out.uint(st);
        break;
      case BtfKind.Array:
        out.print(' type_id=');
        out.uint(dv.getUint32(q, le));
        out.print(' index_type_id=');
        out.uint(dv.getUint32(q + 4, le));
        out.print(' nr_elems=');
        out.uint(dv.getUint32(q + 8, le));
        break;
      case BtfKind.Struct:
      case BtfKind.Union:
        out.print(' size=');
        out.uint(st);
        out.print(' vlen=');
        out.uint(vlen);
        for (let k = 0; k < vlen; k++) {
          const m = q + 12 * k;
          const off = dv.getUint32(m + 8, le);
          out.print("\n\t'");
          name(dv.getUint32(m, le));
          out.print("' type_id=");
          out.uint(dv.getUint32(m + 4, le));
          out.print(' bits_offset=');
          out.uint(kflag ? off & 0xffffff : off);
          if (kflag && off >>> 24) {
            out.print(' bitfield_size=');
            out.uint(off >>> 24);
          }
        }
        break;
      case BtfKind.Enum:
        out.print(kflag ? ' encoding=SIGNED size=' : ' encoding=UNSIGNED size=');
        out.uint(st);
        out.print(' vlen=');
        out.uint(vlen);
        for (let k = 0; k < vlen; k++) {
          const e = q + 8 * k;
          out.print("\n\t'");
          name(dv.getUint32(e, le));
          out.print("' val=");
          if (kflag) out.int(dv.getInt32(e + 4, le));
          else out.uint(dv.getUint32(e + 4, le));
        }
        break;
      case BtfKind.Enum64:
        out.print(kflag ? ' encoding=SIGNED size=' : ' encoding=UNSIGNED size=');
        out.uint(st);
        out.print(' vlen=');
        out.uint(vlen);
        for (let k = 0; k < vlen; k++) {
          const e = q + 12 * k;
          const raw = (BigInt(dv.getUint32(e + 8, le)) << 32n) | BigInt(dv.getUint32(e + 4, le));
          out.print("\n\t'");
          name(dv.getUint32(e, le));
          out.print("' val=");
          out.print(kflag ? `${BigInt.asIntN(64, raw)}LL` : `${raw}ULL`);
        }
        break;
      case BtfKind.Fwd:
        out.print(kflag ? ' fwd_kind=union' : ' fwd_kind=struct');
        break;
      case BtfKind.Func:
        out.print(' type_id=');
        out.uint(st);
        out.print(' linkage=');
        out.print(FUNC_LINKAGE[vlen] ?? '(unknown)');
        break;
      case BtfKind.FuncProto:
        out.print(' ret_type_id=');
        out.uint(st);
        out.print(' vlen=');
        out.uint(vlen);
        for (let k = 0; k < vlen; k++) {
          const e = q + 8 * k;
          out.print("\n\t'");
          name(dv.getUint32(e, le));
          out.print("' type_id=");
          out.uint(dv.getUint32(e + 4, le));
        }
        break;
      case BtfKind.Var:
        out.print(' type_id=');
        out.uint(st);
        out.print(', linkage=');
        out.print(VAR_LINKAGE[dv.getUint32(q, le)] ?? '(unknown)');
        break;
      case BtfKind.Datasec:
        out.print(' size=');
        out.uint(st);
        out.print(' vlen=');
        out.uint(vlen);
        for (let k = 0; k < vlen; k++) {
          const e = q + 12 * k;
          const vt = dv.getUint32(e, le);
          out.print('\n\ttype_id=');
          out.uint(vt);
          out.print(' offset=');
          out.uint(dv.getUint32(e + 4, le));
          out.print(' size=');
          out.uint(dv.getUint32(e + 8, le));
          if (vt < btf.typeCount) {
            out.print(' (');
            out.print(kindWord(btf.kind(vt)));
            out.print(" '");
            name(btf.nameOffOf(vt));
            out.print("')");
          }
        }
        break;
      case BtfKind.Float:
        out.print(' size=');
        out.uint(st);
        break;
      case BtfKind.DeclTag:
        out.print(' type_id=');
        out.uint(st);
        out.print(' component_idx=');
        out.int(dv.getInt32(q, le));
        break;
      default:
        break;
    }
    out.byte(NL);
  }
  out.flush();
  return out.bytes();
}

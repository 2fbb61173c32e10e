import { btfStrOrUndefined } from './parse.ts';
import { BtfKind } from './types.ts';
import type { Btf, BtfType, TypeId } from './types.ts';

/** bpftool's kind words in JSON are the same as in the text dump. */
const KIND_WORDS: readonly string[] = [
  'UNKNOWN', 'INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'FWD', 'TYPEDEF', 'VOLATILE',
  'CONST', 'RESTRICT', 'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC', 'FLOAT', 'DECL_TAG', 'TYPE_TAG', 'ENUM64',
];
const INT_ENCODINGS: Readonly<Record<number, string>> = { 0: '(none)', 1: 'SIGNED', 2: 'CHAR', 4: 'BOOL' };
const LINKAGE = ['static', 'global', 'extern'];

/**
 * bpftool's json_writer string quoting, quirks included: a backslash comes out as "\n" and a
 * single quote as "\'" (not valid JSON, but it is what bpftool 7.1 prints).
 */
function q(s: string): string {
  let o = '"';
  for (const c of s) {
    switch (c) {
      case '\t': o += '\\t'; break;
      case '\n': o += '\\n'; break;
      case '\r': o += '\\r'; break;
      case '\f': o += '\\f'; break;
      case '\b': o += '\\b'; break;
      case '\\': o += '\\n'; break;
      case '"': o += '\\"'; break;
      case "'": o += "\\'"; break;
      default: o += c;
    }
  }
  return o + '"';
}

function nm(btf: Btf, off: number): string {
  if (off === 0) return q('(anon)');
  return q(btfStrOrUndefined(btf, off) ?? '(invalid)');
}

function typeJson(btf: Btf, t: BtfType, id: TypeId): string {
  let s = `{"id":${id},"kind":${q(KIND_WORDS[t.kind] ?? 'UNKNOWN')},"name":${nm(btf, t.nameOff)}`;
  switch (t.kind) {
    case BtfKind.Int:
      s += `,"size":${t.size},"bits_offset":${t.bitOffset},"nr_bits":${t.bits},"encoding":${q(INT_ENCODINGS[t.encoding] ?? 'UNKN')}`;
      break;
    case BtfKind.Ptr:
    case BtfKind.Const:
    case BtfKind.Volatile:
    case BtfKind.Restrict:
    case BtfKind.Typedef:
    case BtfKind.TypeTag:
      s += `,"type_id":${t.type}`;
      break;
    case BtfKind.Array:
      s += `,"type_id":${t.type},"index_type_id":${t.indexType},"nr_elems":${t.nelems}`;
      break;
    case BtfKind.Struct:
    case BtfKind.Union:
      s += `,"size":${t.size},"vlen":${t.members.length},"members":[`;
      s += t.members
        .map((m) => `{"name":${nm(btf, m.nameOff)},"type_id":${m.type},"bits_offset":${m.bitOffset}${m.bitfieldSize ? `,"bitfield_size":${m.bitfieldSize}` : ''}}`)
        .join(',');
      s += ']';
      break;
    case BtfKind.Enum:
      s += `,"encoding":${q(t.signed ? 'SIGNED' : 'UNSIGNED')},"size":${t.size},"vlen":${t.values.length},"values":[`;
      // bpftool passes the s32 value to a u64 printer: unsigned values >= 2^31 come out sign-extended
      s += t.values
        .map((v) => `{"name":${nm(btf, v.nameOff)},"val":${t.signed ? v.value : BigInt.asUintN(64, BigInt(v.value | 0))}}`)
        .join(',');
      s += ']';
      break;
    case BtfKind.Enum64:
      s += `,"encoding":${q(t.signed ? 'SIGNED' : 'UNSIGNED')},"size":${t.size},"vlen":${t.values.length},"values":[`;
      s += t.values.map((v) => `{"name":${nm(btf, v.nameOff)},"val":${v.value}}`).join(',');
      s += ']';
      break;
    case BtfKind.Fwd:
      s += `,"fwd_kind":${q(t.isUnion ? 'union' : 'struct')}`;
      break;
    case BtfKind.Func:
      s += `,"type_id":${t.type},"linkage":${q(LINKAGE[t.linkage] ?? '(unknown)')}`;
      break;
    case BtfKind.FuncProto:
      s += `,"ret_type_id":${t.type},"vlen":${t.params.length},"params":[`;
      s += t.params.map((p) => `{"name":${nm(btf, p.nameOff)},"type_id":${p.type}}`).join(',');
      s += ']';
      break;
    case BtfKind.Var:
      s += `,"type_id":${t.type},"linkage":${q(LINKAGE[t.linkage] ?? '(unknown)')}`;
      break;
    case BtfKind.Datasec:
      s += `,"size":${t.size},"vlen":${t.vars.length},"vars":[`;
      s += t.vars.map((v) => `{"type_id":${v.type},"offset":${v.offset},"size":${v.size}}`).join(',');
      s += ']';
      break;
    case BtfKind.Float:
      s += `,"size":${t.size}`;
      break;
    case BtfKind.DeclTag:
      s += `,"type_id":${t.type},"component_idx":${t.componentIdx}`;
      break;
    default:
      break;
  }
  return s + '}';
}

/** `bpftool -j btf dump file FILE`: one line of (bpftool-flavoured) JSON. */
export function dumpJson(btf: Btf): string {
  const parts: string[] = [];
  for (let id = btf.startId; id < btf.typeCount; id++) parts.push(typeJson(btf, btf.type(id), id));
  return `{"types":[${parts.join(',')}]}\n`;
}

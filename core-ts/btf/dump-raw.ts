import { btfStrOrUndefined } from './parse.ts';
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
 * its first own id, as bpftool does). Built from chunks, joined once.
 */
export function dumpRaw(btf: Btf): string {
  const parts: string[] = [];
  let chunk = '';
  for (let id = btf.startId; id < btf.typeCount; id++) {
    chunk += dumpRawType(btf, btf.type(id), id);
    if (chunk.length > 65536) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

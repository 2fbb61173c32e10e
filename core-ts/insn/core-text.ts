import { isCorelabError } from '../errors.ts';
import { BtfKind } from '../btf/types.ts';
import type { Btf, BtfType, TypeId } from '../btf/types.ts';

/**
 * The text llvm-objdump -r prints after "CO-RE " for a `.BTF.ext` relocation record, e.g.
 * `<byte_off> [5] struct s::b.y[2] (0:1:1:2)`, `<enumval_value> [12] enum e::B = 2`,
 * `<type_exists> [5] struct s`. This is LLVM's rendering (BTFParser::symbolize), which is
 * not libbpf's spec format: no offsets, `::` after the root, signed/unsigned enum values from
 * a sign-extended 32-bit word. Malformed records get LLVM's `'<spec>' <reason>` form.
 */
export interface CoreRecordRef {
  readonly typeId: TypeId;
  readonly accessStr: string;
  readonly kind: number;
}

const KIND_WORDS: readonly string[] = [
  'byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64', 'local_type_id', 'target_type_id',
  'type_exists', 'type_size', 'enumval_exists', 'enumval_value', 'type_matches',
];
type Group = 'field' | 'type' | 'enumval' | 'unknown';
function groupOf(kind: number): Group {
  if (kind <= 5) return 'field';
  if (kind <= 9 || kind === 12) return 'type';
  if (kind === 10 || kind === 11) return 'enumval';
  return 'unknown';
}

const kindName = (k: number): string => `<${KIND_WORDS[k] ?? `reloc kind #${k >>> 0}`}>`;
/** C's %d of a 32-bit unsigned quantity */
const d32 = (v: number): number => v | 0;
/** LLVM walks modifier chains this far before giving up (its own limit); typedef skips get ours */
const MOD_CHAIN_LIMIT = 32;
const SKIP_LIMIT = 1024;

class Fail {
  constructor(readonly msg: string) {}
}

function typeOrNull(btf: Btf, id: TypeId): BtfType | null {
  try {
    return btf.type(id);
  } catch (e) {
    if (isCorelabError(e)) return null;
    throw e;
  }
}

const isMod = (k: number): boolean =>
  k === BtfKind.Volatile || k === BtfKind.Const || k === BtfKind.Restrict || k === BtfKind.TypeTag;

function skipModsAndTypedefs(btf: Btf, t: BtfType): BtfType {
  for (let i = 0; i < SKIP_LIMIT && (isMod(t.kind) || t.kind === BtfKind.Typedef); i++) {
    const next = typeOrNull(btf, (t as { type: TypeId }).type);
    if (!next) break;
    t = next;
  }
  return t;
}

/** LLVM's consumeUnsignedInteger loop over "N(:N)*"; indices keep only their low 32 bits. */
function parseSpec(spec: string): number[] | Fail {
  const out: number[] = [];
  let i = 0;
  while (i < spec.length) {
    const start = i;
    while (i < spec.length && spec.charCodeAt(i) >= 48 && spec.charCodeAt(i) <= 57) i++;
    if (i === start) return new Fail('spec string is not a number');
    const v = BigInt(spec.slice(start, i));
    if (v > 0xffffffffffffffffn) return new Fail('spec string is not a number');
    out.push(Number(v & 0xffffffffn));
    if (i === spec.length) break;
    if (spec[i] !== ':') return new Fail(`unexpected spec string delimiter: '${spec[i]}'`);
    i++;
  }
  return out;
}

const anon = (name: string, idx: number): string => (name === '' ? `<anon ${idx >>> 0}>` : name);

export function coreRecordText(btf: Btf, rec: CoreRecordRef): string {
  const r = render(btf, rec);
  if (r instanceof Fail) return `${kindName(rec.kind)} [${rec.typeId >>> 0}] '${rec.accessStr}' <${r.msg}>`;
  return r;
}

function render(btf: Btf, rec: CoreRecordRef): string | Fail {
  const spec = parseSpec(rec.accessStr);
  if (spec instanceof Fail) return spec;
  let s = kindName(rec.kind);
  let curId = rec.typeId >>> 0;
  let t = typeOrNull(btf, curId);
  if (!t) return new Fail(`unknown type id: ${d32(curId)}`);
  s += ` [${curId}]`;
  for (let chain = 0; isMod(t.kind); chain++) {
    s += t.kind === BtfKind.TypeTag ? ` type_tag("${t.name}")` : t.kind === BtfKind.Const ? ' const' : t.kind === BtfKind.Volatile ? ' volatile' : ' restrict';
    if (chain >= MOD_CHAIN_LIMIT) return new Fail('modifiers chain is too long');
    curId = (t as { type: TypeId }).type;
    const next = typeOrNull(btf, curId);
    if (!next) return new Fail(`unknown type id: ${d32(curId)} in modifiers chain`);
    t = next;
  }
  if (curId === 0) {
    s += ' void';
  } else {
    switch (t.kind) {
      case BtfKind.Typedef: s += ' typedef'; break;
      case BtfKind.Struct: s += ' struct'; break;
      case BtfKind.Union: s += ' union'; break;
      case BtfKind.Enum:
      case BtfKind.Enum64: s += ' enum'; break;
      case BtfKind.Fwd: s += t.isUnion ? ' fwd union' : ' fwd struct'; break;
      default: break;
    }
    s += ` ${anon(t.name, curId)}`;
  }

  const group = groupOf(rec.kind);
  if (group === 'type') {
    if (spec.length !== 1 || spec[0] !== 0) return new Fail("unexpected type-based relocation spec: should be '0'");
    return s;
  }
  s += '::';
  if (group === 'enumval') {
    t = skipModsAndTypedefs(btf, t);
    if (spec.length !== 1) return new Fail('unexpected enumval relocation spec size');
    const idx = spec[0]!;
    if (t.kind === BtfKind.Enum) {
      const v = t.values[idx];
      if (!v) return new Fail(`bad value index: ${d32(idx)}`);
      // the value word is read as a signed 32-bit number and widened to 64 bits
      const raw = BigInt(v.value | 0);
      return `${s}${anon(v.name, idx)} = ${t.signed ? raw : BigInt.asUintN(64, raw)}`;
    }
    if (t.kind === BtfKind.Enum64) {
      const v = t.values[idx];
      if (!v) return new Fail(`bad value index: ${d32(idx)}`);
      return `${s}${anon(v.name, idx)} = ${t.signed ? BigInt.asIntN(64, v.value) : BigInt.asUintN(64, v.value)}`;
    }
    return new Fail(`unexpected type kind for enum relocation: ${t.kind}`);
  }
  if (group === 'field') {
    if (spec.length < 1) return new Fail('field spec too short');
    if (spec[0] !== 0) s += `[${spec[0]}]`;
    for (let i = 1; i < spec.length; i++) {
      t = skipModsAndTypedefs(btf, t);
      const idx = spec[i]!;
      if (t.kind === BtfKind.Struct || t.kind === BtfKind.Union) {
        const m = t.members[idx];
        if (!m) return new Fail(`member index ${d32(idx)} for spec sub-string ${i} is out of range`);
        if (i !== 1 || spec[0] !== 0) s += '.';
        s += anon(m.name, idx);
        const next = typeOrNull(btf, m.type);
        if (!next) return new Fail(`unknown member type id ${d32(m.type)} for spec sub-string ${i}`);
        t = next;
      } else if (t.kind === BtfKind.Array) {
        s += `[${idx}]`;
        const next = typeOrNull(btf, t.type);
        if (!next) return new Fail(`unknown element type id ${d32(t.type)} for spec sub-string ${i}`);
        t = next;
      } else {
        return new Fail(`unexpected type kind ${t.kind} for spec sub-string ${i}`);
      }
    }
    return `${s} (${rec.accessStr})`;
  }
  return new Fail(`unknown relocation kind: ${d32(rec.kind)}`);
}

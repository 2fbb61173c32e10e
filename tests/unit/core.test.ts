/**
 * Table tests of the CO-RE engine's steps on hand-built BTF. Expected behaviour is libbpf
 * 1.1.2's (src/relo_core.c, src/libbpf.c; notes §2–3); the differential suite
 * (tests/diff/relo.test.ts) checks the same code against libbpf's own output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBtf } from '../../core-ts/btf/parse.ts';
import { loadBtf } from '../../core-ts/btf/load.ts';
import type { Btf } from '../../core-ts/btf/types.ts';
import { ReloKind } from '../../core-ts/btfext/relo-kind.ts';
import { essentialNameLen, kindsCoreCompat } from '../../core-ts/core/btf-util.ts';
import { CandidateIndex } from '../../core-ts/core/candidates.ts';
import { InsnBuffer } from '../../core-ts/core/insns.ts';
import { CoreLog, NullLog } from '../../core-ts/core/log.ts';
import { patchInsn } from '../../core-ts/core/patch.ts';
import type { PatchRecord } from '../../core-ts/core/patch.ts';
import { SPEC_MAX_LEN, formatSpec, parseSpec } from '../../core-ts/core/spec.ts';
import { emptyRes } from '../../core-ts/core/value.ts';
import { buildBtf } from './btf/builder.ts';
import type { RawType } from './btf/builder.ts';

const S = (s: string) => ({ s });

/** A local BTF with a few types, plus FLOAT types whose names carry access strings. */
function localBtf(accessStrings: string[], extra: RawType[] = []): { btf: Btf; off: (s: string) => number } {
  const types: RawType[] = [
    /* 1 */ { kind: 1, name: 'int', st: 4, words: [(1 << 24) | 32] },
    /* 2 */ { kind: 3, words: [1, 1, 4] }, // int[4]
    /* 3 */ { kind: 4, name: 's', vlen: 3, st: 24, words: [S('a'), 1, 0, S('arr'), 2, 32, 0, 4, 160] },
    /* 4 */ { kind: 4, vlen: 1, st: 4, words: [S('c'), 1, 0] }, // anonymous struct { int c; }
    /* 5 */ { kind: 6, name: 'e', vlen: 2, st: 4, words: [S('E_A'), 1, S('E_B'), 0xaaaaaaaa] },
    /* 6 */ { kind: 8, name: 's_t', st: 3 },
    ...extra,
  ];
  for (const a of accessStrings) types.push({ kind: 16, name: a, st: 4 });
  const btf = parseBtf(buildBtf(types));
  const off = (s: string): number => {
    for (let id = 1; id < btf.typeCount; id++) if (btf.kind(id) === 16 && btf.name(id) === s) return btf.type(id).nameOff;
    throw new Error(`no string ${s}`);
  };
  return { btf, off };
}

describe('essential names (bpf_core_essential_name_len)', () => {
  it.each([
    ['task_struct', 'task_struct'],
    ['task_struct___old', 'task_struct'],
    ['a___b___c', 'a___b'],
    ['foo___', 'foo___'],
    ['foo____bar', 'foo____bar'],
    ['x___y', 'x'],
    ['___y', '___y'],
    ['ab', 'ab'],
  ])('%s → %s', (name, ess) => {
    expect(name.slice(0, essentialNameLen(name))).toBe(ess);
  });
});

describe('access-spec parsing (bpf_core_parse_spec)', () => {
  const strs = ['0:1:2', '0:2:0', '2:0', '0:', '0::1', ':0', 'x', ' 0', '+0:1', '1', '0:0', '0:9'];
  const { btf, off } = localBtf(strs);
  const relo = (typeId: number, s: string, kind: number) => ({ insnOff: 0, typeId, accessStrOff: off(s), kind });
  const parse = (typeId: number, s: string, kind: number = ReloKind.FieldByteOffset) => parseSpec('p', btf, relo(typeId, s, kind), new NullLog());

  it('walks members and arrays, and formats like libbpf', () => {
    const r = parse(3, '0:1:2');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec.raw).toEqual([0, 1, 2]);
    expect(formatSpec(r.spec).text).toBe('<byte_off> [3] struct s.arr[2] (0:1:2 @ offset 12)');
  });
  it('anonymous members are raw-only accessors', () => {
    const r = parse(3, '0:2:0');
    expect(r.ok && formatSpec(r.spec).text).toBe('<byte_off> [3] struct s.c (0:2:0 @ offset 20)');
  });
  it('the first index is pointer arithmetic on the root size, through typedefs', () => {
    const r = parse(6, '2:0');
    expect(r.ok && formatSpec(r.spec).text).toBe('<byte_off> [6] typedef s_t[2].a (2:0 @ offset 48)');
  });
  it.each(['0:', '0::1', ':0', 'x'])('rejects %j with -EINVAL', (s) => {
    expect(parse(3, s)).toEqual({ ok: false, err: -22 });
  });
  it('accepts what sscanf("%d") accepts (leading space, plus sign)', () => {
    expect(parse(3, ' 0').ok).toBe(true);
    expect(parse(3, '+0:1').ok).toBe(true);
  });
  it('out-of-range member index is -EINVAL', () => {
    expect(parse(3, '0:9')).toEqual({ ok: false, err: -22 });
  });
  it('type-based kinds need exactly "0"', () => {
    expect(parse(3, '0:0', ReloKind.TypeSize)).toEqual({ ok: false, err: -22 });
    expect(parse(3, '1', ReloKind.TypeExists)).toEqual({ ok: false, err: -22 });
    const ok = parse(3, ' 0', ReloKind.TypeExists);
    expect(ok.ok).toBe(false); // strcmp, not sscanf
  });
  it('enumval kinds take one index below vlen, and print the enumerator as %u', () => {
    const r = parse(5, '1', ReloKind.EnumvalValue);
    expect(r.ok && formatSpec(r.spec).text).toBe(`<enumval_value> [5] enum e::E_B = ${0xaaaaaaaa}`);
    expect(parse(5, '0:0', ReloKind.EnumvalExists)).toEqual({ ok: false, err: -22 });
    expect(parse(5, '0:9', ReloKind.EnumvalExists)).toEqual({ ok: false, err: -22 });
  });
  it('an unknown kind is -EINVAL', () => {
    expect(parse(3, '0:0', 13)).toEqual({ ok: false, err: -22 });
  });
});

describe('the 64-component limit', () => {
  // n_0 { n_1 m; } … n_62 { int m; }: 63 nested single-member structs
  const N = SPEC_MAX_LEN - 1;
  const extra: RawType[] = [];
  const first = 7; // ids after localBtf's six
  for (let k = 0; k < N; k++) {
    const member = k === N - 1 ? 1 : first + k + 1;
    extra.push({ kind: 4, name: `n_${k}`, vlen: 1, st: 4, words: [S('m'), member, 0] });
  }
  const s64 = Array(SPEC_MAX_LEN).fill('0').join(':');
  const s65 = Array(SPEC_MAX_LEN + 1).fill('0').join(':');
  const { btf, off } = localBtf([s64, s65], extra);
  it('64 components parse, 65 give -E2BIG', () => {
    const p = (s: string) => parseSpec('p', btf, { insnOff: 0, typeId: first, accessStrOff: off(s), kind: 0 }, new NullLog());
    const ok = p(s64);
    expect(ok.ok && ok.spec.raw.length).toBe(SPEC_MAX_LEN);
    expect(p(s65)).toEqual({ ok: false, err: -7 });
  });
});

describe('spec formatting truncates at libbpf\'s 256-byte buffer', () => {
  const long = 'x'.repeat(300);
  const { btf, off } = localBtf(['0'], [{ kind: 4, name: long, vlen: 0, st: 0 }]);
  it('keeps 255 characters and reports the full length', () => {
    const r = parseSpec('p', btf, { insnOff: 0, typeId: 7, accessStrOff: off('0'), kind: ReloKind.TypeExists }, new NullLog());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const f = formatSpec(r.spec);
    expect(f.text.length).toBe(255);
    expect(f.fullLength).toBe(`<type_exists> [7] struct ${long}`.length);
  });
});

describe('candidate index = libbpf\'s linear scan (bpf_core_add_cands)', () => {
  const path = join(import.meta.dirname, '../kernels/debian-6.12.117-amd64.btf.xz');
  const target = loadBtf(new Uint8Array(readFileSync(path))).btf;
  const index = new CandidateIndex({ name: 'vmlinux', btf: target, startId: 1 });
  // names and essential names once, so the reference scan stays a plain loop over arrays
  const names: string[] = [];
  const essLen: number[] = [];
  for (let id = 0; id < target.typeCount; id++) {
    names.push(target.name(id));
    essLen.push(essentialNameLen(names[id]!));
  }
  const scan = (name: string, kind: number): number[] => {
    const len = essentialNameLen(name);
    const ess = name.slice(0, len);
    const out: number[] = [];
    for (let id = 1; id < target.typeCount; id++) {
      const n = names[id]!;
      if (n === '' || essLen[id] !== len || !kindsCoreCompat(target.kind(id), kind)) continue;
      if (n.slice(0, len) === ess) out.push(id);
    }
    return out;
  };
  it('gives the same ids in the same order for every 997th named type, plain and flavored', () => {
    let checked = 0;
    for (let id = 1; id < target.typeCount; id += 997) {
      const n = target.name(id);
      if (n === '') continue;
      const k = target.kind(id);
      for (const local of [n, `${n}___flavor`]) {
        expect(index.lookup(local.slice(0, essentialNameLen(local)), k)).toEqual(scan(local, k));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('log lines', () => {
  it('1.1.2\'s "\\n " tail joins the next message with a leading space', () => {
    const log = new CoreLog();
    log.warn("prog 'p': relo #0: error matching candidate #0 <x>: -7\n ");
    log.warn("prog 'p': relo #0: failed to relocate: -7\n");
    expect(log.lines().map((l) => l.text)).toEqual([
      "libbpf: prog 'p': relo #0: error matching candidate #0 <x>: -7",
      " libbpf: prog 'p': relo #0: failed to relocate: -7",
    ]);
  });
});

describe('patching (bpf_core_patch_insn)', () => {
  const relo = { insnOff: 0, typeId: 1, accessStrOff: 0, kind: 0 };
  const ldImm64 = (endian: 'little' | 'big') => {
    const b = new Uint8Array(16);
    b[0] = 0x18;
    b[1] = endian === 'little' ? 0x01 : 0x10; // dst r1
    return new InsnBuffer(b, endian);
  };
  it.each(['little', 'big'] as const)('poisons both ld_imm64 slots, second first (%s)', (endian) => {
    const insns = ldImm64(endian);
    const log = new CoreLog();
    const out: PatchRecord[] = [];
    const res = { ...emptyRes(), poison: true };
    expect(patchInsn('p', insns, 0, relo, 3, res, log, out)).toBe(0);
    expect(log.lines().map((l) => l.text)).toEqual([
      "libbpf: prog 'p': relo #3: substituting insn #1 w/ invalid insn",
      "libbpf: prog 'p': relo #3: substituting insn #0 w/ invalid insn",
    ]);
    for (const i of [0, 1]) {
      expect([insns.code(i), insns.dst(i), insns.src(i), insns.off(i), insns.imm(i)]).toEqual([0x85, 0, 0, 0, 0xbad2310]);
    }
  });
  it('an ALU insn with a register source is -EINVAL without a message', () => {
    const b = new Uint8Array(8);
    b[0] = 0x0f; // r += rX
    const log = new CoreLog();
    expect(patchInsn('p', new InsnBuffer(b, 'little'), 0, relo, 0, emptyRes(), log, [])).toBe(-22);
    expect(log.messages).toEqual([]);
  });
  it('an LDX offset above 32767 is -ERANGE', () => {
    const b = new Uint8Array(8);
    b[0] = 0x61; // r = *(u32 *)(r + off)
    const res = { ...emptyRes(), origVal: 0n, newVal: 40000n };
    expect(patchInsn('p', new InsnBuffer(b, 'little'), 0, relo, 0, res, new NullLog(), [])).toBe(-34);
  });
  it('ALU validation prints the s32 imm with %u and patches the low 32 bits', () => {
    const b = new Uint8Array(8);
    b[0] = 0xb7;
    const insns = new InsnBuffer(b, 'big');
    insns.setImm(0, -1);
    const log = new CoreLog();
    const res = { ...emptyRes(), origVal: 5n, newVal: 7n };
    expect(patchInsn('p', insns, 0, relo, 0, res, log, [])).toBe(-22);
    expect(log.lines()[0]!.text).toBe("libbpf: prog 'p': relo #0: unexpected insn #0 (ALU/ALU64) value: got 4294967295, exp 5 -> 7");
  });
});

describe('closest names (explanations)', () => {
  it('finds the kernel renames the issue names', async () => {
    const { closestNames } = await import('../../core-ts/core/closest.ts');
    expect(closestNames('state', ['__state', 'flags', 'stack', 'exit_state'])[0]).toBe('__state');
    expect(closestNames('i_ctime', ['i_mtime', '__i_ctime', 'i_atime'])[0]).toBe('__i_ctime');
    expect(closestNames('pid', ['flags', 'mm'])).toEqual([]);
  });
});

describe('guard estimate', () => {
  it('a constant-decided branch hides a poisoned call; an undecided one does not', async () => {
    const { analyseReachability } = await import('../../core-ts/core/guard.ts');
    const ins = (code: number, regs: number, off: number, imm: number): number[] => {
      const b = new Uint8Array(8);
      const dv = new DataView(b.buffer);
      b[0] = code;
      b[1] = regs;
      dv.setInt16(2, off, true);
      dv.setInt32(4, imm, true);
      return [...b];
    };
    // r1 = 0; if r1 == 0 goto +1; call 0xbad2310; exit
    const guarded = new InsnBuffer(
      new Uint8Array([...ins(0xb7, 0x01, 0, 0), ...ins(0x15, 0x01, 1, 0), ...ins(0x85, 0, 0, 0xbad2310), ...ins(0x95, 0, 0, 0)]),
      'little',
    );
    expect(analyseReachability(guarded, 2)).toEqual({ reachable: false, guards: [1] });
    // r1 = *(u32 *)(r1 + 0): unknown, so both edges stay
    const open = new InsnBuffer(
      new Uint8Array([...ins(0x61, 0x11, 0, 0), ...ins(0x15, 0x01, 1, 0), ...ins(0x85, 0, 0, 0xbad2310), ...ins(0x95, 0, 0, 0)]),
      'little',
    );
    expect(analyseReachability(open, 2).reachable).toBe(true);
  });
});

describe('vmlinux first, then modules (bpf_core_find_cands)', async () => {
  const { findCandidates, makeTargetSet } = await import('../../core-ts/core/candidates.ts');
  // local: struct only_mod, struct both; vmlinux: struct both; module (split): struct only_mod, struct both
  const local = parseBtf(buildBtf([
    { kind: 1, name: 'int', st: 4, words: [(1 << 24) | 32] },
    { kind: 4, name: 'only_mod___v2', vlen: 0, st: 0 },
    { kind: 4, name: 'both', vlen: 0, st: 0 },
  ]));
  const vmlinux = parseBtf(buildBtf([
    { kind: 1, name: 'int', st: 4, words: [(1 << 24) | 32] },
    { kind: 4, name: 'both', vlen: 0, st: 0 },
    { kind: 5, name: 'only_mod', vlen: 0, st: 0 }, // a union: other kind, not a candidate
  ]));
  const strLen = vmlinux.header.strLen;
  const mod = parseBtf(
    buildBtf([{ kind: 4, name: 'only_mod', vlen: 0, st: 0 }, { kind: 4, name: 'both', vlen: 0, st: 0 }], { strBase: strLen }),
    { base: vmlinux },
  );
  const label = (c: ReturnType<typeof findCandidates>) => (typeof c === 'number' ? c : c.map((x) => `${x.target.name}:${x.id}`));

  it('modules are searched (own types only) when vmlinux has no same-name same-kind type', () => {
    const log = new CoreLog();
    expect(label(findCandidates(local, 2, makeTargetSet(vmlinux, [{ name: 'mymod', btf: mod }]), log))).toEqual(['mymod:4']);
    expect(log.lines().map((l) => l.text)).toEqual([
      'libbpf: CO-RE relocating [2] struct only_mod___v2: found target candidate [4] struct only_mod in [mymod]',
    ]);
  });
  it('a vmlinux candidate stops the search, even if it will not match', () => {
    expect(label(findCandidates(local, 3, makeTargetSet(vmlinux, [{ name: 'mymod', btf: mod }]), new NullLog()))).toEqual(['vmlinux:2']);
  });
  it('with an explicit target BTF (btf_custom_path) modules are never used', () => {
    expect(label(findCandidates(local, 2, makeTargetSet(vmlinux, [{ name: 'mymod', btf: mod }], true), new NullLog()))).toEqual([]);
  });
  it('an anonymous local type is -EINVAL', () => {
    const anon = parseBtf(buildBtf([{ kind: 4, vlen: 0, st: 0 }]));
    expect(findCandidates(anon, 1, makeTargetSet(vmlinux), new NullLog())).toBe(-22);
  });
});

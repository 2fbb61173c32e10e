// Turns relo-oracle's raw facts (stdin) into the oracle document (stdout):
// per-relocation outcomes parsed from libbpf's CO-RE log lines, each function's
// instructions after CO-RE cut out of the final programs (libbpf's later map /
// call fix-ups masked), and each program's load verdict.
//
//   relo-oracle OBJ TARGET | node assemble.mjs [--compact]
//
// --compact keeps only what golden comparisons use (see compact() below).
// Node only (this is test tooling, not core-ts).
import { readFileSync, writeFileSync } from 'node:fs';

// .BTF.ext kind numbers (enum bpf_core_relo_kind), named as libbpf prints them
const KIND_NAMES = [
  'byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64',
  'local_type_id', 'target_type_id', 'type_exists', 'type_size',
  'enumval_exists', 'enumval_value', 'type_matches',
];

export function assemble(raw, { targetName = null, baseName = null } = {}) {
  // log entries: [pass, level, class, text]; class c = CO-RE step, v = verifier log body
  const mainLog = raw.log.filter((l) => l[0] === 0);

  // ---------- relocations ----------

  // libbpf prints 1.1.2's "\n " quirk as a leading space on the next line;
  // parsing ignores it, the log keeps it.
  const PREFIX = 'libbpf: ';
  function body(text) {
    const t = text.startsWith(' ' + PREFIX) ? text.slice(1) : text;
    return t.startsWith(PREFIX) ? t.slice(PREFIX.length) : t;
  }

  const relos = raw.core_records.map((r) => {
    const fn = functionAt(r.section, r.insn_off / 8);
    return {
      section: r.section,
      index: r.index,
      program: fn ? fn.name : null,
      insn: fn ? r.insn_off / 8 - fn.sec_insn_off : null,
      kind: KIND_NAMES[r.kind] ?? `kind_${r.kind}`,
      type_id: r.type_id,
      access: r.access,
      local_spec: null,
      candidate_search: [],
      candidates: [],
      no_matching_targets: false,
      status: 'not_processed',
      patches: [],
      poisoned: [],
      error: null,
      warnings: [],
    };
  });
  const reloByKey = new Map(relos.map((r) => [`${r.section}\u0000${r.index}`, r]));

  function functionAt(section, secInsn) {
    return raw.functions.find(
      (f) => f.section === section && secInsn >= f.sec_insn_off && secInsn < f.sec_insn_off + f.insn_cnt,
    );
  }

  let curSection = null;
  let current = null;         // relocation the last "relo #N" line named
  let pendingSearch = [];     // candidate-cache lines, printed before the relo that triggered them
  let coreAborted = false;
  const unparsed = [];

  for (const [, level, cls, text] of mainLog) {
    if (cls !== 'c') continue;
    const b = body(text);
    let m;
    if ((m = /^sec '(.*)': found \d+ CO-RE relocations$/.exec(b))) {
      curSection = m[1];
      current = null;
      continue;
    }
    if ((m = /^sec '(.*)': skipping CO-RE relocation #(\d+) /.exec(b))) {
      const r = reloByKey.get(`${m[1]}\u0000${m[2]}`);
      if (r) r.status = 'skipped_weak';
      continue;
    }
    if (b.startsWith('CO-RE relocating [')) {
      pendingSearch.push(b.replace(/^CO-RE relocating /, ''));
      continue;
    }
    if (/^failed to (perform CO-RE relocations|parse target BTF)/.test(b)) {
      coreAborted = true;
      continue;
    }
    if ((m = /^prog '(.*?)': relo #(\d+): (.*)$/s.exec(b))) {
      const r = reloByKey.get(`${curSection}\u0000${m[2]}`);
      if (!r) {
        unparsed.push(text);
        continue;
      }
      current = r;
      if (r.program === null) r.program = m[1];
      if (pendingSearch.length) {
        r.candidate_search.push(...pendingSearch);
        pendingSearch = [];
      }
      if (level === 'w') r.warnings.push(b.slice(b.indexOf(': relo #') + 2));
      applyReloLine(r, m[3], level);
      continue;
    }
    // lines without a relo number belong to the relocation being processed
    if (current && (/^prog '.*?': relo (\d+) at insn #/.test(b) || /^prog '.*?': relo for \[/.test(b)
      || /^unexpected kind /.test(b))) {
      if (level === 'w') current.warnings.push(b);
      continue;
    }
    unparsed.push(text);
  }

  function applyReloLine(r, rest, level) {
    let m;
    if (r.local_spec === null && rest.startsWith('<')) {
      r.local_spec = rest;
      if (r.status === 'not_processed') r.status = 'resolved';
      return;
    }
    if ((m = /^(matching|non-matching) candidate #(\d+) (.*)$/s.exec(rest))) {
      r.candidates.push({ index: Number(m[2]), matching: m[1] === 'matching', spec: m[3] });
      return;
    }
    if ((m = /^error matching candidate #(\d+) (.*): (-?\d+)$/s.exec(rest))) {
      r.candidates.push({ index: Number(m[1]), matching: false, spec: m[2], error: Number(m[3]) });
      return;
    }
    if (rest === 'no matching targets found') {
      r.no_matching_targets = true;
      return;
    }
    if ((m = /^patched insn #(\d+) \(([A-Z0-9/]+)\) (imm|off|mem_sz|imm64) (\d+) -> (\d+)$/.exec(rest))) {
      r.patches.push({ insn: Number(m[1]), class: m[2], field: m[3], old: m[4], new: m[5] });
      if (r.status !== 'error') r.status = r.poisoned.length ? 'poisoned' : 'patched';
      return;
    }
    if ((m = /^substituting insn #(\d+) w\/ invalid insn$/.exec(rest))) {
      r.poisoned.push(Number(m[1]));
      if (r.status !== 'error') r.status = 'poisoned';
      return;
    }
    if (level === 'w' && /^(failed to (relocate|patch insn|record relocation)|target candidate search failed)/.test(rest)) {
      r.status = 'error';
      if (r.error === null) r.error = rest;
      return;
    }
    // other warnings (ambiguity, unexpected value, ...) stay in r.warnings
  }

  // ---------- programs: layout, per-function instructions, verdicts ----------

  const layouts = new Map(); // program name -> [{ function, at, insn_cnt }]
  for (const p of raw.programs) {
    const main = raw.functions.find((f) => f.name === p.name && f.section === p.section);
    layouts.set(p.name, [{ function: p.name, at: 0, insn_cnt: main ? main.insn_cnt : p.insn_cnt }]);
  }
  for (const [, , , text] of mainLog) {
    const m = /^prog '(.*?)': added (\d+) insns from sub-prog '(.*?)'$/.exec(body(text));
    if (!m) continue;
    const lay = layouts.get(m[1]);
    if (!lay) continue;
    const last = lay[lay.length - 1];
    lay.push({ function: m[3], at: last.at + last.insn_cnt, insn_cnt: Number(m[2]) });
  }

  // libbpf's fix-ups after CO-RE put run-specific values into instructions:
  // map fds / map value addresses / BTF ids in ld_imm64 (src_reg != 0) and
  // subprogram offsets / kfunc ids in calls (src_reg 1 or 2). At a masked index
  // the src_reg nibble, off and imm are zeroed; apply the same to any
  // instruction list compared with these.
  function maskInsns(insns) {
    const out = insns.slice();
    const masked = [];
    for (let i = 0; i < out.length; i++) {
      const code = parseInt(out[i].slice(0, 2), 16);
      const src = parseInt(out[i][2], 16);
      if ((code === 0x18 && src !== 0) || (code === 0x85 && (src === 1 || src === 2))) {
        masked.push(i);
        out[i] = maskOne(out[i]);
        if (code === 0x18 && i + 1 < out.length) {
          masked.push(i + 1);
          out[i + 1] = maskOne(out[i + 1]);
          i++;
        }
      }
    }
    return { insns: out, masked };
  }
  function maskOne(hex) {
    // bytes: code, dst | src << 4, off (2), imm (4)
    return hex.slice(0, 2) + '0' + hex[3] + '0000' + '00000000';
  }

  // Final instructions show CO-RE's work only once libbpf finished relocating:
  // it has (the load went through, or some program reached the kernel).
  const pass0 = raw.passes[0];
  // libbpf's "prog '...': failed to load: <err>" comes from its per-program
  // load loop, which runs after relocation (also when it fails before the syscall).
  const progLoadFailed = mainLog.some(([, lv, , t]) => lv === 'w' && /^prog '.*': failed to load: -?\d+$/.test(body(t)));
  const relocated = !!pass0 && !pass0.open_err
    && (!pass0.load_err || progLoadFailed || raw.programs.some((p) => p.load_pass === 0 && p.attempts.length > 0));
  const programsByName = new Map(raw.programs.map((p) => [p.name, p]));
  const functions = raw.functions.map((f) => {
    let from = null;
    let at = 0;
    const own = programsByName.get(f.name);
    if (own && own.section === f.section) {
      from = own;
    } else {
      for (const p of raw.programs) {
        const e = layouts.get(p.name).find((x) => x.function === f.name && x.at > 0);
        if (e) {
          from = p;
          at = e.at;
          break;
        }
      }
    }
    if (!from || !relocated) {
      return {
        name: f.name, section: f.section, insn_cnt: f.insn_cnt, from_program: from ? from.name : null,
        core_applied: null, insns: null, masked: [],
        why_no_insns: !relocated ? 'libbpf did not finish relocating' : 'not part of any program',
      };
    }
    const slice = from.insns.slice(at, at + f.insn_cnt);
    const { insns, masked } = maskInsns(slice);
    return {
      name: f.name,
      section: f.section,
      insn_cnt: f.insn_cnt,
      from_program: from.name,
      at,
      core_applied: from.autoload,   // libbpf skips CO-RE of programs it will not load
      insns,
      masked,
    };
  });

  function tail(log, n) {
    if (!log) return [];
    const ls = log.split('\n');
    if (ls.length && ls[ls.length - 1] === '') ls.pop();
    return ls.slice(-n);
  }

  const programs = raw.programs.map((p) => {
    const last = p.attempts[p.attempts.length - 1];
    const logAttempt = [...p.attempts].reverse().find((a) => a.kernel_log !== null);
    return {
      name: p.name,
      section: p.section,
      prog_type: p.prog_type,
      autoload: p.autoload,
      insn_cnt: p.insn_cnt,
      layout: layouts.get(p.name),
      load: {
        attempted: p.attempts.length > 0,
        pass: p.load_pass,
        attempts: p.attempts.length,
        ok: last ? last.ret_ok : null,
        errno: last ? last.errno : null,
        submitted_equals_insns: p.load_pass === 0 ? p.attempts.every((a) => a.submitted_equals_insns) : null,
        verifier_log_tail: logAttempt && !last.ret_ok ? tail(logAttempt.kernel_log, 8) : [],
      },
      insns: maskInsns(p.insns).insns,
    };
  });

  // ---------- overall verdict ----------

  let stage = null;
  if (!pass0) stage = 'oracle';
  else if (pass0.open_err) stage = 'open';
  else if (pass0.load_err) {
    const texts = mainLog.map((l) => body(l[3]));
    if (texts.some((t) => t.startsWith('failed to parse target BTF'))) stage = 'target_btf';
    else if (coreAborted) stage = 'core_relocation';
    else if (raw.programs.some((p) => p.load_pass === 0 && !p.attempts[p.attempts.length - 1].ret_ok)) stage = 'prog_load';
    else if (progLoadFailed) stage = 'prog_prepare';  // libbpf gave up before the syscall
    else stage = 'other';
  }
  if (coreAborted) {
    // relocations after the one that failed were never looked at
    for (const r of relos) if (r.status === 'resolved') r.status = 'unknown';
  }

  const doc = {
    oracle: {
      tool: raw.oracle.tool,
      libbpf_version: raw.oracle.libbpf_version,
      object: raw.oracle.object,
      target: targetName ?? raw.oracle.target,
      base: raw.oracle.base === null ? null : baseName ?? raw.oracle.base,
      flatten_error: raw.oracle.flatten_error,
    },
    target_btf: raw.target_btf,
    result: {
      ok: !!pass0 && !pass0.open_err && !pass0.load_err,
      stage,
      open_errno: pass0 ? -pass0.open_err : null,
      load_errno: pass0 ? -pass0.load_err : null,
    },
    elf_error: raw.elf_error,
    map_fixups: raw.map_fixups,
    counts: countOutcomes(relos),
    relos,
    functions,
    programs,
    unparsed_core_lines: unparsed,
    passes: raw.passes,
    log: raw.log.map(([pass, level, cls, text]) => [pass, level, cls, text]),
  };

  return doc;
}

function countOutcomes(rs) {
  const c = { total: rs.length };
  for (const r of rs) c[r.status] = (c[r.status] ?? 0) + 1;
  return c;
}

// Golden files keep: relocations, functions (masked instructions), program
// verdicts, and the main pass's CO-RE log lines plus the CO-RE fix-up lines
// libbpf writes into verifier logs. Dropped: timings, other log lines, whole
// program instruction lists (the functions carry them), kernel log bodies.
export function compact(d) {
  const { passes, log, programs: ps, ...rest } = d;
  return {
    ...rest,
    relos: rest.relos.map(dropEmpty),
    functions: rest.functions.map(dropEmpty),
    programs: ps.map(({ insns, ...p }) => ({
      ...p,
      load: { ...p.load, verifier_log_tail: p.load.verifier_log_tail.slice(-3).map(stableLine) },
    })),
    passes: passes.map((p) => ({ pass: p.pass, only: p.only, open_err: p.open_err, load_err: p.load_err })),
    log: log
      .filter(([pass, , cls, text]) => pass === 0 && (cls === 'c' || (cls === 'v' && text.includes('CO-RE'))))
      .map(([, level, cls, text]) => [level, cls, text]),
    // libbpf's other warnings of the main pass (why an open or load failed)
    other_warnings: log
      .filter(([pass, level, cls]) => pass === 0 && level === 'w' && cls === 'o')
      .map(([, , , text]) => text),
  };
}

// Golden files omit a relocation's / function's empty fields ([], null,
// false): readers treat a missing field as that empty value.
function dropEmpty(o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === false || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

// Kernel addresses in verifier logs change from run to run.
function stableLine(line) {
  return line.replace(/0x[0-9a-f]{9,}/g, '0x…');
}

function argValue(argv, name) {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : null;
}

function main(argv) {
  const compactMode = argv.includes('--compact');
  const batch = argValue(argv, '--batch');
  const render = (doc) => JSON.stringify(compactMode ? compact(doc) : doc, null, compactMode ? 0 : 1) + '\n';
  if (batch) {
    // TSV lines: raw.json, output path, target name, base name (or -)
    for (const line of readFileSync(batch, 'utf8').split('\n')) {
      if (!line) continue;
      const [rawPath, outPath, targetName, baseName] = line.split('\t');
      const raw = JSON.parse(readFileSync(rawPath, 'utf8'));
      writeFileSync(outPath, render(assemble(raw, { targetName, baseName: baseName === '-' ? null : baseName })));
    }
    return;
  }
  const raw = JSON.parse(readFileSync(0, 'utf8'));
  process.stdout.write(render(assemble(raw, {
    targetName: argValue(argv, '--target-name'),
    baseName: argValue(argv, '--base-name'),
  })));
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));

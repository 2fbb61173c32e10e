/**
 * Opt-in phase timer for the CLI's cold path: CORELAB_TIMINGS=1 prints, on stderr at exit, how
 * the process's wall time, CPU time and minor page faults split into phases (start-up, bundle
 * evaluation, file read, parse, dump, stdout writes). Imported first by cli/main.ts, so its t0
 * is the moment the bundle starts evaluating. Off, every call is one boolean test.
 *
 * Page faults are reported because on a VM with shadow page tables the first touch of a page
 * costs microseconds: fresh memory is a phase's cost as much as its instructions.
 */

const on = process.env.CORELAB_TIMINGS === '1';

interface Usage {
  /** user + system, ms, the whole process (V8's compiler and GC threads included) */
  cpu: number;
  faults: number;
}

function usage(): Usage {
  const r = process.resourceUsage();
  return { cpu: (r.userCPUTime + r.systemCPUTime) / 1000, faults: r.minorPageFault };
}

const t0 = on ? performance.now() : 0;
const u0: Usage = on ? usage() : { cpu: 0, faults: 0 };

interface Phase {
  wall: number;
  /** undefined for phases timed without usage (see `timed`) */
  use: Usage | undefined;
  count: number;
}

const phases = new Map<string, Phase>();
interface Frame {
  wall: number;
  use: Usage | undefined;
  innerWall: number;
  innerUse: Usage;
}
/** phases running now, innermost last: an inner phase's time is taken out of the outer one */
const stack: Frame[] = [];

export function timingsOn(): boolean {
  return on;
}

/** Called when main() starts: the time since t0 went into evaluating the bundle's modules. */
export function bundleEvaluated(): void {
  if (on) record('bundle-eval', performance.now() - t0, minus(usage(), u0));
}

function minus(a: Usage, b: Usage): Usage {
  return { cpu: a.cpu - b.cpu, faults: a.faults - b.faults };
}

function begin(withUsage: boolean): void {
  stack.push({ wall: performance.now(), use: withUsage ? usage() : undefined, innerWall: 0, innerUse: { cpu: 0, faults: 0 } });
}

function end(name: string): void {
  const f = stack.pop()!;
  const wall = performance.now() - f.wall;
  const use = f.use ? minus(usage(), f.use) : undefined;
  record(name, wall - f.innerWall, use ? minus(use, f.innerUse) : undefined);
  const outer = stack[stack.length - 1];
  if (outer) {
    outer.innerWall += wall;
    if (use) {
      outer.innerUse.cpu += use.cpu;
      outer.innerUse.faults += use.faults;
    }
  }
}

/**
 * Run `fn` as phase `name` (repeated calls add up; nested phases are not counted twice).
 * Reading CPU time costs up to milliseconds while V8's background threads run: pass
 * `withUsage = false` for phases called many times (wall time only).
 */
export function timed<T>(name: string, fn: () => T, withUsage = true): T {
  if (!on) return fn();
  begin(withUsage);
  try {
    return fn();
  } finally {
    end(name);
  }
}

/** Async variant of `timed`, for a whole command run. */
export async function timedAsync<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!on) return fn();
  begin(true);
  try {
    return await fn();
  } finally {
    end(name);
  }
}

function record(name: string, wall: number, use: Usage | undefined): void {
  const p = phases.get(name);
  if (!p) {
    phases.set(name, { wall, use, count: 1 });
    return;
  }
  p.wall += wall;
  p.count++;
  if (p.use && use) {
    p.use.cpu += use.cpu;
    p.use.faults += use.faults;
  }
}

/** One phase a line: `corelab-timing <phase> <wall ms> <cpu ms|-> <minor faults|-> <calls>`. */
function report(): string {
  const lines: string[] = [];
  const row = (name: string, wall: number, use: Usage | undefined, count = 1): void => {
    const u = use ? `${use.cpu.toFixed(2)} ${use.faults}` : '- -';
    lines.push(`corelab-timing ${name} ${wall.toFixed(2)} ${u} ${count}`);
  };
  // Node's own clock starts with the process: what ran before the bundle's first statement
  // (the global, not node:perf_hooks: importing a builtin costs the cold path a millisecond or two)
  const boot = (performance as unknown as { nodeTiming: { bootstrapComplete: number } }).nodeTiming.bootstrapComplete;
  row('node-bootstrap', boot, undefined);
  // reading, compiling and linking the bundle; its usage is everything before t0
  row('bundle-load', t0 - boot, u0);
  for (const [name, p] of phases) row(name, p.wall, p.use, p.count);
  row('total-to-exit', performance.now(), usage());
  return lines.join('\n') + '\n';
}

if (on) {
  process.on('exit', () => {
    process.stderr.write(report());
  });
}

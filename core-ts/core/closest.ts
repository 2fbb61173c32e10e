/**
 * "Did you mean": the target names nearest to a missing one. Kernel renames are usually a
 * prefix or suffix added (`state` → `__state`, `i_ctime` → `__i_ctime`), so containment ranks
 * before plain edit distance.
 */

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to `max` names from `pool` close to `name`, best first; none when nothing is close. */
export function closestNames(name: string, pool: Iterable<string>, max = 3): string[] {
  if (name === '') return [];
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored: { n: string; score: number }[] = [];
  const seen = new Set<string>();
  for (const n of pool) {
    if (n === '' || n === name || seen.has(n)) continue;
    seen.add(n);
    let score: number;
    if (n.includes(name) || name.includes(n)) score = Math.abs(n.length - name.length) * 0.1;
    else {
      const d = editDistance(name, n, limit);
      if (d > limit) continue;
      score = d;
    }
    if (Math.min(n.length, name.length) < 3 && score > 0.5) continue;
    scored.push({ n, score });
  }
  scored.sort((a, b) => a.score - b.score || a.n.localeCompare(b.n));
  return scored.slice(0, max).map((s) => s.n);
}

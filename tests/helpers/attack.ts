// The attacker, for suppression tests: solves every additive relation of what was published.
import type { Cube, Level } from '../../server/privacy/suppress.ts';

const LEVELS: Level[] = ['month', 'quarter', 'year'];

/**
 * The attacker, written independently of the server's audit: every additive relation of what was
 * published, solved exactly over BigInt fractions. Returns the hidden cells whose value follows.
 */
export function attack(cube: Cube): string[] {
  type Frac = [bigint, bigint];
  const norm = ([n, d]: Frac): Frac => {
    if (n === 0n) return [0n, 1n];
    const g = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : g(b, a % b));
    const k = g(n, d) * (d < 0n ? -1n : 1n);
    return [n / k, d / k];
  };
  const sub = (a: Frac, b: Frac): Frac => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
  const mul = (a: Frac, b: Frac): Frac => norm([a[0] * b[0], a[1] * b[1]]);
  const div = (a: Frac, b: Frac): Frac => norm([a[0] * b[1], a[1] * b[0]]);
  const unknown: string[] = [];
  const idx = new Map<string, number>();
  const id = (l: Level, r: number, c: number) => `${l}:${cube.rows[r]}:${cube.periods[l][c]}`;
  for (const l of LEVELS) cube.hidden[l].forEach((row, r) => row.forEach((h, c) => {
    if (h && cube.values[l][r]![c] !== null) { idx.set(id(l, r, c), unknown.length); unknown.push(id(l, r, c)); }
  }));
  const eqs: Frac[][] = [];
  const add = (sum: [Level, number, number], parts: [Level, number, number][]) => {
    const row: Frac[] = unknown.map(() => [0n, 1n] as Frac);
    let touched = false;
    for (const [k, [l, r, c]] of [sum, ...parts].entries()) {
      const j = idx.get(id(l, r, c));
      if (j === undefined) continue;
      row[j] = norm([row[j]![0] + (k === 0 ? 1n : -1n) * row[j]![1], row[j]![1]]);
      touched = true;
    }
    if (touched) eqs.push(row);
  };
  const tot = cube.rows.length - 1;
  for (const l of LEVELS) cube.periods[l].forEach((_, c) => add([l, tot, c], cube.rows.slice(0, tot).map((_, r) => [l, r, c])));
  const q = (m: string) => `${m.slice(0, 5)}${String(Math.floor((Number(m.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  cube.rows.forEach((_, r) => {
    cube.periods.quarter.forEach((qq, c) => add(['quarter', r, c], cube.periods.month.map((m, j) => [m, j] as const).filter(([m]) => q(m) === qq).map(([, j]) => ['month', r, j])));
    cube.periods.year.forEach((y, c) => add(['year', r, c], cube.periods.quarter.map((qq, j) => [qq, j] as const).filter(([qq]) => qq.slice(0, 4) === y.slice(0, 4)).map(([, j]) => ['quarter', r, j])));
  });
  // Dense elimination.
  const m = eqs.map((r) => r.slice());
  let rank = 0;
  const pivotCols: number[] = [];
  for (let col = 0; col < unknown.length && rank < m.length; col++) {
    const p = m.findIndex((r, i) => i >= rank && r[col]![0] !== 0n);
    if (p < 0) continue;
    [m[rank], m[p]] = [m[p]!, m[rank]!];
    const pv = m[rank]![col]!;
    m[rank] = m[rank]!.map((v) => div(v, pv));
    for (let i = 0; i < m.length; i++) {
      if (i === rank || m[i]![col]![0] === 0n) continue;
      const f = m[i]![col]!;
      m[i] = m[i]!.map((v, j) => sub(v, mul(f, m[rank]![j]!)));
    }
    pivotCols.push(col);
    rank++;
  }
  return pivotCols.filter((col, i) => m[i]!.every((v, j) => j === col || v[0] === 0n)).map((c) => unknown[c]!);
}


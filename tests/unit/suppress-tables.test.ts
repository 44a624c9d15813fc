// server/privacy/tables.ts: suppression over several measures that share areas and months.
// Checked against an attacker written here: every relation of the published table rebuilt from
// scratch and solved exactly over BigInt fractions; no hidden cell may follow from what is shown.
import { describe, expect, it } from 'vitest';
import { suppressCube, type Level } from '../../server/privacy/suppress.ts';
import { suppressMeasures, type MeasureCube } from '../../server/privacy/tables.ts';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const LEVELS: Level[] = ['month', 'quarter', 'year'];

/** Hidden cells whose value follows from the visible cells, over `relations` (lists of [sum, ...parts] cell ids). */
function attack(values: Map<string, number>, hidden: Set<string>, relations: string[][]): string[] {
  type F = [bigint, bigint];
  const norm = ([n, d]: F): F => {
    if (n === 0n) return [0n, 1n];
    const g = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : g(b, a % b));
    const k = g(n, d) * (d < 0n ? -1n : 1n);
    return [n / k, d / k];
  };
  const unknown = [...hidden];
  const idx = new Map(unknown.map((u, i) => [u, i]));
  const rows: F[][] = [];
  for (const rel of relations) {
    const row: F[] = unknown.map(() => [0n, 1n]);
    let touched = false;
    rel.forEach((c, k) => {
      const j = idx.get(c);
      if (j === undefined) return;
      row[j] = norm([row[j]![0] + (k === 0 ? 1n : -1n), 1n]);
      touched = true;
    });
    if (touched) rows.push(row);
  }
  let rank = 0;
  const pivots: number[] = [];
  for (let col = 0; col < unknown.length && rank < rows.length; col++) {
    const p = rows.findIndex((r, i) => i >= rank && r[col]![0] !== 0n);
    if (p < 0) continue;
    [rows[rank], rows[p]] = [rows[p]!, rows[rank]!];
    const pv = rows[rank]![col]!;
    rows[rank] = rows[rank]!.map(([n, d]) => norm([n * pv[1], d * pv[0]]));
    for (let i = 0; i < rows.length; i++) {
      if (i === rank || rows[i]![col]![0] === 0n) continue;
      const f = rows[i]![col]!;
      rows[i] = rows[i]!.map((v, j) => {
        const [a, b] = rows[rank]![j]!;
        return norm([v[0] * f[1] * b - f[0] * a * v[1], v[1] * f[1] * b]);
      });
    }
    pivots.push(col);
    rank++;
  }
  const out: string[] = [];
  for (let r = 0; r < rank; r++) {
    const nz = rows[r]!.map((v, j) => (v[0] !== 0n ? j : -1)).filter((j) => j >= 0);
    if (nz.length === 1) out.push(unknown[nz[0]!]!);
  }
  void values;
  return out;
}

/** Every relation of the table, built independently of tables.ts. */
function relationsOf(t: MeasureCube, measures: string[], identities: { sum: string; parts: string[] }[]): string[][] {
  const id = (m: string, l: Level, r: number, c: number) => `${m}:${l}:${r}:${c}`;
  const rels: string[][] = [];
  const tot = t.rows.length - 1;
  const q = (m: string) => `${m.slice(0, 5)}${String(Math.floor((Number(m.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  for (const m of measures) {
    for (const l of LEVELS) t.periods[l].forEach((_, c) => rels.push([id(m, l, tot, c), ...t.rows.slice(0, tot).map((_, r) => id(m, l, r, c))]));
    t.rows.forEach((_, r) => {
      t.periods.quarter.forEach((qq, c) => rels.push([id(m, 'quarter', r, c), ...t.periods.month.map((mo, j) => (q(mo) === qq ? id(m, 'month', r, j) : '')).filter(Boolean)]));
      t.periods.year.forEach((y, c) => rels.push([id(m, 'year', r, c), ...t.periods.quarter.map((qq, j) => (qq.slice(0, 4) === y.slice(0, 4) ? id(m, 'quarter', r, j) : '')).filter(Boolean)]));
    });
  }
  for (const i of identities) for (const l of LEVELS) t.rows.forEach((_, r) => t.periods[l].forEach((_, c) => rels.push([id(i.sum, l, r, c), ...i.parts.map((p) => id(p, l, r, c))])));
  return rels;
}

function hiddenSet(t: MeasureCube, measures: string[]): { hidden: Set<string>; values: Map<string, number> } {
  const hidden = new Set<string>();
  const values = new Map<string, number>();
  for (const m of measures) {
    for (const l of LEVELS) {
      t.values[m]![l].forEach((row, r) =>
        row.forEach((v, c) => {
          if (v === null) return;
          values.set(`${m}:${l}:${r}:${c}`, v);
          if (t.hidden[m]![l][r]![c]) hidden.add(`${m}:${l}:${r}:${c}`);
        }),
      );
    }
  }
  return { hidden, values };
}

const months = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01', '2024-07-01', '2024-08-01', '2024-09-01', '2024-10-01', '2024-11-01', '2024-12-01', '2025-01-01', '2025-02-01', '2025-03-01'];

describe('suppression over several measures (tables.ts)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`leaves no hidden cell recoverable in a breakdown tied to its indicator's cube (seed ${seed})`, () => {
      const r = rng(seed);
      const rows = ['A', 'B', 'C', 'D', '(no area)'];
      const strata = ['female', 'male', 'unknown'];
      const counts = strata.map(() => rows.map(() => months.map(() => Math.floor(r() ** 2 * 14))));
      const indicator = rows.map((_, i) => months.map((_, j) => strata.reduce((s, _, k) => s + counts[k]![i]![j]!, 0)));
      const cube = suppressCube({ rows, months, counts: indicator }, 5);
      const t = suppressMeasures(rows, months, [{ id: 'ind', threshold: 5, cube }, ...strata.map((s, k) => ({ id: s, threshold: 5, counts: counts[k]! }))], [{ sum: 'ind', parts: strata }]);
      expect(t.audited).toBe(true);
      expect(t.exposed).toBe(0);
      const all = ['ind', ...strata];
      const { hidden, values } = hiddenSet(t, all);
      // Primary rule on every measure; the indicator's own cells and flags untouched.
      for (const [k, v] of values) if (v > 0 && v < 5) expect(hidden.has(k), k).toBe(true);
      for (const l of LEVELS) expect(t.hidden.ind![l]).toEqual(cube.hidden[l]);
      expect(attack(values, hidden, relationsOf(t, all, [{ sum: 'ind', parts: strata }]))).toEqual([]);
    });
  }

  it('withholds a whole block whose audit cannot finish, instead of serving it unaudited', () => {
    const r = rng(21);
    const rows = ['A', 'B', 'C', '(no area)'];
    const counts = rows.map(() => months.map(() => Math.floor(r() * 12)));
    const full = suppressMeasures(rows, months, [{ id: 'x', threshold: 5, counts }]);
    expect(full.audited).toBe(true);
    const someShown = LEVELS.some((l) => full.hidden.x![l].some((row) => row.some((h) => !h)));
    expect(someShown).toBe(true);
    // An audit allowed no hidden cell at all cannot finish: every cell of the block is hidden.
    const cut = suppressMeasures(rows, months, [{ id: 'x', threshold: 5, counts }], [], { maxUnknowns: 0 });
    expect(cut.audited).toBe(false);
    expect(cut.exposed).toBe(0);
    for (const l of LEVELS) for (const row of cut.hidden.x![l]) expect(row.every((h) => h)).toBe(true);
  });

  it('has an attacker that finds what primary suppression alone gives away (the check can fail)', () => {
    const r = rng(11);
    const rows = ['A', 'B', 'C', '(no area)'];
    const counts = rows.map(() => months.map(() => Math.floor(r() * 12)));
    const t = suppressMeasures(rows, months, [{ id: 'x', threshold: 5, counts }]);
    const { values } = hiddenSet(t, ['x']);
    const primary = new Set([...values].filter(([, v]) => v > 0 && v < 5).map(([k]) => k));
    expect(primary.size).toBeGreaterThan(0);
    expect(attack(values, primary, relationsOf(t, ['x'], [])).length).toBeGreaterThan(0);
  });

  it('protects a never-served measure by the primary rule only, and a small one of it cannot be derived', () => {
    const r = rng(9);
    const rows = ['A', 'B', 'C', '(no area)'];
    const fatal = rows.map(() => months.map(() => (r() < 0.3 ? 1 + Math.floor(r() * 3) : 0)));
    const nonfatal = rows.map(() => months.map(() => 20 + Math.floor(r() * 30)));
    const all = rows.map((_, i) => months.map((_, j) => fatal[i]![j]! + nonfatal[i]![j]!));
    const cube = suppressCube({ rows, months, counts: all }, 10);
    const t = suppressMeasures(rows, months, [{ id: 'all', threshold: 10, cube }, { id: 'nonfatal', threshold: 10, counts: nonfatal }, { id: 'fatal', threshold: 10, counts: fatal, served: false }], [{ sum: 'all', parts: ['nonfatal', 'fatal'] }]);
    const ids = ['all', 'nonfatal', 'fatal'];
    const { hidden, values } = hiddenSet(t, ids);
    expect(attack(values, hidden, relationsOf(t, ids, [{ sum: 'all', parts: ['nonfatal', 'fatal'] }]))).toEqual([]);
    // Every month with a small fatal count hides its nonfatal partner (all is large, so shown).
    fatal.forEach((row, i) => row.forEach((v, j) => v > 0 && expect(t.hidden.nonfatal!.month[i]![j]).toBe(true)));
  });
});

// Monthly counts by police unit beside the published cube (server/planner/unit-cells.ts): a unit
// count shown to a role with a threshold must not give back, with every relation of the cube and
// every other unit count shown, any hidden area count. Checked by an attacker written here,
// independently: exact elimination over BigInt fractions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { suppressCube, type Cube, type Level } from '../../server/privacy/suppress.ts';
import { unitCells, type UnitCells } from '../../server/planner/unit-cells.ts';

const LEVELS: Level[] = ['month', 'quarter', 'year'];
const months = (n: number) => Array.from({ length: n }, (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);

/** Hidden cells of the cube that follow from its relations plus the unit counts shown. */
function attack(cube: Cube, units: Map<string, string[]>, cells: UnitCells): string[] {
  type Frac = [bigint, bigint];
  const g = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : g(b, a % b));
  const norm = ([n, d]: Frac): Frac => {
    if (n === 0n) return [0n, 1n];
    const k = g(n, d) * (d < 0n ? -1n : 1n);
    return [n / k, d / k];
  };
  const key = (l: Level, r: number, c: number) => `${l}:${cube.rows[r]}:${cube.periods[l][c]}`;
  const unknown: string[] = [];
  const idx = new Map<string, number>();
  for (const l of LEVELS) {
    cube.hidden[l].forEach((row, r) =>
      row.forEach((h, c) => {
        if (h && cube.values[l][r]![c] !== null) {
          idx.set(key(l, r, c), unknown.length);
          unknown.push(key(l, r, c));
        }
      }),
    );
  }
  const eqs: Frac[][] = [];
  const add = (cellsIn: [Level, number, number, number][]) => {
    const row: Frac[] = unknown.map(() => [0n, 1n]);
    let touched = false;
    for (const [l, r, c, sign] of cellsIn) {
      const j = idx.get(key(l, r, c));
      if (j === undefined) continue;
      row[j] = norm([row[j]![0] + BigInt(sign) * row[j]![1], row[j]![1]]);
      touched = true;
    }
    if (touched) eqs.push(row);
  };
  const tot = cube.rows.length - 1;
  for (const l of LEVELS) cube.periods[l].forEach((_, c) => add([[l, tot, c, 1], ...cube.rows.slice(0, tot).map((_, r): [Level, number, number, number] => [l, r, c, -1])]));
  const qOf = (m: string) => `${m.slice(0, 5)}${String(Math.floor((Number(m.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  cube.rows.forEach((_, r) => {
    cube.periods.quarter.forEach((q, c) =>
      add([['quarter', r, c, 1], ...cube.periods.month.flatMap((m, j): [Level, number, number, number][] => (qOf(m) === q ? [['month', r, j, -1]] : []))]),
    );
    cube.periods.year.forEach((y, c) =>
      add([['year', r, c, 1], ...cube.periods.quarter.flatMap((q, j): [Level, number, number, number][] => (q.slice(0, 4) === y.slice(0, 4) ? [['quarter', r, j, -1]] : []))]),
    );
  });
  // Every unit count shown: unit = Σ its areas (the unit's value is known).
  for (const [u, areas] of units) {
    cells.states.get(u)!.forEach((st, c) => {
      if (st === 'shown' || st === 'zero') add(areas.map((a): [Level, number, number, number] => ['month', cube.rows.indexOf(a), c, 1]));
    });
  }
  const m = eqs.map((r) => r.slice());
  let rank = 0;
  const pivots: number[] = [];
  for (let col = 0; col < unknown.length && rank < m.length; col++) {
    const p = m.findIndex((r, i) => i >= rank && r[col]![0] !== 0n);
    if (p < 0) continue;
    [m[rank], m[p]] = [m[p]!, m[rank]!];
    const pv = m[rank]![col]!;
    m[rank] = m[rank]!.map((v) => norm([v[0] * pv[1], v[1] * pv[0]]));
    for (let i = 0; i < m.length; i++) {
      if (i === rank || m[i]![col]![0] === 0n) continue;
      const f = m[i]![col]!;
      m[i] = m[i]!.map((v, j) => {
        const w = m[rank]![j]!;
        return norm([v[0] * f[1] * w[1] - f[0] * w[0] * v[1], v[1] * f[1] * w[1]]);
      });
    }
    pivots.push(col);
    rank++;
  }
  return pivots.filter((col, i) => m[i]!.every((v, j) => j === col || v[0] === 0n)).map((c) => unknown[c]!);
}

describe('unit counts beside the published cube', () => {
  it('withholds a unit count that would give back its one hidden area, and shows what is safe', () => {
    // Areas a, b (unit N) and c, d (unit S); one month. b = 4 is hidden (and a partner with it).
    const cube = suppressCube({ rows: ['a', 'b', 'c', 'd', '(no area)'], months: months(1), counts: [[30], [4], [25], [40], [0]] }, 10);
    const units = new Map([['N', ['a', 'b']], ['S', ['c', 'd']]]);
    const cells = unitCells(cube, units, 10);
    expect(cells.values.get('N')).toEqual([34]);
    expect(cells.values.get('S')).toEqual([65]);
    // b (4) is hidden, and c (25) with it as its partner in the total. N = a + b would give b
    // back (and its hidden part, 4, is small); S = c + d would give c back, and b from the total.
    expect(cube.hidden.month[1]![0]).toBe(true);
    expect(cube.hidden.month[2]![0]).toBe(true);
    expect(cells.states.get('N')).toEqual(['withheld']);
    expect(cells.states.get('S')).toEqual(['withheld']);
    // A unit holding both hidden cells reveals only their sum (29, not small): shown.
    const both = unitCells(cube, new Map([['W', ['b', 'c']], ['E', ['a', 'd']]]), 10);
    expect(both.states.get('W')).toEqual(['shown']);
    expect(both.states.get('E')).toEqual(['shown']);
    expect(attack(cube, units, cells)).toEqual([]);
    expect(attack(cube, new Map([['W', ['b', 'c']], ['E', ['a', 'd']]]), both)).toEqual([]);
  });

  it('calls a unit count from 1 to 9 small, and with no threshold shows everything', () => {
    const cube = suppressCube({ rows: ['a', 'b', 'c', '(no area)'], months: months(2), counts: [[3, 20], [2, 20], [40, 40], [0, 0]] }, 10);
    const units = new Map([['N', ['a', 'b']], ['S', ['c']]]);
    expect(unitCells(cube, units, 10).states.get('N')).toEqual(['small', expect.any(String)]);
    const open = unitCells(suppressCube({ rows: ['a', 'b', 'c', '(no area)'], months: months(2), counts: [[3, 20], [2, 20], [0, 40], [0, 0]] }, 0), units, 0);
    expect(open.states.get('N')).toEqual(['shown', 'shown']);
    expect(open.states.get('S')).toEqual(['zero', 'shown']);
  });

  it('never lets the shown unit counts give back a hidden cell (random cubes and units)', () => {
    const arb = fc
      .record({
        areas: fc.integer({ min: 3, max: 7 }),
        months: fc.integer({ min: 2, max: 9 }),
        units: fc.integer({ min: 2, max: 3 }),
        seed: fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 10, max: 40 })), { minLength: 80, maxLength: 80 }),
        assign: fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
      })
      .map((x) => {
        const rows = [...Array.from({ length: x.areas }, (_, i) => `a${i}`), '(no area)'];
        const counts = rows.map((_, r) => Array.from({ length: x.months }, (_, j) => (r === x.areas ? x.seed[(j * 7) % 80]! % 3 : x.seed[(r * 11 + j) % 80]!)));
        const units = new Map<string, string[]>();
        rows.slice(0, x.areas).forEach((a, i) => {
          const u = `u${i < x.units ? i : x.assign[i]! % x.units}`;
          units.set(u, [...(units.get(u) ?? []), a]);
        });
        return { rows, counts, units, months: months(x.months) };
      });
    fc.assert(
      fc.property(arb, ({ rows, counts, units, months: ms }) => {
        const cube = suppressCube({ rows, months: ms, counts }, 10);
        const cells = unitCells(cube, units, 10);
        expect(attack(cube, units, cells)).toEqual([]);
        for (const [u, areas] of units) {
          cells.states.get(u)!.forEach((st, c) => {
            const v = areas.reduce((s, a) => s + counts[rows.indexOf(a)]![c]!, 0);
            expect(cells.values.get(u)![c]).toBe(v);
            if (v > 0 && v < 10) expect(st).toBe('small');
            if (st === 'shown') {
              const hiddenSum = areas.filter((a) => cube.hidden.month[rows.indexOf(a)]![c]).reduce((s, a) => s + counts[rows.indexOf(a)]![c]!, 0);
              const anyHidden = areas.some((a) => cube.hidden.month[rows.indexOf(a)]![c]);
              if (anyHidden) expect(hiddenSum).toBeGreaterThanOrEqual(10);
            }
          });
        }
      }),
      { numRuns: 120, seed: 7 },
    );
  });

  it('shows most unit counts where the areas are big', () => {
    const rows = ['a', 'b', 'c', 'd', 'e', 'f', '(no area)'];
    const counts = [
      [40, 3, 50, 45, 60, 41],
      [35, 38, 2, 44, 39, 47],
      [5, 52, 48, 41, 46, 50],
      [60, 61, 59, 4, 58, 62],
      [30, 31, 29, 33, 6, 30],
      [22, 25, 27, 21, 24, 26],
      [0, 1, 0, 0, 2, 0],
    ];
    const cube = suppressCube({ rows, months: months(6), counts }, 10);
    const units = new Map([['N', ['a', 'b', 'c']], ['S', ['d', 'e', 'f']]]);
    const cells = unitCells(cube, units, 10);
    expect(attack(cube, units, cells)).toEqual([]);
    const shown = [...cells.states.values()].flat().filter((s) => s === 'shown').length;
    expect(shown).toBeGreaterThanOrEqual(6);
  });
});

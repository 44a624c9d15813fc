// Small-cell suppression that holds against differencing (PRODUCT.md, privacy rules).
//
// For a role with a threshold, the server never answers from the database directly. It builds the
// whole "published cube" of an indicator — every area (and the records with no area) and the
// jurisdiction total, by month, quarter and year over the indicator's full data range — and
// decides once which cells are hidden:
//   1. primary: counts from 1 to threshold − 1 (CDC WONDER hides 1–9: threshold 10);
//   2. complementary: every additive relation of the cube (total = Σ areas + no-area, per period;
//      quarter = Σ its months, year = Σ its quarters, per area) that has exactly one hidden
//      member gets a second one — the smallest non-zero visible member;
//   3. audit: exact linear algebra over all relations finds any hidden cell whose value still
//      follows from the visible ones (combinations of relations, not just one), and hides one
//      more cell next to it, until none does.
// Every answer for that role is a slice of the same cube, so overlapping ranges, other intervals,
// areas asked one by one or all together reveal nothing the cube does not. What this does not
// protect against: bounds from non-negativity (a hidden cell whose partner sums to 3 is at most
// 3), and relations between different indicators (deaths.opioid ⊂ deaths.any_drug) — a policy
// for those is a later step.

export type CellState = 'shown' | 'suppressed' | 'zero' | 'missing';

export interface CubeInput {
  /** Row keys: area ids, then the no-area row; the total row is added here. */
  rows: string[];
  /** Month starts 'YYYY-MM-01', consecutive. */
  months: string[];
  /** counts[row][month]; null = no data for that month (outside the feed's coverage). */
  counts: (number | null)[][];
}

export type Level = 'month' | 'quarter' | 'year';

export interface Cube {
  rows: string[]; // input rows + 'total'
  periods: Record<Level, string[]>;
  /** Value per level, row, period; null = missing. */
  values: Record<Level, (number | null)[][]>;
  hidden: Record<Level, boolean[][]>;
}

export const TOTAL_ROW = 'total';

const quarterOf = (m: string) => `${m.slice(0, 5)}${String(Math.floor((Number(m.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
const yearOf = (m: string) => `${m.slice(0, 4)}-01-01`;

function sumOrNull(xs: (number | null)[]): number | null {
  let s = 0;
  let any = false;
  for (const x of xs) {
    if (x !== null) {
      s += x;
      any = true;
    }
  }
  return any ? s : null;
}

interface CellRef {
  level: Level;
  row: number;
  col: number;
}

/** Builds the cube with every relation and decides what is hidden at `threshold`. */
export function suppressCube(input: CubeInput, threshold: number): Cube {
  const rows = [...input.rows, TOTAL_ROW];
  const nIn = input.rows.length;
  const months = input.months;
  const quarters = [...new Set(months.map(quarterOf))];
  const years = [...new Set(months.map(yearOf))];
  // Which quarter each month falls in, which year each quarter: worked out once, not per cell.
  const quarterIndex = new Map(quarters.map((q, i) => [q, i]));
  const yearIndex = new Map(years.map((y, i) => [y, i]));
  const monthQuarter = months.map((m) => quarterIndex.get(quarterOf(m))!);
  const quarterYear = quarters.map((q) => yearIndex.get(yearOf(q))!);
  const partsOf = (parent: number[], n: number) => {
    const parts: number[][] = Array.from({ length: n }, () => []);
    parent.forEach((d, j) => parts[d]!.push(j));
    return parts;
  };
  const quarterMonths = partsOf(monthQuarter, quarters.length);
  const yearQuarters = partsOf(quarterYear, years.length);

  const monthVals: (number | null)[][] = input.counts.map((r) => [...r]);
  monthVals.push(months.map((_, j) => sumOrNull(input.counts.map((r) => r[j] ?? null))));
  const rollup = (src: (number | null)[][], parts: number[][]) => src.map((r) => parts.map((js) => sumOrNull(js.map((j) => r[j] ?? null))));
  const quarterVals = rollup(monthVals, quarterMonths);
  const yearVals = rollup(quarterVals, yearQuarters);
  const values: Record<Level, (number | null)[][]> = { month: monthVals, quarter: quarterVals, year: yearVals };
  const periods: Record<Level, string[]> = { month: months, quarter: quarters, year: years };

  // Every relation: [sum, ...parts].
  const relations: CellRef[][] = [];
  for (const level of ['month', 'quarter', 'year'] as Level[]) {
    periods[level].forEach((_, col) => {
      const rel: CellRef[] = [{ level, row: nIn, col }];
      for (let row = 0; row < nIn; row++) rel.push({ level, row, col });
      relations.push(rel);
    });
  }
  for (let row = 0; row <= nIn; row++) {
    quarters.forEach((_, col) => {
      relations.push([{ level: 'quarter', row, col }, ...quarterMonths[col]!.map((j) => ({ level: 'month' as Level, row, col: j }))]);
    });
    years.forEach((_, col) => {
      relations.push([{ level: 'year', row, col }, ...yearQuarters[col]!.map((j) => ({ level: 'quarter' as Level, row, col: j }))]);
    });
  }

  const hidden: Record<Level, boolean[][]> = {
    month: monthVals.map((r) => r.map((v) => v !== null && v > 0 && v < threshold)),
    quarter: quarterVals.map((r) => r.map((v) => v !== null && v > 0 && v < threshold)),
    year: yearVals.map((r) => r.map((v) => v !== null && v > 0 && v < threshold)),
  };
  if (threshold <= 1) return { rows, periods, values, hidden };

  const val = (c: CellRef) => values[c.level][c.row]![c.col] ?? null;
  const isHidden = (c: CellRef) => hidden[c.level][c.row]![c.col]!;
  const hide = (c: CellRef) => {
    hidden[c.level][c.row]![c.col] = true;
  };
  // The partner for a relation: the smallest visible non-zero cell (hiding a zero hides little,
  // as the pair's sum then equals the primary cell); a zero only when nothing else is left; ties
  // to the lower row, then column, then the first in the relation.
  const partner = (members: CellRef[]): CellRef | undefined => {
    let best: CellRef | undefined;
    let bv = 0;
    for (const c of members) {
      if (isHidden(c)) continue;
      const v = val(c);
      if (v === null) continue;
      const k = v === 0 ? Infinity : v;
      if (best === undefined || k < bv || (k === bv && (c.row < best.row || (c.row === best.row && c.col < best.col)))) {
        best = c;
        bv = k;
      }
    }
    return best;
  };
  // The members with data never change: filtered once.
  const withData = relations.map((rel) => rel.filter((c) => val(c) !== null));

  for (let guard = 0; guard < 10_000; guard++) {
    let changed = false;
    for (const members of withData) {
      let nHidden = 0;
      for (const c of members) if (isHidden(c) && ++nHidden > 1) break;
      if (nHidden === 1) {
        const p = partner(members);
        if (p) {
          hide(p);
          changed = true;
        }
      }
    }
    if (changed) continue;
    const exposed = determinedHiddenCells(relations, values, hidden);
    if (exposed.length === 0) break;
    // Hide one more cell in a relation that holds the first exposed cell.
    const target = exposed[0]!;
    const i = relations.findIndex((r, k) => r.some((c) => c.level === target.level && c.row === target.row && c.col === target.col) && partner(withData[k]!));
    const p = i >= 0 ? partner(withData[i]!) : undefined;
    if (!p) break;
    hide(p);
  }
  return { rows, periods, values, hidden };
}

/**
 * Hidden cells whose value follows exactly from the visible cells and the relations: Gaussian
 * elimination over the hidden cells as unknowns (exact rational arithmetic is unnecessary — the
 * coefficients are 0/±1 and elimination keeps them small integers, compared with a tolerance).
 */
export function determinedHiddenCells(
  relations: CellRef[][],
  values: Record<Level, (number | null)[][]>,
  hidden: Record<Level, boolean[][]>,
): CellRef[] {
  // Unknowns numbered in the order they are first met, keyed by level, row and column.
  const LEVELS: Level[] = ['month', 'quarter', 'year'];
  const maxCols = Math.max(1, ...LEVELS.flatMap((l) => values[l].map((r) => r.length)));
  const nRows = Math.max(...LEVELS.map((l) => values[l].length));
  const keyOf = (c: CellRef) => (LEVELS.indexOf(c.level) * nRows + c.row) * maxCols + c.col;
  const index = new Map<number, number>();
  const unknowns: CellRef[] = [];
  for (const rel of relations) {
    for (const c of rel) {
      if (values[c.level][c.row]![c.col] === null || !hidden[c.level][c.row]![c.col]) continue;
      const k = keyOf(c);
      if (!index.has(k)) {
        index.set(k, unknowns.length);
        unknowns.push(c);
      }
    }
  }
  if (unknowns.length === 0) return [];
  // Rows of the system over the unknowns (the visible part moves to the right-hand side, which
  // does not matter for whether an unknown is determined).
  const eqs: Map<number, number>[] = [];
  for (const rel of relations) {
    const row = new Map<number, number>();
    rel.forEach((c, i) => {
      if (values[c.level][c.row]![c.col] === null) return;
      const j = index.get(keyOf(c));
      if (j === undefined) return;
      row.set(j, (row.get(j) ?? 0) + (i === 0 ? 1 : -1));
    });
    for (const [j, v] of row) if (v === 0) row.delete(j);
    if (row.size > 0) eqs.push(row);
  }
  // Reduced row echelon form, sparse. Every pivot row holds no other pivot's column, so an
  // equation is reduced by exactly the pivots whose columns it holds (applied in pivot order),
  // and a new pivot is substituted back into exactly the rows that hold its column: `holders`
  // keeps, per column, the pivot rows that hold it.
  const pivots: { col: number; row: Map<number, number> }[] = [];
  const pivotOf = new Map<number, number>();
  const holders = new Map<number, Set<number>>();
  const hold = (j: number, p: number) => {
    let h = holders.get(j);
    if (!h) holders.set(j, (h = new Set()));
    h.add(p);
  };
  const unhold = (j: number, p: number) => holders.get(j)?.delete(p);
  for (const eq of eqs) {
    const r = new Map(eq);
    const by: number[] = [];
    for (const j of r.keys()) {
      const p = pivotOf.get(j);
      if (p !== undefined) by.push(p);
    }
    by.sort((a, b) => a - b);
    for (const pi of by) {
      const p = pivots[pi]!;
      const f = r.get(p.col);
      if (f === undefined) continue;
      for (const [j, v] of p.row) {
        const nv = (r.get(j) ?? 0) - f * v;
        if (Math.abs(nv) < 1e-9) r.delete(j);
        else r.set(j, nv);
      }
    }
    if (r.size === 0) continue;
    let col = Infinity;
    for (const j of r.keys()) if (j < col) col = j;
    const pv = r.get(col)!;
    for (const [j, v] of r) r.set(j, v / pv);
    const into = [...(holders.get(col) ?? [])].sort((a, b) => a - b);
    for (const pi of into) {
      const p = pivots[pi]!;
      const f = p.row.get(col);
      if (f === undefined) continue;
      for (const [j, v] of r) {
        const had = p.row.has(j);
        const nv = (p.row.get(j) ?? 0) - f * v;
        if (Math.abs(nv) < 1e-9) {
          p.row.delete(j);
          if (had) unhold(j, pi);
        } else {
          p.row.set(j, nv);
          if (!had) hold(j, pi);
        }
      }
    }
    const pi = pivots.length;
    pivots.push({ col, row: r });
    pivotOf.set(col, pi);
    for (const j of r.keys()) hold(j, pi);
  }
  // An unknown is determined when some row of the reduced system holds it alone.
  return pivots.filter((p) => p.row.size === 1).map((p) => unknowns[p.col]!);
}

/** The state of a count as shown to a role. */
export function cellState(value: number | null, hiddenCell: boolean): CellState {
  if (value === null) return 'missing';
  if (hiddenCell) return 'suppressed';
  return value === 0 ? 'zero' : 'shown';
}

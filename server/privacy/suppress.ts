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
  const monthVals: (number | null)[][] = input.counts.map((r) => [...r]);
  monthVals.push(months.map((_, j) => sumOrNull(input.counts.map((r) => r[j] ?? null))));
  const rollup = (src: (number | null)[][], srcPeriods: string[], dst: string[], keyOf: (p: string) => string) =>
    src.map((r) => dst.map((d) => sumOrNull(r.filter((_, j) => keyOf(srcPeriods[j]!) === d))));
  const quarterVals = rollup(monthVals, months, quarters, quarterOf);
  const yearVals = rollup(quarterVals, quarters, years, (q) => yearOf(q));
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
    quarters.forEach((q, col) => {
      const parts = months.map((m, j) => (quarterOf(m) === q ? j : -1)).filter((j) => j >= 0);
      relations.push([{ level: 'quarter', row, col }, ...parts.map((j) => ({ level: 'month' as Level, row, col: j }))]);
    });
    years.forEach((y, col) => {
      const parts = quarters.map((q, j) => (yearOf(q) === y ? j : -1)).filter((j) => j >= 0);
      relations.push([{ level: 'year', row, col }, ...parts.map((j) => ({ level: 'quarter' as Level, row, col: j }))]);
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
  // as the pair's sum then equals the primary cell); a zero only when nothing else is left.
  const partner = (members: CellRef[]): CellRef | undefined => {
    const visible = members.filter((c) => !isHidden(c) && val(c) !== null);
    visible.sort((a, b) => {
      const va = val(a)!;
      const vb = val(b)!;
      return (va === 0 ? Infinity : va) - (vb === 0 ? Infinity : vb) || a.row - b.row || a.col - b.col;
    });
    return visible[0];
  };

  for (let guard = 0; guard < 10_000; guard++) {
    let changed = false;
    for (const rel of relations) {
      const members = rel.filter((c) => val(c) !== null);
      if (members.filter(isHidden).length === 1) {
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
    const rel = relations.find((r) => r.some((c) => c.level === target.level && c.row === target.row && c.col === target.col) && partner(r.filter((c) => val(c) !== null)));
    const p = rel ? partner(rel.filter((c) => val(c) !== null)) : undefined;
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
  const index = new Map<string, number>();
  const unknowns: CellRef[] = [];
  const key = (c: CellRef) => `${c.level}:${c.row}:${c.col}`;
  for (const rel of relations) {
    for (const c of rel) {
      if (values[c.level][c.row]![c.col] === null || !hidden[c.level][c.row]![c.col]) continue;
      const k = key(c);
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
      const j = index.get(key(c));
      if (j === undefined || values[c.level][c.row]![c.col] === null) return;
      row.set(j, (row.get(j) ?? 0) + (i === 0 ? 1 : -1));
    });
    for (const [j, v] of row) if (v === 0) row.delete(j);
    if (row.size > 0) eqs.push(row);
  }
  // Reduced row echelon form, sparse.
  const pivots: { col: number; row: Map<number, number> }[] = [];
  for (const eq of eqs) {
    const r = new Map(eq);
    for (const p of pivots) {
      const f = r.get(p.col);
      if (f === undefined) continue;
      for (const [j, v] of p.row) {
        const nv = (r.get(j) ?? 0) - f * v;
        if (Math.abs(nv) < 1e-9) r.delete(j);
        else r.set(j, nv);
      }
    }
    if (r.size === 0) continue;
    const col = Math.min(...r.keys());
    const pv = r.get(col)!;
    for (const [j, v] of r) r.set(j, v / pv);
    for (const p of pivots) {
      const f = p.row.get(col);
      if (f === undefined) continue;
      for (const [j, v] of r) {
        const nv = (p.row.get(j) ?? 0) - f * v;
        if (Math.abs(nv) < 1e-9) p.row.delete(j);
        else p.row.set(j, nv);
      }
    }
    pivots.push({ col, row: r });
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

// Which monthly counts by police unit a role with a small-cell threshold may see (docs/planner.md).
// Pure functions over a published cube (server/privacy/suppress.ts).
//
// A unit is a group of areas, so its monthly count is a new sum over cells of the indicator's
// published cube: shown beside the cube (which /series serves the same role), it could give a
// hidden area count back (unit − the visible areas of the unit), or narrow it. A unit's count is
// therefore shown only when
//   1. it is 0 or at least the threshold (a count from 1 to threshold − 1 is "small": hidden);
//   2. the hidden area cells inside it, if any, add up to at least the threshold (their sum is
//      what the unit count reveals about them);
//   3. adding "unit = Σ its areas" to every relation of the cube (totals, months → quarters →
//      years, and the unit counts already shown) leaves no hidden cell determined — exact
//      linear algebra, as the cube's own audit (suppress.ts) does it.
// Otherwise it is "withheld". The decision runs over every month of the cube, oldest first and
// unit by unit, once per data version: every plan made on the same data shows a subset of one
// audited set of unit counts, so several plans together reveal no more than each.
import type { Cube, Level } from '../privacy/suppress.ts';

export type UnitCellState = 'shown' | 'zero' | 'small' | 'withheld' | 'missing';

interface CellRef {
  level: Level;
  row: number;
  col: number;
}

const quarterOf = (m: string) => `${m.slice(0, 5)}${String(Math.floor((Number(m.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
const yearOf = (m: string) => `${m.slice(0, 4)}-01-01`;

/** Every additive relation of a published cube, [sum, ...parts], as suppressCube builds them. */
export function cubeRelations(cube: Cube): CellRef[][] {
  const nIn = cube.rows.length - 1; // the last row is the total
  const { month: months, quarter: quarters, year: years } = cube.periods;
  const out: CellRef[][] = [];
  for (const level of ['month', 'quarter', 'year'] as Level[]) {
    cube.periods[level].forEach((_, col) => {
      const rel: CellRef[] = [{ level, row: nIn, col }];
      for (let row = 0; row < nIn; row++) rel.push({ level, row, col });
      out.push(rel);
    });
  }
  for (let row = 0; row <= nIn; row++) {
    quarters.forEach((q, col) => {
      const parts = months.map((m, j) => (quarterOf(m) === q ? j : -1)).filter((j) => j >= 0);
      out.push([{ level: 'quarter', row, col }, ...parts.map((j) => ({ level: 'month' as Level, row, col: j }))]);
    });
    years.forEach((y, col) => {
      const parts = quarters.map((q, j) => (yearOf(q) === y ? j : -1)).filter((j) => j >= 0);
      out.push([{ level: 'year', row, col }, ...parts.map((j) => ({ level: 'quarter' as Level, row, col: j }))]);
    });
  }
  return out;
}

/**
 * A linear system over the hidden cells kept in reduced row echelon form, to which relations are
 * added one at a time: `tryAdd` says whether a relation would leave some hidden cell determined
 * (then nothing changes) and adds it otherwise.
 */
export class HiddenSystem {
  private index = new Map<string, number>();
  /** Pivot column → its row (pivot coefficient 1), fully reduced. */
  private pivots = new Map<number, Map<number, number>>();

  private unknown(c: CellRef): number {
    const k = `${c.level}:${c.row}:${c.col}`;
    let j = this.index.get(k);
    if (j === undefined) {
      j = this.index.size;
      this.index.set(k, j);
    }
    return j;
  }

  /** The relation as a row over the hidden cells (visible cells move to the constant side). */
  row(cells: readonly { cell: CellRef; sign: number; hidden: boolean }[]): Map<number, number> {
    const r = new Map<number, number>();
    for (const { cell, sign, hidden } of cells) {
      if (!hidden) continue;
      const j = this.unknown(cell);
      const v = (r.get(j) ?? 0) + sign;
      if (v === 0) r.delete(j);
      else r.set(j, v);
    }
    return r;
  }

  private reduce(eq: Map<number, number>): Map<number, number> {
    const r = new Map(eq);
    for (const [col, p] of this.pivots) {
      const f = r.get(col);
      if (f === undefined) continue;
      for (const [j, v] of p) {
        const nv = (r.get(j) ?? 0) - f * v;
        if (Math.abs(nv) < 1e-9) r.delete(j);
        else r.set(j, nv);
      }
    }
    return r;
  }

  /**
   * Adds the row unless it would make some hidden cell determined; returns whether it was added.
   * `force` adds it whatever it reveals (the cube's own relations, published already).
   */
  tryAdd(eq: Map<number, number>, force = false): boolean {
    const r = this.reduce(eq);
    if (r.size === 0) return true; // follows from what is published: reveals nothing new
    const col = Math.min(...r.keys());
    const pv = r.get(col)!;
    for (const [j, v] of r) r.set(j, v / pv);
    const updated: [number, Map<number, number>][] = [];
    let reveals = r.size === 1;
    for (const [pc, p] of this.pivots) {
      const f = p.get(col);
      if (f === undefined) continue;
      const np = new Map(p);
      for (const [j, v] of r) {
        const nv = (np.get(j) ?? 0) - f * v;
        if (Math.abs(nv) < 1e-9) np.delete(j);
        else np.set(j, nv);
      }
      if (np.size === 1 && p.size > 1) reveals = true;
      updated.push([pc, np]);
    }
    if (reveals && !force) return false;
    for (const [pc, np] of updated) this.pivots.set(pc, np);
    this.pivots.set(col, r);
    return true;
  }
}

export interface UnitCells {
  /** Month starts of the cube, 'YYYY-MM-01'. */
  months: string[];
  /** unit id → state per month. */
  states: Map<string, UnitCellState[]>;
  /** unit id → count per month (the true value; serve it only where the state allows). */
  values: Map<string, (number | null)[]>;
}

/**
 * The monthly count of every unit and whether a role with `threshold` may see it, for every month
 * of `cube`. `units` maps unit id → its area ids (rows of the cube); units are decided in the
 * order given, months oldest first.
 */
export function unitCells(cube: Cube, units: ReadonlyMap<string, readonly string[]>, threshold: number): UnitCells {
  const months = cube.periods.month;
  const rowOf = new Map(cube.rows.map((r, i) => [r, i]));
  const values = new Map<string, (number | null)[]>();
  const states = new Map<string, UnitCellState[]>();
  const sys = new HiddenSystem();
  const hiddenAt = (c: CellRef) => cube.hidden[c.level][c.row]![c.col]! && cube.values[c.level][c.row]![c.col] !== null;
  if (threshold > 0) {
    for (const rel of cubeRelations(cube)) {
      const live = rel.filter((c) => cube.values[c.level][c.row]![c.col] !== null);
      if (live.length === 0) continue;
      sys.tryAdd(sys.row(live.map((cell, i) => ({ cell, sign: i === 0 ? 1 : -1, hidden: hiddenAt(cell) }))), true);
    }
  }
  for (const [unit] of units) {
    values.set(unit, []);
    states.set(unit, []);
  }
  months.forEach((_, col) => {
    for (const [unit, areas] of units) {
      const cells = areas.map((a) => rowOf.get(a)).filter((r): r is number => r !== undefined).map((row) => ({ level: 'month' as Level, row, col }));
      const vals = cells.map((c) => cube.values.month[c.row]![c.col] ?? null);
      const value = vals.every((v) => v === null) ? null : vals.reduce<number>((s, v) => s + (v ?? 0), 0);
      values.get(unit)!.push(value);
      let state: UnitCellState;
      if (value === null) state = 'missing';
      else if (threshold <= 0) state = value === 0 ? 'zero' : 'shown';
      else if (value > 0 && value < threshold) state = 'small';
      else {
        const hidden = cells.filter(hiddenAt);
        const hiddenSum = hidden.reduce((s, c) => s + (cube.values.month[c.row]![c.col] ?? 0), 0);
        if (hidden.length > 0 && hiddenSum < threshold) state = 'withheld';
        else if (hidden.length === 0) state = value === 0 ? 'zero' : 'shown';
        else {
          const ok = sys.tryAdd(sys.row(hidden.map((cell) => ({ cell, sign: 1, hidden: true }))));
          state = ok ? (value === 0 ? 'zero' : 'shown') : 'withheld';
        }
      }
      states.get(unit)!.push(state);
    }
  });
  return { months, states, values };
}

// Small-cell suppression for tables of several measures over the same areas and months: a
// breakdown (strata of one indicator), the linkage metrics (deaths and the deaths linked to each
// kind of earlier event), the performance metrics (referrals, arrests, administrations …).
// The same rules as suppress.ts, over more relations:
//   1. primary: a count from 1 to its measure's threshold − 1 is hidden;
//   2. complementary: every additive relation with exactly one hidden member gets a second one,
//      the smallest non-zero visible member the table may hide. The relations are: per measure,
//      the jurisdiction total = Σ areas (and the no-area row) per period, quarter = Σ months and
//      year = Σ quarters per area; and the identities between measures the caller names
//      (indicator total = Σ strata of an additive breakdown; EMS records = nonfatal events + EMS
//      records merged into another event …), per area and period;
//   3. audit: exact linear algebra (determinedHiddenCells) over all relations finds hidden cells
//      whose value still follows from the visible ones and hides one more cell beside each.
// A measure that is a published indicator takes its cells and hidden flags from that indicator's
// cube (published.ts) and never changes them: /series and these tables then show the same
// cells, and a hidden series cell is protected here too. A measure may be used in relations but
// never served (served: false); it is hidden only by the primary rule, so that a small count of
// it cannot be derived either.
// Not covered (as in suppress.ts): bounds from non-negativity, and relations the caller does not
// name (between different indicators, or a numerator nested in another: deaths linked within 30
// days ≤ within 90 days).
import { determinedHiddenCells, TOTAL_ROW, type Cube, type Level } from './suppress.ts';

const LEVELS: readonly Level[] = ['month', 'quarter', 'year'];

export interface MeasureSpec {
  id: string;
  /** Counts 1 … threshold − 1 are hidden; 0 hides nothing. */
  threshold: number;
  /** Monthly counts per input row; null = no data. Not used when `cube` is given. */
  counts?: (number | null)[][];
  /** A published indicator's cube (same rows + 'total'; its months within the table's): its cells and flags, as they are. */
  cube?: Cube;
  /** false: in relations only, never served. Default true. */
  served?: boolean;
}

/** sum = Σ parts, for every row, level and period. */
export interface Identity {
  sum: string;
  parts: string[];
}

export interface MeasureCube {
  rows: string[];
  periods: Record<Level, string[]>;
  values: Record<string, Record<Level, (number | null)[][]>>;
  hidden: Record<string, Record<Level, boolean[][]>>;
  /**
   * Whether the exact audit finished on every block. A block it could not finish (above
   * AUDIT_MAX_UNKNOWNS hidden cells, past AUDIT_BUDGET_MS, or with a cell no further hiding
   * protects) is withheld whole: every cell of it that is not the published cube's is hidden.
   */
  audited: boolean;
  /** Hidden cells still determined by the visible ones after everything: 0 (a block that had any is withheld). */
  exposed: number;
}

/** Above this many hidden cells the exact audit (Gaussian elimination) is skipped: see MeasureCube.audited. */
export const AUDIT_MAX_UNKNOWNS = 6000;
/** Wall-clock budget of the audit of one table; blocks not audited by then are withheld (see MeasureCube.audited). */
export const AUDIT_BUDGET_MS = 15_000;

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

/** Builds the table's cube over `months` (consecutive month starts) and decides what is hidden. */
/** Limits of the exact audit (tests lower them to reach the withheld path). */
export interface AuditLimits {
  maxUnknowns?: number;
  budgetMs?: number;
}

export function suppressMeasures(rowsIn: string[], months: string[], measures: MeasureSpec[], identities: Identity[] = [], limits: AuditLimits = {}): MeasureCube {
  const maxUnknowns = limits.maxUnknowns ?? AUDIT_MAX_UNKNOWNS;
  const rows = [...rowsIn, TOTAL_ROW];
  const nIn = rowsIn.length;
  const quarters = [...new Set(months.map(quarterOf))];
  const years = [...new Set(months.map(yearOf))];
  const periods: Record<Level, string[]> = { month: months, quarter: quarters, year: years };
  const values: MeasureCube['values'] = {};
  const hidden: MeasureCube['hidden'] = {};

  // Flat cell index: measure, level, row, column.
  const flatVal: (number | null)[] = [];
  const flatHidden: boolean[] = [];
  const fixed: boolean[] = [];
  const base = new Map<string, Record<Level, number>>();
  for (const m of measures) {
    let mv: Record<Level, (number | null)[][]>;
    let cubeHidden: ((level: Level, r: number, c: number) => boolean) | null = null;
    if (m.cube) {
      // The cube covers its indicator's data range, inside the table's: a period it does not
      // have is missing (null) here, and its quarters and years sum the same months.
      const cube = m.cube;
      if (cube.rows.join('\u0000') !== rows.join('\u0000')) throw new Error(`suppressMeasures: the cube of ${m.id} has other rows than the table`);
      const colOf = {} as Record<Level, Map<string, number>>;
      for (const level of LEVELS) {
        colOf[level] = new Map(cube.periods[level].map((p, j) => [p, j]));
        for (const p of cube.periods[level]) if (!periods[level].includes(p)) throw new Error(`suppressMeasures: the cube of ${m.id} reaches beyond the table (${p})`);
      }
      const pick = <T,>(src: Record<Level, T[][]>, level: Level, r: number, c: number, none: T): T => {
        const j = colOf[level].get(periods[level][c]!);
        return j === undefined ? none : src[level][r]![j]!;
      };
      mv = {} as Record<Level, (number | null)[][]>;
      for (const level of LEVELS) mv[level] = rows.map((_, r) => periods[level].map((_, c) => pick(cube.values, level, r, c, null)));
      cubeHidden = (level, r, c) => pick(cube.hidden, level, r, c, false);
    } else {
      const monthVals = (m.counts ?? []).map((r) => [...r]);
      monthVals.push(months.map((_, j) => sumOrNull(monthVals.map((r) => r[j] ?? null))));
      const rollup = (src: (number | null)[][], srcP: string[], dst: string[], keyOf: (p: string) => string) =>
        src.map((r) => dst.map((d) => sumOrNull(r.filter((_, j) => keyOf(srcP[j]!) === d))));
      const q = rollup(monthVals, months, quarters, quarterOf);
      mv = { month: monthVals, quarter: q, year: rollup(q, quarters, years, yearOf) };
    }
    values[m.id] = mv;
    const offsets = {} as Record<Level, number>;
    const mh = {} as Record<Level, boolean[][]>;
    for (const level of LEVELS) {
      offsets[level] = flatVal.length;
      mh[level] = [];
      for (let r = 0; r < rows.length; r++) {
        mh[level].push([]);
        for (let c = 0; c < periods[level].length; c++) {
          const v = mv[level][r]?.[c] ?? null;
          const h = cubeHidden ? cubeHidden(level, r, c) : v !== null && v > 0 && v < m.threshold;
          flatVal.push(v);
          flatHidden.push(h);
          fixed.push(!!m.cube);
          mh[level][r]!.push(h);
        }
      }
    }
    hidden[m.id] = mh;
    base.set(m.id, offsets);
  }
  const at = (m: string, level: Level, row: number, col: number) => base.get(m)![level] + row * periods[level].length + col;

  const relations: number[][] = [];
  for (const m of measures) {
    for (const level of LEVELS) {
      periods[level].forEach((_, col) => {
        const rel = [at(m.id, level, nIn, col)];
        for (let row = 0; row < nIn; row++) rel.push(at(m.id, level, row, col));
        relations.push(rel);
      });
    }
    for (let row = 0; row <= nIn; row++) {
      quarters.forEach((q, col) => {
        const parts = months.map((mo, j) => (quarterOf(mo) === q ? j : -1)).filter((j) => j >= 0);
        relations.push([at(m.id, 'quarter', row, col), ...parts.map((j) => at(m.id, 'month', row, j))]);
      });
      years.forEach((y, col) => {
        const parts = quarters.map((q, j) => (yearOf(q) === y ? j : -1)).filter((j) => j >= 0);
        relations.push([at(m.id, 'year', row, col), ...parts.map((j) => at(m.id, 'quarter', row, j))]);
      });
    }
  }
  for (const id of identities) {
    for (const level of LEVELS) {
      for (let row = 0; row <= nIn; row++) {
        periods[level].forEach((_, col) => relations.push([at(id.sum, level, row, col), ...id.parts.map((p) => at(p, level, row, col))]));
      }
    }
  }
  // Relations made only of fixed cells are the published cube's own business.
  const live = relations.filter((rel) => rel.some((i) => !fixed[i]));

  const partner = (members: number[]): number | undefined => {
    const cand = members.filter((i) => !fixed[i] && !flatHidden[i] && flatVal[i] !== null);
    cand.sort((a, b) => {
      const va = flatVal[a]!;
      const vb = flatVal[b]!;
      return (va === 0 ? Infinity : va) - (vb === 0 ? Infinity : vb) || a - b;
    });
    return cand[0];
  };

  // The audit runs per connected block of relations (measures joined by an identity, or alone):
  // blocks share no cell, so a cell is determined by the whole system exactly when it is by its
  // block, and elimination over small blocks is far cheaper than over one large system.
  const parent = flatVal.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const rel of relations) for (const i of rel.slice(1)) parent[find(i)] = find(rel[0]!);
  const blocks = new Map<number, number[][]>();
  for (const rel of relations) {
    const b = find(rel[0]!);
    const list = blocks.get(b) ?? [];
    list.push(rel);
    blocks.set(b, list);
  }
  // Blocks of fixed cells only are the published cube's, audited there.
  const auditBlocks = [...blocks.values()].filter((rels) => rels.some((rel) => rel.some((i) => !fixed[i])));

  // A cell to hide so that an exposed cell is no longer determined: in a relation holding it, or
  // (when every such relation is hidden or fixed all through) in a relation reached from it through
  // hidden cells, nearest first.
  const relationsOf = new Map<number, number[][]>();
  for (const rels of auditBlocks) {
    for (const rel of rels) {
      for (const i of rel) {
        const l = relationsOf.get(i);
        if (l) l.push(rel);
        else relationsOf.set(i, [rel]);
      }
    }
  }
  const partnerNear = (start: number): number | undefined => {
    const seen = new Set([start]);
    let frontier = [start];
    for (let depth = 0; depth < 6 && frontier.length > 0; depth++) {
      const next: number[] = [];
      for (const c of frontier) {
        for (const rel of relationsOf.get(c) ?? []) {
          const p = partner(rel.filter((i) => flatVal[i] !== null));
          if (p !== undefined) return p;
          for (const i of rel) if (flatHidden[i] && !seen.has(i)) (seen.add(i), next.push(i));
        }
      }
      frontier = next;
    }
    return undefined;
  };

  let audited = true;
  const exposed = 0;
  const complement = (): boolean => {
    let any = false;
    for (let changed = true, guard = 0; changed && guard < 10_000; guard++) {
      changed = false;
      for (const rel of live) {
        const members = rel.filter((i) => flatVal[i] !== null);
        if (members.filter((i) => flatHidden[i]).length === 1) {
          const p = partner(members);
          if (p !== undefined) {
            flatHidden[p] = true;
            changed = any = true;
          }
        }
      }
    }
    return any;
  };
  complement();
  const deadline = Date.now() + (limits.budgetMs ?? AUDIT_BUDGET_MS);
  // Fail closed: a block whose audit does not finish clean is withheld whole.
  const withhold = (cells: Iterable<number>) => {
    for (const i of cells) if (!fixed[i] && flatVal[i] !== null) flatHidden[i] = true;
  };
  for (const rels of auditBlocks) {
    const cells = new Set(rels.flat());
    let clean = false;
    for (let guard = 0; guard < 10_000 && Date.now() <= deadline; guard++) {
      let unknowns = 0;
      for (const i of cells) if (flatHidden[i] && flatVal[i] !== null) unknowns++;
      if (unknowns > maxUnknowns) break;
      const found = determinedHiddenCells(
        rels.map((rel) => rel.map((i) => ({ level: 'month' as Level, row: 0, col: i }))),
        { month: [flatVal], quarter: [], year: [] },
        { month: [flatHidden], quarter: [], year: [] },
      );
      if (found.length === 0) {
        clean = true;
        break;
      }
      // One more hidden cell beside every exposed one per round (more than the least needed,
      // never less safe), so that a block with many exposures needs few eliminations.
      let fixedAny = false;
      for (const target of found) {
        const p = partnerNear(target.col);
        if (p !== undefined) {
          flatHidden[p] = true;
          fixedAny = true;
        }
      }
      if (!fixedAny) break;
      complement();
    }
    if (!clean) {
      audited = false;
      withhold(cells);
    }
  }

  for (const m of measures) {
    for (const level of LEVELS) {
      for (let r = 0; r < rows.length; r++) {
        for (let c = 0; c < periods[level].length; c++) hidden[m.id]![level][r]![c] = flatHidden[at(m.id, level, r, c)]!;
      }
    }
  }
  return { rows, periods, values, hidden, audited, exposed };
}

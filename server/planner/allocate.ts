// Allocation of naloxone kits across units (docs/planner.md). Pure functions, no I/O.
//
// Given K new kits, each unit's forecast need n_i, its current stock s_i (0 when unknown) and its
// minimum m_i:
//   1. the pool is what all units will hold after the plan, P = K + Σ s;
//   2. a unit's share of the pool is t_i = P · n_i / Σ n (equal shares when every need is 0);
//   3. its gap is what it lacks of that share beyond its minimum, g_i = max(0, t_i − s_i − m_i),
//      so a unit that already holds its share (s_i + m_i ≥ t_i) has no gap;
//   4. every unit gets its minimum; the R = K − Σ m kits left go in proportion to the gaps,
//      quota q_i = R · g_i / Σ g, rounded by the largest-remainder (Hamilton) method: each unit
//      gets ⌊q_i⌋, and the kits still left go one each to the largest remainders q_i − ⌊q_i⌋
//      (ties: larger need first, then the order the units were given).
// So the kits add up to exactly K, every minimum holds, a unit holding more than its share gets
// only its minimum, and a unit whose need rises (others fixed) never gets fewer kits: its gap
// rises and every other gap falls, and Hamilton's method, with the other quotas falling, never
// takes a kit from a unit whose quota rose. Σ g ≥ R always (the gaps before clipping at 0 sum to
// R exactly), so no unit's quota exceeds its gap: nobody is filled past its share.

export interface AllocationUnit {
  id: string;
  /** Forecast need (any non-negative scale; only proportions matter). */
  need: number;
  /** Kits the unit holds now; null/undefined = not known, taken as 0. */
  stock?: number | null;
  /** Kits the unit gets whatever its need. */
  minimum: number;
}

export interface AllocationInput {
  kits: number;
  units: readonly AllocationUnit[];
}

export interface AllocationRow {
  id: string;
  need: number;
  /** n_i / Σ n (equal shares when every need is 0). */
  needShare: number;
  stock: number;
  /** Whether a stock was given for this unit. */
  stockKnown: boolean;
  minimum: number;
  /** t_i: the unit's share of the pool (kits held after the plan). */
  poolShare: number;
  /** g_i = max(0, t_i − s_i − m_i). */
  gap: number;
  /** g_i / Σ g: the unit's part of the kits above the minimums (0 when Σ g = 0). */
  gapShare: number;
  /** q_i = R · g_i / Σ g, before rounding. */
  quota: number;
  /** Kits above its minimum: ⌊q_i⌋, plus one if it won a remainder. */
  extra: number;
  /** Won one of the kits left after the floors (largest remainder). */
  remainderKit: boolean;
  /** minimum + extra. */
  kits: number;
  /** 'share': kits by its gap; 'stocked': it holds its share already, so only its minimum; 'minimum': its share is no more than its minimum. */
  basis: 'share' | 'stocked' | 'minimum';
}

export interface Allocation {
  kits: number;
  /** P = K + Σ stock. */
  pool: number;
  stockTotal: number;
  minimumTotal: number;
  /** R = K − Σ minimum: the kits given by gap. */
  extraKits: number;
  totalNeed: number;
  totalGap: number;
  /** Kits left after the floors, given one each by largest remainder. */
  remainderKits: number;
  rows: AllocationRow[];
}

/** A request the allocation cannot satisfy, naming the field at fault (a 400 for the API). */
export class AllocationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Remainders compared on a 1e-9 grid, so that floating-point noise never decides a tie. */
const grid = (x: number) => Math.round(x * 1e9) / 1e9;

export function allocate(input: AllocationInput): Allocation {
  const K = input.kits;
  if (!Number.isSafeInteger(K) || K < 0) throw new AllocationError('kits', `kits must be a whole number ≥ 0 (got ${K})`);
  const units = input.units;
  if (units.length === 0) throw new AllocationError('units', 'there are no units to allocate to');
  const seen = new Set<string>();
  for (const u of units) {
    if (seen.has(u.id)) throw new AllocationError('units', `unit "${u.id}" appears twice`);
    seen.add(u.id);
    if (!Number.isFinite(u.need) || u.need < 0) throw new AllocationError('need', `the need of "${u.id}" must be a number ≥ 0 (got ${u.need})`);
    if (!Number.isSafeInteger(u.minimum) || u.minimum < 0) throw new AllocationError('minimum', `the minimum of "${u.id}" must be a whole number ≥ 0 (got ${u.minimum})`);
    if (u.stock != null && (!Number.isSafeInteger(u.stock) || u.stock < 0)) throw new AllocationError('stock', `the stock of "${u.id}" must be a whole number ≥ 0 (got ${u.stock})`);
  }
  const minimumTotal = units.reduce((s, u) => s + u.minimum, 0);
  if (K < minimumTotal) {
    const mins = new Set(units.map((u) => u.minimum));
    const how = mins.size === 1 ? `${units.length} units × ${units[0]!.minimum}` : `the minimums of ${units.length} units`;
    throw new AllocationError('kits', `kits (${K}) is less than the sum of the minimums (${minimumTotal} = ${how}): give more kits or lower the minimum`);
  }
  const stockTotal = units.reduce((s, u) => s + (u.stock ?? 0), 0);
  const pool = K + stockTotal;
  const totalNeed = units.reduce((s, u) => s + u.need, 0);
  const needShare = (u: AllocationUnit) => (totalNeed > 0 ? u.need / totalNeed : 1 / units.length);
  const R = K - minimumTotal;
  const base = units.map((u) => {
    const share = needShare(u);
    const poolShare = pool * share;
    const stock = u.stock ?? 0;
    const gap = Math.max(0, poolShare - stock - u.minimum);
    return { u, share, poolShare, stock, gap };
  });
  let totalGap = base.reduce((s, b) => s + b.gap, 0);
  // Σ g ≥ R in exact arithmetic; Σ g = 0 then means R = 0. Should rounding leave kits with no
  // gap to go to, they go by need instead, as the pool would have sent them.
  let weights = base.map((b) => b.gap);
  const byNeed = R > 0 && !(totalGap > 0);
  if (byNeed) {
    weights = base.map((b) => b.share);
    totalGap = weights.reduce((s, w) => s + w, 0);
  }
  const quotas = weights.map((w) => (R > 0 && totalGap > 0 ? (R * w) / totalGap : 0));
  const floors = quotas.map((q) => Math.floor(q + 1e-9));
  let left = R - floors.reduce((s, f) => s + f, 0);
  const remainderKits = Math.max(0, left);
  const order = quotas
    .map((q, i) => ({ i, r: grid(Math.max(0, q - floors[i]!)), need: units[i]!.need }))
    .sort((a, b) => b.r - a.r || b.need - a.need || a.i - b.i);
  const won = new Array<boolean>(units.length).fill(false);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = order[k]!.i;
    if (won[i]) floors[i]!++;
    else won[i] = true;
  }
  const rows: AllocationRow[] = base.map((b, i) => {
    const extra = floors[i]! + (won[i] ? 1 : 0);
    const basis: AllocationRow['basis'] = byNeed || b.gap > 0 ? 'share' : b.stock > 0 && b.stock + b.u.minimum >= b.poolShare && b.poolShare > b.u.minimum ? 'stocked' : 'minimum';
    return {
      id: b.u.id,
      need: b.u.need,
      needShare: b.share,
      stock: b.stock,
      stockKnown: b.u.stock != null,
      minimum: b.u.minimum,
      poolShare: b.poolShare,
      gap: b.gap,
      gapShare: totalGap > 0 ? weights[i]! / totalGap : 0,
      quota: quotas[i]!,
      extra,
      remainderKit: won[i]!,
      kits: b.u.minimum + extra,
      basis,
    };
  });
  return { kits: K, pool, stockTotal, minimumTotal, extraKits: R, totalNeed, totalGap, remainderKits, rows };
}

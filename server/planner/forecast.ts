// Forecast of next month's need, per unit (docs/planner.md). Pure functions, no I/O.
//
// Method: Holt's linear exponential smoothing with a damped trend (Gardner & McKenzie 1985;
// Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., §8.2) with FIXED
// parameters — nothing is fitted to the data, so a plan can be recomputed by hand:
//
//   level  ℓ_t = α·y_t + (1 − α)·(ℓ_{t−1} + φ·b_{t−1})
//   trend  b_t = β·(ℓ_t − ℓ_{t−1}) + (1 − β)·φ·b_{t−1}
//   forecast h months ahead: ŷ_{t+h} = max(0, ℓ_t + (φ + φ² + … + φ^h)·b_t)
//
// started at ℓ_0 = mean of the first (up to) 3 months, b_0 = 0. Defaults α = 0.3, β = 0.1,
// φ = 0.9: a level that forgets with a half-life of about two months, a trend that moves
// slowly and is damped so that it never extrapolates a rise or fall for long. Monthly counts
// are the input; a month with no data is a gap the caller must not pass (series are whole
// months of a feed's coverage).
//
// The method is checked on history (tests/unit/planner-forecast.test.ts and
// tests/integration/planner.test.ts): its one-month-ahead mean absolute error against two naive
// baselines — last month's count, and the mean of the last 12 months.

export interface HoltParams {
  /** Smoothing of the level, 0 < α ≤ 1. */
  alpha: number;
  /** Smoothing of the trend, 0 ≤ β ≤ 1. */
  beta: number;
  /** Damping of the trend, 0 ≤ φ ≤ 1 (1 = Holt's undamped linear trend). */
  phi: number;
}

export const DEFAULT_HOLT: Readonly<HoltParams> = Object.freeze({ alpha: 0.3, beta: 0.1, phi: 0.9 });

/** Months the level starts from (their mean). */
const START_MONTHS = 3;

export interface HoltState {
  level: number;
  /** Trend per month at the last observed month, before damping into the future. */
  trend: number;
  /** Months observed. */
  n: number;
}

export function checkParams(p: HoltParams): void {
  const ok = (v: number, lo: number, hi: number, loOpen = false) => Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && v <= hi;
  if (!ok(p.alpha, 0, 1, true)) throw new RangeError(`alpha must be in (0, 1] (got ${p.alpha})`);
  if (!ok(p.beta, 0, 1)) throw new RangeError(`beta must be in [0, 1] (got ${p.beta})`);
  if (!ok(p.phi, 0, 1)) throw new RangeError(`phi must be in [0, 1] (got ${p.phi})`);
}

/** The smoothed state after every month of `y` (oldest first). At least one month. */
export function holtFit(y: readonly number[], p: HoltParams = DEFAULT_HOLT): HoltState {
  checkParams(p);
  if (y.length === 0) throw new RangeError('holtFit needs at least one month');
  for (const v of y) if (!Number.isFinite(v) || v < 0) throw new RangeError(`monthly counts must be finite and non-negative (got ${v})`);
  const k = Math.min(START_MONTHS, y.length);
  let level = y.slice(0, k).reduce((s, v) => s + v, 0) / k;
  let trend = 0;
  // The first k months set the start; smoothing runs over every month after them.
  for (let t = k; t < y.length; t++) {
    const prev = level;
    level = p.alpha * y[t]! + (1 - p.alpha) * (prev + p.phi * trend);
    trend = p.beta * (level - prev) + (1 - p.beta) * p.phi * trend;
  }
  return { level, trend, n: y.length };
}

/** φ + φ² + … + φ^h: how much of the trend reaches h months ahead. */
export function dampedSteps(phi: number, h: number): number {
  let s = 0;
  let f = 1;
  for (let i = 1; i <= h; i++) {
    f *= phi;
    s += f;
  }
  return s;
}

/** The forecast h ≥ 1 months after the last observed month (never below 0). */
export function holtForecast(s: HoltState, h = 1, p: HoltParams = DEFAULT_HOLT): number {
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`the horizon must be a whole number of months ≥ 1 (got ${h})`);
  return Math.max(0, s.level + dampedSteps(p.phi, h) * s.trend);
}

// ── methods compared on history ─────────────────────────────────────────────────────────────────

/** A one-step-ahead forecaster: the forecast of the month after `history` (oldest first). */
export type Forecaster = (history: readonly number[]) => number;

export const FORECASTERS = {
  /** The planner's method (defaults above). */
  holt_damped: (h: readonly number[]) => holtForecast(holtFit(h)),
  /** Naive baseline 1: next month = last month. */
  last_month: (h: readonly number[]) => h[h.length - 1]!,
  /** Naive baseline 2: next month = the mean of the last 12 months. */
  mean_12: (h: readonly number[]) => {
    const w = h.slice(-12);
    return w.reduce((s, v) => s + v, 0) / w.length;
  },
} satisfies Record<string, Forecaster>;
export type ForecastMethod = keyof typeof FORECASTERS;

export interface BacktestScore {
  method: string;
  /** Mean absolute error of the one-month-ahead forecasts (counts per month). */
  mae: number;
  /** Forecasts scored. */
  n: number;
}

/**
 * One-month-ahead mean absolute error of each forecaster over every series: for each series and
 * each month t ≥ `warmup`, forecast y[t] from y[0..t−1] and compare. Every method is scored on
 * the same months, so the errors compare like with like.
 */
export function backtest(
  series: readonly (readonly number[])[],
  methods: Record<string, Forecaster> = FORECASTERS,
  warmup = 12,
): BacktestScore[] {
  if (!Number.isInteger(warmup) || warmup < 1) throw new RangeError(`warmup must be a whole number ≥ 1 (got ${warmup})`);
  return Object.entries(methods).map(([method, f]) => {
    let sum = 0;
    let n = 0;
    for (const y of series) {
      for (let t = warmup; t < y.length; t++) {
        sum += Math.abs(f(y.slice(0, t)) - y[t]!);
        n++;
      }
    }
    return { method, mae: n > 0 ? sum / n : Number.NaN, n };
  });
}

// ── need ────────────────────────────────────────────────────────────────────────────────────────

/** One input of need: an indicator's monthly counts for a unit and the weight of one event. */
export interface NeedSource {
  indicator: string;
  weight: number;
  /** Monthly counts, oldest first, ending with the last complete month before the plan month. */
  months: readonly number[];
}

export interface NeedComponent {
  indicator: string;
  weight: number;
  /** Forecast events in the plan month. */
  forecast: number;
  /** The count of the last complete month. */
  lastMonth: number;
  /** Mean of the last 12 months (or fewer, when fewer are given). */
  mean12: number;
  /** Damped trend carried into the plan month, events per month (φ·b). */
  trendPerMonth: number;
}

export interface Need {
  /** Σ weight × forecast. */
  need: number;
  components: NeedComponent[];
  /** Σ weight × damped trend: how fast the need is moving, per month. */
  trendPerMonth: number;
  /** trendPerMonth as a percent of the need's level now (null when the need is 0). */
  trendPct: number | null;
}

/**
 * Forecast need of one unit `horizon` months after its last complete month: Σ over the sources
 * of weight × the damped-Holt forecast of that source's monthly counts.
 */
export function unitNeed(sources: readonly NeedSource[], horizon = 1, p: HoltParams = DEFAULT_HOLT): Need {
  let level = 0;
  const components: NeedComponent[] = sources.map((s) => {
    if (!Number.isFinite(s.weight) || s.weight < 0) throw new RangeError(`the weight of ${s.indicator} must be ≥ 0 (got ${s.weight})`);
    const st = holtFit(s.months, p);
    const w = s.months.slice(-12);
    level += s.weight * st.level;
    return {
      indicator: s.indicator,
      weight: s.weight,
      forecast: holtForecast(st, horizon, p),
      lastMonth: s.months[s.months.length - 1]!,
      mean12: w.reduce((a, v) => a + v, 0) / w.length,
      trendPerMonth: p.phi * st.trend,
    };
  });
  const need = components.reduce((s, c) => s + c.weight * c.forecast, 0);
  const trendPerMonth = components.reduce((s, c) => s + c.weight * c.trendPerMonth, 0);
  return { need, components, trendPerMonth, trendPct: level > 0 ? (100 * trendPerMonth) / level : null };
}

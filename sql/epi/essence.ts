// ESSENCE-style daily detector: the Regression/EWMA switch — PRODUCT.md "Signals (daily counts)":
// 28-day baseline, 2-day guard band, linear regression with day of week, EWMA with weights 0.4 and
// 0.9, regression where its adjusted R² ≥ 0.60; red p < 0.01, yellow p < 0.05.
//
// References: Burkom, "Development, adaptation, and assessment of alerting algorithms for
// biosurveillance", Johns Hopkins APL Technical Digest 2003, 24(4):335–342; Burkom et al.,
// "Developments in the roles, features, and evaluation of alerting algorithms for disease outbreak
// monitoring", JHU APL Tech. Dig. 2008, 27(4):313–331. The formulas below — the standard-error
// inflation of the regression forecast, the EWMA variance correction, the floors and constants
// for small counts, the clamp of the smoothed value after an alert — are those of CDC NSSP's own
// open implementation of the ESSENCE detectors, the R package Rnssp (CDCgov/Rnssp,
// R/alert_regression.R, R/alert_ewma.R, R/alert_switch.R, 2024), re-derived here from its
// description. surveillance (our reference for EARS and Farrington) has no such detector, so the
// tests check it on constructed series with known answers (tests/unit/essence.test.ts).
//
// For test day t the baseline is days t−g−B … t−g−1 (B = 28, g = 2: t−30 … t−3).
//
// • Regression: y_τ = β₀ + β₁τ + Σ_{Mon…Sat} γ_k·[dow = k], τ = 1…B (Sunday the reference day),
//   by least squares; the forecast for t is at τ = B + g + 1, floored at 0. Its standard error is
//   σ̂·√((B+7)(B−4)/(B(B−7))) with σ̂² = RSS/(B−8), floored at 1.01/t_{0.95, B−8}; the p-value is
//   P(T_{B−8} > (y − ŷ)/SE). Adjusted R² = 1 − (1 − R²)(B − 1)/(B − 8), and 0 when the baseline is
//   constant (R² undefined).
// • EWMA: z_t = w·y_t + (1 − w)·z_{t−1} from z₀ = y₀, for w = 0.4 (gradual rises) and 0.9
//   (sudden ones, close to C2). Against the baseline mean m and standard deviation s,
//   stat = (z_t − m)/σ_w with σ_w = max(σ_min, s·c_w + k_w), where
//     c_w² = w/(2−w) + 1/B − 2(1−w)^{g+1}(1 − (1−w)^B)/B   (the s.d. of z_t − m for iid counts),
//     σ_min = (w/u)(1 + ½(1−w)²),  k_w = (0.1289 − (0.2414 − 0.1826(1−w)⁴)·ln 0.5)·(w/u),
//   u = t_{0.95, B−1} (both as Rnssp, which rounds the t quantiles to 5 decimals; so do we). After a
//   day whose |stat| exceeds t_{0.99, B−1}, z is pulled back to that bound so one outbreak does not
//   hold the average up for weeks. p = P(T_{B−1} > stat), the smaller of the two weights'.
// • The switch: regression where its adjusted R² ≥ 0.60, else EWMA.
//
// Deliberate differences from Rnssp: (1) a day is evaluated only with a full B-day baseline
// (Rnssp grows it from 11 days at the start of a series); (2) the EWMA runs through every day and
// its clamp applies from the first evaluated day on.

import { qt, studentUpper } from './tails.ts';

export interface EssenceParams {
  /** Baseline length in days, a multiple of 7 (default 28). */
  baseline: number;
  /** Guard band in days between baseline and test day (default 2). */
  guard: number;
  /** EWMA weight for gradual rises (default 0.4). */
  w1: number;
  /** EWMA weight for sudden rises (default 0.9). */
  w2: number;
  /** Adjusted R² at or above which the regression is used (default 0.60). */
  r2Switch: number;
  /** p below which a day is red (default 0.01) / yellow (default 0.05). */
  red: number;
  yellow: number;
}

export const ESSENCE_DEFAULTS: EssenceParams = { baseline: 28, guard: 2, w1: 0.4, w2: 0.9, r2Switch: 0.6, red: 0.01, yellow: 0.05 };

export const MODEL_NONE = 0;
export const MODEL_REGRESSION = 1;
export const MODEL_EWMA = 2;

/** One value per day of the input; NaN (model 0) before the first day with a full baseline. */
export interface EssenceSeries {
  /** First evaluated index: baseline + guard. */
  first: number;
  expected: Float64Array;
  statistic: Float64Array;
  pValue: Float64Array;
  /** Standard error the statistic divides by. */
  sigma: Float64Array;
  adjR2: Float64Array;
  /** MODEL_REGRESSION or MODEL_EWMA: which arm the switch took. */
  model: Uint8Array;
}

const round5 = (x: number) => Math.round(x * 1e5) / 1e5;
const qtCache = new Map<string, number>();
function qtRounded(p: number, df: number): number {
  const key = `${p}:${df}`;
  let v = qtCache.get(key);
  if (v === undefined) {
    v = round5(qt(p, df));
    qtCache.set(key, v);
  }
  return v;
}

/** Gauss–Jordan inverse of a small symmetric positive-definite matrix. */
function invert(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r;
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    const d = a[c]![c]!;
    if (Math.abs(d) < 1e-12) throw new Error('essence: singular regression design');
    for (let j = 0; j < 2 * n; j++) a[c]![j]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f === 0) continue;
      for (let j = 0; j < 2 * n; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((row) => row.slice(n));
}

/**
 * The regression's fixed parts for a baseline starting on weekday φ (0 = Monday): (X'X)⁻¹ and the
 * forecast row's image v = (X'X)⁻¹x₀, so that ŷ = v·X'y and β'X'y = X'y·(X'X)⁻¹·X'y. With B a
 * multiple of 7 the design depends on nothing else, so 7 of these serve every window.
 */
interface Phase {
  inv: Float64Array; // 8 × 8, row-major
  v: Float64Array; // 8
}

const P = 8; // intercept, trend, Mon…Sat

function phases(B: number, g: number): Phase[] {
  const out: Phase[] = [];
  for (let phi = 0; phi < 7; phi++) {
    const xtx = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    const row = new Array<number>(P);
    for (let j = 0; j < B; j++) {
      const dow = (phi + j) % 7;
      row.fill(0);
      row[0] = 1;
      row[1] = j + 1;
      if (dow < 6) row[2 + dow] = 1;
      for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) xtx[a]![b]! += row[a]! * row[b]!;
    }
    const inv = invert(xtx);
    const x0 = new Array<number>(P).fill(0);
    x0[0] = 1;
    x0[1] = B + g + 1;
    const dowTest = (phi + B + g) % 7;
    if (dowTest < 6) x0[2 + dowTest] = 1;
    const v = new Float64Array(P);
    for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) v[a]! += inv[a]![b]! * x0[b]!;
    out.push({ inv: Float64Array.from(inv.flat()), v });
  }
  return out;
}

const phaseCache = new Map<string, Phase[]>();

/**
 * Runs the switch over a daily series (oldest first). `firstDow` is the weekday of index 0,
 * 0 = Monday … 6 = Sunday (ISO order).
 */
export function essence(observed: ArrayLike<number>, firstDow: number, params: Partial<EssenceParams> = {}): EssenceSeries {
  const p: EssenceParams = { ...ESSENCE_DEFAULTS, ...params };
  const B = p.baseline;
  const g = p.guard;
  if (!(Number.isInteger(B) && B >= 14 && B % 7 === 0)) throw new Error('essence: the baseline must be a multiple of 7 days, at least 14');
  if (!(Number.isInteger(g) && g >= 0)) throw new Error('essence: the guard band must be a whole number of days ≥ 0');
  if (!(Number.isInteger(firstDow) && firstDow >= 0 && firstDow < 7)) throw new Error('essence: firstDow must be 0 (Monday) … 6 (Sunday)');
  for (const w of [p.w1, p.w2]) if (!(w > 0 && w <= 1)) throw new Error('essence: EWMA weights must be in (0, 1]');
  const n = observed.length;
  const key = `${B}:${g}`;
  let ph = phaseCache.get(key);
  if (!ph) {
    ph = phases(B, g);
    phaseCache.set(key, ph);
  }
  const expected = new Float64Array(n).fill(Number.NaN);
  const statistic = new Float64Array(n).fill(Number.NaN);
  const pValue = new Float64Array(n).fill(Number.NaN);
  const sigma = new Float64Array(n).fill(Number.NaN);
  const adjR2 = new Float64Array(n).fill(Number.NaN);
  const model = new Uint8Array(n);
  const first = B + g;
  const out: EssenceSeries = { first, expected, statistic, pValue, sigma, adjR2, model };
  if (n === 0) return out;

  // Prefix sums: Σy, Σ i·y, Σy², and a stride-7 running sum (the same weekday's days).
  const S0 = new Float64Array(n + 1);
  const S1 = new Float64Array(n + 1);
  const S2 = new Float64Array(n + 1);
  const W7 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = observed[i]!;
    S0[i + 1] = S0[i]! + y;
    S1[i + 1] = S1[i]! + i * y;
    S2[i + 1] = S2[i]! + y * y;
    W7[i] = y + (i >= 7 ? W7[i - 7]! : 0);
  }
  const weeks = B / 7;
  const dfReg = B - 8;
  const dfEwma = B - 1;
  const regInflate = Math.sqrt(((B + 7) * (B - 4)) / (B * (B - 7)));
  const regMinSigma = 1.01 / qtRounded(0.95, dfReg);
  const uWarn = qtRounded(0.95, dfEwma);
  const uAlert = qtRounded(0.99, dfEwma);
  const ewma = [p.w1, p.w2].map((w) => {
    const q = 1 - w;
    return {
      w,
      corr: Math.sqrt(w / (2 - w) + 1 / B - (2 * Math.pow(q, g + 1) * (1 - Math.pow(q, B))) / B),
      minSigma: (w / uWarn) * (1 + 0.5 * q * q),
      constant: (0.1289 - (0.2414 - 0.1826 * Math.pow(q, 4)) * Math.log(10 * 0.05)) * (w / uWarn),
    };
  });
  const e1 = ewma[0]!;
  const e2 = ewma[1]!;
  let z1 = observed[0]!;
  let z2 = z1;
  const xty = new Float64Array(P);
  for (let t = 1; t < n; t++) {
    const y = observed[t]!;
    z1 = e1.w * y + (1 - e1.w) * z1;
    z2 = e2.w * y + (1 - e2.w) * z2;
    if (t < first) continue;
    const a = t - g - B; // first baseline day
    const end = a + B; // one past the last
    const s0 = S0[end]! - S0[a]!;
    const s2 = S2[end]! - S2[a]!;
    const mean = s0 / B;
    const tss = Math.max(0, s2 - s0 * mean);

    // Regression.
    xty[0] = s0;
    xty[1] = S1[end]! - S1[a]! - (a - 1) * s0;
    const phi = (firstDow + a) % 7;
    for (let k = 0; k < 6; k++) {
      // First day of weekday k in the window, and its last (weeks − 1 weeks later).
      const j = a + ((k - phi + 7) % 7);
      const last = j + 7 * (weeks - 1);
      xty[2 + k] = W7[last]! - (j >= 7 ? W7[j - 7]! : 0);
    }
    const { inv, v } = ph[phi]!;
    let fit = 0;
    let quad = 0;
    // X'y·(X'X)⁻¹·X'y over the upper triangle ((X'X)⁻¹ is symmetric).
    for (let r = 0; r < P; r++) {
      const xr = xty[r]!;
      fit += v[r]! * xr;
      const off = r * P;
      let acc = 0.5 * inv[off + r]! * xr;
      for (let c = r + 1; c < P; c++) acc += inv[off + c]! * xty[c]!;
      quad += 2 * xr * acc;
    }
    const rss = Math.max(0, s2 - quad);
    let r2adj = 0;
    if (tss > 1e-9 * Math.max(1, s2)) {
      const r2 = Math.min(1, Math.max(0, 1 - rss / tss));
      r2adj = 1 - ((1 - r2) * (B - 1)) / dfReg;
    }
    adjR2[t] = r2adj;

    // EWMA, always run so that its state (and clamp) is the same whichever arm reports.
    const sd = Math.sqrt(tss / (B - 1));
    const sg1 = Math.max(e1.minSigma, sd * e1.corr + e1.constant);
    const sg2 = Math.max(e2.minSigma, sd * e2.corr + e2.constant);
    const st1 = (z1 - mean) / sg1;
    const st2 = (z2 - mean) / sg2;
    if (Math.abs(st1) > uAlert) z1 = mean + Math.sign(st1) * uAlert * sg1;
    if (Math.abs(st2) > uAlert) z2 = mean + Math.sign(st2) * uAlert * sg2;

    if (r2adj >= p.r2Switch) {
      const exp = Math.max(0, fit);
      const se = Math.max(Math.sqrt(rss / dfReg) * regInflate, regMinSigma);
      const stat = (y - exp) / se;
      expected[t] = exp;
      sigma[t] = se;
      statistic[t] = stat;
      pValue[t] = studentUpper(stat, dfReg);
      model[t] = MODEL_REGRESSION;
    } else {
      // The smaller p-value of the two weights is the larger statistic's (same t distribution).
      const use2 = st2 >= st1;
      const stat = use2 ? st2 : st1;
      expected[t] = mean;
      sigma[t] = use2 ? sg2 : sg1;
      statistic[t] = stat;
      pValue[t] = studentUpper(stat, dfEwma);
      model[t] = MODEL_EWMA;
    }
  }
  return out;
}

export type EssenceLevel = 'red' | 'yellow' | 'none';

export function essenceLevel(pValue: number, params: Pick<EssenceParams, 'red' | 'yellow'> = ESSENCE_DEFAULTS): EssenceLevel {
  if (!(pValue < params.yellow)) return 'none';
  return pValue < params.red ? 'red' : 'yellow';
}

export interface EssencePoint {
  t: number;
  observed: number;
  expected: number;
  statistic: number;
  pValue: number;
  sigma: number;
  adjR2: number;
  model: 'regression' | 'ewma';
  level: EssenceLevel;
}

/** The evaluated days as objects (tests, explanations); `essence` is the bulk form. */
export function essencePoints(observed: ArrayLike<number>, firstDow: number, params: Partial<EssenceParams> = {}): EssencePoint[] {
  const p: EssenceParams = { ...ESSENCE_DEFAULTS, ...params };
  const s = essence(observed, firstDow, p);
  const out: EssencePoint[] = [];
  for (let t = s.first; t < observed.length; t++) {
    out.push({
      t,
      observed: observed[t]!,
      expected: s.expected[t]!,
      statistic: s.statistic[t]!,
      pValue: s.pValue[t]!,
      sigma: s.sigma[t]!,
      adjR2: s.adjR2[t]!,
      model: s.model[t] === MODEL_REGRESSION ? 'regression' : 'ewma',
      level: essenceLevel(s.pValue[t]!, p),
    });
  }
  return out;
}

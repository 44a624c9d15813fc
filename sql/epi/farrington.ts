// Farrington flexible outbreak detection for weekly counts — PRODUCT.md "Signals (weekly counts)":
// Farrington flexible with b = 5 years, w = 3, alpha = 0.05.
// Reference: Noufaily et al., "An improved algorithm for outbreak detection in multiple
// surveillance systems", Stat. Med. 2013, 32:1206–1222; Farrington et al., JRSS A 1996,
// 159:547–563; implemented to agree with R's surveillance::farringtonFlexible (1.20.3) with
// epochAsDate = FALSE, thresholdMethod = "delta", populationOffset = FALSE — the golden files in
// fixtures/golden/ check every statistic to 1e-6.
//
// Time points are series positions (R's 1-based `k` is our 0-based t + 1); the reference weeks of
// past years are t − freq·i, as surveillance uses for a series without dates. A 53-week ISO year
// therefore shifts the reference weeks by one week in later years, which the ±w window absorbs.

import { glmLog, predictLink, type GlmFit } from './glm.ts';
import { pnorm, pt, qnorm } from './distributions.ts';

export interface FarringtonParams {
  /** Years of history (default 5). */
  b: number;
  /** Half-width of the window around each reference week (default 3). */
  w: number;
  alpha: number;
  /** Observations per year (default 52). */
  freq: number;
  reweight: boolean;
  weightsThreshold: number;
  trend: boolean;
  pThresholdTrend: number;
  /** No alarm unless at least limit54[0] cases in the last limit54[1] periods (Farrington's 5-in-4). */
  limit54: [number, number];
  powertrans: '2/3' | '1/2' | 'none';
  /** Seasonal factor levels (Noufaily: 10); 1 = only the reference windows. */
  noPeriods: number;
  /** Most recent periods left out of the fit (Noufaily: 26). */
  pastWeeksNotIncluded: number;
  /** 0-based positions to evaluate; default every position with b years of history. */
  range?: number[];
}

/** surveillance::farringtonFlexible's defaults, except pastWeeksNotIncluded = 26 (Noufaily 2013). */
export const FARRINGTON_DEFAULTS: FarringtonParams = {
  b: 5,
  w: 3,
  alpha: 0.05,
  freq: 52,
  reweight: true,
  weightsThreshold: 2.58,
  trend: true,
  pThresholdTrend: 0.05,
  limit54: [5, 4],
  powertrans: '2/3',
  noPeriods: 1,
  pastWeeksNotIncluded: 26,
};

export interface FarringtonPoint {
  /** 0-based position in the series. */
  t: number;
  observed: number;
  /** Predicted mean μ₀; null when the 5-in-4 rule is not met (as surveillance). */
  expected: number | null;
  /** Upper bound of the prediction interval; null when the 5-in-4 rule is not met. */
  upperbound: number | null;
  /** (y − μ₀)/(U − μ₀): an alarm needs score > 1. */
  score: number | null;
  /** Upper-tail probability of y under the transformed-normal approximation. */
  pvalue: number | null;
  /** Dispersion φ ≥ 1 of the final model. */
  phi: number | null;
  /** Whether the final model kept the time trend. */
  trend: boolean;
  /** Trend coefficient (log scale, per period) when kept. */
  trendCoefficient: number | null;
  alarm: boolean;
  /** False when no model converged (surveillance gives NA for everything). */
  fitted: boolean;
}

/**
 * Seasonal factor of every position, as surveillance's `blocks`: p for the current window and
 * the b reference windows, 1…p−1 for the stretches between them, NaN elsewhere.
 */
function blocks(k: number, n: number, b: number, w: number, p: number, freq: number): Float64Array {
  // k is 1-based; the returned array is indexed 1..n.
  const f = new Float64Array(n + 1).fill(Number.NaN);
  const set = (from: number, to: number, v: number): void => {
    for (let i = from; i <= to; i++) if (i >= 1 && i <= n) f[i] = v;
  };
  set(k - w, k, p);
  const referenceWeeks = Array.from({ length: b + 1 }, (_, i) => k - freq * i);
  for (let i = 1; i <= b; i++) {
    const refWeek = referenceWeeks[i]!;
    set(refWeek - w, refWeek + w, p);
    if (p !== 1) {
      const period = referenceWeeks[i - 1]! - 2 * w - 1 - refWeek;
      if (period < p - (2 * w + 1)) throw new Error('farrington: noPeriods too large for freq and w');
      const len = Math.floor(period / (p - 1));
      const rest = period % (p - 1);
      const lengths = [0, ...Array.from({ length: p - 1 }, (_, j) => len + (j < rest ? 1 : 0))];
      let cum = 0;
      for (let j = 1; j <= p - 1; j++) {
        const from = refWeek + w + 1 + cum;
        cum += lengths[j]!;
        const to = refWeek + w + 1 + cum - 1;
        set(from, to, j);
      }
    }
  }
  return f;
}

interface Model {
  fit: GlmFit;
  phi: number;
  /**
   * The dispersion summary.glm and predict.glm see. surveillance 1.20.3 stores the reweighting
   * weights ω in the model's working-weights slot (`model$weights <- omega`), so both then take
   * Σ ωᵢ rᵢ² / df (rᵢ the working residuals) as the dispersion for the trend test and the standard
   * error of the prediction, while φ itself was estimated before that. We reproduce it.
   */
  summaryDispersion: number;
  columns: { trend: boolean; levels: number[] };
}

function design(wtime: number, level: number, cols: { trend: boolean; levels: number[] }): number[] {
  const row = [1];
  if (cols.trend) row.push(wtime);
  // Treatment contrasts: the lowest level is the reference (R's as.factor sorts numerically).
  for (const l of cols.levels.slice(1)) row.push(level === l ? 1 : 0);
  return row;
}

/** Anscombe residuals of a Poisson fit scaled by φ and leverage, as surveillance's anscombe.residuals. */
function anscombeResiduals(fit: GlmFit, y: readonly number[], phi: number): number[] {
  return y.map((v, i) => {
    const mu = fit.fitted[i]!;
    const a = 1.5 * (Math.pow(v, 2 / 3) * Math.pow(mu, -1 / 6) - Math.sqrt(mu));
    return a / Math.sqrt(phi * (1 - fit.hat[i]!));
  });
}

/** Farrington's weights: γ s⁻² above the threshold, γ below, normalised to mean 1 (algo.farrington.assign.weights). */
function assignWeights(s: readonly number[], threshold: number): number[] {
  let denom = 0;
  for (const v of s) denom += v > threshold ? v ** -2 : 1;
  const gamma = s.length / denom;
  return s.map((v) => (v > threshold ? gamma * v ** -2 : gamma));
}

function fitFlexible(
  y: readonly number[],
  wtime: readonly number[],
  levelOf: readonly number[],
  trend: boolean,
  factors: boolean,
  params: FarringtonParams,
): Model | null {
  const levels = factors ? [...new Set(levelOf)].sort((a, b) => a - b) : [];
  const fitWith = (withTrend: boolean, weights?: number[]): { fit: GlmFit | null; cols: { trend: boolean; levels: number[] } } => {
    const cols = { trend: withTrend, levels };
    const X = y.map((_, i) => design(wtime[i]!, levelOf[i]!, cols));
    return { fit: glmLog(X, y, { family: { kind: 'poisson' }, ...(weights ? { weights } : {}) }), cols };
  };
  let { fit, cols } = fitWith(trend);
  if (!fit || !fit.converged) {
    if (trend) ({ fit, cols } = fitWith(false));
    if (!fit || !fit.converged) return null;
  }
  let phi = Math.max(fit.dispersion, 1);
  if (!params.reweight) return { fit, phi, summaryDispersion: fit.dispersion, columns: cols };
  const s = anscombeResiduals(fit, y, phi);
  const omega = assignWeights(s, params.weightsThreshold);
  // surveillance refits without checking convergence here.
  const refit = fitWith(cols.trend, omega).fit;
  if (!refit) return null;
  phi = Math.max(refit.dispersion, 1);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += omega[i]! * refit.workingResiduals[i]! ** 2;
  return { fit: refit, phi, summaryDispersion: sum / refit.dfResidual, columns: cols };
}

/** Prediction interval bounds, score and p-value (algo.farrington.threshold.farrington, "delta"). */
function threshold(mu0: number, seMu0: number, phi: number, transform: FarringtonParams['powertrans'], alpha: number, y: number) {
  const tau = phi + (seMu0 * seMu0) / mu0;
  let se: number;
  let exponent: number;
  if (transform === 'none') {
    se = Math.sqrt(mu0 * tau);
    exponent = 1;
  } else if (transform === '1/2') {
    se = Math.sqrt(0.25 * tau);
    exponent = 0.5;
  } else {
    se = Math.sqrt((4 / 9) * Math.pow(mu0, 1 / 3) * tau);
    exponent = 2 / 3;
  }
  const z = qnorm(1 - alpha);
  const center = Math.pow(mu0, exponent);
  // A negative base to a fractional power is NaN in R as here; sort(na.last = FALSE) then max(0, …).
  const a = Math.pow(center - z * se, 1 / exponent);
  const b = Math.pow(center + z * se, 1 / exponent);
  let lower: number;
  let upper: number;
  if (Number.isNaN(a) || Number.isNaN(b)) {
    upper = Number.isNaN(b) ? a : b;
    lower = 0;
  } else {
    lower = Math.max(0, Math.min(a, b));
    upper = Math.max(a, b);
  }
  const prob = pnorm(Math.pow(y, exponent), center, se, false);
  const score = Number.isNaN(upper) ? Number.NaN : (y - mu0) / (upper - mu0);
  return { lower, upper, prob, score };
}

/**
 * Farrington flexible on one weekly series (non-negative integer counts, oldest first).
 * Returns one point for each position in the range (by default every position with b full
 * years and w weeks of history).
 */
export function farringtonFlexible(observed: readonly number[], params: Partial<FarringtonParams> = {}): FarringtonPoint[] {
  const p: FarringtonParams = { ...FARRINGTON_DEFAULTS, ...params };
  const n = observed.length;
  const first = p.freq * p.b + p.w; // 0-based: R's freq*b + w + 1
  const range = p.range ?? Array.from({ length: Math.max(0, n - first) }, (_, i) => first + i);
  const factors = p.noPeriods !== 1;
  const out: FarringtonPoint[] = [];
  for (const t of range) {
    const k = t + 1;
    if (k - p.freq * p.b - p.w < 1) throw new Error(`farrington: position ${t} has fewer than ${p.b} years of history`);
    const f = blocks(k, n, p.b, p.w, p.noPeriods, p.freq);
    for (let i = Math.max(1, k - p.pastWeeksNotIncluded); i <= k; i++) f[i] = Number.NaN;
    const y: number[] = [];
    const wtime: number[] = [];
    const level: number[] = [];
    for (let i = 1; i <= n; i++) {
      if (Number.isNaN(f[i]!)) continue;
      const v = observed[i - 1]!;
      if (v === null || Number.isNaN(v)) continue;
      y.push(v);
      wtime.push(i);
      level.push(f[i]!);
    }
    const yk = observed[t]!;
    const none: FarringtonPoint = {
      t,
      observed: yk,
      expected: null,
      upperbound: null,
      score: null,
      pvalue: null,
      phi: null,
      trend: false,
      trendCoefficient: null,
      alarm: false,
      fitted: false,
    };
    let model = fitFlexible(y, wtime, level, p.trend, factors, p);
    if (!model) {
      out.push(none);
      continue;
    }
    let doTrend = false;
    const xNow = (m: Model): number[] => design(k, p.noPeriods, m.columns);
    if (model.columns.trend) {
      // predict.glm is handed `dispersion = phi` inside newdata (surveillance 1.20.3), so it uses
      // summary.glm's unclamped dispersion; so do we.
      const pr = predictLink(model.fit, xNow(model), model.summaryDispersion);
      const fitResp = Math.exp(pr.fit);
      const j = 1; // wtime column
      const se = Math.sqrt(model.fit.covUnscaled[j]![j]! * model.summaryDispersion);
      const tval = model.fit.coefficients[j]! / se;
      const pval = 2 * pt(-Math.abs(tval), model.fit.dfResidual);
      const significant = pval < p.pThresholdTrend;
      const noExtrapolation = fitResp <= Math.max(...y);
      doTrend = p.b >= 3 && significant && noExtrapolation;
      if (!doTrend) {
        model = fitFlexible(y, wtime, level, false, factors, p);
        if (!model) {
          out.push(none);
          continue;
        }
      }
    }
    const pr = predictLink(model.fit, xNow(model), model.summaryDispersion);
    const mu0 = Math.exp(pr.fit);
    const seMu0 = pr.se * mu0; // delta method, type = "response"
    const lu = threshold(mu0, seMu0, model.phi, p.powertrans, p.alpha, yk);
    let recent = 0;
    for (let i = k - p.limit54[1] + 1; i <= k; i++) recent += observed[i - 1] ?? 0;
    const enoughCases = recent >= p.limit54[0];
    const score = enoughCases ? lu.score : Number.NaN;
    out.push({
      t,
      observed: yk,
      expected: enoughCases && !Number.isNaN(lu.upper) ? mu0 : null,
      upperbound: enoughCases && !Number.isNaN(lu.upper) ? lu.upper : null,
      score: Number.isNaN(lu.score) ? null : lu.score,
      pvalue: Number.isNaN(lu.prob) ? null : lu.prob,
      phi: model.phi,
      trend: doTrend,
      trendCoefficient: doTrend ? model.fit.coefficients[1]! : null,
      alarm: !Number.isNaN(score) && score > 1 && yk !== 0,
      fitted: true,
    });
  }
  return out;
}

// Negative-binomial regression with trend and annual harmonics for weekly counts — PRODUCT.md
// "Signals (weekly counts)": at least 2 years of baseline; alarm above the 95% prediction bound.
//
//   log μ_t = β₀ + β₁ t + Σ_{k=1..K} (a_k sin(2πkt/P) + b_k cos(2πkt/P)),  Y_t ~ NB(μ_t, θ),
//   Var Y_t = μ_t + μ_t²/θ,  P = 365.25/7 weeks.
//
// The fit is maximum likelihood by MASS::glm.nb's alternation (Venables & Ripley, Modern Applied
// Statistics with S, 4th ed., §7.4): a Poisson IRLS fit, then θ by Newton's method on the score
// (theta.ml), then IRLS with θ fixed and θ again, until the log-likelihood and θ settle —
// reproduced step for step, so the coefficients and θ agree with glm.nb to 1e-6
// (fixtures/golden/negbin.json). The bound for week t is the 95% quantile of NB(μ̂_t, θ̂), the
// plug-in prediction bound (no allowance for the uncertainty of μ̂_t; Noufaily et al. 2013's
// "nbPlugin"); the week alarms when its count is above it.

import { digamma, incompleteBeta, lgamma, qnbinom, trigamma } from './distributions.ts';
import { glmLog, type GlmFit } from './glm.ts';

export const WEEKS_PER_YEAR = 365.25 / 7;

export interface NegbinFit {
  coefficients: number[];
  theta: number;
  /** Standard error of θ from the observed information (glm.nb's SE.theta). */
  thetaSE: number;
  /** 2 × log-likelihood (glm.nb's twologlik). */
  twoLogLik: number;
  fitted: number[];
  /** Outer alternations taken; converged is false when glm.nb would warn. */
  iterations: number;
  converged: boolean;
  glm: GlmFit;
}

function loglik(th: number, mu: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    s += lgamma(th + yi) - lgamma(th) - lgamma(yi + 1) + th * Math.log(th) + yi * Math.log(mu[i]! + (yi === 0 ? 1 : 0)) - (th + yi) * Math.log(th + mu[i]!);
  }
  return s;
}

/** MASS::theta.ml: Newton's method on the score for θ, from the moment estimate. */
export function thetaMl(y: readonly number[], mu: readonly number[], limit = 25): { theta: number; se: number; warning: string | null } {
  const n = y.length;
  let s0 = 0;
  for (let i = 0; i < n; i++) s0 += (y[i]! / mu[i]! - 1) ** 2;
  let t0 = n / s0;
  let it = 0;
  let del = 1;
  let info = Number.NaN;
  const eps = Math.pow(2.220446049250313e-16, 0.25);
  // Counts repeat (weekly counts of one area take a few dozen values), so ψ(θ + y) and ψ′(θ + y)
  // are computed once per distinct y and Newton step; the terms in θ alone once per step. The
  // sums are the same terms in the same order as MASS's theta.ml.
  const psi = new Map<number, number>();
  const psi1 = new Map<number, number>();
  while (++it < limit && Math.abs(del) > eps) {
    t0 = Math.abs(t0);
    let score = 0;
    info = 0;
    psi.clear();
    psi1.clear();
    const dg0 = digamma(t0);
    const tg0 = trigamma(t0);
    const lt0 = Math.log(t0);
    for (let i = 0; i < n; i++) {
      const yi = y[i]!;
      const m = mu[i]!;
      let dg = psi.get(yi);
      let tg = psi1.get(yi);
      if (dg === undefined || tg === undefined) {
        dg = digamma(t0 + yi);
        tg = trigamma(t0 + yi);
        psi.set(yi, dg);
        psi1.set(yi, tg);
      }
      score += dg - dg0 + lt0 + 1 - Math.log(t0 + m) - (yi + t0) / (m + t0);
      info += -tg + tg0 - 1 / t0 + 2 / (m + t0) - (yi + t0) / (m + t0) ** 2;
    }
    del = score / info;
    t0 += del;
  }
  let warning: string | null = null;
  if (t0 < 0) {
    t0 = 0;
    warning = 'estimate truncated at zero';
  }
  if (it === limit) warning = 'iteration limit reached';
  return { theta: t0, se: Math.sqrt(1 / info), warning };
}

/** MASS::glm.nb on a design matrix (rows) with the log link, unit weights. Null when IRLS fails. */
export function glmNb(X: readonly (readonly number[])[], y: readonly number[], maxit = 25, epsilon = 1e-8): NegbinFit | null {
  let fit = glmLog(X, y, { family: { kind: 'poisson' }, maxit, epsilon });
  if (!fit) return null;
  let mu = fit.fitted;
  let tm = thetaMl(y, mu, maxit);
  let th = tm.theta;
  let iter = 0;
  const d1 = Math.sqrt(2 * Math.max(1, fit.dfResidual));
  const d2 = 1;
  let del = 1;
  let Lm = loglik(th, mu, y);
  let Lm0 = Lm + 2 * d1;
  while (++iter <= maxit && Math.abs(Lm0 - Lm) / d1 + Math.abs(del) / d2 > epsilon) {
    const eta = mu.map(Math.log);
    const next = glmLog(X, y, { family: { kind: 'negbin', theta: th }, etastart: eta, maxit, epsilon });
    if (!next) return null;
    fit = next;
    const t0 = th;
    // glm.nb updates θ from the μ of the previous fit, then takes the new fit's μ.
    tm = thetaMl(y, mu, maxit);
    th = tm.theta;
    mu = fit.fitted;
    del = t0 - th;
    Lm0 = Lm;
    Lm = loglik(th, mu, y);
  }
  return {
    coefficients: fit.coefficients,
    theta: th,
    thetaSE: tm.se,
    twoLogLik: 2 * Lm,
    fitted: mu,
    iterations: Math.min(iter, maxit),
    converged: iter <= maxit && tm.warning === null && fit.converged,
    glm: fit,
  };
}

export interface NegbinParams {
  /** Weeks of history each fit uses (≥ 104, PRODUCT.md; default 156). */
  baselineWeeks: number;
  /** Most recent weeks left out of each fit, so an ongoing rise does not raise its own baseline (default 4). */
  guardWeeks: number;
  /** Harmonic pairs (default 1: annual). */
  harmonics: number;
  trend: boolean;
  /** Upper tail of the bound (default 0.05: the 95% bound). */
  alpha: number;
  period: number;
  /** 0-based weeks to evaluate; default every week with a full baseline before it. */
  range?: number[];
}

export const NEGBIN_DEFAULTS: NegbinParams = {
  baselineWeeks: 156,
  guardWeeks: 4,
  harmonics: 1,
  trend: true,
  alpha: 0.05,
  period: WEEKS_PER_YEAR,
};

/** Design row for week t (0-based position in the series). */
export function negbinDesign(t: number, p: Pick<NegbinParams, 'trend' | 'harmonics' | 'period'>): number[] {
  const row = [1];
  if (p.trend) row.push(t);
  for (let k = 1; k <= p.harmonics; k++) {
    const a = (2 * Math.PI * k * t) / p.period;
    row.push(Math.sin(a), Math.cos(a));
  }
  return row;
}

export interface NegbinPoint {
  t: number;
  observed: number;
  /** μ̂_t. */
  expected: number | null;
  theta: number | null;
  /** 95% plug-in prediction bound (an integer count). */
  upperbound: number | null;
  /** P(Y ≥ observed) under NB(μ̂_t, θ̂). */
  pvalue: number | null;
  alarm: boolean;
  /** False when glm.nb would warn (θ at its iteration limit, e.g. no overdispersion) or IRLS failed. */
  converged: boolean;
}

export function negbinSignal(observed: readonly number[], params: Partial<NegbinParams> = {}): NegbinPoint[] {
  const p: NegbinParams = { ...NEGBIN_DEFAULTS, ...params };
  if (p.baselineWeeks < 104) throw new Error('negbin: at least 2 years (104 weeks) of baseline');
  const first = p.baselineWeeks + p.guardWeeks;
  const range = p.range ?? Array.from({ length: Math.max(0, observed.length - first) }, (_, i) => first + i);
  return range.map((t) => {
    const from = t - p.guardWeeks - p.baselineWeeks;
    if (from < 0) throw new Error(`negbin: week ${t} has fewer than ${p.baselineWeeks} weeks of baseline`);
    const idx = Array.from({ length: p.baselineWeeks }, (_, i) => from + i);
    const X = idx.map((i) => negbinDesign(i, p));
    const y = idx.map((i) => observed[i]!);
    const fit = glmNb(X, y);
    const yt = observed[t]!;
    if (!fit || !(fit.theta > 0)) return { t, observed: yt, expected: null, theta: null, upperbound: null, pvalue: null, alarm: false, converged: false };
    const x = negbinDesign(t, p);
    const mu = Math.exp(x.reduce((s, v, k) => s + v * fit.coefficients[k]!, 0));
    // A fit that ran away (a sparse baseline whose trend IRLS drove to ±∞) predicts nothing.
    if (!Number.isFinite(mu)) return { t, observed: yt, expected: null, theta: null, upperbound: null, pvalue: null, alarm: false, converged: false };
    const upper = qnbinom(1 - p.alpha, fit.theta, mu);
    return {
      t,
      observed: yt,
      expected: mu,
      theta: fit.theta,
      upperbound: upper,
      // P(Y ≥ y) = I_{μ/(θ+μ)}(y, θ), without the cancellation of 1 − P(Y ≤ y − 1).
      pvalue: yt <= 0 ? 1 : incompleteBeta(mu / (fit.theta + mu), yt, fit.theta),
      alarm: yt > upper,
      converged: fit.converged,
    };
  });
}

// Comparing a rate with an earlier one: the exact conditional test of two Poisson rates and the
// interval of their ratio, as R's stats::poisson.test(c(x1, x0), c(T1, T0)) computes them, and
// the z-test of two directly age-adjusted rates that NCHS uses. Golden values from R in
// fixtures/golden/rate-compare.json (fixtures/golden/make-golden-compare.R;
// tests/unit/epi-rate-compare.test.ts).
import { dpoisRaw, incompleteBeta, lgamma, pnorm, qnorm } from './distributions.ts';

/** Binomial probability, as dpois(x; np)·dpois(n−x; nq) / dpois(n; n) — exact, and in Loader's precise form. */
export function dbinom(x: number, n: number, p: number): number {
  if (x < 0 || x > n || !Number.isInteger(x)) return 0;
  if (p === 0) return x === 0 ? 1 : 0;
  if (p === 1) return x === n ? 1 : 0;
  return (dpoisRaw(x, n * p) * dpoisRaw(n - x, n * (1 - p))) / dpoisRaw(n, n);
}

/** P(X ≤ k) for X ~ Binomial(n, p), or P(X > k) when lowerTail is false. */
export function pbinom(k: number, n: number, p: number, lowerTail = true): number {
  k = Math.floor(k);
  if (k < 0) return lowerTail ? 0 : 1;
  if (k >= n) return lowerTail ? 1 : 0;
  return lowerTail ? incompleteBeta(1 - p, n - k, k + 1) : incompleteBeta(p, k + 1, n - k);
}

/**
 * Quantile of the beta distribution: Newton's method on the regularized incomplete beta, kept
 * inside a shrinking bisection bracket (so it always converges), to 1e-15 relative.
 */
export function qbeta(prob: number, a: number, b: number): number {
  if (prob <= 0) return 0;
  if (prob >= 1) return 1;
  const lbeta = lgamma(a) + lgamma(b) - lgamma(a + b);
  let lo = 0;
  let hi = 1;
  let x = Math.min(Math.max(a / (a + b), 1e-12), 1 - 1e-12);
  for (let i = 0; i < 300; i++) {
    const f = incompleteBeta(x, a, b) - prob;
    if (f < 0) lo = x;
    else hi = x;
    const pdf = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lbeta);
    let next = pdf > 0 && Number.isFinite(pdf) ? x - f / pdf : Number.NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * x || hi - lo <= 1e-15 * lo) return next;
    x = next;
  }
  return x;
}

/** Two-sided exact binomial p-value, as R's binom.test (probabilities no larger than the observed one). */
export function binomTestTwoSided(x: number, n: number, p: number): number {
  if (n === 0) return 1;
  const relErr = 1 + 1e-7;
  const d = dbinom(x, n, p);
  const m = n * p;
  let pval: number;
  if (x === m) return 1;
  // The binomial is unimodal with its mode in [floor(m), ceil(m)]: dbinom falls on [ceil(m), n]
  // and rises on [0, floor(m)], so R's count of "no more probable" outcomes is a binary search.
  const bound = d * relErr;
  if (x < m) {
    let lo = Math.ceil(m);
    let hi = n + 1; // first i in [ceil(m), n] with dbinom(i) ≤ bound, or n + 1
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (dbinom(mid, n, p) <= bound) hi = mid;
      else lo = mid + 1;
    }
    const y = n + 1 - lo;
    pval = pbinom(x, n, p) + pbinom(n - y, n, p, false);
  } else {
    let lo = -1; // last i in [0, floor(m)] with dbinom(i) ≤ bound, or −1
    let hi = Math.floor(m);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (dbinom(mid, n, p) <= bound) lo = mid;
      else hi = mid - 1;
    }
    const y = lo + 1;
    pval = pbinom(y - 1, n, p) + pbinom(x - 1, n, p, false);
  }
  return Math.min(1, pval);
}

export interface RateRatioTest {
  /** (x1/T1) / (x0/T0); null when x0 = 0. */
  ratio: number | null;
  lower: number | null;
  upper: number | null;
  p: number;
  method: string;
}

/**
 * Exact conditional comparison of two Poisson rates (x1 events over exposure T1 against x0 over
 * T0): given x1 + x0, x1 is Binomial(x1 + x0, T1/(T1 + T0)) when the rates are equal. The
 * p-value is binom.test's; the ratio's interval is the Clopper–Pearson interval of the binomial
 * proportion mapped to the ratio — R's poisson.test (Fay 2010, "Two-sided exact tests and
 * matching confidence intervals for discrete data", R Journal 2:53–58, describes the method).
 */
export function poissonRateRatio(x1: number, t1: number, x0: number, t0: number, confLevel = 0.95): RateRatioTest {
  const n = x1 + x0;
  const method = 'exact conditional test of two Poisson rates (R stats::poisson.test)';
  if (!(t1 > 0) || !(t0 > 0)) return { ratio: null, lower: null, upper: null, p: 1, method };
  const p0 = t1 / (t1 + t0);
  const alpha = 1 - confLevel;
  const p = binomTestTwoSided(x1, n, p0);
  if (n === 0) return { ratio: null, lower: 0, upper: null, p, method };
  const pl = x1 === 0 ? 0 : qbeta(alpha / 2, x1, n - x1 + 1);
  const pu = x1 === n ? 1 : qbeta(1 - alpha / 2, x1 + 1, n - x1);
  const toRatio = (q: number) => (q / (1 - q)) * (t0 / t1);
  return {
    ratio: x0 === 0 ? null : x1 / t1 / (x0 / t0),
    lower: toRatio(pl),
    upper: pu === 1 ? null : toRatio(pu),
    p,
    method,
  };
}

export interface AdjustedDifferenceTest {
  /** Two-sided p of the z-test; null where NCHS does not use it (fewer than 100 events in either). */
  p: number | null;
  /** At 1 − confLevel: by the z-test, or by non-overlapping gamma intervals below 100 events. */
  significant: boolean;
  method: string;
}

/** NCHS applies the normal approximation only when both rates rest on at least 100 events. */
export const Z_TEST_MIN_EVENTS = 100;

/**
 * Difference of two directly age-adjusted rates. NCHS (Health, United States, Appendix II
 * "Statistical testing"; NVSR "Deaths: Final Data" technical notes): a two-sided z-test on
 * (R1 − R0)/√(SE1² + SE0²) with SE² = Σ wᵢ² xᵢ/nᵢ² when both rates rest on 100 or more events;
 * below that, the difference is called significant only when the 95% (gamma) intervals do not
 * overlap — a conservative rule.
 */
export function adjustedRateDifference(
  a: { rate: number; variance: number; events: number; lower: number; upper: number },
  b: { rate: number; variance: number; events: number; lower: number; upper: number },
  confLevel = 0.95,
): AdjustedDifferenceTest {
  const alpha = 1 - confLevel;
  if (a.events >= Z_TEST_MIN_EVENTS && b.events >= Z_TEST_MIN_EVENTS) {
    const se = Math.sqrt(a.variance + b.variance);
    const z = se > 0 ? (a.rate - b.rate) / se : 0;
    const p = 2 * pnorm(-Math.abs(z));
    return { p, significant: Math.abs(z) > qnorm(1 - alpha / 2), method: 'z-test of the difference of age-adjusted rates (NCHS), both rates on 100 or more events' };
  }
  return {
    p: null,
    significant: a.lower > b.upper || b.lower > a.upper,
    method: 'non-overlapping 95% gamma intervals (NCHS rule for rates on fewer than 100 events; conservative)',
  };
}

// Upper-tail probabilities for the daily detectors, fast enough to run on every area and day of
// every indicator (about 1.4 million tests a run: 43 series × 2,190 days × 15 indicators). The
// general-purpose pnorm/pt in distributions.ts are the reference; these agree with them to
// 1e-12 relative (tests/unit/essence.test.ts) and fall back to them in the far tails.

import { pt } from './distributions.ts';

// Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 1969, 23:631–637
// — the coefficients of R's nmath pnorm.c (as distributions.ts), kept at module scope and
// evaluated without allocating.
const A0 = 2.2352520354606839287, A1 = 161.02823106855587881, A2 = 1067.6894854603709582, A3 = 18154.981253343561249, A4 = 0.065682337918207449113;
const B0 = 47.20258190468824187, B1 = 976.09855173777669322, B2 = 10260.932208618978205, B3 = 45507.789335026729956;
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
] as const;
const D = [22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727] as const;
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303] as const;
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5] as const;
const M_SQRT_32 = 5.656854249492380195206754896838;
const M_1_SQRT_2PI = 0.398942280401432677939946059934;

/** exp(−y²/2)·v, with y² split as R does so the exponent keeps full precision. */
function gaussTail(y: number, v: number): number {
  const xsq = Math.trunc(y * 16) / 16;
  const del = (y - xsq) * (y + xsq);
  return Math.exp(-xsq * xsq * 0.5) * Math.exp(-del * 0.5) * v;
}

/** P(Z > z) for a standard normal Z. */
export function normalUpper(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const y = Math.abs(z);
  if (y <= 0.67448975) {
    const xsq = z * z;
    const xnum = (((A4 * xsq + A0) * xsq + A1) * xsq + A2) * xsq;
    const xden = (((xsq + B0) * xsq + B1) * xsq + B2) * xsq;
    return 0.5 - (z * (xnum + A3)) / (xden + B3);
  }
  let upper: number;
  if (y <= M_SQRT_32) {
    let xnum = C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]!) * y;
      xden = (xden + D[i]!) * y;
    }
    upper = gaussTail(y, (xnum + C[7]) / (xden + D[7]));
  } else if (y < 40) {
    const xsq = 1 / (y * y);
    let xnum = P[5] * xsq;
    let xden = xsq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + P[i]!) * xsq;
      xden = (xden + Q[i]!) * xsq;
    }
    const temp = (M_1_SQRT_2PI - (xsq * (xnum + P[4])) / (xden + Q[4])) / y;
    upper = gaussTail(y, temp);
  } else upper = 0;
  return z > 0 ? upper : 1 - upper;
}

/**
 * P(T > t) for Student's t with a whole number of degrees of freedom, by the finite series of
 * Abramowitz & Stegun 26.7.3–26.7.4 in θ = atan(t/√ν). The series gives A = P(|T| ≤ |t|); its
 * complement loses relative precision as A → 1 (about 1e-16/tail), so tails below 1e-3 are taken from pt.
 */
export function studentUpper(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isInteger(df) || df < 1) return pt(t, df, false);
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  const tt = t * t;
  const c2 = df / (df + tt); // cos²θ
  let A: number;
  if (df % 2 === 0) {
    // sin θ [1 + ½cos²θ + (1·3)/(2·4)cos⁴θ + … ]
    let term = 1;
    let sum = 1;
    for (let k = 1; k <= (df - 2) / 2; k++) {
      term *= (c2 * (2 * k - 1)) / (2 * k);
      sum += term;
    }
    A = Math.sqrt(tt / (df + tt)) * sum;
  } else {
    const theta = Math.atan(Math.abs(t) / Math.sqrt(df));
    if (df === 1) A = (2 / Math.PI) * theta;
    else {
      let term = 1;
      let sum = 1;
      for (let k = 1; k <= (df - 3) / 2; k++) {
        term *= (c2 * (2 * k)) / (2 * k + 1);
        sum += term;
      }
      A = (2 / Math.PI) * (theta + Math.sin(theta) * Math.cos(theta) * sum);
    }
  }
  const upperAbs = 0.5 * (1 - A);
  if (upperAbs < 1e-3) {
    const exact = pt(-Math.abs(t), df);
    return t > 0 ? exact : 1 - exact;
  }
  return t > 0 ? upperAbs : 1 - upperAbs;
}

/** Student-t quantile by bisection on pt (called once per degrees of freedom and level, then cached). */
export function qt(p: number, df: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200 && hi - lo > 1e-14 * Math.max(1, Math.abs(hi)); i++) {
    const mid = 0.5 * (lo + hi);
    if (pt(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

// Log-link generalized linear models (Poisson / quasi-Poisson, negative binomial with known θ)
// by iteratively reweighted least squares, following R's stats::glm.fit (R 4.2) step for step:
// the same starting values, the same deviance-based stopping rule (|dev − dev_old| /
// (|dev| + 0.1) < ε, ε = 1e-8, at most 25 iterations), and the same bookkeeping — the QR
// decomposition, working weights and hat values that summary.glm, predict.glm and
// hatvalues() use come from the last weighted least-squares step, i.e. from the weights of the
// iteration before the final coefficient update. That last detail matters at the 1e-6 level:
// IRLS stops within ~1e-5 of the optimum, and R's dispersion and standard errors are those of
// its last step, not of the exact optimum.

const DBL_EPSILON = 2.220446049250313e-16;

export type GlmFamily = { kind: 'poisson' } | { kind: 'negbin'; theta: number };

export interface GlmOptions {
  family?: GlmFamily;
  /** Prior weights (R's `weights`); default 1. */
  weights?: readonly number[];
  /** Linear predictor to start from (R's `etastart`); default from the family's initialize. */
  etastart?: readonly number[];
  epsilon?: number;
  maxit?: number;
}

export interface GlmFit {
  coefficients: number[];
  /** Fitted means μ. */
  fitted: number[];
  eta: number[];
  converged: boolean;
  iterations: number;
  deviance: number;
  /** Working weights of the last IRLS step (R's `fit$weights`). */
  workingWeights: number[];
  /** Working residuals (y − μ)/μ (R's `fit$residuals`). */
  workingResiduals: number[];
  priorWeights: number[];
  rank: number;
  dfResidual: number;
  /** (R'R)⁻¹ of the last weighted least-squares step (summary.glm's cov.unscaled). */
  covUnscaled: number[][];
  /** Diagonal of the hat matrix of the last step (R's hatvalues). */
  hat: number[];
  /**
   * Pearson dispersion estimate as summary.glm computes it for quasi families:
   * Σ w_working · r_working² / df.residual.
   */
  dispersion: number;
}

function linkinv(eta: number): number {
  return Math.max(Math.exp(eta), DBL_EPSILON);
}

function variance(mu: number, family: GlmFamily): number {
  return family.kind === 'poisson' ? mu : mu + (mu * mu) / family.theta;
}

function devResid(y: number, mu: number, wt: number, family: GlmFamily): number {
  if (family.kind === 'poisson') {
    return 2 * (y > 0 ? wt * (y * Math.log(y / mu) - (y - mu)) : mu * wt);
  }
  // MASS::negative.binomial dev.resids: 2 wt (y log(pmax(1, y)/μ) − (y + θ) log((y + θ)/(μ + θ)))
  const th = family.theta;
  return 2 * wt * (y * Math.log(Math.max(1, y) / mu) - (y + th) * Math.log((y + th) / (mu + th)));
}

/**
 * Least squares by Householder QR (as LINPACK dqrdc2/dqrsl do for R's lm.fit and glm.fit, without
 * pivoting: a design that is rank-deficient to tolerance 1e-7 is reported as such).
 * Returns β, R (upper triangle, p × p) and the thin Q's rows' squared norms (hat values).
 */
function qrLeastSquares(A: number[][], b: number[]): { beta: number[]; R: number[][]; hat: number[] } | null {
  const n = A.length;
  const p = A[0]?.length ?? 0;
  const M = A.map((row) => row.slice());
  const rhs = b.slice();
  const vs: number[][] = [];
  const colNorms = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += M[i]![j]! ** 2;
    colNorms[j] = Math.sqrt(s);
  }
  for (let j = 0; j < p; j++) {
    let norm = 0;
    for (let i = j; i < n; i++) norm += M[i]![j]! ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 1e-7 * (colNorms[j]! || 1))) return null;
    const alpha = M[j]![j]! > 0 ? -norm : norm;
    const v = new Array<number>(n).fill(0);
    for (let i = j; i < n; i++) v[i] = M[i]![j]!;
    v[j] = v[j]! - alpha;
    let vv = 0;
    for (let i = j; i < n; i++) vv += v[i]! ** 2;
    vs.push(v);
    if (vv === 0) continue;
    for (let k = j; k < p; k++) {
      let dot = 0;
      for (let i = j; i < n; i++) dot += v[i]! * M[i]![k]!;
      const f = (2 * dot) / vv;
      for (let i = j; i < n; i++) M[i]![k] = M[i]![k]! - f * v[i]!;
    }
    let dot = 0;
    for (let i = j; i < n; i++) dot += v[i]! * rhs[i]!;
    const f = (2 * dot) / vv;
    for (let i = j; i < n; i++) rhs[i] = rhs[i]! - f * v[i]!;
  }
  const R: number[][] = [];
  for (let i = 0; i < p; i++) {
    R.push(new Array<number>(p).fill(0));
    for (let k = i; k < p; k++) R[i]![k] = M[i]![k]!;
  }
  const beta = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    let s = rhs[i]!;
    for (let k = i + 1; k < p; k++) s -= R[i]![k]! * beta[k]!;
    beta[i] = s / R[i]![i]!;
  }
  // h_i = ‖R⁻ᵀ a_i‖² for each row a_i of A.
  const hat = new Array<number>(n).fill(0);
  const t = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const a = A[i]!;
    let h = 0;
    for (let k = 0; k < p; k++) {
      let s = a[k]!;
      for (let m = 0; m < k; m++) s -= R[m]![k]! * t[m]!;
      t[k] = s / R[k]![k]!;
      h += t[k]! * t[k]!;
    }
    hat[i] = h;
  }
  return { beta, R, hat };
}

/** (R'R)⁻¹ from the upper-triangular R (R's chol2inv). */
function chol2inv(R: number[][]): number[][] {
  const p = R.length;
  const Rinv: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    Rinv[j]![j] = 1 / R[j]![j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += R[i]![k]! * Rinv[k]![j]!;
      Rinv[i]![j] = -s / R[i]![i]!;
    }
  }
  const out: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let s = 0;
      for (let k = j; k < p; k++) s += Rinv[i]![k]! * Rinv[j]![k]!;
      out[i]![j] = s;
      out[j]![i] = s;
    }
  }
  return out;
}

/**
 * Fit a log-link GLM. `X` is the n × p design (rows), `y` the counts. Returns null when the design
 * is rank-deficient (R would drop a column; the callers here never build such designs on purpose).
 */
export function glmLog(X: readonly (readonly number[])[], y: readonly number[], opts: GlmOptions = {}): GlmFit | null {
  const family = opts.family ?? { kind: 'poisson' };
  const epsilon = opts.epsilon ?? 1e-8;
  const maxit = opts.maxit ?? 25;
  const n = y.length;
  const p = X[0]?.length ?? 0;
  const prior = opts.weights ? opts.weights.slice() : new Array<number>(n).fill(1);
  let eta: number[];
  if (opts.etastart) eta = opts.etastart.slice();
  else {
    // poisson()$initialize: mustart <- y + 0.1; MASS::negative.binomial: mustart <- y + (y == 0)/6
    const mustart = y.map((v) => (family.kind === 'poisson' ? v + 0.1 : v + (v === 0 ? 1 / 6 : 0)));
    eta = mustart.map(Math.log);
  }
  let mu = eta.map(linkinv);
  let devold = 0;
  for (let i = 0; i < n; i++) devold += devResid(y[i]!, mu[i]!, prior[i]!, family);
  let conv = false;
  let iter = 0;
  let coef = new Array<number>(p).fill(0);
  let lastW: number[] = new Array<number>(n).fill(0);
  let lastQr: { beta: number[]; R: number[][]; hat: number[] } | null = null;
  let dev = devold;
  for (iter = 1; iter <= maxit; iter++) {
    const rows: number[][] = [];
    const rhs: number[] = [];
    const good: number[] = [];
    const w = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      const me = linkinv(eta[i]!); // mu.eta for the log link: pmax(exp(eta), eps)
      if (!(prior[i]! > 0) || me === 0) continue;
      const z = eta[i]! + (y[i]! - mu[i]!) / me;
      const wi = Math.sqrt((prior[i]! * me * me) / variance(mu[i]!, family));
      w[i] = wi;
      good.push(i);
      rows.push(X[i]!.map((v) => v * wi));
      rhs.push(z * wi);
    }
    const qr = qrLeastSquares(rows, rhs);
    if (!qr) return null;
    const start = qr.beta;
    const newEta = X.map((row) => row.reduce((s, v, k) => s + v * start[k]!, 0));
    const newMu = newEta.map(linkinv);
    dev = 0;
    for (let i = 0; i < n; i++) dev += devResid(y[i]!, newMu[i]!, prior[i]!, family);
    eta = newEta;
    mu = newMu;
    lastW = w;
    // Hat values are over the good rows; spread back to all rows.
    const hat = new Array<number>(n).fill(0);
    good.forEach((gi, k) => (hat[gi] = qr.hat[k]!));
    lastQr = { beta: qr.beta, R: qr.R, hat };
    coef = start;
    if (!Number.isFinite(dev)) return null; // R would halve the step; never needed for these models
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
      conv = true;
      break;
    }
    devold = dev;
  }
  if (iter > maxit) iter = maxit;
  const workingWeights = lastW.map((v) => v * v);
  const workingResiduals = y.map((v, i) => (v - mu[i]!) / linkinv(eta[i]!));
  const nOk = prior.filter((v) => v !== 0).length;
  const dfResidual = nOk - p;
  let pearson = 0;
  for (let i = 0; i < n; i++) if (workingWeights[i]! > 0) pearson += workingWeights[i]! * workingResiduals[i]! ** 2;
  return {
    coefficients: coef,
    fitted: mu,
    eta,
    converged: conv,
    iterations: iter,
    deviance: dev,
    workingWeights,
    workingResiduals,
    priorWeights: prior,
    rank: p,
    dfResidual,
    covUnscaled: chol2inv(lastQr!.R),
    hat: lastQr!.hat,
    dispersion: dfResidual > 0 ? pearson / dfResidual : Number.NaN,
  };
}

/** x'β and its standard error sqrt(x' V x · dispersion) on the link scale (predict.glm, se.fit). */
export function predictLink(fit: GlmFit, x: readonly number[], dispersion: number): { fit: number; se: number } {
  const p = x.length;
  let eta = 0;
  for (let k = 0; k < p; k++) eta += x[k]! * fit.coefficients[k]!;
  let q = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) q += x[i]! * fit.covUnscaled[i]![j]! * x[j]!;
  return { fit: eta, se: Math.sqrt(q * dispersion) };
}

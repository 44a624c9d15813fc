// EARS C1, C2 and C3 on daily counts — PRODUCT.md "Signals (daily counts)". Reference:
// Hutwagner et al., "The bioterrorism preparedness and response Early Aberration Reporting
// System (EARS)", J. Urban Health 2003, 80(Suppl 1):i89–96; Fricker et al., Stat. Med. 2008,
// 27:3407–3429. Implemented to agree with R's surveillance::earsC (1.20.3) exactly — threshold,
// alarm and the ranges evaluated — as the golden files in fixtures/golden/ check.
//
// • C1: baseline = the `baseline` (7) days before day t.
// • C2: baseline = the 7 days before a 2-day guard band (t−9 … t−3).
// • C3: built on C2. Hutwagner's statistic is Σ_{i=0..2} max(0, C2_{t−i} − 1). surveillance's
//   threshold, which decides the alarm, is
//     U_t = max(0, y_t + σ_t (z − max(0, C2_{t−2} − 1) − max(0, C2_{t−1} − 1))),
//   so its alarm is "y_t > 0 and the two previous days' excess exceeds z". We follow surveillance
//   for threshold and alarm (the reference the product is checked against) and report Hutwagner's
//   sum as the statistic; see fixtures/golden/README.md.
// • σ is the sample standard deviation of the baseline, floored at `minSigma` (surveillance's
//   floor for sparse series; its default 0 makes every count above an all-zero baseline an alarm).
// • z = qnorm(1 − alpha); alpha defaults 0.001 (C1, C2) and 0.025 (C3), as earsC.

import { qnorm } from './distributions.ts';

export type EarsMethod = 'C1' | 'C2' | 'C3';

export interface EarsParams {
  method: EarsMethod;
  /** Baseline length in days (≥ 3; default 7). */
  baseline?: number;
  /** Defaults 0.001 for C1/C2, 0.025 for C3. */
  alpha?: number;
  /** Floor on the baseline standard deviation (default 0, as surveillance). */
  minSigma?: number;
}

export interface EarsPoint {
  /** 0-based day index into the input. */
  t: number;
  observed: number;
  /** Baseline mean. */
  expected: number;
  /** Baseline standard deviation after the floor. */
  sd: number;
  /** C1/C2: (y − mean)/sd; C3: Hutwagner's sum. Null where sd is 0 (0/0 or x/0). */
  statistic: number | null;
  /** Count above which the day alarms; null where surveillance's threshold is NA (sd 0 with C3). */
  threshold: number | null;
  alarm: boolean;
}

function meanSd(y: readonly number[], from: number, len: number): { mean: number; sd: number } {
  let s = 0;
  for (let i = from; i < from + len; i++) s += y[i]!;
  const mean = s / len;
  let ss = 0;
  for (let i = from; i < from + len; i++) ss += (y[i]! - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (len - 1)) };
}

/** x/0 as R computes it: ±Inf, or NaN for 0/0. */
function ratio(num: number, den: number): number {
  return num / den;
}

/**
 * Run EARS over a daily series (oldest first). Days without enough history are not returned:
 * the first day evaluated is index baseline (C1), baseline + 2 (C2) or baseline + 4 (C3).
 */
export function ears(observed: readonly number[], params: EarsParams): EarsPoint[] {
  const baseline = params.baseline ?? 7;
  const minSigma = params.minSigma ?? 0;
  if (baseline < 3) throw new Error('ears: the minimum baseline is 3 days');
  if (minSigma < 0) throw new Error('ears: minSigma must not be negative');
  const method = params.method;
  const alpha = params.alpha ?? (method === 'C3' ? 0.025 : 0.001);
  const z = qnorm(1 - alpha);
  const n = observed.length;
  // C1: days t−baseline … t−1. C2/C3: t−baseline−2 … t−3.
  const lagStart = method === 'C1' ? baseline : baseline + 2;
  const ref = (t: number) => {
    const r = meanSd(observed, t - lagStart, baseline);
    return { mean: r.mean, sd: Math.max(r.sd, minSigma) };
  };
  const out: EarsPoint[] = [];
  if (method !== 'C3') {
    for (let t = lagStart; t < n; t++) {
      const { mean, sd } = ref(t);
      const y = observed[t]!;
      const stat = ratio(y - mean, sd);
      const thr = mean + z * sd;
      out.push({ t, observed: y, expected: mean, sd, statistic: Number.isFinite(stat) ? stat : null, threshold: thr, alarm: y > thr });
    }
    return out;
  }
  const c2 = (t: number) => {
    const { mean, sd } = ref(t);
    return ratio(observed[t]! - mean, sd);
  };
  // R's pmax(0, NaN) is NaN; Math.max(0, NaN) is NaN too.
  const part = (t: number) => Math.max(0, c2(t) - 1);
  for (let t = baseline + 4; t < n; t++) {
    const { mean, sd } = ref(t);
    const y = observed[t]!;
    const lag2 = part(t - 2);
    const lag1 = part(t - 1);
    const today = part(t);
    const stat = today + lag1 + lag2;
    const raw = y + sd * (z - (lag2 + lag1));
    const thr = Math.max(0, raw);
    const defined = !Number.isNaN(raw);
    out.push({
      t,
      observed: y,
      expected: mean,
      sd,
      statistic: Number.isFinite(stat) ? stat : null,
      threshold: defined ? thr : null,
      // surveillance: observed > upperbound, NA when the bound is NA; NA is no alarm here.
      alarm: defined && y > thr,
    });
  }
  return out;
}

/** The same detector over a whole series at once, as typed arrays (NaN where ears() gives null). */
export interface EarsSeries {
  /** First evaluated index: baseline (C1), baseline + 2 (C2), baseline + 4 (C3). */
  first: number;
  expected: Float64Array;
  sd: Float64Array;
  statistic: Float64Array;
  threshold: Float64Array;
  alarm: Uint8Array;
  /**
   * C3 only: the two previous days' C2 excess Σ_{lag 1,2} max(0, C2 − 1) that surveillance judges
   * the alarm by (alarm ⇔ y > 0 and this exceeds z); NaN elsewhere.
   */
  lagExcess: Float64Array;
}

/**
 * ears() for every day of a long series without building an object per day (a signals run
 * evaluates some 1.4 million area-days). Same arithmetic, same windows, so the same numbers:
 * tests/unit/essence.test.ts checks it against ears() on the golden series.
 */
export function earsSeries(observed: ArrayLike<number>, params: EarsParams): EarsSeries {
  const baseline = params.baseline ?? 7;
  const minSigma = params.minSigma ?? 0;
  if (baseline < 3) throw new Error('ears: the minimum baseline is 3 days');
  if (minSigma < 0) throw new Error('ears: minSigma must not be negative');
  const method = params.method;
  const alpha = params.alpha ?? (method === 'C3' ? 0.025 : 0.001);
  const z = qnorm(1 - alpha);
  const n = observed.length;
  const y = Array.isArray(observed) ? (observed as readonly number[]) : Array.from(observed);
  const lagStart = method === 'C1' ? baseline : baseline + 2;
  const first = method === 'C3' ? baseline + 4 : lagStart;
  const nan = () => new Float64Array(n).fill(Number.NaN);
  const out: EarsSeries = { first, expected: nan(), sd: nan(), statistic: nan(), threshold: nan(), alarm: new Uint8Array(n), lagExcess: nan() };
  // Mean and floored sd of each day's window (C1: the days before; C2/C3: before the guard band).
  const mean = nan();
  const sdv = nan();
  for (let t = lagStart; t < n; t++) {
    const r = meanSd(y, t - lagStart, baseline);
    mean[t] = r.mean;
    sdv[t] = Math.max(r.sd, minSigma);
  }
  if (method !== 'C3') {
    for (let t = first; t < n; t++) {
      const m = mean[t]!;
      const sd = sdv[t]!;
      const v = y[t]!;
      const stat = ratio(v - m, sd);
      const thr = m + z * sd;
      out.expected[t] = m;
      out.sd[t] = sd;
      out.statistic[t] = Number.isFinite(stat) ? stat : Number.NaN;
      out.threshold[t] = thr;
      out.alarm[t] = v > thr ? 1 : 0;
    }
    return out;
  }
  const part = new Float64Array(n).fill(Number.NaN);
  for (let t = lagStart; t < n; t++) part[t] = Math.max(0, ratio(y[t]! - mean[t]!, sdv[t]!) - 1);
  for (let t = first; t < n; t++) {
    const m = mean[t]!;
    const sd = sdv[t]!;
    const v = y[t]!;
    const lag2 = part[t - 2]!;
    const lag1 = part[t - 1]!;
    const stat = part[t]! + lag1 + lag2;
    const raw = v + sd * (z - (lag2 + lag1));
    const defined = !Number.isNaN(raw);
    out.expected[t] = m;
    out.sd[t] = sd;
    out.statistic[t] = Number.isFinite(stat) ? stat : Number.NaN;
    out.threshold[t] = defined ? Math.max(0, raw) : Number.NaN;
    out.alarm[t] = defined && v > Math.max(0, raw) ? 1 : 0;
    out.lagExcess[t] = lag2 + lag1;
  }
  return out;
}

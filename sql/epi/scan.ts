// Space–time permutation scan statistic — PRODUCT.md "Clusters". Reference: Kulldorff, Heffernan,
// Hartman, Assunção & Mostashari, "A space–time permutation scan statistic for disease outbreak
// detection", PLoS Medicine 2005, 2(3):e59.
//
// Cases c_zd per area z and day d; C the total. Under the null hypothesis (no space–time
// interaction) a cylinder A — a circle of areas Z around a centroid, over a window of days D —
// expects μ_A = C_Z · C_D / C cases. Its Poisson generalized likelihood ratio is
//   GLR_A = (c_A/μ_A)^{c_A} · ((C − c_A)/(C − μ_A))^{C − c_A}   when c_A > μ_A, else 1,
// and the test statistic is max_A log GLR_A. Its null distribution comes from Monte Carlo
// replicates that permute the days among the cases, keeping every case's area, so that the
// area totals C_z and the day totals C_d — hence every μ_A — stay fixed. p = rank / (R + 1).
//
// Circles: each area's centroid with its k nearest areas, k growing while the circle holds at most
// `maxSpatialShare` of all cases (default 50%); identical circles are scanned once.
// Windows: every run of 1…maxDays days (retrospective), or only those ending on the last day
// (prospective surveillance: is there a cluster going on now?).
//
// Pure and synchronous: the input and the prepared problem are typed arrays and plain objects,
// so a worker thread can take them by postMessage. Replicate r draws from its own generator,
// d3.randomLcg(seed mixed with r), so the result does not depend on how replicates are split
// across workers (replicateMaxima(prep, seed, from, to) runs a slice).

import { randomLcg } from 'd3';

export interface ScanParams {
  /** Largest share of all cases one circle may hold (default 0.5). */
  maxSpatialShare: number;
  /** Longest window in days (default 30). */
  maxDays: number;
  /** Windows must end on the last day (prospective surveillance). Default false. */
  prospective: boolean;
  /** Monte Carlo replicates (default 999). */
  replicates: number;
  /** A cylinder with fewer cases is not a cluster (default 2). */
  minCases: number;
  /** Most clusters to report: the most likely one, then secondary ones that share no area with it or each other. */
  maxClusters: number;
  /** 'latlon': centroids are [longitude, latitude] in degrees, distances great-circle km. 'cartesian': plain x, y. */
  coordinates: 'latlon' | 'cartesian';
}

export const SCAN_DEFAULTS: ScanParams = {
  maxSpatialShare: 0.5,
  maxDays: 30,
  prospective: false,
  replicates: 999,
  minCases: 2,
  maxClusters: 10,
  coordinates: 'latlon',
};

export interface ScanInput {
  /** cases[z][d]: cases in area z on day d; every row the same length (days). */
  cases: readonly (ArrayLike<number>)[];
  /** One [x, y] (or [longitude, latitude]) per area. */
  centroids: readonly (readonly [number, number])[];
}

/** A scanned problem: everything that stays fixed across replicates. */
export interface PreparedScan {
  params: ScanParams;
  areas: number;
  days: number;
  total: number;
  /** counts[z * days + d] (observed). */
  counts: Int32Array;
  /** Area and day of every case, in a fixed order (the replicates permute the days). */
  caseArea: Int32Array;
  caseDay: Int32Array;
  /**
   * Circles, grouped by centre and nested within a centre: circle m adds area circleMembers[m]
   * to the circle before it (or is the centre alone), so its members are circleMembers over
   * centreCircles[circleCenter[m]] … m.
   */
  circleMembers: Int32Array;
  circleCenter: Int32Array;
  circleRadius: Float64Array;
  /** Cases in each circle (C_Z). */
  circleCases: Float64Array;
  /** 1 where circle m is not the same set of areas as an earlier circle (only those are scanned). */
  circleNew: Uint8Array;
  /** Centre order: centreCircles[c]..centreCircles[c+1] are the circles grown around centre c. */
  centreCircles: Int32Array;
  /** Day totals C_d, prefix summed: dayPrefix[d] = Σ_{d' < d} C_d'. */
  dayPrefix: Float64Array;
}

export interface ScanCluster {
  /** Index of the centre area. */
  center: number;
  /** Area indices, nearest the centre first. */
  areas: number[];
  /** Distance from the centre to the farthest member's centroid (km for 'latlon'). */
  radius: number;
  /** First and last day (indices, inclusive). */
  start: number;
  end: number;
  observed: number;
  expected: number;
  /** observed / expected. */
  relativeRisk: number;
  /** log GLR. */
  llr: number;
  /** Monte Carlo p-value against the maximum over all cylinders (conservative for secondary clusters). */
  pValue: number;
}

export interface ScanResult {
  totalCases: number;
  circles: number;
  cylinders: number;
  replicates: number;
  /** Most likely cluster first; empty when no cylinder has more cases than expected. */
  clusters: ScanCluster[];
  /** log GLR needed for p ≤ 0.05 and p ≤ 0.01 (Monte Carlo critical values). */
  criticalValues: { p05: number | null; p01: number | null };
}

const EARTH_RADIUS_KM = 6371.0088;

function distance(a: readonly [number, number], b: readonly [number, number], kind: ScanParams['coordinates']): number {
  if (kind === 'cartesian') return Math.hypot(a[0] - b[0], a[1] - b[1]);
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function prepareScan(input: ScanInput, params: Partial<ScanParams> = {}): PreparedScan {
  const p: ScanParams = { ...SCAN_DEFAULTS, ...params };
  const areas = input.cases.length;
  if (input.centroids.length !== areas) throw new Error(`scan: ${areas} case rows but ${input.centroids.length} centroids`);
  const days = input.cases[0]?.length ?? 0;
  if (!(p.maxDays >= 1)) throw new Error('scan: maxDays must be at least 1');
  const counts = new Int32Array(areas * days);
  const areaTotal = new Float64Array(areas);
  const dayTotal = new Float64Array(days);
  let total = 0;
  for (let z = 0; z < areas; z++) {
    const row = input.cases[z]!;
    if (row.length !== days) throw new Error(`scan: area ${z} has ${row.length} days, area 0 has ${days}`);
    for (let d = 0; d < days; d++) {
      const v = row[d]!;
      if (!(v >= 0) || !Number.isInteger(v)) throw new Error(`scan: cases[${z}][${d}] = ${v} is not a non-negative integer`);
      counts[z * days + d] = v;
      areaTotal[z] = areaTotal[z]! + v;
      dayTotal[d] = dayTotal[d]! + v;
      total += v;
    }
  }
  const caseArea = new Int32Array(total);
  const caseDay = new Int32Array(total);
  let k = 0;
  for (let z = 0; z < areas; z++) {
    for (let d = 0; d < days; d++) {
      for (let c = counts[z * days + d]!; c > 0; c--) {
        caseArea[k] = z;
        caseDay[k] = d;
        k++;
      }
    }
  }
  const dayPrefix = new Float64Array(days + 1);
  for (let d = 0; d < days; d++) dayPrefix[d + 1] = dayPrefix[d]! + dayTotal[d]!;

  // Circles around each centroid, nearest first (ties by index, for determinism).
  const members: number[] = [];
  const centers: number[] = [];
  const radii: number[] = [];
  const circleCases: number[] = [];
  const isNew: number[] = [];
  const centreCircles: number[] = [0];
  const seen = new Set<string>();
  const limit = p.maxSpatialShare * total;
  for (let c = 0; c < areas; c++) {
    const dist = input.centroids.map((x, i) => ({ i, d: distance(input.centroids[c]!, x, p.coordinates) }));
    dist.sort((a, b) => a.d - b.d || a.i - b.i);
    // The centre itself first even if another centroid coincides with it.
    const self = dist.findIndex((x) => x.i === c);
    dist.unshift(...dist.splice(self, 1));
    let inCircle = 0;
    const sorted: number[] = [];
    for (let j = 0; j < dist.length; j++) {
      const { i, d } = dist[j]!;
      if (inCircle + areaTotal[i]! > limit) break;
      inCircle += areaTotal[i]!;
      sorted.push(i);
      const key = [...sorted].sort((a, b) => a - b).join(',');
      const fresh = !seen.has(key);
      seen.add(key);
      members.push(i);
      centers.push(c);
      radii.push(d);
      circleCases.push(inCircle);
      isNew.push(fresh ? 1 : 0);
    }
    centreCircles.push(centers.length);
  }
  return {
    params: p,
    areas,
    days,
    total,
    counts,
    caseArea,
    caseDay,
    circleMembers: Int32Array.from(members),
    circleCenter: Int32Array.from(centers),
    circleRadius: Float64Array.from(radii),
    circleCases: Float64Array.from(circleCases),
    circleNew: Uint8Array.from(isNew),
    centreCircles: Int32Array.from(centreCircles),
    dayPrefix,
  };
}

/** Members of circle m (nearest first). */
function circleAreas(prep: PreparedScan, m: number): number[] {
  const c = prep.circleCenter[m]!;
  const out: number[] = [];
  for (let j = prep.centreCircles[c]!; j <= m; j++) out.push(prep.circleMembers[j]!);
  return out;
}

interface Best {
  llr: number;
  circle: number;
  start: number;
  end: number;
  cases: number;
}

/**
 * The scan over all cylinders of one case layout. With `perCircle`, the best window of every
 * (new) circle is written there and the bound for skipping a window is that circle's best; else
 * only the overall maximum is kept and the bound is the maximum so far.
 *
 * Skipping rests on an upper bound of log GLR that is increasing in c and decreasing in μ where
 * c > μ: since log(1 + x) ≤ x,
 *   (C − c)·log((C − c)/(C − μ)) ≤ −(c − μ)(C − c)/(C − μ) ≤ −(c − μ)(C − c)/C,
 * so log GLR ≤ g(c, μ) = c·log(c/μ) − (c − μ)(1 − c/C); and as c·log(c/μ) − (c − μ) ≤
 * (c − μ)²/μ, also log GLR ≤ h = (c − μ)²/μ + (c − μ)·c/C, which needs no logarithm and grows with
 * c − μ and c and shrinks with μ. The windows ending on one day are taken in blocks of lengths
 * [1], [2], [3–4], [5–8], …: with R[d] = (circle cases before day d) − k_Z·(all cases before d),
 * every window [s, e] of a block has c − μ = R[e+1] − R[s] ≤ R[e+1] − min R over the block's
 * starts (a sparse-table range minimum), c ≤ the block's longest count, μ ≥ its shortest
 * expectation; h at those values bounds the block. Nearly every block of a replicate falls below
 * the running maximum and is skipped whole.
 */
function scanCounts(prep: PreparedScan, counts: Int32Array, lnc: Float64Array, perCircle: Best[] | null): number {
  const { days, total: C, params } = prep;
  const maxL = Math.min(params.maxDays, days);
  const minCases = Math.max(1, params.minCases);
  const { lnT, T } = dayWindows(prep);
  const invC = 1 / C;
  const lnC = Math.log(C);
  const cum = new Int32Array(days);
  const P = new Int32Array(days + 1);
  // Window lengths in blocks [1], [2], [3–4], [5–8], … ; within a block μ varies by at most 2×.
  const blockLo: number[] = [];
  const blockHi: number[] = [];
  for (let lo = 1; lo <= maxL; lo = blockHi[blockHi.length - 1]! + 1) {
    blockLo.push(lo);
    blockHi.push(Math.min(maxL, lo === 1 ? 1 : 2 * (lo - 1)));
  }
  let widest = 1;
  for (let b = 0; b < blockLo.length; b++) widest = Math.max(widest, blockHi[b]! - blockLo[b]! + 1);
  const levels = 32 - Math.clz32(widest);
  const W = days + 1;
  // st[j·W + s] = min(R[s … s + 2^j − 1]) of the excess R[d] = P[d] − k_Z·(day prefix)[d].
  const st = new Float64Array(levels * W);
  const DP = prep.dayPrefix;
  let best = 0;
  const firstEnd = params.prospective ? days - 1 : 0;
  // Only days from d0 on enter any window (prospective: the last maxL days); prefix sums start there.
  const d0 = params.prospective ? days - maxL : 0;
  for (let centre = 0; centre < prep.areas; centre++) {
    cum.fill(0);
    const last = prep.centreCircles[centre + 1]!;
    for (let m = prep.centreCircles[centre]!; m < last; m++) {
      const off = prep.circleMembers[m]! * days;
      for (let d = d0; d < days; d++) cum[d] = cum[d]! + counts[off + d]!;
      if (!prep.circleNew[m]) continue;
      const CZ = prep.circleCases[m]!;
      if (CZ < minCases) continue;
      const kZ = CZ * invC;
      const lnkZ = Math.log(CZ) - lnC;
      P[d0] = 0;
      st[d0] = -kZ * DP[d0]!;
      for (let d = d0; d < days; d++) {
        const v = P[d]! + cum[d]!;
        P[d + 1] = v;
        st[d + 1] = v - kZ * DP[d + 1]!;
      }
      for (let j = 1, half = 1; j < levels; j++, half *= 2) {
        const cur = j * W;
        const prev = cur - W;
        for (let d = d0; d + 2 * half <= W; d++) {
          const a = st[prev + d]!;
          const b = st[prev + d + half]!;
          st[cur + d] = a < b ? a : b;
        }
      }
      let bound = perCircle ? 0 : best;
      let bs = -1;
      let be = -1;
      let bc = 0;
      for (let e = firstEnd; e < days; e++) {
        const top = P[e + 1]!;
        const lmax = e + 1 < maxL ? e + 1 : maxL;
        if (top - P[e + 1 - lmax]! < minCases) continue;
        const row = e * maxL - 1;
        const rTop = st[e + 1]!;
        for (let b = 0; b < blockLo.length; b++) {
          const La = blockLo[b]!;
          if (La > lmax) break;
          const Lb = blockHi[b]! < lmax ? blockHi[b]! : lmax;
          // Every window of the block: c − μ = R[e+1] − R[s] ≤ xMax, c ≤ cHi, μ ≥ μLo, and
          // log GLR ≤ (c − μ)²/μ + (c − μ)·c/C.
          const sLo = e + 1 - Lb;
          const n = Lb - La + 1;
          const j = 31 - Math.clz32(n);
          const a1 = st[j * W + sLo]!;
          const a2 = st[j * W + e + 2 - La - (1 << j)]!;
          const xMax = rTop - (a1 < a2 ? a1 : a2);
          if (xMax <= 0) continue;
          const cHi = top - P[sLo]!;
          if (cHi < minCases) continue;
          const muLo = kZ * T[row + La]!;
          if (xMax * xMax <= (bound - xMax * cHi * invC) * muLo) continue;
          for (let L = La; L <= Lb; L++) {
            const c = top - P[e + 1 - L]!;
            if (c < minCases) continue;
            const mu = kZ * T[row + L]!;
            const x = c - mu;
            if (x <= 0) continue;
            if (x * x <= (bound - x * c * invC) * mu) continue;
            const lcm = lnc[c]! - lnkZ - lnT[row + L]!;
            if (c * lcm - x * (1 - c * invC) <= bound) continue;
            const rest = C - c;
            const llr = c * lcm + (rest > 0 ? rest * (lnc[rest]! - Math.log(C - mu)) : 0);
            if (llr > bound) {
              bound = llr;
              bs = e + 1 - L;
              be = e;
              bc = c;
            }
          }
        }
      }
      if (perCircle) {
        if (bs >= 0) perCircle.push({ llr: bound, circle: m, start: bs, end: be, cases: bc });
        if (bound > best) best = bound;
      } else best = bound;
    }
  }
  return best;
}

const windowCache = new WeakMap<PreparedScan, { T: Float64Array; lnT: Float64Array }>();

/** Day total C_D of every window and its log, indexed [end · maxDays + length − 1]. */
function dayWindows(prep: PreparedScan): { T: Float64Array; lnT: Float64Array } {
  const hit = windowCache.get(prep);
  if (hit) return hit;
  const maxL = Math.min(prep.params.maxDays, prep.days);
  const T = new Float64Array(prep.days * maxL);
  const lnT = new Float64Array(prep.days * maxL);
  for (let e = 0; e < prep.days; e++) {
    for (let L = 1; L <= Math.min(maxL, e + 1); L++) {
      const t = prep.dayPrefix[e + 1]! - prep.dayPrefix[e + 1 - L]!;
      T[e * maxL + L - 1] = t;
      lnT[e * maxL + L - 1] = Math.log(t);
    }
  }
  const out = { T, lnT };
  windowCache.set(prep, out);
  return out;
}

function lnTable(C: number): Float64Array {
  const t = new Float64Array(C + 1);
  t[0] = Number.NEGATIVE_INFINITY;
  for (let c = 1; c <= C; c++) t[c] = Math.log(c);
  return t;
}

/** Seed of replicate r: the user's seed and r mixed by MurmurHash3's 32-bit finalizer. */
export function replicateSeed(seed: number, r: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(r + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One permutation replicate: days shuffled among the cases (Fisher–Yates), areas kept. */
export function permutedCounts(prep: PreparedScan, seed: number, r: number, out = new Int32Array(prep.areas * prep.days), days = new Int32Array(prep.total)): Int32Array {
  const rng = randomLcg(replicateSeed(seed, r));
  days.set(prep.caseDay);
  for (let i = days.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = days[i]!;
    days[i] = days[j]!;
    days[j] = t;
  }
  out.fill(0);
  const D = prep.days;
  for (let i = 0; i < days.length; i++) {
    const k = prep.caseArea[i]! * D + days[i]!;
    out[k] = out[k]! + 1;
  }
  return out;
}

/** Maximum log GLR of replicates from ≤ r < to (a worker's slice). */
export function replicateMaxima(prep: PreparedScan, seed: number, from = 0, to = prep.params.replicates): Float64Array {
  const out = new Float64Array(Math.max(0, to - from));
  if (prep.total === 0) return out;
  const lnc = lnTable(prep.total);
  const counts = new Int32Array(prep.areas * prep.days);
  const days = new Int32Array(prep.total);
  for (let r = from; r < to; r++) {
    permutedCounts(prep, seed, r, counts, days);
    out[r - from] = scanCounts(prep, counts, lnc, null);
  }
  return out;
}

/** Best window of every circle on the observed data, best first (ties: earlier circle first). */
export function circleBests(prep: PreparedScan): { circle: number; center: number; areas: number[]; radius: number; start: number; end: number; observed: number; expected: number; llr: number }[] {
  const per: Best[] = [];
  if (prep.total === 0) return [];
  scanCounts(prep, prep.counts, lnTable(prep.total), per);
  per.sort((a, b) => b.llr - a.llr || a.circle - b.circle);
  return per.map((b) => ({
    circle: b.circle,
    center: prep.circleCenter[b.circle]!,
    areas: circleAreas(prep, b.circle),
    radius: prep.circleRadius[b.circle]!,
    start: b.start,
    end: b.end,
    observed: b.cases,
    expected: (prep.circleCases[b.circle]! * (prep.dayPrefix[b.end + 1]! - prep.dayPrefix[b.start]!)) / prep.total,
    llr: b.llr,
  }));
}

/** Clusters from the observed scan and the replicates' maxima (any order). */
export function assembleScan(prep: PreparedScan, maxima: ArrayLike<number>): ScanResult {
  const R = maxima.length;
  const sorted = Float64Array.from(maxima).sort();
  const exceed = (llr: number): number => {
    // Count of replicate maxima ≥ llr.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! >= llr) hi = mid;
      else lo = mid + 1;
    }
    return sorted.length - lo;
  };
  const used = new Uint8Array(prep.areas);
  const clusters: ScanCluster[] = [];
  for (const b of circleBests(prep)) {
    if (clusters.length >= prep.params.maxClusters) break;
    if (b.areas.some((z) => used[z])) continue;
    for (const z of b.areas) used[z] = 1;
    clusters.push({
      center: b.center,
      areas: b.areas,
      radius: b.radius,
      start: b.start,
      end: b.end,
      observed: b.observed,
      expected: b.expected,
      relativeRisk: b.observed / b.expected,
      llr: b.llr,
      pValue: (1 + exceed(b.llr)) / (R + 1),
    });
  }
  // The replicate maximum ranked so that p = (rank)/(R+1) ≤ α: the ⌊α(R+1)⌋-th largest.
  const critical = (alpha: number): number | null => {
    const k = Math.floor(alpha * (R + 1));
    return k >= 1 && k <= R ? sorted[R - k]! : null;
  };
  let cylinders = 0;
  const maxL = Math.min(prep.params.maxDays, prep.days);
  const windows = prep.params.prospective ? maxL : windowsCount(prep.days, maxL);
  let circles = 0;
  for (let m = 0; m < prep.circleNew.length; m++) if (prep.circleNew[m]) circles++;
  cylinders = circles * windows;
  return { totalCases: prep.total, circles, cylinders, replicates: R, clusters, criticalValues: { p05: critical(0.05), p01: critical(0.01) } };
}

function windowsCount(days: number, maxL: number): number {
  let n = 0;
  for (let L = 1; L <= maxL; L++) n += days - L + 1;
  return n;
}

/**
 * The whole scan in this thread: observed clusters, `replicates` permutations from `seed`,
 * Monte Carlo p-values.
 */
export function spaceTimePermutationScan(input: ScanInput, params: Partial<ScanParams>, seed: number): ScanResult {
  const prep = prepareScan(input, params);
  return assembleScan(prep, replicateMaxima(prep, seed));
}

/** log GLR of one cylinder (exported for tests and for explaining a cluster). */
export function cylinderLlr(observed: number, expected: number, total: number): number {
  if (!(observed > expected)) return 0;
  const rest = total - observed;
  return observed * Math.log(observed / expected) + (rest > 0 ? rest * Math.log(rest / (total - expected)) : 0);
}

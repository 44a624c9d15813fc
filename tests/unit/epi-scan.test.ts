// sql/epi/scan.ts: the observed statistic of every cylinder against a brute-force enumeration in R
// (fixtures/golden/scan.json); the Monte Carlo part by its properties.
import { randomLcg, randomPoisson } from 'd3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assembleScan,
  circleBests,
  cylinderLlr,
  permutedCounts,
  prepareScan,
  replicateMaxima,
  spaceTimePermutationScan,
  type PreparedScan,
  type ScanParams,
} from '../../sql/epi/scan.ts';
import { DiffTracker, readGolden } from './epi-golden.ts';

interface Candidate {
  circle: number;
  center: number;
  areas: number[] | number;
  radius: number;
  llr: number;
  start: number;
  end: number;
  observed: number;
  expected: number;
}
interface Run {
  params: Pick<ScanParams, 'maxSpatialShare' | 'maxDays' | 'prospective' | 'minCases'>;
  circles: number;
  candidates: Candidate[];
  clusters: Candidate[];
}
const g = readGolden<{ centroids: [number, number][]; cases: number[][]; planted: { areas: number[]; start: number; end: number }; runs: Run[] }>('scan.json');
const diffs = new DiffTracker();
afterAll(() => {
  if (process.env.EPI_GOLDEN_REPORT) console.log(`scan vs brute force in ${g.generatedBy.R}\n${diffs.report()}`);
});
// jsonlite writes a one-element vector as a scalar.
const arr = (v: number[] | number): number[] => (Array.isArray(v) ? v : [v]);

function compare(stat: string, ours: Omit<Candidate, 'circle'> & { circle?: number }, ref: Candidate, where: string): void {
  expect(ours.areas, where).toEqual(arr(ref.areas));
  expect([ours.center, ours.start, ours.end, ours.observed], where).toEqual([ref.center, ref.start, ref.end, ref.observed]);
  diffs.check(`${stat} llr`, ours.llr, ref.llr, 1e-9, where);
  diffs.check(`${stat} expected`, ours.expected, ref.expected, 1e-9, where);
  diffs.check(`${stat} radius (km)`, ours.radius, ref.radius, 1e-9, where);
}

describe('observed scan matches a brute-force enumeration in R', () => {
  for (const run of g.runs) {
    it(JSON.stringify(run.params), () => {
      const prep = prepareScan({ cases: g.cases, centroids: g.centroids }, { ...run.params, maxClusters: 10 });
      const result = assembleScan(prep, []);
      expect(result.circles).toBe(run.circles);
      const ours = circleBests(prep);
      expect(ours.length).toBe(run.candidates.length);
      ours.forEach((c, i) => {
        const ref = run.candidates[i]!;
        expect(c.circle).toBe(ref.circle);
        compare('circle best', c, ref, `candidate ${i}`);
      });
      expect(result.clusters.length).toBe(run.clusters.length);
      result.clusters.forEach((c, i) => {
        compare('cluster', c, run.clusters[i]!, `cluster ${i}`);
        expect(c.relativeRisk).toBeCloseTo(c.observed / c.expected, 12);
        expect(c.pValue).toBe(1); // no replicates
      });
    });
  }
});

/** Every cylinder, no shortcuts: the reference for the pruned search. */
function bruteMax(prep: PreparedScan, counts: Int32Array): number {
  const { days, total: C, params } = prep;
  let best = 0;
  for (let m = 0; m < prep.circleCenter.length; m++) {
    if (!prep.circleNew[m]) continue;
    const c0 = prep.circleCenter[m]!;
    const members: number[] = [];
    for (let j = prep.centreCircles[c0]!; j <= m; j++) members.push(prep.circleMembers[j]!);
    const CZ = prep.circleCases[m]!;
    for (let e = params.prospective ? days - 1 : 0; e < days; e++) {
      for (let L = 1; L <= Math.min(params.maxDays, e + 1); L++) {
        let c = 0;
        for (const z of members) for (let d = e - L + 1; d <= e; d++) c += counts[z * days + d]!;
        if (c < params.minCases) continue;
        const mu = (CZ * (prep.dayPrefix[e + 1]! - prep.dayPrefix[e + 1 - L]!)) / C;
        best = Math.max(best, cylinderLlr(c, mu, C));
      }
    }
  }
  return best;
}

function synthetic(areas: number, days: number, seed: number, perDay: number) {
  const rng = randomLcg(seed);
  const pois = randomPoisson.source(rng);
  const centroids = Array.from({ length: areas }, () => [-74.05 + 0.3 * rng(), 40.55 + 0.35 * rng()] as [number, number]);
  const weight = Array.from({ length: areas }, () => 0.3 + rng());
  const sum = weight.reduce((a, b) => a + b, 0);
  const cases = weight.map((w) => Array.from({ length: days }, () => pois((perDay * w) / sum)()));
  return { cases, centroids };
}

describe('Monte Carlo replicates', () => {
  const input = synthetic(12, 40, 3, 25);
  const prep = prepareScan(input, { maxDays: 10, replicates: 20 });

  it('permute days among cases, keeping every area total and every day total', () => {
    const counts = permutedCounts(prep, 11, 4);
    for (let z = 0; z < prep.areas; z++) {
      let s = 0;
      let s0 = 0;
      for (let d = 0; d < prep.days; d++) {
        s += counts[z * prep.days + d]!;
        s0 += prep.counts[z * prep.days + d]!;
      }
      expect(s).toBe(s0);
    }
    for (let d = 0; d < prep.days; d++) {
      let s = 0;
      for (let z = 0; z < prep.areas; z++) s += counts[z * prep.days + d]!;
      expect(s).toBe(prep.dayPrefix[d + 1]! - prep.dayPrefix[d]!);
    }
    expect(counts).not.toEqual(prep.counts);
  });

  it('the pruned search finds the same maximum as every cylinder, in every replicate', () => {
    const maxima = replicateMaxima(prep, 11);
    maxima.forEach((m, r) => expect(m).toBeCloseTo(bruteMax(prep, permutedCounts(prep, 11, r)), 10));
    const pro = prepareScan(input, { maxDays: 10, prospective: true, replicates: 10, minCases: 1 });
    replicateMaxima(pro, 5).forEach((m, r) => expect(m).toBeCloseTo(bruteMax(pro, permutedCounts(pro, 5, r)), 10));
    expect(bruteMax(prep, prep.counts)).toBeCloseTo(circleBests(prep)[0]!.llr, 10);
    // Sparse counts, long windows: every block size in play.
    const sparse = prepareScan(synthetic(10, 70, 4, 5), { maxDays: 40, replicates: 10, minCases: 1 });
    replicateMaxima(sparse, 9).forEach((m, r) => expect(m).toBeCloseTo(bruteMax(sparse, permutedCounts(sparse, 9, r)), 10));
  });

  it('are the same however they are split across workers, and follow the seed', () => {
    const all = replicateMaxima(prep, 99);
    const parts = [...replicateMaxima(prep, 99, 0, 7), ...replicateMaxima(prep, 99, 7, 20)];
    expect(parts).toEqual([...all]);
    expect([...replicateMaxima(prep, 99)]).toEqual([...all]);
    expect([...replicateMaxima(prep, 100)]).not.toEqual([...all]);
  });

  it('give p-values that are uniform under the null hypothesis', () => {
    const ps: number[] = [];
    for (let s = 0; s < 60; s++) {
      const r = spaceTimePermutationScan(synthetic(6, 15, 1000 + s, 6), { maxDays: 5, replicates: 19, coordinates: 'latlon' }, s);
      ps.push(r.clusters[0]?.pValue ?? 1);
    }
    const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
    // p takes the values k/20; its null mean is 0.525 with sd ≈ 0.29/√60 ≈ 0.037.
    expect(Math.abs(mean - 0.525)).toBeLessThan(0.12);
    expect(ps.filter((p) => p <= 0.05).length).toBeLessThanOrEqual(9);
  });
});

describe('space–time permutation scan', () => {
  it('finds a planted cluster with p = 1/(R+1)', () => {
    const input = synthetic(42, 120, 8, 60);
    const prep0 = prepareScan(input, {});
    // Area 5 and its 2 nearest neighbours, days 100–104, 3 extra cases a day each.
    const members = circleBests(prep0).find((c) => c.center === 5 && c.areas.length === 3)?.areas ?? [];
    expect(members.length).toBe(3);
    for (const z of members) for (let d = 100; d <= 104; d++) input.cases[z]![d]! += 3;
    const result = spaceTimePermutationScan(input, { maxDays: 14, replicates: 99 }, 2024);
    const top = result.clusters[0]!;
    expect(top.pValue).toBe(0.01);
    expect(top.areas.filter((z) => members.includes(z)).length).toBeGreaterThanOrEqual(2);
    expect(top.start).toBeGreaterThanOrEqual(98);
    expect(top.end).toBeLessThanOrEqual(106);
    expect(top.observed).toBeGreaterThan(top.expected);
    expect(result.criticalValues.p05).not.toBeNull();
    expect(top.llr).toBeGreaterThan(result.criticalValues.p01!);
    // Secondary clusters share no area with earlier ones.
    const seen = new Set<number>();
    for (const c of result.clusters) {
      for (const z of c.areas) {
        expect(seen.has(z)).toBe(false);
        seen.add(z);
      }
    }
  });

  it('computes the Poisson GLR of one cylinder', () => {
    // c = 10, μ = 4, C = 100: 10 log(10/4) + 90 log(90/96)
    expect(cylinderLlr(10, 4, 100)).toBeCloseTo(10 * Math.log(2.5) + 90 * Math.log(90 / 96), 12);
    expect(cylinderLlr(3, 4, 100)).toBe(0);
    expect(cylinderLlr(100, 50, 100)).toBeCloseTo(100 * Math.log(2), 12);
  });

  it('rejects malformed input and handles no cases', () => {
    expect(() => prepareScan({ cases: [[1, 2]], centroids: [] })).toThrow(/centroids/);
    expect(() => prepareScan({ cases: [[1, 2], [1]], centroids: [[0, 0], [1, 1]] })).toThrow(/days/);
    expect(() => prepareScan({ cases: [[1.5]], centroids: [[0, 0]] })).toThrow(/integer/);
    const none = spaceTimePermutationScan({ cases: [[0, 0], [0, 0]], centroids: [[0, 0], [1, 1]] }, { replicates: 9 }, 1);
    expect(none.clusters).toEqual([]);
    expect(none.totalCases).toBe(0);
  });
});

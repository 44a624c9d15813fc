// sql/epi/rate-compare.ts against R's poisson.test, binom.test and qbeta (fixtures/golden/rate-compare.json).
import { afterAll, describe, expect, it } from 'vitest';
import { adjustedRateDifference, binomTestTwoSided, poissonRateRatio, qbeta } from '../../sql/epi/rate-compare.ts';
import { DiffTracker, readGolden } from './epi-golden.ts';

const g = readGolden<{
  poisson: { x1: number; t1: number; x0: number; t0: number; p: number; estimate: number | null; lower: number; upper: number | null }[];
  binom: { x: number; n: number; p0: number; p: number }[];
  qbeta: { prob: number; a: number; b: number; q: number }[];
}>('rate-compare.json');
const diffs = new DiffTracker();
afterAll(() => {
  if (process.env.EPI_GOLDEN_REPORT) console.log(`rate comparison vs R\n${diffs.report()}`);
});
const TOL = 1e-9;

describe('exact comparison of two Poisson rates (R stats::poisson.test)', () => {
  it('matches p-value, ratio and Clopper–Pearson ratio interval', () => {
    for (const c of g.poisson) {
      const r = poissonRateRatio(c.x1, c.t1, c.x0, c.t0);
      const where = `${c.x1}/${c.t1} vs ${c.x0}/${c.t0}`;
      diffs.check('p', r.p, c.p, TOL, where);
      diffs.check('ratio', r.ratio, c.estimate, TOL, where);
      diffs.check('lower', r.lower, c.lower, TOL, where);
      diffs.check('upper', r.upper, c.upper, TOL, where);
    }
  });
  it('matches binom.test two-sided p-values and qbeta', () => {
    for (const b of g.binom) diffs.check('binom p', binomTestTwoSided(b.x, b.n, b.p0), b.p, TOL, `${b.x}/${b.n} p0=${b.p0}`);
    for (const q of g.qbeta) diffs.check('qbeta', qbeta(q.prob, q.a, q.b), q.q, TOL, `${q.prob} ${q.a} ${q.b}`);
  });
});

describe('difference of two age-adjusted rates (NCHS)', () => {
  const r = (rate: number, se: number, events: number) => ({ rate, variance: se * se, events, lower: rate - 2 * se, upper: rate + 2 * se });
  it('uses the z-test when both rest on 100 or more events', () => {
    const t = adjustedRateDifference(r(40, 1, 3000), r(36, 1, 2900));
    expect(t.p).toBeCloseTo(2 * 0.0023388674905236, 12); // z = 4/√2 = 2.828…: 2·Φ(−2.828)
    expect(t.significant).toBe(true);
  });
  it('falls back to non-overlapping intervals below 100 events', () => {
    expect(adjustedRateDifference(r(10, 2, 50), r(5, 1, 200))).toMatchObject({ p: null, significant: false });
    expect(adjustedRateDifference(r(20, 2, 50), r(5, 1, 200))).toMatchObject({ p: null, significant: true });
  });
});

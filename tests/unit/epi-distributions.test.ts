// sql/epi/distributions.ts against R 4.2 (fixtures/golden/distributions.json).
import { afterAll, describe, expect, it } from 'vitest';
import { pnorm, pt, qchisq, qgamma, qnorm, pgamma } from '../../sql/epi/distributions.ts';
import { DiffTracker, readGolden } from './epi-golden.ts';

const g = readGolden<{
  qgamma: { p: number; shape: number; q: number }[];
  pnorm: { x: number; lower: number; upper: number }[];
  qnorm: { p: number; q: number }[];
  pt: { t: number; df: number; p: number }[];
}>('distributions.json');
const diffs = new DiffTracker();
afterAll(() => {
  if (process.env.EPI_GOLDEN_REPORT) console.log(`distributions vs ${g.generatedBy.R}\n${diffs.report()}`);
});

// Relative error, so that tail quantiles near 0 count as much as large ones.
function rel(stat: string, ours: number, ref: number, tol: number, where: string): void {
  diffs.check(stat, ours / ref, 1, tol, where);
}

describe('gamma quantile (the rates’ intervals)', () => {
  it(`matches R's qgamma to 1e-9 relative on ${g.qgamma.length} (p, shape) pairs, shapes 1e-3…1e5`, () => {
    for (const r of g.qgamma) rel('qgamma', qgamma(r.p, r.shape), r.q, 1e-9, `p=${r.p} shape=${r.shape}`);
  });
  it('inverts the distribution function', () => {
    for (const shape of [0.02, 0.7, 4, 60, 3000]) {
      for (const p of [1e-6, 0.025, 0.5, 0.975]) expect(pgamma(qgamma(p, shape), shape) / p).toBeCloseTo(1, 10);
    }
  });
  it('handles the edges as R does', () => {
    expect(qgamma(0, 3)).toBe(0);
    expect(qgamma(1, 3)).toBe(Number.POSITIVE_INFINITY);
    expect(qgamma(0.5, 0)).toBe(0);
    expect(qgamma(0.975, 1)).toBeCloseTo(-Math.log(0.025), 13);
    expect(qgamma(0.3, 2, 10)).toBeCloseTo(10 * qgamma(0.3, 2), 12);
    expect(Number.isNaN(qgamma(1.2, 2))).toBe(true);
    expect(qchisq(0.95, 1)).toBeCloseTo(3.841458820694124, 12);
  });
});

describe('normal and t', () => {
  it('pnorm matches R to 1e-12 relative in both tails', () => {
    for (const r of g.pnorm) {
      rel('pnorm lower', pnorm(r.x), r.lower, 1e-12, `x=${r.x}`);
      rel('pnorm upper', pnorm(r.x, 0, 1, false), r.upper, 1e-12, `x=${r.x}`);
    }
  });
  it('qnorm matches R to 1e-12', () => {
    for (const r of g.qnorm) diffs.check('qnorm', qnorm(r.p), r.q, 1e-12, `p=${r.p}`);
  });
  it('pt matches R to 1e-10', () => {
    for (const r of g.pt) rel('pt', pt(r.t, r.df), r.p, 1e-10, `t=${r.t} df=${r.df}`);
  });
});

// sql/epi/farrington.ts against surveillance::farringtonFlexible (fixtures/golden/farrington.json).
import { afterAll, describe, expect, it } from 'vitest';
import { farringtonFlexible, type FarringtonParams } from '../../sql/epi/farrington.ts';
import { DiffTracker, readGolden } from './epi-golden.ts';

interface Run {
  series: string;
  control: Partial<FarringtonParams>;
  t: number[];
  upperbound: (number | null)[];
  alarm: (boolean | null)[];
  expected: (number | null)[];
  score: (number | null)[];
  pvalue: (number | null)[];
  phi: (number | null)[];
  trendCoefficient: (number | null)[];
  trend: boolean[];
}
const g = readGolden<{ series: Record<string, number[]>; runs: Run[] }>('farrington.json');
const diffs = new DiffTracker();
afterAll(() => {
  if (process.env.EPI_GOLDEN_REPORT) console.log(`Farrington vs surveillance ${g.generatedBy.surveillance}\n${diffs.report()}`);
});
const TOL = 1e-6;

describe('Farrington flexible matches surveillance::farringtonFlexible', () => {
  for (const run of g.runs) {
    it(`${run.series} ${JSON.stringify(run.control)}`, () => {
      const y = g.series[run.series]!;
      const out = farringtonFlexible(y, { b: 5, w: 3, alpha: 0.05, ...run.control });
      expect(out.map((p) => p.t)).toEqual(run.t);
      out.forEach((p, i) => {
        const where = `${run.series} ${JSON.stringify(run.control)} t=${p.t}`;
        expect(p.fitted, where).toBe(true);
        diffs.check('expected', p.expected, run.expected[i], TOL, where);
        diffs.check('upperbound', p.upperbound, run.upperbound[i], TOL, where);
        diffs.check('score', p.score, run.score[i], TOL, where);
        diffs.check('pvalue', p.pvalue, run.pvalue[i], TOL, where);
        diffs.check('phi', p.phi, run.phi[i], TOL, where);
        diffs.check('trend coefficient', p.trendCoefficient, run.trendCoefficient[i], TOL, where);
        expect(p.trend, where).toBe(run.trend[i]);
        expect(p.alarm, where).toBe(run.alarm[i]);
      });
    });
  }
});

describe('Farrington flexible behaviour', () => {
  const flat = g.series.flat!;
  it('starts once b years and w weeks of history exist', () => {
    expect(farringtonFlexible(flat)[0]!.t).toBe(52 * 5 + 3);
    expect(() => farringtonFlexible(flat, { range: [100] })).toThrow(/history/);
  });
  it('raises an alarm on an injected outbreak and not on the weeks before it', () => {
    const y = [...flat];
    const t = y.length - 1;
    y[t] = y[t]! + 40;
    const out = farringtonFlexible(y, { range: [t - 1, t] });
    expect(out.map((p) => p.alarm)).toEqual([false, true]);
    expect(out[1]!.score!).toBeGreaterThan(1);
  });
});

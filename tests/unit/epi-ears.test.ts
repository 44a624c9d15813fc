// sql/epi/ears.ts against surveillance::earsC (fixtures/golden/ears.json).
import { afterAll, describe, expect, it } from 'vitest';
import { ears, type EarsMethod } from '../../sql/epi/ears.ts';
import { DiffTracker, readGolden } from './epi-golden.ts';

interface Run {
  series: 'daily' | 'sparse';
  method: EarsMethod;
  minSigma: number;
  alpha: number;
  t: number[];
  upperbound: (number | null)[];
  alarm: (boolean | null)[];
  mean: number[];
  sd: number[];
}
const g = readGolden<{ series: Record<'daily' | 'sparse', number[]>; runs: Run[] }>('ears.json');
const diffs = new DiffTracker();
afterAll(() => {
  if (process.env.EPI_GOLDEN_REPORT) console.log(`EARS vs surveillance ${g.generatedBy.surveillance}\n${diffs.report()}`);
});
const TOL = 1e-9;

describe('EARS C1/C2/C3 match surveillance::earsC', () => {
  for (const run of g.runs) {
    it(`${run.method} on the ${run.series} series, minSigma ${run.minSigma}, alpha ${run.alpha}`, () => {
      const y = g.series[run.series];
      const out = ears(y, { method: run.method, minSigma: run.minSigma, alpha: run.alpha });
      expect(out.map((p) => p.t)).toEqual(run.t);
      out.forEach((p, i) => {
        const where = `${run.method}/${run.series} t=${p.t}`;
        diffs.check(`${run.method} threshold`, p.threshold, run.upperbound[i], TOL, where);
        diffs.check(`${run.method} expected`, p.expected, run.mean[i]!, TOL, where);
        diffs.check(`${run.method} sd`, p.sd, run.sd[i]!, TOL, where);
        // R's NA alarm (threshold NA: sd 0 under C3 with minSigma 0) is no alarm here.
        expect(p.alarm, where).toBe(run.alarm[i] ?? false);
        expect(p.observed).toBe(y[p.t]);
      });
    });
  }
});

describe('EARS definitions', () => {
  const y = [3, 4, 5, 4, 3, 4, 5, 4, 3, 4, 5, 4, 20, 4, 4];
  it('C1 uses the 7 days before; C2 skips a 2-day guard band', () => {
    const c1 = ears(y, { method: 'C1' });
    expect(c1[0]!.t).toBe(7);
    expect(c1[0]!.expected).toBeCloseTo((3 + 4 + 5 + 4 + 3 + 4 + 5) / 7, 12);
    const c2 = ears(y, { method: 'C2' });
    expect(c2[0]!.t).toBe(9);
    expect(c2[0]!.expected).toBeCloseTo((3 + 4 + 5 + 4 + 3 + 4 + 5) / 7, 12);
  });
  it('statistic is (y − mean)/sd for C1 and C2 and the day at 20 alarms', () => {
    const c1 = ears(y, { method: 'C1' });
    const spike = c1.find((p) => p.t === 12)!;
    expect(spike.statistic).toBeCloseTo((20 - spike.expected) / spike.sd, 12);
    expect(spike.alarm).toBe(true);
    expect(c1.filter((p) => p.alarm).map((p) => p.t)).toEqual([12]);
  });
  it('C3 reports Hutwagner’s three-day sum and alarms as surveillance does', () => {
    const c3 = ears(y, { method: 'C3' });
    expect(c3[0]!.t).toBe(11);
    // The spike on day 12 raises the sum on days 12–14; surveillance's C3 threshold looks at the
    // two days before, so the alarm comes on days 13 and 14.
    const at = (t: number) => c3.find((p) => p.t === t)!;
    expect(at(12).statistic!).toBeGreaterThan(1.96);
    expect(c3.filter((p) => p.alarm).map((p) => p.t)).toEqual([13, 14]);
  });
  it('a floor on sd keeps one case over an all-zero baseline from alarming', () => {
    const z = [0, 0, 0, 0, 0, 0, 0, 1];
    expect(ears(z, { method: 'C1' })[0]!.alarm).toBe(true);
    expect(ears(z, { method: 'C1' })[0]!.statistic).toBeNull();
    expect(ears(z, { method: 'C1', minSigma: 0.5 })[0]!.alarm).toBe(false);
  });
  it('rejects a baseline under 3 days', () => {
    expect(() => ears(y, { method: 'C1', baseline: 2 })).toThrow(/minimum baseline/);
  });
});

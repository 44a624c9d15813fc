// sql/epi/rates.ts against epitools::ageadjust.direct and qgamma (fixtures/golden/rates.json).
import { afterAll, describe, expect, it } from 'vitest';
import { ageAdjustedRate, crudeRateCI, US2000_STANDARD_11 } from '../../sql/epi/rates.ts';
import { DiffTracker, readGolden } from './epi-golden.ts';

const g = readGolden<{
  standard: number[];
  crude: { events: number; population: number; rate: number; lower: number; upper: number; daly_lower: number; daly_upper: number }[];
  adjusted: { name: string; count: number[]; pop: number[]; crude: number; adjusted: number; lower: number; upper: number }[];
}>('rates.json');
const diffs = new DiffTracker();
afterAll(() => {
  if (process.env.EPI_GOLDEN_REPORT) console.log(`rates vs epitools ${g.generatedBy.epitools}\n${diffs.report()}`);
});
const TOL = 1e-9;
const rel = (stat: string, ours: number | null, ref: number, where: string) =>
  ref === 0 ? expect(ours).toBe(0) : diffs.check(stat, (ours ?? Number.NaN) / ref, 1, TOL, where);

describe('2000 US standard population (NCHS Statistical Notes 20, 11 groups)', () => {
  it('has the weights PRODUCT.md lists, which R used, summing to 1', () => {
    expect(US2000_STANDARD_11.map((x) => x.weight)).toEqual(g.standard);
    expect(US2000_STANDARD_11.reduce((s, x) => s + x.weight, 0)).toBeCloseTo(1, 12);
  });
});

describe('crude rate per 100,000 with the exact Poisson (gamma) interval', () => {
  it('matches qgamma-based limits to 1e-9 relative', () => {
    for (const r of g.crude) {
      const est = crudeRateCI(r.events, r.population);
      const where = `x=${r.events} pop=${r.population}`;
      rel('crude rate', est.rate, r.rate, where);
      rel('crude lower', est.lower, r.lower, where);
      rel('crude upper', est.upper, r.upper, where);
      expect(est.unreliable).toBe(r.events < 20);
      // epitools::pois.daly agrees except at 0 events, where it uses the one-sided −log(α).
      if (r.events > 0) {
        rel('crude lower (pois.daly)', est.lower, r.daly_lower, where);
        rel('crude upper (pois.daly)', est.upper, r.daly_upper, where);
      }
    }
  });
  it('has no rate without a population', () => {
    expect(crudeRateCI(4, 0)).toEqual({ events: 4, rate: null, lower: null, upper: null, unreliable: true });
    expect(crudeRateCI(4, null).rate).toBeNull();
  });
});

describe('age-adjusted rate, direct method, Fay–Feuer gamma interval', () => {
  for (const r of g.adjusted) {
    it(`matches ageadjust.direct: ${r.name}`, () => {
      const est = ageAdjustedRate(r.count, r.pop);
      rel('adjusted crude', est.crude, r.crude, r.name);
      rel('adjusted rate', est.rate, r.adjusted, r.name);
      rel('adjusted lower', est.lower, r.lower, r.name);
      rel('adjusted upper', est.upper, r.upper, r.name);
      expect(est.unreliable).toBe(r.count.reduce((s, v) => s + v, 0) < 20);
    });
  }
  it('flags 19 events unreliable and 20 not (CDC WONDER)', () => {
    const nineteen = g.adjusted.find((a) => a.name === '19 events')!;
    const twenty = g.adjusted.find((a) => a.name === '20 events')!;
    expect(ageAdjustedRate(nineteen.count, nineteen.pop).unreliable).toBe(true);
    expect(ageAdjustedRate(twenty.count, twenty.pop).unreliable).toBe(false);
  });
  it('gives 0 as the lower limit with no events (R: NaN) and a finite upper limit', () => {
    const pop = g.adjusted[1]!.pop;
    const est = ageAdjustedRate(new Array(11).fill(0), pop);
    expect(est.rate).toBe(0);
    expect(est.lower).toBe(0);
    // Upper: G⁻¹(0.975; 1, wₘ) = −log(0.025)·wₘ with wₘ = max wᵢ/nᵢ.
    const wm = Math.max(...US2000_STANDARD_11.map((x, i) => x.weight / pop[i]!));
    expect(est.upper! / (-Math.log(0.025) * wm * 1e5)).toBeCloseTo(1, 12);
  });
  it('has no adjusted rate when an age group has no population, and checks the group count', () => {
    const pop = [...g.adjusted[1]!.pop];
    pop[0] = 0;
    expect(ageAdjustedRate(new Array(11).fill(1), pop).rate).toBeNull();
    expect(() => ageAdjustedRate([1, 2], [10, 20])).toThrow(/11 age groups/);
  });
});

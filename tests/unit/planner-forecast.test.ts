// The planner's forecast (server/planner/forecast.ts): damped Holt by hand, its limits, need as a
// weighted sum, and the one-month-ahead comparison with the two naive baselines on series whose
// behaviour is known (the comparison on the generated city's history is in
// tests/integration/planner.test.ts).
import { describe, expect, it } from 'vitest';
import { backtest, dampedSteps, FORECASTERS, holtFit, holtForecast, unitNeed } from '../../server/planner/forecast.ts';

/** A seeded Poisson sampler (Knuth), so the series are the same on every run. */
function poissonSeries(means: readonly number[], seed: number): number[] {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return means.map((m) => {
    const L = Math.exp(-m);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= u();
    } while (p > L);
    return k - 1;
  });
}

describe('damped Holt', () => {
  it('follows the recurrences by hand', () => {
    // α 0.5, β 0.5, φ 1 on 10, 10, 10, 20: start 10 (mean of 3), then one step.
    const s = holtFit([10, 10, 10, 20], { alpha: 0.5, beta: 0.5, phi: 1 });
    expect(s.level).toBeCloseTo(15, 12);
    expect(s.trend).toBeCloseTo(2.5, 12);
    expect(holtForecast(s, 1, { alpha: 0.5, beta: 0.5, phi: 1 })).toBeCloseTo(17.5, 12);
    expect(holtForecast(s, 2, { alpha: 0.5, beta: 0.5, phi: 1 })).toBeCloseTo(20, 12);
    // Damped: φ + φ² of the trend two months ahead.
    expect(dampedSteps(0.9, 2)).toBeCloseTo(1.71, 12);
    const d = holtFit([10, 10, 10, 20], { alpha: 0.5, beta: 0.5, phi: 0.9 });
    expect(d.level).toBeCloseTo(15, 12);
    expect(d.trend).toBeCloseTo(2.5, 12);
    expect(holtForecast(d, 2, { alpha: 0.5, beta: 0.5, phi: 0.9 })).toBeCloseTo(15 + 1.71 * 2.5, 12);
  });

  it('gives a constant series back, and a straight line nearly so', () => {
    expect(holtForecast(holtFit(Array(30).fill(42)))).toBeCloseTo(42, 9);
    const line = Array.from({ length: 60 }, (_, i) => 100 + 5 * i);
    const f = holtForecast(holtFit(line));
    // The damped trend lags a straight line a little, but follows it (the next value is 400).
    expect(f).toBeGreaterThan(390);
    expect(f).toBeLessThan(401);
  });

  it('never forecasts below zero, and refuses bad input', () => {
    expect(holtForecast(holtFit([100, 80, 60, 40, 20, 5, 0, 0]), 6)).toBeGreaterThanOrEqual(0);
    expect(() => holtFit([])).toThrow(/at least one month/);
    expect(() => holtFit([1, -1])).toThrow(/non-negative/);
    expect(() => holtFit([1, 2], { alpha: 0, beta: 0.1, phi: 0.9 })).toThrow(/alpha/);
    expect(() => holtFit([1, 2], { alpha: 0.3, beta: 1.2, phi: 0.9 })).toThrow(/beta/);
    expect(() => holtForecast(holtFit([1, 2]), 0)).toThrow(/horizon/);
  });
});

describe('need', () => {
  it('is the weighted sum of the forecasts, with the trend in percent of its level', () => {
    const ems = Array.from({ length: 24 }, (_, i) => 100 + 2 * i);
    const deaths = Array(24).fill(10);
    const n = unitNeed([
      { indicator: 'ems.opioid_overdose', weight: 1, months: ems },
      { indicator: 'deaths.any_drug', weight: 3, months: deaths },
    ]);
    const fe = holtForecast(holtFit(ems));
    expect(n.components[0]!.forecast).toBeCloseTo(fe, 12);
    expect(n.components[1]!.forecast).toBeCloseTo(10, 9);
    expect(n.need).toBeCloseTo(fe + 30, 9);
    expect(n.components[0]!.lastMonth).toBe(146);
    expect(n.components[0]!.mean12).toBeCloseTo(135, 12);
    expect(n.trendPct).toBeGreaterThan(0);
    expect(n.components[1]!.trendPerMonth).toBeCloseTo(0, 12);
    expect(() => unitNeed([{ indicator: 'x', weight: -1, months: [1] }])).toThrow(/weight/);
  });
});

describe('one-month-ahead error against the naive baselines', () => {
  it('scores every method on the same months', () => {
    const s = backtest([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]]);
    expect(s.map((x) => x.n)).toEqual([2, 2, 2]);
    // Last month misses a +1 line by exactly 1.
    expect(s.find((x) => x.method === 'last_month')!.mae).toBeCloseTo(1, 12);
    // The 12-month mean lags it by 6.5.
    expect(s.find((x) => x.method === 'mean_12')!.mae).toBeCloseTo(6.5, 12);
  });

  it('beats both baselines on noisy counts around a level that rises, then falls', () => {
    // Poisson counts around a mean that climbs 40% over two years and falls back: what the
    // overdose series of the last years looked like, at a patrol borough's size.
    const mean = (t: number) => 150 * (1 + 0.4 * Math.sin((Math.PI * t) / 48));
    const series = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => poissonSeries(Array.from({ length: 72 }, (_, t) => mean(t) * (0.5 + seed / 8)), seed));
    const scores = Object.fromEntries(backtest(series).map((s) => [s.method, s.mae]));
    expect(scores.holt_damped).toBeLessThan(scores.last_month!);
    expect(scores.holt_damped).toBeLessThan(scores.mean_12!);
  });

  it('loses to the last month where the level jumps about with little noise — as it should, and as documented', () => {
    // A random walk with no counting noise: last month is the best forecast there is.
    const steps = poissonSeries(Array(120).fill(20), 99).map((k) => k - 20);
    let x = 500;
    const walk = steps.map((d) => (x = Math.max(0, x + 3 * d)));
    const scores = Object.fromEntries(backtest([walk]).map((s) => [s.method, s.mae]));
    expect(scores.last_month).toBeLessThan(scores.holt_damped!);
    expect(Object.keys(FORECASTERS)).toEqual(['holt_damped', 'last_month', 'mean_12']);
  });
});

// The neighborhood profile's transforms: area against city, shares, rank, the URL.
import { describe, expect, it } from 'vitest';
import {
  ageAdjustedRank,
  comparisonTable,
  formatMeasure,
  lastCompleteYear,
  latestComparison,
  performanceTable,
  profileFrom,
  rateComparison,
  shareComparison,
  smallTrend,
} from '../../web/src/views/profile/profile.ts';
import { DEFAULT_PROFILE, readProfile, writeProfile } from '../../web/src/views/profile/url-state.ts';
import type { PerformanceResponse, RatesResponse, SeriesResponse } from '../../web/src/api.ts';

const periods = [
  { start: '2025-01-01', end: '2025-03-31', partial: false },
  { start: '2025-04-01', end: '2025-06-30', partial: false },
  { start: '2025-07-01', end: '2025-08-15', partial: true },
];
type P = SeriesResponse['series'][number]['points'][number];
const pt = (count: number | null, state: P['state'], population = 100_000): P => ({ period: '', count, state, population, rate: count === null ? null : (count / population) * 1e5 });

function series(indicator: string, area: P[], total: P[]): SeriesResponse {
  return {
    jurisdiction: 'nyc',
    indicator,
    interval: 'quarter',
    geography: 'event',
    from: '2025-01-01',
    to: '2025-08-15',
    definitionVersion: 'v',
    synthetic: true,
    periods,
    series: [
      { area: '303', name: 'East Harlem', points: area },
      { area: 'total', name: 'Total', points: total },
    ],
    unassigned: null,
  };
}

describe('area against city', () => {
  const s = series('deaths.opioid', [pt(12, 'shown'), pt(null, 'suppressed'), pt(3, 'shown')], [pt(400, 'shown', 8e6), pt(380, 'shown', 8e6), pt(100, 'shown', 8e6)]);

  it('puts both on the same per-100,000 footing and keeps hidden apart from zero', () => {
    const c = rateComparison(s, '303');
    expect(c.area).toEqual([12, null, 3]);
    expect(c.city).toEqual([5, 4.75, 1.25]);
    expect(c.areaState).toEqual(['shown', 'suppressed', 'shown']);
    // The last complete period is hidden: said so, not a zero.
    expect(latestComparison(c)).toEqual({ index: 1, area: null, city: 4.75, ratio: null, state: 'suppressed' });
    const t = comparisonTable(c, { label: 'Opioid deaths', areaName: 'East Harlem', cityName: 'New York City', interval: 'quarter' });
    expect(t.rows.map((r) => r.area)).toEqual([12, 'hidden', 3]);
    expect(t.rows[2]!.period).toBe('2025 Q3 (partial)');
  });

  it('draws partial periods nowhere and marks hidden ones on the axis', () => {
    const l = smallTrend(rateComparison(s, '303'), 300, 150, 'quarter');
    expect(l.area.match(/[ML]/g)).toEqual(['M']); // one point: Q2 hidden, Q3 partial
    expect(l.areaDots).toHaveLength(1); // …drawn as a dot, or it would not show
    expect(l.cityDots).toHaveLength(0);
    expect(l.city.match(/[ML]/g)).toEqual(['M', 'L']);
    expect(l.hidden).toHaveLength(1);
    expect(l.hidden[0]!.label).toBe('2025 Q2: hidden for your role');
  });

  it('reads drug checking as a share of samples tested, hidden when either count is', () => {
    const positive = series('drugcheck.xylazine_positive', [pt(3, 'shown'), pt(null, 'suppressed'), pt(0, 'zero')], [pt(30, 'shown'), pt(40, 'shown'), pt(0, 'zero')]);
    const tested = series('drugcheck.samples_tested', [pt(12, 'shown'), pt(15, 'shown'), pt(0, 'zero')], [pt(100, 'shown'), pt(80, 'shown'), pt(0, 'zero')]);
    const c = shareComparison(positive, tested, '303');
    expect(c.area).toEqual([0.25, null, null]);
    expect(c.city).toEqual([0.3, 0.5, null]);
    expect(c.areaState).toEqual(['shown', 'suppressed', 'missing']);
    expect(formatMeasure(0.25, 'share')).toBe('25%');
    expect(formatMeasure(0.034, 'share')).toBe('3.4%');
    expect(formatMeasure(12.345, 'rate')).toBe('12.3');
  });
});

describe('age-adjusted rate and rank', () => {
  type RP = RatesResponse['series'][number]['points'][number];
  const rp = (rate: number | null, state: RP['state'] = 'shown'): RP => ({
    period: '2025-01-01', count: rate === null ? null : 30, state, ageUnknown: 0, population: 1e5, personYears: 1e5, rate, lower: rate, upper: rate, unreliable: false, crudeRate: rate, previous: null, yearAgo: null,
  });
  const res = {
    periods: [{ start: '2025-01-01', end: '2025-12-31', partial: false, days: 365 }],
    series: [
      { area: 'total', name: 'Total', stratum: 'all', points: [rp(21.4)] },
      { area: '101', name: 'A', stratum: 'all', points: [rp(30)] },
      { area: '102', name: 'B', stratum: 'all', points: [rp(50.9)] },
      { area: '103', name: 'C', stratum: 'all', points: [rp(30)] },
      { area: '104', name: 'D', stratum: 'all', points: [rp(null, 'suppressed')] },
    ],
  } as unknown as RatesResponse;
  it('ranks 1 for the highest, ties sharing a rank, hidden ones unranked', () => {
    expect(ageAdjustedRank(res, '102')).toMatchObject({ rank: 1, of: 3, period: '2025-01-01' });
    expect(ageAdjustedRank(res, '101')?.rank).toBe(2);
    expect(ageAdjustedRank(res, '103')?.rank).toBe(2);
    expect(ageAdjustedRank(res, '104')).toMatchObject({ rank: null, of: 3 });
    expect(ageAdjustedRank(res, '104')?.city?.rate).toBe(21.4);
  });
});

describe('harm-reduction table', () => {
  it('shows the last complete periods with intervals, and hidden ratios in words', () => {
    const r = (value: number | null) => ({ value, lower: value === null ? null : value - 0.05, upper: value === null ? null : value + 0.05 });
    const res = {
      periods,
      series: [
        { area: 'total', name: 'Total', points: periods.map(() => ({ period: '', counts: {}, ratios: { deflection_ratio: r(0.15) } })) },
        { area: '303', name: 'East Harlem', points: periods.map((_, i) => ({ period: '', counts: {}, ratios: { deflection_ratio: r(i === 1 ? null : 0.12) } })) },
      ],
    } as unknown as PerformanceResponse;
    const t = performanceTable(res, '303', 'East Harlem', 'NYC', 'quarter');
    expect(t.rows).toEqual([
      { measure: 'Deflection referrals among drug arrests and referrals', period: '2025 Q1', area: '12% (7%–17%)', city: '15% (10%–20%)' },
      { measure: 'Deflection referrals among drug arrests and referrals', period: '2025 Q2', area: 'hidden or none', city: '15% (10%–20%)' },
    ]);
  });
});

describe('range and URL', () => {
  it('starts whole years back and knows the last complete year', () => {
    expect(profileFrom('2025-12-31', 3)).toBe('2023-01-01');
    expect(lastCompleteYear('2025-12-31')).toBe(2025);
    expect(lastCompleteYear('2026-11-30')).toBe(2025);
  });
  it('round-trips the profile URL and refuses junk', () => {
    const s = { area: '303', interval: 'month' as const, years: 5 as const };
    expect(readProfile(writeProfile(s))).toEqual(s);
    expect(readProfile('?area=%3Cscript%3E&interval=week&years=4')).toEqual(DEFAULT_PROFILE);
  });
});

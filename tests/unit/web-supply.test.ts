// The drug-supply view's transforms: shares with Wilson intervals, hidden months, first-seen alerts.
import { describe, expect, it } from 'vitest';
import { bandLayout, firstSeenAlerts, formatShare, latestShare, prevalenceFromCategory, prevalenceFromSeries, prevalenceTable, wilson } from '../../web/src/views/supply/supply.ts';
import { supplyFrom } from '../../web/src/views/supply/use-supply.svelte.ts';
import { DEFAULT_SUPPLY, readSupply, writeSupply } from '../../web/src/views/supply/url-state.ts';
import type { DrugSupplyResponse, SeriesResponse } from '../../web/src/api.ts';

describe('Wilson interval', () => {
  it('matches the textbook values', () => {
    // 8 of 20: Wilson 95% (0.2188, 0.6134) (Newcombe 1998, method 3).
    const w = wilson(8, 20)!;
    expect(w.value).toBe(0.4);
    expect(w.lower).toBeCloseTo(0.2188, 4);
    expect(w.upper).toBeCloseTo(0.6134, 4);
    expect(wilson(0, 10)!.lower).toBe(0);
    expect(wilson(0, 10)!.upper).toBeCloseTo(0.2775, 4);
    expect(wilson(10, 10)!.upper).toBe(1);
    expect(wilson(1, 0)).toBeNull();
    expect(wilson(5, 3)).toBeNull();
  });
});

const periods = [
  { start: '2025-10-01', end: '2025-10-31', partial: false },
  { start: '2025-11-01', end: '2025-11-30', partial: false },
  { start: '2025-12-01', end: '2025-12-31', partial: true },
];
type P = SeriesResponse['series'][number]['points'][number];
const total = (indicator: string, pts: [number | null, P['state']][]): SeriesResponse => ({
  jurisdiction: 'nyc', indicator, interval: 'month', geography: 'event', from: '2025-10-01', to: '2025-12-20', definitionVersion: 'v', synthetic: true, periods,
  series: [{ area: 'total', name: 'Total', points: pts.map(([count, state], i) => ({ period: periods[i]!.start, count, state, population: null, rate: null })) }],
  unassigned: null,
});

describe('prevalence', () => {
  const tested = total('drugcheck.samples_tested', [[80, 'shown'], [60, 'shown'], [20, 'shown']]);
  it('divides by the samples tested and hides the share of a hidden count', () => {
    const p = prevalenceFromSeries('x', 'Xylazine', total('drugcheck.xylazine_positive', [[20, 'shown'], [null, 'suppressed'], [5, 'shown']]), tested);
    expect(p.points.map((x) => [x.share, x.state])).toEqual([[0.25, 'shown'], [null, 'suppressed'], [0.25, 'shown']]);
    expect(latestShare(p)?.period).toBe('2025-11-01'); // the partial December is not the headline
    expect(prevalenceTable([p], 'c').rows[1]).toMatchObject({ positive: 'hidden', tested: 60, share: 'hidden' });
  });
  it('reads /drug-supply categories the same way', () => {
    const cat: DrugSupplyResponse['categories'][number] = {
      id: 'nitazene', label: 'Nitazenes',
      points: [{ period: '2025-10-01', count: 0, state: 'zero' }, { period: '2025-11-01', count: 12, state: 'shown' }, { period: '2025-12-01', count: null, state: 'missing' }],
    };
    const p = prevalenceFromCategory(cat, periods, tested);
    expect(p.points.map((x) => x.share)).toEqual([0, 0.2, null]);
    expect(p.points[0]!.state).toBe('zero');
    expect(formatShare(0.2)).toBe('20%');
    expect(formatShare(0.034)).toBe('3.4%');
  });
});

describe('the band chart', () => {
  it('breaks at hidden and partial months, dots lone months, marks hidden ones', () => {
    const pts = [
      { period: '2025-08-01', partial: false, value: 0.2, lower: 0.1, upper: 0.3, state: 'shown' as const },
      { period: '2025-09-01', partial: false, value: null, lower: null, upper: null, state: 'suppressed' as const },
      { period: '2025-10-01', partial: false, value: 0.3, lower: 0.2, upper: 0.4, state: 'shown' as const },
      { period: '2025-11-01', partial: false, value: 0.25, lower: 0.15, upper: 0.35, state: 'shown' as const },
      { period: '2025-12-01', partial: true, value: 0.5, lower: 0.1, upper: 0.9, state: 'shown' as const },
    ];
    const l = bandLayout(pts, 300, 160, { format: (v) => `${v}` });
    expect(l.line.match(/M/g)).toHaveLength(2);
    expect(l.dots).toHaveLength(1);
    expect(l.hidden.map((h) => h.label)).toEqual(['2025-09: hidden for your role']);
  });
});

describe('first seen and the URL', () => {
  const list: DrugSupplyResponse['firstSeen'] = [
    { substance: 'medetomidine', category: 'medetomidine', firstSeen: '2024-11-16', samples: 300, inRange: true },
    { substance: 'isotonitazene', category: 'nitazene', firstSeen: '2025-03', samples: null, inRange: true },
    { substance: 'xylazine', category: 'xylazine', firstSeen: '2021-11-08', samples: 900, inRange: false },
  ];
  it('alerts on what appeared in the last 12 months of data, newest first, by day or month', () => {
    expect(firstSeenAlerts(list, '2025-10-31').map((f) => f.substance)).toEqual(['isotonitazene', 'medetomidine']);
    expect(firstSeenAlerts(list, '2025-12-31').map((f) => f.substance)).toEqual(['isotonitazene']);
  });
  it('counts whole months back and round-trips its URL', () => {
    expect(supplyFrom('2025-12-31', 3)).toBe('2023-01-01');
    expect(supplyFrom('2025-12-15', 1)).toBe('2025-01-01');
    expect(readSupply(writeSupply({ years: 5 }))).toEqual({ years: 5 });
    expect(readSupply('?years=9')).toEqual(DEFAULT_SUPPLY);
  });
});

describe('one time axis for every substance', () => {
  it('reads the months before a substance’s first sample as zero, on the tested months', () => {
    const tested = total('drugcheck.samples_tested', [[80, 'shown'], [60, 'shown'], [20, 'shown']]);
    const late: SeriesResponse = { ...total('drugcheck.medetomidine_positive', [[6, 'shown']]), periods: [periods[1]!] };
    late.series[0]!.points = [{ period: '2025-11-01', count: 6, state: 'shown', population: null, rate: null }];
    const p = prevalenceFromSeries('m', 'Medetomidine', late, tested);
    expect(p.points.map((x) => [x.period, x.share, x.state])).toEqual([
      ['2025-10-01', 0, 'zero'],
      ['2025-11-01', 0.1, 'shown'],
      ['2025-12-01', null, 'missing'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { geoArea, geoContains } from 'd3';
import type { ExtendedFeature } from 'd3';
import type { Period, RatesResponse, SeriesPoint, SeriesResponse } from '../../web/src/api.ts';
import {
  adjustedValue,
  areaInDirection,
  gridStep,
  areaTip,
  finiteValues,
  maxValue,
  measureValues,
  seriesValue,
  sliceValues,
  sparkline,
  tipText,
  withInterval,
  type AreaValue,
  allAreaValues,
  areaFill,
  classIndex,
  fillKind,
  MISSING_FILL,
  shownCountFloor,
  stateLegend,
  hiddenHint,
  SUPPRESSED_FILL,
  ZERO_COLOUR,
  colourClasses,
  colourFor,
  defaultPeriodIndex,
  formatValue,
  legendItems,
  measureLabel,
  niceStep,
  periodLabel,
  periodValues,
  pointValue,
  projectAreas,
  resolvePeriodIndex,
  rewindForD3,
  trendLayout,
} from '../../web/src/views/overview/scales.ts';
import { onlyPeriodDiffers, readViewState, writeViewState } from '../../web/src/views/overview/url-state.ts';

// A 0.01° square near Lower Manhattan, exterior counter-clockwise as RFC 7946 requires.
const CCW_SQUARE = [
  [-74.01, 40.7],
  [-74.0, 40.7],
  [-74.0, 40.71],
  [-74.01, 40.71],
  [-74.01, 40.7],
];
// A hole in it, clockwise as RFC 7946 requires.
const CW_HOLE = [
  [-74.007, 40.703],
  [-74.007, 40.707],
  [-74.003, 40.707],
  [-74.003, 40.703],
  [-74.007, 40.703],
];
const HEMISPHERE = 2 * Math.PI;

function feature(id: string, geometry: { type: string; coordinates: unknown[] }) {
  return { type: 'Feature' as const, id, properties: { id, name: `Area ${id}`, group: null, population: 1000 }, geometry };
}
const asD3 = (f: unknown) => f as ExtendedFeature;

describe('rewindForD3', () => {
  it('reverses an RFC 7946 polygon that d3 would read as the rest of the globe', () => {
    const fc = { type: 'FeatureCollection' as const, features: [feature('1', { type: 'Polygon', coordinates: [CCW_SQUARE] })] };
    expect(geoArea(asD3(fc.features[0]))).toBeGreaterThan(HEMISPHERE);

    const out = rewindForD3(fc);
    const f = out.features[0]!;
    const area = geoArea(asD3(f));
    expect(area).toBeLessThan(HEMISPHERE);
    // A lon/lat box on the unit sphere has area Δλ·(sin φ2 − sin φ1); d3's great-circle edges differ by far less than 0.01%.
    const rad = Math.PI / 180;
    const expected = 0.01 * rad * (Math.sin(40.71 * rad) - Math.sin(40.7 * rad));
    expect(area / expected).toBeCloseTo(1, 4);
    expect((f.geometry.coordinates as number[][][])[0]).toEqual(CCW_SQUARE.slice().reverse());
    expect(geoContains(asD3(f), [-74.005, 40.705])).toBe(true);
    expect(geoContains(asD3(f), [-73.9, 40.8])).toBe(false);
  });

  it('does not modify its input, and leaves d3-wound polygons alone', () => {
    const cw = CCW_SQUARE.slice().reverse();
    const fc = { type: 'FeatureCollection' as const, features: [feature('1', { type: 'Polygon', coordinates: [CCW_SQUARE] }), feature('2', { type: 'Polygon', coordinates: [cw] })] };
    const before = JSON.stringify(fc);
    const out = rewindForD3(fc);
    expect(JSON.stringify(fc)).toBe(before);
    expect(out.features[1]!.geometry.coordinates).toEqual([cw]);
  });

  it('reverses holes with their exterior, so the hole stays a hole', () => {
    const fc = { type: 'FeatureCollection' as const, features: [feature('1', { type: 'Polygon', coordinates: [CCW_SQUARE, CW_HOLE] })] };
    const f = rewindForD3(fc).features[0]!;
    const squareOnly = geoArea(asD3(rewindForD3({ features: [feature('x', { type: 'Polygon', coordinates: [CCW_SQUARE] })] }).features[0]));
    const area = geoArea(asD3(f));
    expect(area).toBeLessThan(squareOnly);
    expect(area).toBeGreaterThan(0);
    expect(geoContains(asD3(f), [-74.005, 40.705])).toBe(false); // inside the hole
    expect(geoContains(asD3(f), [-74.009, 40.701])).toBe(true);
  });

  it('checks each polygon of a MultiPolygon on its own', () => {
    const other = CCW_SQUARE.map(([x, y]) => [x! + 0.05, y!]);
    const mixed = [[CCW_SQUARE], [other.slice().reverse()]];
    const f = rewindForD3({ features: [feature('1', { type: 'MultiPolygon', coordinates: mixed })] }).features[0]!;
    const polys = f.geometry.coordinates as number[][][][];
    expect(polys[0]![0]).toEqual(CCW_SQUARE.slice().reverse());
    expect(polys[1]![0]).toEqual(other.slice().reverse());
    expect(geoArea(asD3(f))).toBeLessThan(1e-7);
  });

  it('projects rewound areas inside the requested box', () => {
    const fc = rewindForD3({ type: 'FeatureCollection' as const, features: [feature('101', { type: 'Polygon', coordinates: [CCW_SQUARE] })] });
    const [a] = projectAreas(fc, 100, 100);
    expect(a!.id).toBe('101');
    const nums = a!.d.match(/-?\d+(\.\d+)?/g)!.map(Number);
    expect(Math.min(...nums)).toBeGreaterThanOrEqual(-1e-6);
    expect(Math.max(...nums)).toBeLessThanOrEqual(100 + 1e-6);
    expect(Math.max(...nums)).toBeGreaterThan(99); // fitted, not a dot
  });
});

function pt(period: string, count: number, population: number | null, rate?: number | null): SeriesPoint {
  return { period, count, state: count === 0 ? 'zero' : 'shown', population, rate: rate === undefined ? (population ? (count / population) * 1e5 : null) : rate };
}
const PERIODS: Period[] = [
  { start: '2024-01-01', end: '2024-01-31', partial: false },
  { start: '2024-02-01', end: '2024-02-29', partial: false },
  { start: '2024-03-01', end: '2024-03-15', partial: true },
];
const RESPONSE: SeriesResponse = {
  jurisdiction: 'nyc',
  indicator: 'deaths.opioid',
  interval: 'month',
  geography: 'residence',
  from: '2024-01-01',
  to: '2024-03-15',
  definitionVersion: '1',
  synthetic: true,
  periods: PERIODS,
  unassigned: 0,
  series: [
    { area: 'total', name: 'New York City', points: [pt('2024-01-01', 30, 300000), pt('2024-02-01', 12, 300000), pt('2024-03-01', 3, 300000)] },
    { area: '101', name: 'A', points: [pt('2024-01-01', 20, 100000), pt('2024-02-01', 2, 100000), pt('2024-03-01', 0, 100000)] },
    { area: '102', name: 'B', points: [pt('2024-01-01', 10, 200000), pt('2024-02-01', 10, 200000), pt('2024-03-01', 3, 200000)] },
    { area: '103', name: 'C', points: [pt('2024-01-01', 0, null), pt('2024-02-01', 0, null), pt('2024-03-01', 0, null)] },
  ],
};

describe('values', () => {
  it('picks one period per area, leaving the total out', () => {
    const m = periodValues(RESPONSE, 1, 'count');
    expect([...m.keys()]).toEqual(['101', '102', '103']);
    expect(m.get('101')).toEqual({ value: 2, count: 2, state: 'shown' });
    const r = periodValues(RESPONSE, 0, 'rate');
    expect(r.get('101')!.value).toBeCloseTo(20);
    expect(r.get('102')!.value).toBeCloseTo(5);
    expect(r.get('103')).toEqual({ value: null, count: 0, state: 'zero' });
  });

  it('computes a rate from count and population when the API sent none', () => {
    expect(pointValue({ period: '2024-01-01', count: 7, state: 'shown', population: 350000, rate: null }, 'rate')).toBeCloseTo(2);
    expect(pointValue({ period: '2024-01-01', count: 7, state: 'shown', population: null, rate: null }, 'rate')).toBeNull();
    expect(pointValue({ period: '2024-01-01', count: 7, state: 'shown', population: null, rate: null }, 'count')).toBe(7);
  });

  it('collects every area value across periods for the colour domain', () => {
    expect(allAreaValues(RESPONSE, 'count').sort((a, b) => a - b)).toEqual([0, 0, 0, 0, 2, 3, 10, 10, 20]);
    expect(allAreaValues(RESPONSE, 'rate')).toHaveLength(6);
  });
});

describe('colour classes', () => {
  it('rounds steps to 1, 2, 2.5 or 5 × 10^n', () => {
    expect(niceStep(0.37)).toBe(0.5);
    expect(niceStep(3.2)).toBe(5);
    expect(niceStep(2.2)).toBe(2.5);
    expect(niceStep(12)).toBe(20);
    expect(niceStep(100)).toBe(100);
    expect(niceStep(0)).toBe(1);
  });

  it('makes five equal classes of whole numbers for counts, covering the maximum', () => {
    const c = colourClasses([0, 3, 7, 23], 'count');
    expect(c.thresholds).toEqual([5, 10, 15, 20]);
    expect(c.colours).toHaveLength(5);
    expect(new Set(c.colours).size).toBe(5);
    expect(classIndex(0, c)).toBe(0);
    expect(classIndex(4, c)).toBe(0);
    expect(classIndex(5, c)).toBe(1);
    expect(classIndex(23, c)).toBe(4);
    expect(colourFor(23, c)).toBe(c.colours[4]);
    expect(colourFor(null, c)).toBeNull();
    expect(legendItems(c, 'count').map((i) => i.label)).toEqual(['1–4', '5–9', '10–14', '15–19', '20+']);
  });

  it('never makes fractional classes for small counts', () => {
    const c = colourClasses([0, 1, 2], 'count');
    expect(c.thresholds).toEqual([1, 2, 3, 4]);
    // Zero has its own fill (areaFill), so a class holding only zero is left out of the legend.
    expect(legendItems(c, 'count').map((i) => i.label)).toEqual(['1', '2', '3', '4+']);
  });

  it('uses decimal breaks for rates', () => {
    const c = colourClasses([0.1, 1.2, 2.3], 'rate');
    expect(c.step).toBe(0.5);
    expect(c.thresholds).toEqual([0.5, 1, 1.5, 2]);
    expect(legendItems(c, 'rate').map((i) => i.label)).toEqual(['>0–0.5', '0.5–1', '1–1.5', '1.5–2', '2+']);
  });

  it('spans the 95th percentile, so one spike does not wash out the map', () => {
    const values = [...Array.from({ length: 99 }, (_, i) => i / 10), 500]; // 0 … 9.8, then 500
    const c = colourClasses(values, 'rate');
    expect(c.thresholds).toEqual([2, 4, 6, 8]);
    expect(classIndex(500, c)).toBe(4);
    expect(new Set(values.slice(0, 99).map((v) => classIndex(v, c))).size).toBe(5);
  });

  it('handles all-zero and empty data', () => {
    expect(colourClasses([], 'count').thresholds).toEqual([1, 2, 3, 4]);
    expect(colourFor(0, colourClasses([0, 0], 'rate'))).toBe(colourClasses([0], 'rate').colours[0]);
  });
});

describe('periods and labels', () => {
  it('labels periods by interval and flags partial ones', () => {
    expect(periodLabel({ start: '2024-03-01', end: '2024-03-31', partial: false }, 'month')).toBe('March 2024');
    expect(periodLabel({ start: '2024-01-01', end: '2024-03-31', partial: false }, 'quarter')).toBe('2024 Q1');
    expect(periodLabel({ start: '2024-10-01', end: '2024-11-15', partial: true }, 'quarter')).toBe('2024 Q4 (partial)');
    expect(periodLabel({ start: '2024-01-01', end: '2024-12-31', partial: false }, 'year')).toBe('2024');
    expect(periodLabel({ start: '2024-12-01', end: '2024-12-10', partial: true }, 'month')).toBe('December 2024 (partial)');
  });

  it('defaults to the last complete period', () => {
    expect(defaultPeriodIndex(PERIODS)).toBe(1);
    expect(defaultPeriodIndex([{ start: '2024-01-01', end: '2024-01-10', partial: true }])).toBe(0);
    expect(defaultPeriodIndex([])).toBe(-1);
  });

  it('finds the period holding a date, so a month survives a change to quarters', () => {
    expect(resolvePeriodIndex(PERIODS, '2024-02-14')).toBe(1);
    expect(resolvePeriodIndex(PERIODS, '2024-03-01')).toBe(2);
    expect(resolvePeriodIndex(PERIODS, '2023-06-01')).toBe(1);
    expect(resolvePeriodIndex(PERIODS, null)).toBe(1);
  });

  it('formats values and units', () => {
    expect(formatValue(1234, 'count')).toBe('1,234');
    expect(formatValue(2.345, 'rate')).toBe('2.35');
    expect(formatValue(12.34, 'rate')).toBe('12.3');
    expect(formatValue(null, 'rate')).toBe('no data');
    expect(measureLabel('deaths', 'rate', 'month')).toBe('Deaths per 100,000 residents per month');
    expect(measureLabel('deaths', 'count', 'quarter')).toBe('Deaths per quarter');
  });
});

describe('trendLayout', () => {
  const layout = trendLayout({
    periods: PERIODS,
    lines: [
      { key: 'total', values: [30, 12, 3] },
      { key: 'area', values: [20, 2, null] },
    ],
    width: 400,
    height: 200,
    margin: { top: 10, right: 10, bottom: 30, left: 50 },
    markerIndex: 1,
    interval: 'month',
  });

  it('maps periods across the plot and values from zero up', () => {
    expect(layout.plot).toEqual({ left: 50, right: 390, top: 10, bottom: 170 });
    expect(layout.yTicks[0]!.label).toBe('0');
    expect(layout.yTicks[0]!.y).toBe(170);
    expect(layout.yTicks.at(-1)!.y).toBe(10); // 30 is already nice
    expect(layout.xTicks.map((t) => t.label)).toEqual(['Jan 2024', 'Feb 2024', 'Mar 2024']);
    expect(layout.xTicks[0]!.x).toBe(50);
    expect(layout.xTicks[2]!.x).toBe(390);
  });

  it('draws complete periods solid and the partial one apart', () => {
    const total = layout.lines.find((l) => l.key === 'total')!;
    // Solid: Jan → Feb only. y(30) = 10, y(12) = 170 - 12/30*160 = 106.
    expect(total.d).toMatch(/^M50,10L\d+(\.\d+)?,106$/);
    // Partial: Feb → Mar, y(3) = 154.
    expect(total.dPartial).toMatch(/^M\d+(\.\d+)?,106L390,154$/);
    const area = layout.lines.find((l) => l.key === 'area')!;
    expect(area.d.startsWith('M50,')).toBe(true);
    expect(area.dPartial).not.toContain('L'); // Mar has no value: nothing to join Feb to
  });

  it('puts the marker on the chosen period with one point per line', () => {
    expect(layout.marker!.x).toBe(layout.xTicks[1]!.x);
    expect(layout.marker!.points.map((p) => [p.key, p.value])).toEqual([
      ['total', 12],
      ['area', 2],
    ]);
  });
});

describe('url state', () => {
  it('round-trips a view and rejects malformed values', () => {
    const view = { jurisdiction: 'nyc', indicator: 'deaths.opioid', measure: 'count' as const, interval: 'quarter' as const, period: '2024-01-01', area: '101' };
    expect(readViewState(writeViewState(view))).toEqual(view);
    expect(readViewState('?measure=bogus&interval=decade&period=March&area=<x>&indicator=DROP')).toEqual({
      jurisdiction: null,
      indicator: null,
      measure: 'rate',
      interval: 'month',
      period: null,
      area: null,
    });
  });

  it('keeps parameters it does not own', () => {
    const s = writeViewState({ jurisdiction: null, indicator: 'deaths.opioid', measure: 'rate', interval: 'month', period: null, area: null }, '?debug=1&area=101');
    expect(new URLSearchParams(s).get('debug')).toBe('1');
    expect(new URLSearchParams(s).has('area')).toBe(false);
  });
});

describe('zero, hidden and no data never share a fill', () => {
  const c = colourClasses([0, 5, 10, 15, 20], 'count');
  it('gives each state its own fill and legend row', () => {
    expect(areaFill({ value: 0, count: 0, state: 'zero' }, c)).toBe(ZERO_COLOUR);
    expect(areaFill({ value: null, count: null, state: 'suppressed' }, c)).toBe(SUPPRESSED_FILL);
    expect(areaFill({ value: null, count: null, state: 'missing' }, c)).toBe(MISSING_FILL);
    expect(areaFill(undefined, c)).toBe(MISSING_FILL);
    expect(areaFill({ value: 12, count: 12, state: 'shown' }, c)).toBe(colourFor(12, c));
    const fills = new Set([ZERO_COLOUR, SUPPRESSED_FILL, MISSING_FILL, ...c.colours]);
    expect(fills.size).toBe(3 + c.colours.length);
  });

  it('reads a rate of a zero count as zero, not as the first class', () => {
    expect(fillKind({ value: 0, count: 0, state: 'zero' })).toBe('zero');
    expect(fillKind({ value: 0, count: 0, state: 'shown' })).toBe('zero');
    expect(fillKind({ value: 0.4, count: 1, state: 'shown' })).toBe('value');
  });

  it('lists "hidden" in the legend only when something on the map is hidden', () => {
    expect(stateLegend({ hiddenCount: 0, threshold: null }).map((r) => r.kind)).toEqual(['zero', 'missing']);
    const rows = stateLegend({ hiddenCount: 3, threshold: 10 });
    expect(rows.map((r) => r.kind)).toEqual(['zero', 'suppressed', 'missing']);
    expect(rows[1]!.label).toMatch(/1–9/);
  });

  it('offers a coarser interval only when more than half of the map is hidden', () => {
    const map = (hidden: number, shown: number) =>
      new Map<string, AreaValue>([
        ...Array.from({ length: hidden }, (_, i): [string, AreaValue] => [`h${i}`, { value: null, count: null, state: 'suppressed' }]),
        ...Array.from({ length: shown }, (_, i): [string, AreaValue] => [`s${i}`, { value: 12, count: 12, state: 'shown' }]),
      ]);
    expect(hiddenHint(map(22, 20), 'month')).toEqual({ hidden: 22, total: 42, detail: 'monthly', coarser: 'quarter' });
    expect(hiddenHint(map(30, 12), 'quarter')).toEqual({ hidden: 30, total: 42, detail: 'quarterly', coarser: 'year' });
    expect(hiddenHint(map(21, 21), 'month')).toBeNull();
    expect(hiddenHint(map(40, 2), 'year')).toBeNull();
    expect(hiddenHint(new Map(), 'month')).toBeNull();
  });
});

describe('classes for a role whose small counts are hidden', () => {
  it('start at the smallest count shown, not at 1', () => {
    const c = colourClasses([0, 0, 10, 12, 15, 22, 31], 'count', 5, 10);
    expect(c.start).toBe(10);
    expect(legendItems(c, 'count')[0]!.label.startsWith('10')).toBe(true);
    expect(classIndex(10, c)).toBe(0);
    expect(colourClasses([0, 1, 2], 'count').start).toBe(0);
  });
  it('take the floor from the series: only when something is hidden', () => {
    const pts = (cs: (number | null)[]) => cs.map((count) => ({ period: '2025-01-01', count, state: count === null ? ('suppressed' as const) : count === 0 ? ('zero' as const) : ('shown' as const), population: 1, rate: null }));
    const res = (cs: (number | null)[]) => ({ series: [{ area: '101', name: 'a', points: pts(cs) }, { area: 'total', name: 't', points: pts([3]) }] }) as unknown as SeriesResponse;
    expect(shownCountFloor(res([0, null, 12, 10]))).toBe(10);
    expect(shownCountFloor(res([0, 2, 12]))).toBe(0);
  });
});

describe('measures: crude rate intervals, age-adjusted rates from /rates', () => {
  it('gives a crude rate its exact Poisson interval and flags fewer than 20 events', () => {
    // 7 events in 350,000: 2 per 100,000; Garwood 95%: qgamma(.025, 7) = 2.8143, qgamma(.975, 8) = 14.4227.
    const v = seriesValue({ period: '2024-01-01', count: 7, state: 'shown', population: 350000, rate: 2 }, 'rate');
    expect(v.value).toBeCloseTo(2);
    expect(v.lower!).toBeCloseTo((2.814 / 350000) * 1e5, 2);
    expect(v.upper!).toBeCloseTo((14.423 / 350000) * 1e5, 2);
    expect(v.unreliable).toBe(true);
    expect(seriesValue({ period: '2024-01-01', count: 25, state: 'shown', population: 350000, rate: null }, 'rate').unreliable).toBe(false);
    expect(seriesValue({ period: '2024-01-01', count: 7, state: 'shown', population: 350000, rate: 2 }, 'count')).toMatchObject({ value: 7, lower: null, unreliable: null });
    expect(seriesValue({ period: '2024-01-01', count: null, state: 'suppressed', population: 350000, rate: null }, 'rate')).toMatchObject({ value: null, state: 'suppressed' });
  });

  it('puts the API’s annual age-adjusted rate on the page’s per-period footing', () => {
    const p = { period: '2024-01-01', count: 4, state: 'shown' as const, ageUnknown: 0, population: 96643, personYears: 96643 * (31 / 366), rate: 45.6, lower: 12.0, upper: 128.2, unreliable: true, crudeRate: 50.4, previous: null, yearAgo: null };
    const v = adjustedValue(p);
    expect(v.value).toBeCloseTo(45.6 * (31 / 366));
    expect(v.lower).toBeCloseTo(12.0 * (31 / 366));
    expect(v.upper).toBeCloseTo(128.2 * (31 / 366));
    expect(v.unreliable).toBe(true);
    expect(adjustedValue({ ...p, count: null, state: 'suppressed', rate: null, lower: null, upper: null, unreliable: null })).toMatchObject({ value: null, state: 'suppressed', unreliable: null });
  });

  it('matches /rates points to the series periods by start; a period /rates lacks reads no data', () => {
    const rates = {
      series: [
        { area: '101', name: 'A', stratum: 'all', points: [{ period: '2024-02-01', count: 2, state: 'shown', ageUnknown: 0, population: 100000, personYears: 100000, rate: 2, lower: 0.2, upper: 7.2, unreliable: true, crudeRate: 2, previous: null, yearAgo: null }] },
      ],
    } as unknown as RatesResponse;
    const all = measureValues(RESPONSE, 'adjusted', rates);
    expect(all.get('101')!.map((v) => v.value)).toEqual([null, 2, null]);
    expect(all.get('101')![0]!.state).toBe('missing');
    expect(all.get('102')!.every((v) => v.state === 'missing')).toBe(true);
    const counts = measureValues(RESPONSE, 'count');
    expect(counts.get('total')!.map((v) => v.value)).toEqual([30, 12, 3]);
    // Crude rates: intervals are worked out for the period sliced, not for every cell.
    const crude = measureValues(RESPONSE, 'rate');
    expect(crude.get('101')![0]!.lower).toBeUndefined();
    const r0 = sliceValues(crude, 0).get('101')!;
    expect(r0.value).toBeCloseTo(20);
    expect(r0.lower!).toBeGreaterThan(10);
    expect(r0.upper!).toBeGreaterThan(30);
    expect(withInterval(r0)).toBe(r0);
    const slice = sliceValues(counts, 0);
    expect([...slice.keys()]).toEqual(['101', '102', '103']);
    expect(finiteValues(counts).sort((a, b) => a - b)).toEqual([0, 0, 0, 0, 2, 3, 10, 10, 20]);
  });

  it('labels the age-adjusted axis', () => {
    expect(measureLabel('deaths', 'adjusted', 'month')).toBe('Age-adjusted deaths per 100,000 residents per month');
  });

  it('tells a slider move (period alone) from any other change of the URL', () => {
    expect(onlyPeriodDiffers('?indicator=a.b&period=2024-01-01', '?indicator=a.b&period=2024-02-01')).toBe(true);
    expect(onlyPeriodDiffers('?indicator=a.b&period=2024-01-01', '?indicator=a.b')).toBe(true);
    expect(onlyPeriodDiffers('?indicator=a.b&period=2024-01-01&area=303', '?indicator=a.b&period=2024-01-01')).toBe(false);
  });

  it('keeps measure=adjusted in the URL', () => {
    expect(readViewState('?measure=adjusted').measure).toBe('adjusted');
    expect(writeViewState({ ...readViewState(''), measure: 'adjusted' })).toContain('measure=adjusted');
  });
});

describe('the tooltip and label of an area', () => {
  it('gives value, interval and reliability for a rate', () => {
    const t = areaTip('East Harlem', { value: 12.345, count: 9, state: 'shown', lower: 5.6, upper: 23.4, unreliable: true }, 'adjusted', 'deaths', 'March 2024');
    expect(t).toEqual({
      title: 'East Harlem, March 2024',
      value: '12.3 per 100,000, age-adjusted',
      details: ['95% interval 5.60 to 23.4', '9 deaths'],
      reliability: 'Unreliable: fewer than 20 deaths (CDC WONDER)',
      kind: 'value',
    });
    expect(tipText(t)).toBe('East Harlem, March 2024: 12.3 per 100,000, age-adjusted; 95% interval 5.60 to 23.4; 9 deaths; Unreliable: fewer than 20 deaths (CDC WONDER)');
  });

  it('tells hidden, zero and no data apart', () => {
    expect(areaTip('A', { value: null, count: null, state: 'suppressed' }, 'rate', 'deaths', 'p')).toMatchObject({ kind: 'suppressed', value: 'Hidden for your role' });
    expect(areaTip('A', { value: 0, count: 0, state: 'zero', lower: 0, upper: 3.7 }, 'rate', 'deaths', 'p')).toMatchObject({ kind: 'zero', value: '0 per 100,000 (0 deaths)', details: ['95% interval 0 to 3.70'] });
    expect(areaTip('A', { value: 0, count: 0, state: 'zero' }, 'count', 'deaths', 'p')).toMatchObject({ kind: 'zero', value: '0 deaths', details: [] });
    expect(areaTip('A', undefined, 'count', 'deaths', 'p')).toMatchObject({ kind: 'missing', value: 'No data for the period' });
    expect(areaTip('A', { value: 4, count: 4, state: 'shown' }, 'count', 'deaths', 'p')).toMatchObject({ kind: 'value', value: '4 deaths', reliability: null });
  });
});

describe('moving between areas with the arrow keys', () => {
  //   a   b
  //   c       d
  const cs = [
    { id: 'a', x: 0, y: 0 },
    { id: 'b', x: 10, y: 0 },
    { id: 'c', x: 0, y: 10 },
    { id: 'd', x: 20, y: 11 },
  ];
  it('goes to the nearest area ahead, and nowhere at the edge', () => {
    expect(areaInDirection(cs, 'a', 'right')).toBe('b');
    expect(areaInDirection(cs, 'a', 'down')).toBe('c');
    expect(areaInDirection(cs, 'c', 'right')).toBe('d');
    expect(areaInDirection(cs, 'b', 'left')).toBe('a');
    expect(areaInDirection(cs, 'a', 'left')).toBeNull();
    expect(areaInDirection(cs, 'a', 'up')).toBeNull();
    expect(areaInDirection(cs, 'zz', 'up')).toBe('a');
  });
});

describe('small multiples', () => {
  const v = (value: number | null, state: SeriesPoint['state'] = value === null ? 'missing' : value === 0 ? 'zero' : 'shown'): AreaValue => ({ value, count: value, state });
  it('breaks the line at hidden and missing periods and marks hidden ones', () => {
    const s = sparkline([v(1), v(2), { value: null, count: null, state: 'suppressed' }, v(4), v(null), v(2)], 100, 20, 4, 0);
    expect(s.d).toBe('M0.0,15.0L20.0,10.0M60.0,0.0M100.0,10.0');
    expect(s.hidden).toEqual([40]);
    expect(maxValue([v(1), v(null), v(7)])).toBe(7);
    expect(sparkline([v(0)], 10, 10, 0).top).toBe(1);
  });
});

describe('small multiples keyboard (gridStep)', () => {
  // 42 panels in rows of 6: 0–5, 6–11, … 36–41.
  it('moves left and right through the order, up and down by a row', () => {
    expect(gridStep(7, 'ArrowRight', 42, 6)).toBe(8);
    expect(gridStep(7, 'ArrowLeft', 42, 6)).toBe(6);
    expect(gridStep(7, 'ArrowDown', 42, 6)).toBe(13);
    expect(gridStep(7, 'ArrowUp', 42, 6)).toBe(1);
    // Left and right go on to the next row.
    expect(gridStep(5, 'ArrowRight', 42, 6)).toBe(6);
  });

  it('goes to the first and last with Home and End', () => {
    expect(gridStep(20, 'Home', 42, 6)).toBe(0);
    expect(gridStep(20, 'End', 42, 6)).toBe(41);
  });

  it('stops at the edges of the grid, and ignores other keys', () => {
    expect(gridStep(0, 'ArrowLeft', 42, 6)).toBeNull();
    expect(gridStep(41, 'ArrowRight', 42, 6)).toBeNull();
    expect(gridStep(3, 'ArrowUp', 42, 6)).toBeNull();
    expect(gridStep(38, 'ArrowDown', 42, 6)).toBeNull();
    expect(gridStep(3, 'Enter', 42, 6)).toBeNull();
    expect(gridStep(3, 'Tab', 42, 6)).toBeNull();
  });

  it('treats a layout of no measured columns as one column', () => {
    expect(gridStep(3, 'ArrowDown', 42, 0)).toBe(4);
  });
});

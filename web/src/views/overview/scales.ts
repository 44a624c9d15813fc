// Pure transforms and scales for the overview: no DOM, no fetch, unit-tested in
// tests/unit/web-scales.test.ts. The .svelte files only render what these return.
import {
  geoArea,
  geoMercator,
  geoPath,
  line,
  max,
  quantile,
  quantize,
  interpolateYlOrRd,
  scaleLinear,
  scaleUtc,
  schemeYlOrRd,
  utcFormat,
} from 'd3';
import type { ExtendedFeature, ExtendedFeatureCollection, GeoPermissibleObjects } from 'd3';
import type { Interval, Period, SeriesPoint, SeriesResponse } from '../../api.ts';

export type Measure = 'count' | 'rate';
export type MapInterval = 'month' | 'quarter' | 'year';

// ---------------------------------------------------------------------------------------------
// Geometry

type Position = number[];
type Ring = Position[];
interface GeometryLike {
  type: string;
  coordinates: unknown[];
}
interface FeatureLike {
  geometry: GeometryLike | null;
}
interface CollectionLike<F extends FeatureLike> {
  features: F[];
}

function polygonArea(rings: Ring[]): number {
  return geoArea({ type: 'Polygon', coordinates: rings } as GeoPermissibleObjects);
}

function rewindPolygon(rings: Ring[]): Ring[] {
  // d3-geo reads a ring as spherical: clockwise encloses its inside. An RFC 7946 polygon
  // (exterior counter-clockwise, holes clockwise) therefore reads as "the whole globe minus
  // the area", more than a hemisphere (2π sr). Reversing every ring, holes included, gives
  // d3's winding; no city polygon is genuinely larger than a hemisphere.
  return polygonArea(rings) > 2 * Math.PI ? rings.map((ring) => ring.slice().reverse()) : rings;
}

/**
 * Returns a copy of an RFC 7946 FeatureCollection with rings wound for d3-geo.
 * Each polygon of a MultiPolygon is checked on its own, so files with mixed winding work too;
 * features already wound for d3 are left as they are. The input is not modified.
 */
export function rewindForD3<F extends FeatureLike, C extends CollectionLike<F>>(fc: C): C {
  const features = fc.features.map((f) => {
    const g = f.geometry;
    if (!g) return f;
    if (g.type === 'Polygon') {
      return { ...f, geometry: { ...g, coordinates: rewindPolygon(g.coordinates as Ring[]) } };
    }
    if (g.type === 'MultiPolygon') {
      return { ...f, geometry: { ...g, coordinates: (g.coordinates as Ring[][]).map(rewindPolygon) } };
    }
    return f;
  });
  return { ...fc, features };
}

export interface ProjectedArea {
  id: string;
  name: string;
  d: string;
}

interface AreaFeatureLike extends FeatureLike {
  id?: string | number;
  properties: { id: string; name: string };
}

/** SVG path data for each area, fitted to width × height with a Mercator projection. */
export function projectAreas(fc: CollectionLike<AreaFeatureLike>, width: number, height: number): ProjectedArea[] {
  const projection = geoMercator().fitSize([width, height], fc as unknown as ExtendedFeatureCollection);
  const path = geoPath(projection);
  return fc.features.map((f) => ({
    id: String(f.properties.id ?? f.id),
    name: f.properties.name,
    d: path(f as unknown as ExtendedFeature) ?? '',
  }));
}

// ---------------------------------------------------------------------------------------------
// Values

/** The value of one point for the measure; a rate is per 100,000 for the period, not annualised. */
export function pointValue(p: SeriesPoint, measure: Measure): number | null {
  if (p.count === null) return null; // suppressed for this role, or no data for the period
  if (measure === 'count') return p.count;
  if (p.rate !== null) return p.rate;
  return p.population ? (p.count / p.population) * 100_000 : null;
}

export interface AreaValue {
  value: number | null;
  count: number | null;
  state: SeriesPoint['state'];
}

/** One period's values by area id (the "total" series left out), for the map and table. */
export function periodValues(res: SeriesResponse, index: number, measure: Measure): Map<string, AreaValue> {
  const out = new Map<string, AreaValue>();
  for (const s of res.series) {
    if (s.area === 'total') continue;
    const p = s.points[index];
    if (!p) continue;
    out.set(s.area, { value: pointValue(p, measure), count: p.count, state: p.state });
  }
  return out;
}

/** Every area value in every period: the domain of a colour scale that holds still as the slider moves. */
export function allAreaValues(res: SeriesResponse, measure: Measure): number[] {
  const out: number[] = [];
  for (const s of res.series) {
    if (s.area === 'total') continue;
    for (const p of s.points) {
      const v = pointValue(p, measure);
      if (v !== null && Number.isFinite(v)) out.push(v);
    }
  }
  return out;
}

// CDC WONDER flags a rate computed from fewer than 20 events as unreliable.
export const UNRELIABLE_BELOW = 20;

// ---------------------------------------------------------------------------------------------
// Colour classes

/** The smallest 1, 2, 2.5 or 5 × 10^n at or above `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const e = Math.floor(Math.log10(raw));
  const base = 10 ** e;
  const f = raw / base;
  const m = [1, 2, 2.5, 5, 10].find((c) => c >= f - 1e-9) ?? 10;
  return Number((m * base).toPrecision(12));
}

export interface ColourClasses {
  /** Lower bounds of classes 1 … k-1 (class 0 starts at `start`). */
  thresholds: number[];
  colours: string[];
  step: number;
  /** Where class 0 starts: 0, or the smallest count a role with hidden small counts can see. */
  start: number;
}

export const NO_DATA_COLOUR = '#d9d9d9';

/**
 * k equal classes of round width from 0, the last one open-ended. Equal intervals, not
 * quantiles: overdose counts are skewed with many zeros, and quantile breaks collapse onto
 * each other there. The classes span the 95th percentile rather than the maximum, so that one
 * small neighborhood's spike (a single death in a small population is a large rate) does not
 * wash every other area into the first class. Colours: ColorBrewer YlOrRd, sequential and
 * colour-blind safe.
 *
 * `start`: for a role whose small counts are hidden, counts 1 … T−1 never appear, so the classes
 * start at the smallest count it is shown instead of offering colours no area can take.
 */
export function colourClasses(values: readonly number[], measure: Measure, k = 5, start = 0): ColourClasses {
  const classes = Math.min(9, Math.max(3, Math.round(k)));
  const from = measure === 'count' && start > 1 ? Math.floor(start) : 0;
  const top = quantile(from > 0 ? values.filter((v) => v >= from) : values, 0.95) ?? 0;
  let step = niceStep(Math.max(0, top - from) / classes);
  if (measure === 'count') step = Math.max(1, Math.ceil(step));
  const thresholds = Array.from({ length: classes - 1 }, (_, i) => Number((from + (i + 1) * step).toPrecision(12)));
  const colours = (schemeYlOrRd[classes] ?? quantize(interpolateYlOrRd, classes)).slice();
  return { thresholds, colours, step, start: from };
}

/** The smallest count shown when some are hidden (the start of the classes), else 0. */
export function shownCountFloor(res: SeriesResponse): number {
  let hidden = false;
  let min = Infinity;
  for (const s of res.series) {
    if (s.area === 'total') continue;
    for (const p of s.points) {
      if (p.state === 'suppressed') hidden = true;
      else if (p.count !== null && p.count > 0 && p.count < min) min = p.count;
    }
  }
  return hidden && Number.isFinite(min) ? min : 0;
}

export function classIndex(value: number, classes: ColourClasses): number {
  let i = 0;
  while (i < classes.thresholds.length && value >= (classes.thresholds[i] ?? Infinity)) i++;
  return i;
}

export function colourFor(value: number | null, classes: ColourClasses): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  return classes.colours[classIndex(value, classes)] ?? null;
}

export interface LegendItem {
  colour: string;
  label: string;
}

/**
 * Legend rows of the colour classes: counts as whole-number ranges ("1–4", "5–9", "20+"), rates
 * as ">0–2.5", "2.5–5", "10+". Zero is not in any class (it has its own fill, areaFill), so the
 * first class starts above it, and a class that would hold only zero is left out.
 */
export function legendItems(classes: ColourClasses, measure: Measure): LegendItem[] {
  const n = classes.colours.length;
  const out: LegendItem[] = [];
  classes.colours.forEach((colour, i) => {
    const lo = i === 0 ? classes.start : (classes.thresholds[i - 1] ?? 0);
    if (i === n - 1) {
      out.push({ colour, label: `${lo === 0 && measure === 'count' ? 1 : formatNumber(lo)}+` });
      return;
    }
    const hi = classes.thresholds[i] ?? lo;
    if (measure === 'count') {
      const from = Math.max(lo, 1);
      const last = hi - 1;
      if (last < from) return;
      out.push({ colour, label: last === from ? formatNumber(from) : `${formatNumber(from)}–${formatNumber(last)}` });
      return;
    }
    out.push({ colour, label: `${lo === 0 ? '>0' : formatNumber(lo)}–${formatNumber(hi)}` });
  });
  return out;
}

// Zero, hidden and absent are three different facts and never share a fill (issue 6: no one may
// mistake a suppressed cell for a zero). Zero: a flat blue-grey outside the YlOrRd ramp; hidden:
// dark diagonal hatching; no data: light dots. Patterns, not hues, so they read in grey print and
// for every colour-vision type.
export const ZERO_COLOUR = '#dfe7ef';
export const SUPPRESSED_FILL = 'url(#odstat-suppressed)';
export const MISSING_FILL = 'url(#odstat-missing)';

export type FillKind = 'value' | 'zero' | 'suppressed' | 'missing';

export function fillKind(v: AreaValue | undefined): FillKind {
  if (!v || v.state === 'missing') return 'missing';
  if (v.state === 'suppressed') return 'suppressed';
  if (v.state === 'zero' || v.count === 0) return 'zero';
  return v.value === null || !Number.isFinite(v.value) ? 'missing' : 'value';
}

/** The fill of one area: a class colour, or the zero colour, or a pattern for hidden / no data. */
export function areaFill(v: AreaValue | undefined, classes: ColourClasses): string {
  switch (fillKind(v)) {
    case 'zero':
      return ZERO_COLOUR;
    case 'suppressed':
      return SUPPRESSED_FILL;
    case 'missing':
      return MISSING_FILL;
    default:
      return colourFor(v!.value, classes) ?? MISSING_FILL;
  }
}

/** The legend rows for zero, hidden and no data; the hidden row only when the role has hidden cells. */
export function stateLegend(opts: { hiddenCount: number; threshold: number | null }): { kind: Exclude<FillKind, 'value'>; label: string }[] {
  const rows: { kind: Exclude<FillKind, 'value'>; label: string }[] = [{ kind: 'zero', label: '0 (none recorded)' }];
  if (opts.hiddenCount > 0) {
    const range = opts.threshold && opts.threshold > 1 ? `1–${opts.threshold - 1}` : 'a small count';
    rows.push({ kind: 'suppressed', label: `Hidden for your role (${range}, or to protect one)` });
  }
  rows.push({ kind: 'missing', label: 'No data for the period' });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Numbers and periods

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const rateFormat1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const rateFormat2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatNumber(v: number): string {
  return numberFormat.format(v);
}

export function formatValue(v: number | null, measure: Measure): string {
  if (v === null || !Number.isFinite(v)) return 'no data';
  if (measure === 'count') return countFormat.format(v);
  return Math.abs(v) < 10 && v !== 0 ? rateFormat2.format(v) : rateFormat1.format(v);
}

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

function ymd(date: string): [number, number, number] {
  const [y = NaN, m = NaN, d = NaN] = date.split('-').map(Number);
  return [y, m, d];
}

/** "March 2024", "2024 Q1", "2024", with " (partial)" when the period is cut short. */
export function periodLabel(period: Period, interval: Interval): string {
  const [y, m, d] = ymd(period.start);
  const month = MONTHS[m - 1] ?? '';
  let label: string;
  switch (interval) {
    case 'year':
      label = String(y);
      break;
    case 'quarter':
      label = `${y} Q${Math.floor((m - 1) / 3) + 1}`;
      break;
    case 'month':
      label = `${month} ${y}`;
      break;
    case 'week':
      label = `Week of ${d} ${month.slice(0, 3)} ${y}`;
      break;
    default:
      label = `${d} ${month.slice(0, 3)} ${y}`;
  }
  return period.partial ? `${label} (partial)` : label;
}

/** The noun for one period, for axis and legend text: "month", "quarter"… */
export function intervalNoun(interval: Interval): string {
  return interval;
}

/** "Deaths per month" or "Deaths per 100,000 residents per month". */
export function measureLabel(unit: string, measure: Measure, interval: Interval): string {
  const u = unit ? unit[0]!.toUpperCase() + unit.slice(1) : 'Events';
  return measure === 'count'
    ? `${u} per ${intervalNoun(interval)}`
    : `${u} per 100,000 residents per ${intervalNoun(interval)}`;
}

/** The last complete period (partial ones undercount), else the last; -1 when there are none. */
export function defaultPeriodIndex(periods: readonly Period[]): number {
  for (let i = periods.length - 1; i >= 0; i--) if (!periods[i]!.partial) return i;
  return periods.length - 1;
}

/** The period holding `date` (YYYY-MM-DD), so a chosen month survives a change of interval. */
export function resolvePeriodIndex(periods: readonly Period[], date: string | null): number {
  if (date) {
    const i = periods.findIndex((p) => p.start <= date && date <= p.end);
    if (i >= 0) return i;
  }
  return defaultPeriodIndex(periods);
}

// ---------------------------------------------------------------------------------------------
// Trend chart

export interface TrendInput {
  key: string;
  values: readonly (number | null)[];
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface TrendLayout {
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  lines: { key: string; d: string; dPartial: string }[];
  marker: { x: number; points: { key: string; y: number; value: number }[] } | null;
  plot: { left: number; right: number; top: number; bottom: number };
}

export function utcDate(date: string): Date {
  const [y, m, d] = ymd(date);
  return new Date(Date.UTC(y, m - 1, d));
}

/**
 * Scales and path data for the trend chart. Complete periods draw a solid line; segments
 * touching a partial period draw separately (dashed), since a cut-short period undercounts.
 */
export function trendLayout(opts: {
  periods: readonly Period[];
  lines: readonly TrendInput[];
  width: number;
  height: number;
  margin: Margin;
  markerIndex: number;
  interval: Interval;
}): TrendLayout {
  const { periods, width, height, margin, markerIndex, interval } = opts;
  const plot = { left: margin.left, right: Math.max(margin.left + 1, width - margin.right), top: margin.top, bottom: Math.max(margin.top + 1, height - margin.bottom) };
  const dates = periods.map((p) => utcDate(p.start));
  const first = dates[0] ?? new Date(0);
  const last = dates[dates.length - 1] ?? first;
  const x = scaleUtc()
    .domain(first.getTime() === last.getTime() ? [new Date(first.getTime() - 864e5), new Date(last.getTime() + 864e5)] : [first, last])
    .range([plot.left, plot.right]);

  const top = max(opts.lines.flatMap((l) => l.values.filter((v): v is number => v !== null && Number.isFinite(v)))) ?? 0;
  const y = scaleLinear().domain([0, top > 0 ? top : 1]).nice().range([plot.bottom, plot.top]);

  const yTickFormat = y.tickFormat(5);
  const yTicks = y.ticks(5).map((v) => ({ y: y(v), label: yTickFormat(v) }));

  const tickCount = Math.max(2, Math.floor((plot.right - plot.left) / 90));
  let xTicks: { x: number; label: string }[];
  if (interval === 'year' || periods.length <= tickCount) {
    const fmt = interval === 'year' ? utcFormat('%Y') : interval === 'quarter' ? (d: Date) => `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}` : interval === 'month' ? utcFormat('%b %Y') : utcFormat('%-d %b %Y');
    const every = Math.max(1, Math.ceil(periods.length / tickCount));
    xTicks = dates.filter((_, i) => i % every === 0).map((d) => ({ x: x(d), label: fmt(d) }));
  } else {
    const fmt = x.tickFormat(tickCount);
    xTicks = x.ticks(tickCount).map((d) => ({ x: x(d), label: fmt(d) }));
  }

  const partial = periods.map((p) => p.partial);
  const lines = opts.lines.map((l) => {
    const pts = l.values.map((v, i) => [i, v] as const);
    const base = line<readonly [number, number | null]>()
      .x(([i]) => x(dates[i] ?? first))
      .y(([, v]) => y(v ?? 0));
    const d = base.defined(([i, v]) => v !== null && !partial[i])(pts) ?? '';
    const dPartial =
      base.defined(([i, v]) => v !== null && (partial[i] || partial[i - 1] === true || partial[i + 1] === true))(pts) ?? '';
    return { key: l.key, d, dPartial: partial.some(Boolean) ? dPartial : '' };
  });

  let marker: TrendLayout['marker'] = null;
  const markerDate = dates[markerIndex];
  if (markerDate) {
    marker = {
      x: x(markerDate),
      points: opts.lines.flatMap((l) => {
        const v = l.values[markerIndex];
        return v === null || v === undefined ? [] : [{ key: l.key, y: y(v), value: v }];
      }),
    };
  }
  return { xTicks, yTicks, lines, marker, plot };
}

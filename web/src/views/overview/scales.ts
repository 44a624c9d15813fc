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
import type { Interval, Period, RatesResponse, SeriesPoint, SeriesResponse } from '../../api.ts';
// The exact Poisson interval of a crude rate, the same function the API's /rates uses (pure
// arithmetic, no SQL): one implementation of the statistic, not a second copy in the page.
import { crudeRateCI } from '../../../../sql/epi/rates.ts';
import { formatRate } from '../../shell/format.ts';

/**
 * count; rate: crude per 100,000 residents for the period; adjusted: age-adjusted (direct
 * method, 2000 U.S. standard) per 100,000 residents for the period, from /api/v1/rates.
 */
export type Measure = 'count' | 'rate' | 'adjusted';
/** The measures /api/v1/series carries by itself. */
export type SeriesMeasure = 'count' | 'rate';
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
  /** Centroid on the drawing (for the tooltip on keyboard focus and the arrow keys). */
  x: number;
  y: number;
}

interface AreaFeatureLike extends FeatureLike {
  id?: string | number;
  properties: { id: string; name: string };
}

/** SVG path data for each area, fitted to width × height with a Mercator projection. */
export function projectAreas(fc: CollectionLike<AreaFeatureLike>, width: number, height: number): ProjectedArea[] {
  const projection = geoMercator().fitSize([width, height], fc as unknown as ExtendedFeatureCollection);
  const path = geoPath(projection);
  return fc.features.map((f) => {
    const [x = NaN, y = NaN] = path.centroid(f as unknown as ExtendedFeature);
    return { id: String(f.properties.id ?? f.id), name: f.properties.name, d: path(f as unknown as ExtendedFeature) ?? '', x, y };
  });
}

// ---------------------------------------------------------------------------------------------
// Values

/** The value of one point for the measure; a rate is per 100,000 for the period, not annualised. */
export function pointValue(p: SeriesPoint, measure: SeriesMeasure): number | null {
  if (p.count === null) return null; // suppressed for this role, or no data for the period
  if (measure === 'count') return p.count;
  if (p.rate !== null) return p.rate;
  return p.population ? (p.count / p.population) * 100_000 : null;
}

export interface AreaValue {
  value: number | null;
  count: number | null;
  state: SeriesPoint['state'];
  /** 95% interval of a rate (exact Poisson for crude rates, Fay–Feuer gamma for age-adjusted ones). */
  lower?: number | null;
  upper?: number | null;
  /** A rate from fewer than 20 events (CDC WONDER); null for counts and hidden cells. */
  unreliable?: boolean | null;
  /** Crude rates: the denominator, for an interval worked out only when it is shown (see sliceValues). */
  population?: number | null;
}

/** One period's values by area id (the "total" series left out), for the map and table. */
export function periodValues(res: SeriesResponse, index: number, measure: SeriesMeasure): Map<string, AreaValue> {
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
export function allAreaValues(res: SeriesResponse, measure: SeriesMeasure): number[] {
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


/**
 * One value of the series' own measures. `intervals`: with the crude rate's exact 95% interval;
 * without, the interval is left undefined (with the population kept) for withInterval to fill —
 * two gamma quantiles per cell cost tens of milliseconds over every area and period, so the map
 * works them out for the period shown only.
 */
export function seriesValue(p: SeriesPoint, measure: SeriesMeasure, intervals = true): AreaValue {
  const value = pointValue(p, measure);
  if (measure === 'count' || p.count === null || value === null) return { value, count: p.count, state: p.state, lower: null, upper: null, unreliable: null };
  const unreliable = p.count > 0 && p.count < UNRELIABLE_BELOW;
  if (!intervals) return { value, count: p.count, state: p.state, unreliable, population: p.population };
  const ci = crudeRateCI(p.count, p.population);
  return { value, count: p.count, state: p.state, lower: ci.lower, upper: ci.upper, unreliable, population: p.population };
}

/** The value with its crude-rate interval worked out, if it was left for later. */
export function withInterval(v: AreaValue): AreaValue {
  if (v.lower !== undefined || v.count === null || v.population === undefined) return v;
  const ci = crudeRateCI(v.count, v.population);
  return { ...v, lower: ci.lower, upper: ci.upper };
}

/**
 * An age-adjusted point of /rates on the page's footing: the API's rates are per 100,000
 * person-years; the page's are per 100,000 residents for the period, so that crude and adjusted
 * read alike. The direct standardised rate of a period is the annual one × person-years ÷
 * population (the period's share of its year), and its gamma interval scales with it.
 */
export function adjustedValue(p: RatesResponse['series'][number]['points'][number]): AreaValue {
  const f = p.personYears !== null && p.population !== null && p.population > 0 ? p.personYears / p.population : null;
  const per = (v: number | null) => (v === null || f === null ? null : v * f);
  return { value: per(p.rate), count: p.count, state: p.state, lower: per(p.lower), upper: per(p.upper), unreliable: p.count !== null && p.count > 0 ? p.unreliable : null };
}

const MISSING_VALUE: AreaValue = { value: null, count: null, state: 'missing', lower: null, upper: null, unreliable: null };

/**
 * Every area's value in every period of the series (the "total" included), for the measure:
 * built once per answer and measure, so the slider only looks values up. Age-adjusted values
 * come from /rates, matched by period start; a period /rates lacks reads "no data".
 */
export function measureValues(res: SeriesResponse, measure: Measure, rates: RatesResponse | null = null): Map<string, AreaValue[]> {
  const out = new Map<string, AreaValue[]>();
  if (measure === 'adjusted') {
    const byArea = new Map((rates?.series ?? []).filter((s) => s.stratum === 'all').map((s) => [s.area, new Map(s.points.map((p) => [p.period, p]))]));
    for (const s of res.series) {
      const pts = byArea.get(s.area);
      out.set(
        s.area,
        res.periods.map((per) => {
          const p = pts?.get(per.start);
          return p ? adjustedValue(p) : MISSING_VALUE;
        }),
      );
    }
    return out;
  }
  for (const s of res.series) out.set(s.area, s.points.map((p) => seriesValue(p, measure, false)));
  return out;
}

/** One period of `measureValues`, without the total, intervals worked out: what the map draws. */
export function sliceValues(all: Map<string, AreaValue[]>, index: number): Map<string, AreaValue> {
  const out = new Map<string, AreaValue>();
  for (const [area, list] of all) {
    if (area === 'total') continue;
    const v = list[index];
    if (v) out.set(area, withInterval(v));
  }
  return out;
}

/** The areas' finite values over every period (no total): the domain of the colour classes. */
export function finiteValues(all: Map<string, AreaValue[]>): number[] {
  const out: number[] = [];
  for (const [area, list] of all) {
    if (area === 'total') continue;
    for (const v of list) if (v.value !== null && Number.isFinite(v.value)) out.push(v.value);
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

/**
 * When most of the map is hidden for the role at this interval, the coarser interval to offer
 * (a quarter or a year sums more events per cell, so fewer cells fall under the threshold).
 * Null when at most half is hidden, or the interval is not a month or a quarter.
 */
export function hiddenHint(
  values: ReadonlyMap<string, AreaValue>,
  interval: string,
): { hidden: number; total: number; detail: string; coarser: MapInterval } | null {
  if (interval !== 'month' && interval !== 'quarter') return null;
  const hidden = [...values.values()].filter((v) => v.state === 'suppressed').length;
  if (values.size === 0 || hidden * 2 <= values.size) return null;
  return { hidden, total: values.size, detail: interval === 'month' ? 'monthly' : 'quarterly', coarser: interval === 'month' ? 'quarter' : 'year' };
}

// ---------------------------------------------------------------------------------------------
// Numbers and periods

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatNumber(v: number): string {
  return numberFormat.format(v);
}

export function formatValue(v: number | null, measure: Measure): string {
  if (v === null || !Number.isFinite(v)) return 'no data';
  if (measure === 'count') return countFormat.format(v);
  return formatRate(v);
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
  if (measure === 'count') return `${u} per ${intervalNoun(interval)}`;
  if (measure === 'adjusted') return `Age-adjusted ${u.toLowerCase()} per 100,000 residents per ${intervalNoun(interval)}`;
  return `${u} per 100,000 residents per ${intervalNoun(interval)}`;
}

// ---------------------------------------------------------------------------------------------
// Tooltip and screen-reader text of one area

export interface AreaTip {
  title: string;
  /** The value line ("12.4 per 100,000", "hidden for your role", "0 deaths", "no data"). */
  value: string;
  /** The 95% interval and the count under a rate; empty for counts. */
  details: string[];
  /** "unreliable: fewer than 20 deaths", where it applies. */
  reliability: string | null;
  kind: FillKind;
}

/** What the tooltip (hover and keyboard focus) and the aria-label say of one area in one period. */
export function areaTip(name: string, v: AreaValue | undefined, measure: Measure, unit: string, period: string): AreaTip {
  const title = `${name}, ${period}`;
  const kind = fillKind(v);
  if (kind === 'suppressed') return { title, value: 'Hidden for your role', details: ['A small count, or one that would reveal a small count, is withheld so no one can be recognised.'], reliability: null, kind };
  if (kind === 'missing') {
    const why = v && v.state !== 'missing' && v.count !== null && measure !== 'count' ? 'No rate: no population for the period' : 'No data for the period';
    return { title, value: why, details: [], reliability: null, kind };
  }
  if (kind === 'zero') {
    return { title, value: measure === 'count' ? `0 ${unit}` : `0 per 100,000 (0 ${unit})`, details: v?.upper != null ? [`95% interval 0 to ${formatValue(v.upper, measure)}`] : [], reliability: null, kind };
  }
  const x = v!;
  if (measure === 'count') return { title, value: `${formatValue(x.value, measure)} ${unit}`, details: [], reliability: null, kind };
  const details: string[] = [];
  if (x.lower != null && x.upper != null) details.push(`95% interval ${formatValue(x.lower, measure)} to ${formatValue(x.upper, measure)}`);
  if (x.count !== null) details.push(`${countFormat.format(x.count)} ${unit}`);
  const reliability = x.unreliable ? `Unreliable: fewer than ${UNRELIABLE_BELOW} ${unit} (CDC WONDER)` : x.unreliable === false ? 'Reliable (20 or more)' : null;
  return { title, value: `${formatValue(x.value, measure)} per 100,000${measure === 'adjusted' ? ', age-adjusted' : ''}`, details, reliability, kind };
}

/** The whole tip as one sentence, for aria-label. */
export function tipText(t: AreaTip): string {
  return [`${t.title}: ${t.value}`, ...t.details, ...(t.reliability ? [t.reliability] : [])].join('; ');
}

// ---------------------------------------------------------------------------------------------
// Keyboard: moving between areas with the arrow keys

/**
 * The panel the arrow keys, Home and End move to in a grid of `count` panels laid out in rows of
 * `columns`, in reading order (the small multiples): left and right step through the order, up
 * and down by a row. Null for any other key, and where the step leaves the grid (no wrapping).
 */
export function gridStep(index: number, key: string, count: number, columns: number): number | null {
  const cols = Math.max(1, Math.floor(columns));
  const next =
    key === 'ArrowLeft' ? index - 1
    : key === 'ArrowRight' ? index + 1
    : key === 'ArrowUp' ? index - cols
    : key === 'ArrowDown' ? index + cols
    : key === 'Home' ? 0
    : key === 'End' ? count - 1
    : null;
  return next === null || next < 0 || next >= count ? null : next;
}

export type Direction = 'left' | 'right' | 'up' | 'down';
const DIR: Record<Direction, [number, number]> = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };

/**
 * The neighbour of `from` in a direction on the map (screen coordinates, y down): among the
 * areas whose centroid lies ahead within 60° either side, the one with the smallest distance
 * weighted against sideways drift. Null at the edge of the city in that direction.
 */
export function areaInDirection(centroids: readonly { id: string; x: number; y: number }[], from: string, dir: Direction): string | null {
  const a = centroids.find((c) => c.id === from);
  if (!a) return centroids[0]?.id ?? null;
  const [dx, dy] = DIR[dir];
  let best: string | null = null;
  let bestScore = Infinity;
  for (const c of centroids) {
    if (c.id === from) continue;
    const vx = c.x - a.x;
    const vy = c.y - a.y;
    const along = vx * dx + vy * dy;
    if (along <= 0) continue;
    const side = Math.abs(vx * dy - vy * dx);
    if (side > along * Math.tan((60 * Math.PI) / 180)) continue;
    const score = along + 2 * side;
    if (score < bestScore) {
      bestScore = score;
      best = c.id;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Small multiples: one sparkline per area

export interface Sparkline {
  /** The line, broken where a period is hidden or has no data. */
  d: string;
  /** x of each period hidden for the role: a hatched tick on the baseline, never a zero. */
  hidden: number[];
  /** The largest value drawn (the top of the y scale). */
  top: number;
}

/** Layout of one small panel: x by period index, y from 0 to `top` (shared or the area's own). */
export function sparkline(values: readonly AreaValue[], width: number, height: number, top: number, pad = 2): Sparkline {
  const n = values.length;
  const x = (i: number) => pad + (n <= 1 ? 0 : (i * (width - 2 * pad)) / (n - 1));
  const t = top > 0 ? top : 1;
  const y = (v: number) => height - pad - (Math.max(0, v) / t) * (height - 2 * pad);
  let d = '';
  let open = false;
  const hidden: number[] = [];
  values.forEach((v, i) => {
    if (v.state === 'suppressed') hidden.push(Number(x(i).toFixed(1)));
    if (v.value === null || !Number.isFinite(v.value)) {
      open = false;
      return;
    }
    d += `${open ? 'L' : 'M'}${x(i).toFixed(1)},${y(v.value).toFixed(1)}`;
    open = true;
  });
  return { d, hidden, top: t };
}

/** The largest finite value of a list (0 when there is none). */
export function maxValue(values: readonly AreaValue[]): number {
  let m = 0;
  for (const v of values) if (v.value !== null && Number.isFinite(v.value) && v.value > m) m = v.value;
  return m;
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

// Daily counts of one indicator by area, read from DuckDB once per load (one GROUP BY over the
// events) and then sliced in memory for every series asked of it: a series over any range and
// interval is sums of days, so a request costs no scan of the events. The rows it gives are the
// rows sql/duckdb/queries/series_areas.sql and series_total.sql give for the same parameters
// (zero-filled periods from date_trunc of every day of the range, ISO weeks from Monday, areas in
// id order, population of the period's calendar year, events with no area in the total and in
// `unassigned`, events in an area the jurisdiction does not have in the total only); a test
// checks that they are equal (tests/integration/series-cube.test.ts).
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, rows } from './duckdb.ts';
import { assembleSeries, type AreaPeriodRow, type Geography, type Interval, type SeriesParams, type SeriesResult, type TotalPeriodRow } from './metrics.ts';

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 of a 'YYYY-MM-DD' date. */
export const dayNumber = (s: string): number => Math.round(Date.parse(`${s}T00:00:00Z`) / DAY_MS);
const dayText = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

export interface DailyCounts {
  /** Day number of the first index of the count arrays (null: no events). */
  first: number | null;
  /** Number of days the arrays cover. */
  days: number;
  /** The jurisdiction's areas, in id order (as ORDER BY area_id). */
  areas: { id: string; name: string }[];
  /** Per area: cumulative counts, cum[i] = events on the days before first + i (length days + 1). */
  byArea: Map<string, Int32Array>;
  /** Every event of the indicator, cumulative. */
  total: Int32Array;
  /** Events with no area, cumulative. */
  unassigned: Int32Array;
  /** Population by area and year. */
  population: Map<string, Map<number, number>>;
  /** Population of the whole jurisdiction by year (the sum over its rows in `population`). */
  totalPopulation: Map<number, number>;
}

/** One GROUP BY over the indicator's events (values bound), plus the areas and population. */
export async function loadDailyCounts(conn: DuckDBConnection, jurisdiction: string, indicator: string, geography: Geography): Promise<DailyCounts> {
  const counts = await rows<{ day: number; area: string | null; n: number }>(
    conn,
    `SELECT date_diff('day', DATE '1970-01-01', event_date)::INTEGER AS day,
            CASE WHEN $geography = 'event' THEN event_area ELSE residence_area END AS area,
            count(*)::INTEGER AS n
       FROM indicator_events
      WHERE jurisdiction_id = $jurisdiction AND indicator = $indicator AND event_date IS NOT NULL
      GROUP BY ALL`,
    { jurisdiction, indicator, geography },
  );
  const areas = (await queryRows<{ id: string; name: string }>(conn, 'areas', { jurisdiction })).map((a) => ({ id: a.id, name: a.name }));
  const pop = await rows<{ area: string; year: number; population: number }>(
    conn,
    `SELECT area_id AS area, year, population FROM population WHERE jurisdiction_id = $jurisdiction`,
    { jurisdiction },
  );
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of counts) {
    if (r.day < lo) lo = r.day;
    if (r.day > hi) hi = r.day;
  }
  const first = counts.length > 0 ? lo : null;
  const days = counts.length > 0 ? hi - lo + 1 : 0;
  const daily = new Map<string, Int32Array>(areas.map((a) => [a.id, new Int32Array(days)]));
  const total = new Int32Array(days);
  const unassigned = new Int32Array(days);
  for (const r of counts) {
    const i = r.day - lo;
    total[i]! += r.n;
    if (r.area === null) unassigned[i]! += r.n;
    else {
      const a = daily.get(r.area);
      if (a) a[i]! += r.n;
    }
  }
  const cumulative = (d: Int32Array): Int32Array => {
    const c = new Int32Array(d.length + 1);
    for (let i = 0; i < d.length; i++) c[i + 1] = c[i]! + d[i]!;
    return c;
  };
  const population = new Map<string, Map<number, number>>();
  const totalPopulation = new Map<number, number>();
  for (const r of pop) {
    let m = population.get(r.area);
    if (!m) population.set(r.area, (m = new Map()));
    m.set(r.year, r.population);
    totalPopulation.set(r.year, (totalPopulation.get(r.year) ?? 0) + r.population);
  }
  return {
    first,
    days,
    areas,
    byArea: new Map([...daily].map(([k, v]) => [k, cumulative(v)])),
    total: cumulative(total),
    unassigned: cumulative(unassigned),
    population,
    totalPopulation,
  };
}

/** Day number of the start of the period holding day `d` (date_trunc: ISO weeks start on Monday). */
function truncate(d: number, interval: Interval): number {
  if (interval === 'day') return d;
  if (interval === 'week') return d - ((((d + 3) % 7) + 7) % 7); // 1970-01-05 was a Monday
  const t = new Date(d * DAY_MS);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  const month = interval === 'month' ? m : interval === 'quarter' ? m - (m % 3) : 0;
  return Math.round(Date.UTC(y, month, 1) / DAY_MS);
}

/** Day number of the start of the period after the one starting on day `s`. */
function nextPeriod(s: number, interval: Interval): number {
  if (interval === 'day') return s + 1;
  if (interval === 'week') return s + 7;
  const t = new Date(s * DAY_MS);
  const months = interval === 'month' ? 1 : interval === 'quarter' ? 3 : 12;
  return Math.round(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + months, 1) / DAY_MS);
}

/** The rows of series_areas.sql and series_total.sql, from the daily counts. */
export function cubeRows(c: DailyCounts, p: SeriesParams): { areaRows: AreaPeriodRow[]; totalRows: TotalPeriodRow[] } {
  const from = dayNumber(p.from);
  const to = dayNumber(p.to);
  // Every period any day of the range falls in (days in order: a new start is a new period).
  const starts: number[] = [];
  for (let d = from; d <= to; ) {
    const s = truncate(d, p.interval);
    if (starts.at(-1) !== s) starts.push(s);
    d = nextPeriod(s, p.interval);
  }
  // Period bounds clipped to the range: what a count of events dated from..to by period holds.
  const bounds = starts.map((s, k) => {
    const nextStart = k + 1 < starts.length ? starts[k + 1]! : to + 1;
    return { s, lo: Math.max(s, from), hi: Math.min(nextStart - 1, to) };
  });
  const sum = (cum: Int32Array, lo: number, hi: number): number => {
    if (c.first === null) return 0;
    const a = Math.max(lo, c.first) - c.first;
    const b = Math.min(hi, c.first + c.days - 1) - c.first;
    return a > b ? 0 : cum[b + 1]! - cum[a]!;
  };
  const texts = starts.map(dayText);
  const years = texts.map((t) => Number(t.slice(0, 4)));
  const totalRows: TotalPeriodRow[] = bounds.map((b, k) => ({
    period: texts[k]!,
    count: sum(c.total, b.lo, b.hi),
    unassigned: sum(c.unassigned, b.lo, b.hi),
    population: c.totalPopulation.get(years[k]!) ?? null,
  }));
  const wanted = p.areas.length > 0 ? new Set(p.areas) : null;
  const areaRows: AreaPeriodRow[] = [];
  for (const a of c.areas) {
    if (wanted && !wanted.has(a.id)) continue;
    const cum = c.byArea.get(a.id)!;
    const pop = c.population.get(a.id);
    bounds.forEach((b, k) => {
      areaRows.push({ area: a.id, name: a.name, period: texts[k]!, count: sum(cum, b.lo, b.hi), population: pop?.get(years[k]!) ?? null });
    });
  }
  return { areaRows, totalRows };
}

/** The series of sql/metrics.ts `series`, sliced from the daily counts. */
export function cubeSeries(c: DailyCounts, p: SeriesParams): SeriesResult {
  const { areaRows, totalRows } = cubeRows(c, p);
  return assembleSeries(p, areaRows, totalRows);
}

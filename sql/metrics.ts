// Metric queries over DuckDB, in the shape the API serves them. The SQL lives in
// sql/duckdb/queries/; this module binds parameters and assembles periods and series.
import type { DuckDBConnection } from '@duckdb/node-api';
import { LIST, VARCHAR } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';
import { queryRows } from './duckdb.ts';

export type Interval = 'day' | 'week' | 'month' | 'quarter' | 'year';
export type Geography = 'residence' | 'event';

export interface SeriesParams {
  jurisdiction: string;
  indicator: string;
  interval: Interval;
  from: string;
  to: string;
  /** Empty: every area. */
  areas: string[];
  total: boolean;
  geography: Geography;
  /** First and last dates the feed covers: a period running past them is partial, one wholly outside is missing. */
  dataStart: string | null;
  dataEnd: string | null;
}

export type PointState = 'shown' | 'suppressed' | 'zero' | 'missing';

export interface Point {
  period: string;
  /** null when missing (no data for the period) or suppressed. */
  count: number | null;
  state: PointState;
  population: number | null;
  rate: number | null;
}

export interface SeriesResult {
  periods: { start: string; end: string; partial: boolean }[];
  series: { area: string; name: string; points: Point[] }[];
  /** null when hidden (suppressed) for the role asking. */
  unassigned: number | null;
}

const RATE_PER = 100_000;

export function crudeRate(count: number, population: number | null): number | null {
  if (population === null || population <= 0) return null;
  return (count / population) * RATE_PER;
}

/** Last day of the period that starts on `start` (UTC calendar arithmetic on 'YYYY-MM-DD'). */
/** periodEnd's answers: a handful of thousand distinct periods, asked for every point of every series. */
const periodEnds = new Map<string, string>();

export function periodEnd(start: string, interval: Interval): string {
  if (interval === 'day') return start;
  const key = `${interval}:${start}`;
  let end = periodEnds.get(key);
  if (end === undefined) {
    end = computePeriodEnd(start, interval);
    if (periodEnds.size >= 100_000) periodEnds.clear();
    periodEnds.set(key, end);
  }
  return end;
}

function computePeriodEnd(start: string, interval: Exclude<Interval, 'day'>): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (interval === 'week') d.setUTCDate(d.getUTCDate() + 6);
  else {
    const months = interval === 'month' ? 1 : interval === 'quarter' ? 3 : 12;
    d.setUTCMonth(d.getUTCMonth() + months, 0);
  }
  return d.toISOString().slice(0, 10);
}

export async function indicatorRange(
  conn: DuckDBConnection,
  jurisdiction: string,
  indicator: string,
): Promise<{ first: string | null; last: string | null }> {
  const [r] = await queryRows<{ first: string | null; last: string | null }>(conn, 'indicator_range', { jurisdiction, indicator });
  return r ?? { first: null, last: null };
}

/** One area's count for one period, as series_areas.sql gives it (zero-filled). */
export interface AreaPeriodRow {
  area: string;
  name: string;
  period: string;
  count: number;
  population: number | null;
}

/** The jurisdiction-wide count for one period, as series_total.sql gives it. */
export interface TotalPeriodRow {
  period: string;
  count: number;
  unassigned: number;
  population: number | null;
}

/** The rows of a series straight from the events (sql/duckdb/queries/series_*.sql). */
export async function seriesRows(conn: DuckDBConnection, p: SeriesParams): Promise<{ areaRows: AreaPeriodRow[]; totalRows: TotalPeriodRow[] }> {
  const bind = {
    jurisdiction: p.jurisdiction,
    indicator: p.indicator,
    interval: p.interval,
    from: p.from,
    to: p.to,
    geography: p.geography,
  };
  const areaRows = await queryRows<AreaPeriodRow>(conn, 'series_areas', { ...bind, areas: listValue(p.areas) }, { areas: LIST(VARCHAR) });
  const totalRows = await queryRows<TotalPeriodRow>(conn, 'series_total', bind);
  return { areaRows, totalRows };
}

export async function series(conn: DuckDBConnection, p: SeriesParams): Promise<SeriesResult> {
  const { areaRows, totalRows } = await seriesRows(conn, p);
  return assembleSeries(p, areaRows, totalRows);
}

/**
 * Periods and points from the rows: partial and missing periods, zero and shown states, rates.
 * The same for rows read from the events and rows sliced from the per-load daily counts
 * (sql/series-cube.ts).
 */
export function assembleSeries(p: SeriesParams, areaRows: readonly AreaPeriodRow[], totalRows: readonly TotalPeriodRow[]): SeriesResult {
  const missing = new Set<string>();
  const periods = totalRows.map((r) => {
    const end = periodEnd(r.period, p.interval);
    const partial =
      r.period < p.from || end > p.to || (p.dataEnd !== null && end > p.dataEnd) || (p.dataStart !== null && r.period < p.dataStart);
    if (p.dataStart === null || p.dataEnd === null || end < p.dataStart || r.period > p.dataEnd) missing.add(r.period);
    return { start: r.period, end, partial };
  });
  const point = (period: string, count: number, population: number | null): Point =>
    missing.has(period)
      ? { period, count: null, state: 'missing', population, rate: null }
      : { period, count, state: count === 0 ? 'zero' : 'shown', population, rate: crudeRate(count, population) };
  const out: SeriesResult['series'] = [];
  if (p.total) {
    out.push({ area: 'total', name: 'Total', points: totalRows.map((r) => point(r.period, r.count, r.population)) });
  }
  let current: SeriesResult['series'][number] | undefined;
  for (const r of areaRows) {
    if (!current || current.area !== r.area) {
      current = { area: r.area, name: r.name, points: [] };
      out.push(current);
    }
    current.points.push(point(r.period, r.count, r.population));
  }
  return { periods, series: out, unassigned: totalRows.reduce((s, r) => s + r.unassigned, 0) };
}

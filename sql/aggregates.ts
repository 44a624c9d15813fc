// Series for indicators that an agency publishes already aggregated (Philadelphia's quarterly ZIP
// tables, NYC's monthly drug-checking counts). The agency's grain is the finest the API can give,
// and a cell it suppressed stays suppressed in every sum that includes it: such a sum is unknown,
// never a total of the visible cells.
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './duckdb.ts';
import { crudeRate, periodEnd, type Interval, type Point, type SeriesResult } from './metrics.ts';

interface Cell {
  area_id: string;
  area_scope: string;
  period_start: string;
  period_end: string;
  status: 'value' | 'suppressed' | 'not_reported';
  value: number | null;
  suppression_rule: string | null;
}

const ORDER: Interval[] = ['day', 'week', 'month', 'quarter', 'year'];

/** The period length of the published cells (by their span), or null when they have none. */
export function grainOf(cells: { period_start: string; period_end: string }[]): Interval | null {
  const c = cells[0];
  if (!c) return null;
  for (const g of ORDER) if (periodEnd(c.period_start, g) === c.period_end) return g;
  return null;
}

const truncate = (d: string, interval: Interval): string => {
  if (interval === 'year') return `${d.slice(0, 4)}-01-01`;
  if (interval === 'quarter') return `${d.slice(0, 5)}${String(Math.floor((Number(d.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  if (interval === 'month') return `${d.slice(0, 7)}-01`;
  return d;
};

export class GrainError extends Error {}

export async function hasAggregates(conn: DuckDBConnection, jurisdiction: string, indicator: string, geography: string): Promise<boolean> {
  const cells = await queryRows<Cell>(conn, 'aggregate_cells', { jurisdiction, indicator, geography });
  return cells.length > 0;
}

export async function aggregateSeries(
  conn: DuckDBConnection,
  p: { jurisdiction: string; indicator: string; geography: string; interval: Interval; from: string; to: string; areas: string[]; total: boolean },
  areaNames: Map<string, string>,
  population: (area: string, year: number) => number | null,
): Promise<SeriesResult & { grain: Interval }> {
  const cells = await queryRows<Cell>(conn, 'aggregate_cells', { jurisdiction: p.jurisdiction, indicator: p.indicator, geography: p.geography });
  const grain = grainOf(cells);
  if (!grain) throw new GrainError(`${p.indicator} has no published cells for ${p.jurisdiction}`);
  if (ORDER.indexOf(p.interval) < ORDER.indexOf(grain)) {
    throw new GrainError(`${p.indicator} is published by ${grain} in ${p.jurisdiction}; ask for interval=${grain} or longer`);
  }
  const inRange = cells.filter((c) => c.period_end >= p.from && c.period_start <= p.to);
  const periodStarts = [...new Set(inRange.map((c) => truncate(c.period_start, p.interval)))].sort();
  const wanted = new Set(p.areas);
  const areaIds = [...new Set(inRange.filter((c) => c.area_scope === 'area').map((c) => c.area_id))]
    .filter((a) => wanted.size === 0 || wanted.has(a))
    .sort();
  const sum = (cs: Cell[]): { value: number | null; state: Point['state'] } => {
    if (cs.length === 0) return { value: null, state: 'missing' };
    if (cs.some((c) => c.status === 'suppressed')) return { value: null, state: 'suppressed' };
    if (cs.some((c) => c.status === 'not_reported')) return { value: null, state: 'missing' };
    const v = cs.reduce((s, c) => s + (c.value ?? 0), 0);
    return { value: v, state: v === 0 ? 'zero' : 'shown' };
  };
  const point = (area: string, start: string, cs: Cell[]): Point => {
    const { value, state } = sum(cs);
    const pop = population(area, Number(start.slice(0, 4)));
    return { period: start, count: value, state, population: pop, rate: value === null ? null : crudeRate(value, pop) };
  };
  const series: SeriesResult['series'] = [];
  if (p.total) {
    series.push({
      area: 'total',
      name: 'Total',
      points: periodStarts.map((start) => {
        const here = inRange.filter((c) => truncate(c.period_start, p.interval) === start);
        const published = here.filter((c) => c.area_scope === 'jurisdiction');
        // A jurisdiction-wide cell when the agency published one; else every cell inside it.
        return point('total', start, published.length > 0 ? published : here.filter((c) => c.area_scope === 'area' || c.area_scope === 'unknown'));
      }),
    });
  }
  for (const a of areaIds) {
    series.push({
      area: a,
      name: areaNames.get(a) ?? a,
      points: periodStarts.map((start) => point(a, start, inRange.filter((c) => c.area_id === a && truncate(c.period_start, p.interval) === start))),
    });
  }
  const unknown = sum(inRange.filter((c) => c.area_scope === 'unknown' || c.area_scope === 'unmatched'));
  return {
    grain,
    periods: periodStarts.map((start) => ({ start, end: periodEnd(start, p.interval), partial: start < p.from || periodEnd(start, p.interval) > p.to })),
    series,
    unassigned: unknown.state === 'suppressed' ? null : (unknown.value ?? 0),
  };
}

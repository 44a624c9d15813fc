// Suppressed tables behind the metrics routes for roles with a threshold: a breakdown of one
// indicator, the linkage metrics, the unique overdose events and the performance counts. Like
// published.ts, each table is built once over its feeds' whole data range by month (with its
// quarters and years), decided once (tables.ts) and sliced per request, so no choice of range,
// interval or areas gives a different pattern to difference. Counts that are published indicators
// are fixed to that indicator's published cube, so /series and these routes hide the same cells.
// Rebuilt when new data are loaded.
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../sql/duckdb.ts';
import { indicatorRange, periodEnd, type Geography } from '../../sql/metrics.ts';
import type { Feed } from '../../sql/indicators/index.ts';
import { additive, rateInputs, type Breakdown } from '../../sql/metrics-rates.ts';
import { LINK_MEASURES, linkageRows, performanceRows, PERFORMANCE_COUNTS, uniqueEventRows } from '../../sql/metrics-linkage.ts';
import { monthsBetween, NO_AREA_ROW, type PublishedCubes } from './published.ts';
import type { Cube, Level } from './suppress.ts';
import { suppressMeasures, type Identity, type MeasureCube, type MeasureSpec } from './tables.ts';

const monthStart = (d: string) => `${d.slice(0, 7)}-01`;

/** Whether a cell of a cube (or of one measure of a table) is hidden; undefined when the cube has no such cell. */
export function hiddenIn(cube: { rows: string[]; periods: Record<Level, string[]>; hidden: Record<Level, boolean[][]> }, level: Level): (row: string, period: string) => boolean | undefined {
  const r = new Map(cube.rows.map((x, i) => [x, i]));
  const c = new Map(cube.periods[level].map((x, i) => [x, i]));
  return (row, period) => {
    const i = r.get(row);
    const j = c.get(period);
    return i === undefined || j === undefined ? undefined : cube.hidden[level][i]![j];
  };
}

/** One measure of a table, in the shape hiddenIn takes. */
export function measureOf(t: MeasureCube, id: string) {
  return { rows: t.rows, periods: t.periods, hidden: t.hidden[id]!, values: t.values[id]! };
}

interface Entry {
  version: string;
  table: MeasureCube;
}

export class MetricCubes {
  private cache = new Map<string, Entry>();

  constructor(readonly published: PublishedCubes) {}

  private async cached(conn: DuckDBConnection, key: unknown[], build: () => Promise<MeasureCube>): Promise<MeasureCube> {
    const k = JSON.stringify(key);
    const version = await this.published.dataVersion(conn);
    const hit = this.cache.get(k);
    if (hit && hit.version === version) return hit.table;
    const table = await build();
    this.cache.set(k, { version, table });
    return table;
  }

  /** The published cube of an indicator for a role's threshold; null before its feed is loaded. */
  async indicatorCube(conn: DuckDBConnection, jurisdiction: string, indicator: string, geography: Geography, threshold: number): Promise<Cube | null> {
    const r = await indicatorRange(conn, jurisdiction, indicator);
    if (r.first === null || r.last === null) return null;
    const e = await this.published.get(conn, { jurisdiction, indicator, geography, threshold, dataStart: r.first, dataEnd: r.last });
    return e.cube;
  }

  /** Table rows (areas by id, then the no-area row) and the months from the first to the last of `indicators`' data. */
  private async frame(conn: DuckDBConnection, jurisdiction: string, indicators: string[]): Promise<{ rows: string[]; months: string[]; from: string; to: string } | null> {
    const ranges = await Promise.all(indicators.map((i) => indicatorRange(conn, jurisdiction, i)));
    const firsts = ranges.map((r) => r.first).filter((x): x is string => x !== null);
    const lasts = ranges.map((r) => r.last).filter((x): x is string => x !== null);
    if (firsts.length === 0) return null;
    const from = monthStart(firsts.sort()[0]!);
    const to = periodEnd(monthStart(lasts.sort().at(-1)!), 'month');
    const areas = await queryRows<{ id: string }>(conn, 'areas', { jurisdiction });
    return { rows: [...areas.map((a) => a.id), NO_AREA_ROW], months: monthsBetween(from, to), from, to };
  }

  private static grid(rows: string[], months: string[], get: (area: string | null, month: string) => number): (number | null)[][] {
    return rows.map((r) => months.map((m) => get(r === NO_AREA_ROW ? null : r, m)));
  }

  /** Strata of one indicator by area and month, tied to the indicator's published cube. */
  async breakdown(
    conn: DuckDBConnection,
    p: { jurisdiction: string; indicator: string; feed: Feed; geography: Geography; breakdown: Breakdown; threshold: number },
  ): Promise<MeasureCube | null> {
    return this.cached(conn, ['breakdown', p.jurisdiction, p.indicator, p.geography, p.breakdown, p.threshold], async () => {
      const f = await this.frame(conn, p.jurisdiction, [p.indicator]);
      const cube = await this.indicatorCube(conn, p.jurisdiction, p.indicator, p.geography, p.threshold);
      if (!f || !cube) return emptyTable();
      const range = await indicatorRange(conn, p.jurisdiction, p.indicator);
      const inp = await rateInputs(conn, {
        jurisdiction: p.jurisdiction, indicator: p.indicator, feed: p.feed, interval: 'month', from: f.from, to: f.to, areas: [],
        geography: p.geography, breakdown: p.breakdown, adjust: 'crude', dataStart: range.first, dataEnd: range.last,
      });
      const measures: MeasureSpec[] = [{ id: '__indicator', threshold: p.threshold, cube }];
      for (const s of inp.strata) {
        measures.push({
          id: s,
          threshold: p.threshold,
          counts: MetricCubes.grid(f.rows, f.months, (area, m) => (inp.days.get(m) === 0 ? Number.NaN : (inp.cells.get(`${area ?? ''}|${s}|${m}`)?.n ?? 0))).map((r) =>
            r.map((v) => (Number.isNaN(v) ? null : v)),
          ),
        });
      }
      const identities: Identity[] = additive(p.breakdown) ? [{ sum: '__indicator', parts: inp.strata }] : [];
      return suppressMeasures(f.rows, f.months, measures, identities);
    });
  }

  /** Overdose deaths and the deaths linked to each earlier event, and the unique events, by area and month. */
  async linkage(
    conn: DuckDBConnection,
    p: { jurisdiction: string; geography: Geography; thresholds: Record<string, number> },
  ): Promise<MeasureCube> {
    return this.cached(conn, ['linkage', p.jurisdiction, p.geography, p.thresholds], async () => {
      const f = await this.frame(conn, p.jurisdiction, ['deaths.any_drug', 'ems.opioid_overdose']);
      if (!f) return emptyTable();
      const [deathsCube, emsCube] = await Promise.all([
        this.indicatorCube(conn, p.jurisdiction, 'deaths.any_drug', p.geography, p.thresholds.deaths ?? 0),
        this.indicatorCube(conn, p.jurisdiction, 'ems.opioid_overdose', 'event', p.thresholds.ems_records ?? 0),
      ]);
      const link = new Map((await linkageRows(conn, { jurisdiction: p.jurisdiction, interval: 'month', from: f.from, to: f.to, geography: p.geography })).map((r) => [`${r.area ?? ''}|${r.period}`, r]));
      const ev = new Map((await uniqueEventRows(conn, { jurisdiction: p.jurisdiction, interval: 'month', from: f.from, to: f.to, geography: p.geography })).map((r) => [`${r.area ?? ''}|${r.period}`, r]));
      const own = (id: string, get: (area: string | null, m: string) => number): MeasureSpec => ({ id, threshold: p.thresholds[id] ?? 0, counts: MetricCubes.grid(f.rows, f.months, get) });
      const measures: MeasureSpec[] = [
        deathsCube ? { id: 'deaths', threshold: p.thresholds.deaths ?? 0, cube: deathsCube } : own('deaths', (a, m) => link.get(`${a ?? ''}|${m}`)?.deaths ?? 0),
        ...LINK_MEASURES.map((id) => own(id, (a, m) => link.get(`${a ?? ''}|${m}`)?.[id] ?? 0)),
        deathsCube ? { id: 'death_records', threshold: p.thresholds.death_records ?? 0, cube: deathsCube } : own('death_records', (a, m) => ev.get(`${a ?? ''}|${m}`)?.death_records ?? 0),
        emsCube ? { id: 'ems_records', threshold: p.thresholds.ems_records ?? 0, cube: emsCube } : own('ems_records', (a, m) => ev.get(`${a ?? ''}|${m}`)?.ems_records ?? 0),
        // Unique events: fatal events are the deaths themselves (one event per death) and
        // events = deaths + nonfatal, so the only new counts are nonfatal events and the EMS
        // records merged into another record's event; the route serves events and fatal from
        // these cells (visible only where both parts are), never as cells of their own.
        own('nonfatal', (a, m) => ev.get(`${a ?? ''}|${m}`)?.nonfatal ?? 0),
        own('ems_merged', (a, m) => ev.get(`${a ?? ''}|${m}`)?.ems_merged ?? 0),
      ];
      return suppressMeasures(f.rows, f.months, measures, [{ sum: 'ems_records', parts: ['nonfatal', 'ems_merged'] }]);
    });
  }

  /** The counts behind the performance metrics by area and month. */
  async performance(conn: DuckDBConnection, p: { jurisdiction: string; thresholds: Record<string, number> }): Promise<MeasureCube> {
    return this.cached(conn, ['performance', p.jurisdiction, p.thresholds], async () => {
      const f = await this.frame(conn, p.jurisdiction, ['arrests.drug', 'arrests.deflection_referral', 'ems.opioid_overdose', 'treatment.opioid_admissions', 'naloxone.kits_distributed']);
      if (!f) return emptyTable();
      const rows = new Map((await performanceRows(conn, { jurisdiction: p.jurisdiction, interval: 'month', from: f.from, to: f.to })).map((r) => [`${r.area ?? ''}|${r.period}`, r]));
      const own = (id: string, get: (area: string | null, m: string) => number, served = true): MeasureSpec => ({
        id,
        threshold: p.thresholds[id] ?? 0,
        counts: MetricCubes.grid(f.rows, f.months, get),
        served,
      });
      const fixedOr = async (id: (typeof PERFORMANCE_COUNTS)[number], indicator: string, geography: Geography): Promise<MeasureSpec> => {
        const cube = await this.indicatorCube(conn, p.jurisdiction, indicator, geography, p.thresholds[id] ?? 0);
        return cube ? { id, threshold: p.thresholds[id] ?? 0, cube } : own(id, (a, m) => rows.get(`${a ?? ''}|${m}`)?.[id] ?? 0);
      };
      const measures: MeasureSpec[] = [
        await fixedOr('referrals', 'arrests.deflection_referral', 'event'),
        await fixedOr('drug_arrests', 'arrests.drug', 'event'),
        await fixedOr('ems_overdoses', 'ems.opioid_overdose', 'event'),
        await fixedOr('treatment_admissions', 'treatment.opioid_admissions', 'residence'),
        ...(['naloxone_administrations', 'naloxone_doses', 'ems_naloxone', 'ems_nonfatal'] as const).map((id) => own(id, (a, m) => rows.get(`${a ?? ''}|${m}`)?.[id] ?? 0)),
        // EMS overdoses on the date of the same person's death: never served, but a small count of
        // them must not follow from ems_overdoses − ems_nonfatal.
        own('__ems_fatal', (a, m) => {
          const r = rows.get(`${a ?? ''}|${m}`);
          return r ? r.ems_overdoses - r.ems_nonfatal : 0;
        }, false),
      ];
      return suppressMeasures(f.rows, f.months, measures, [{ sum: 'ems_overdoses', parts: ['ems_nonfatal', '__ems_fatal'] }]);
    });
  }
}

function emptyTable(): MeasureCube {
  return { rows: [], periods: { month: [], quarter: [], year: [] }, values: {}, hidden: {}, audited: true, exposed: 0 };
}

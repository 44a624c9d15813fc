// Answers for roles with a suppression threshold: slices of one suppressed cube per indicator
// (see suppress.ts), rebuilt only when new data are loaded.
import type { DuckDBConnection } from '@duckdb/node-api';
import { dataGeneration, rows } from '../../sql/duckdb.ts';
import { assembleSeries, crudeRate, periodEnd, type Geography, type Point, type SeriesParams, type SeriesResult } from '../../sql/metrics.ts';
import { cubeRows, loadDailyCounts, type DailyCounts } from '../../sql/series-cube.ts';
import { cellState, suppressCube, type Cube, type Level } from './suppress.ts';

export const NO_AREA_ROW = '(no area)';

export interface PublishedParams {
  jurisdiction: string;
  indicator: string;
  geography: Geography;
  threshold: number;
  /** The indicator's data range. */
  dataStart: string;
  dataEnd: string;
}

const monthStart = (d: string) => `${d.slice(0, 7)}-01`;

/** Month starts from the month of `from` to the month of `to`. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = monthStart(to);
  for (;;) {
    const s = `${y}-${String(m).padStart(2, '0')}-01`;
    if (s > end) break;
    out.push(s);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

interface Entry {
  version: string;
  cube: Cube;
  names: Map<string, string>;
  population: Map<string, Map<number, number>>; // row → year → population
}

/** Cubes by indicator, geography, threshold and jurisdiction; replaced when the data version moves. */
export class PublishedCubes {
  private cache = new Map<string, Entry>();

  private version: { generation: number; v: Promise<string> } | null = null;

  /**
   * The loaded files' count and last load time, read from DuckDB once per data generation of this
   * process (sql/duckdb.ts dataGeneration, bumped by every committed load), not on every request.
   */
  dataVersion(conn: DuckDBConnection): Promise<string> {
    const generation = dataGeneration();
    if (this.version?.generation !== generation) {
      const v = rows<{ v: string }>(
        conn,
        `SELECT count(*)::VARCHAR || ':' || coalesce(strftime(max(loaded_at), '%Y%m%d%H%M%S%f'), '') AS v FROM loaded_files`,
      ).then(([r]) => r?.v ?? '');
      this.version = { generation, v };
      v.catch(() => {
        if (this.version?.v === v) this.version = null;
      });
    }
    return this.version.v;
  }

  /** Cubes being built, so that requests arriving together (or after a warm-up) share one build. */
  private building = new Map<string, { version: string; entry: Promise<Entry> }>();

  /**
   * `daily`: the indicator's per-load daily counts (sql/series-cube.ts) when the caller keeps
   * them (GET /series does, for the unrestricted answers too): one read of the events then
   * serves both. Without it the build reads them itself.
   */
  async get(conn: DuckDBConnection, p: PublishedParams, daily?: () => Promise<DailyCounts>): Promise<Entry> {
    const key = JSON.stringify([p.jurisdiction, p.indicator, p.geography, p.threshold]);
    const version = await this.dataVersion(conn);
    const hit = this.cache.get(key);
    if (hit && hit.version === version) return hit;
    const pending = this.building.get(key);
    if (pending && pending.version === version) return pending.entry;
    const entry = this.build(conn, p, key, version, daily);
    this.building.set(key, { version, entry });
    try {
      return await entry;
    } finally {
      if (this.building.get(key)?.entry === entry) this.building.delete(key);
    }
  }

  private async build(conn: DuckDBConnection, p: PublishedParams, key: string, version: string, daily?: () => Promise<DailyCounts>): Promise<Entry> {
    const from = monthStart(p.dataStart);
    const to = periodEnd(monthStart(p.dataEnd), 'month');
    const months = monthsBetween(from, to);
    const params: SeriesParams = {
      jurisdiction: p.jurisdiction,
      indicator: p.indicator,
      interval: 'month',
      from,
      to,
      areas: [],
      total: true,
      geography: p.geography,
      dataStart: p.dataStart,
      dataEnd: p.dataEnd,
    };
    // The monthly rows of a count over the events (tests/integration/series-cube.test.ts), and
    // per month the events with no area, from the daily counts.
    const byDay = await (daily ? daily() : loadDailyCounts(conn, p.jurisdiction, p.indicator, p.geography));
    const { areaRows, totalRows } = cubeRows(byDay, params);
    const res = assembleSeries(params, areaRows, totalRows);
    const unassigned = totalRows.map((t) => ({ period: t.period, n: t.unassigned }));
    const areaSeries = res.series.filter((s) => s.area !== 'total');
    const noArea = new Map(unassigned.map((u) => [u.period, u.n]));
    const rowsIn = [...areaSeries.map((s) => s.area), NO_AREA_ROW];
    const counts = [
      ...areaSeries.map((s) => s.points.map((pt) => pt.count)),
      months.map((m) => (res.series[0]!.points.find((pt) => pt.period === m)?.state === 'missing' ? null : (noArea.get(m) ?? 0))),
    ];
    const cube = suppressCube({ rows: rowsIn, months, counts }, p.threshold);
    const population = new Map<string, Map<number, number>>();
    for (const s of res.series) {
      const byYear = new Map<number, number>();
      for (const pt of s.points) if (pt.population !== null) byYear.set(Number(pt.period.slice(0, 4)), pt.population);
      population.set(s.area, byYear);
    }
    const entry: Entry = { version, cube, names: new Map(res.series.map((s) => [s.area, s.name])), population };
    this.cache.set(key, entry);
    return entry;
  }

  /**
   * The part of the cube a request asks for: whole periods of `interval` overlapping [from, to]
   * (a restricted role never gets a period cut short, which would be a new cell to difference).
   */
  async slice(
    conn: DuckDBConnection,
    p: PublishedParams,
    req: { interval: Level; from: string; to: string; areas: string[]; total: boolean },
    daily?: () => Promise<DailyCounts>,
  ): Promise<SeriesResult & { from: string; to: string }> {
    const { cube, names, population } = await this.get(conn, p, daily);
    const level = req.interval;
    const periods = cube.periods[level];
    const cols = periods
      .map((start, j) => ({ start, end: periodEnd(start, level), j }))
      .filter((c) => c.end >= req.from && c.start <= req.to);
    const wanted = new Set(req.areas);
    const pick = cube.rows
      .map((area, r) => ({ area, r }))
      .filter(({ area }) => area !== NO_AREA_ROW && (area === 'total' ? req.total : wanted.size === 0 || wanted.has(area)));
    // Area order as the unrestricted answer gives it: total first, then by id.
    pick.sort((a, b) => (a.area === 'total' ? -1 : b.area === 'total' ? 1 : a.area.localeCompare(b.area)));
    const seriesOut = pick.map(({ area, r }) => ({
      area,
      name: names.get(area) ?? area,
      points: cols.map(({ start, j }): Point => {
        const value = cube.values[level][r]![j] ?? null;
        const hidden = cube.hidden[level][r]![j]!;
        const state = cellState(value, hidden);
        const pop = population.get(area)?.get(Number(start.slice(0, 4))) ?? null;
        const count = state === 'suppressed' || value === null ? null : value;
        return { period: start, count, state, population: pop, rate: count === null ? null : crudeRate(count, pop) };
      }),
    }));
    const noAreaRow = cube.rows.indexOf(NO_AREA_ROW);
    const noAreaCells = cols.map(({ j }) => ({ v: cube.values[level][noAreaRow]![j] ?? null, h: cube.hidden[level][noAreaRow]![j]! }));
    // The no-area count is published only when none of its cells in the range is hidden.
    const unassigned = noAreaCells.some((c) => c.h) ? null : noAreaCells.reduce((s, c) => s + (c.v ?? 0), 0);
    return {
      periods: cols.map(({ start, end }) => ({ start, end, partial: end > p.dataEnd || start < p.dataStart })),
      series: seriesOut,
      unassigned,
      from: cols[0]?.start ?? req.from,
      to: cols.at(-1)?.end ?? req.to,
    };
  }
}

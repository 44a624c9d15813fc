// The per-load daily counts (sql/series-cube.ts) give exactly the rows of a count over the events
// (sql/duckdb/queries/series_areas.sql, series_total.sql), for every indicator, geography and
// interval, over ranges that start and end inside periods, with and without a choice of areas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { indicatorRange, seriesRows, series, type Interval, type SeriesParams } from '../../sql/metrics.ts';
import { cubeRows, cubeSeries, dayNumber, loadDailyCounts } from '../../sql/series-cube.ts';
import { INDICATORS } from '../../sql/indicators/index.ts';
import { queryRows } from '../../sql/duckdb.ts';
import { openCity, type City } from '../helpers/city.ts';

describe('series from the per-load daily counts', () => {
  let city: City;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    city = await openCity();
    conn = await city.duck.connect();
  }, 600_000);
  afterAll(async () => {
    conn?.closeSync();
    await city?.close();
  });

  const intervals: Interval[] = ['day', 'week', 'month', 'quarter', 'year'];
  let seed = 99;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const iso = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

  it('equal a direct count over the events', async () => {
    const areaIds = (await queryRows<{ id: string }>(conn, 'areas', { jurisdiction: 'nyc' })).map((a) => a.id);
    let compared = 0;
    let nonZero = 0;
    for (const def of INDICATORS) {
      const range = await indicatorRange(conn, 'nyc', def.id);
      for (const geography of def.geographies) {
        const daily = await loadDailyCounts(conn, 'nyc', def.id, geography);
        for (let k = 0; k < 3; k++) {
          const interval = intervals[Math.floor(rnd() * intervals.length)]!;
          // A range around the data (before its start and past its end too), cut inside periods.
          const lo = dayNumber(range.first ?? '2020-01-01') - 40;
          const hi = dayNumber(range.last ?? '2025-12-31') + 40;
          const span = interval === 'day' ? 60 : interval === 'week' ? 400 : 1500;
          const a = lo + Math.floor(rnd() * Math.max(1, hi - lo - span));
          const from = iso(a);
          const to = iso(a + Math.floor(span / 2 + rnd() * span));
          const areas = k === 1 ? areaIds.filter(() => rnd() < 0.2) : [];
          const p: SeriesParams = {
            jurisdiction: 'nyc', indicator: def.id, interval, from, to, areas, total: true, geography,
            dataStart: range.first, dataEnd: range.last,
          };
          const direct = await seriesRows(conn, p);
          const sliced = cubeRows(daily, p);
          expect(sliced.totalRows, `${def.id} ${geography} ${interval} ${from}..${to}`).toEqual(direct.totalRows);
          expect(sliced.areaRows, `${def.id} ${geography} ${interval} ${from}..${to}`).toEqual(direct.areaRows);
          expect(cubeSeries(daily, p)).toEqual(await series(conn, p));
          compared++;
          nonZero += direct.totalRows.filter((r) => r.count > 0).length;
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
    expect(nonZero).toBeGreaterThan(100);
  }, 600_000);

  it('covers the whole data range of a busy indicator by day, to the day', async () => {
    const range = await indicatorRange(conn, 'nyc', 'ems.opioid_overdose');
    const daily = await loadDailyCounts(conn, 'nyc', 'ems.opioid_overdose', 'event');
    const p: SeriesParams = {
      jurisdiction: 'nyc', indicator: 'ems.opioid_overdose', interval: 'day', from: range.first!, to: range.last!, areas: [], total: true,
      geography: 'event', dataStart: range.first, dataEnd: range.last,
    };
    const direct = await seriesRows(conn, p);
    expect(cubeRows(daily, p)).toEqual(direct);
    expect(direct.totalRows.reduce((s, r) => s + r.count, 0)).toBeGreaterThan(1000);
  }, 600_000);
});

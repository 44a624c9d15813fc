import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Duck } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { indicatorRange, type Point } from '../../sql/metrics.ts';
import { runIngest } from '../../ingest/run.ts';
import type { LoadedJurisdiction } from '../../ingest/jurisdiction.ts';
import { mortalityAdapter } from '../../ingest/feeds/mortality.ts';
import { NO_AREA_ROW, PublishedCubes } from '../../server/privacy/published.ts';
import type { Cube, Level } from '../../server/privacy/suppress.ts';
import { attack } from '../helpers/attack.ts';
import { INGEST, openStores, tempDir, writeMortality } from '../helpers/fixtures.ts';

describe('answers for a role with a threshold: slices of one suppressed cube', () => {
  let duck: Duck;
  let ops: Ops;
  let conn: DuckDBConnection;
  let nyc: LoadedJurisdiction;
  const cubes = new PublishedCubes();
  let params: { jurisdiction: string; indicator: string; geography: 'residence'; threshold: number; dataStart: string; dataEnd: string };

  beforeAll(async () => {
    const s = await openStores();
    ({ duck, ops, nyc } = s);
    const { file } = writeMortality(nyc, tempDir(), { years: 3 });
    await runIngest(duck, ops.db, mortalityAdapter, file, INGEST);
    conn = await duck.connect();
    const r = await indicatorRange(conn, 'nyc', 'deaths.xylazine');
    params = { jurisdiction: 'nyc', indicator: 'deaths.xylazine', geography: 'residence', threshold: 10, dataStart: r.first!, dataEnd: r.last! };
  });
  afterAll(async () => {
    conn?.closeSync();
    duck?.close();
    await ops?.close();
  });

  it('never serves a count from 1 to 9, and marks hidden cells suppressed', async () => {
    let suppressed = 0;
    for (const interval of ['month', 'quarter', 'year'] as const) {
      const res = await cubes.slice(conn, params, { interval, from: params.dataStart, to: params.dataEnd, areas: [], total: true });
      for (const s of res.series) {
        for (const p of s.points) {
          if (p.count !== null) expect(p.count === 0 || p.count >= 10).toBe(true);
          if (p.state === 'suppressed') {
            suppressed++;
            expect(p.count).toBeNull();
            expect(p.rate).toBeNull();
          }
        }
      }
    }
    expect(suppressed).toBeGreaterThan(100); // xylazine deaths by neighborhood are mostly small counts
  });

  it('gives nothing away across intervals, overlapping ranges, single areas and totals', async () => {
    // Everything an attacker can ask for, put back together into one table of what was served.
    const cube = (await cubes.get(conn, params)).cube;
    const served: Cube = {
      rows: cube.rows,
      periods: cube.periods,
      values: { month: [], quarter: [], year: [] },
      hidden: { month: [], quarter: [], year: [] },
    };
    for (const level of ['month', 'quarter', 'year'] as Level[]) {
      served.values[level] = cube.rows.map(() => cube.periods[level].map(() => null));
      served.hidden[level] = cube.rows.map(() => cube.periods[level].map(() => true));
    }
    const record = (level: Level, area: string, points: Point[]) => {
      const r = cube.rows.indexOf(area);
      for (const p of points) {
        const c = cube.periods[level].indexOf(p.period);
        served.values[level][r]![c] = p.state === 'missing' ? null : (p.count ?? cube.values[level][r]![c]!);
        if (p.state !== 'suppressed') served.hidden[level][r]![c] = false;
      }
    };
    const windows: [string, string][] = [
      [params.dataStart, params.dataEnd],
      ['2024-02-15', '2024-07-03'],
      ['2024-03-01', '2024-03-31'],
      ['2023-12-31', '2025-01-01'],
    ];
    for (const [from, to] of windows) {
      for (const interval of ['month', 'quarter', 'year'] as Level[]) {
        const all = await cubes.slice(conn, params, { interval, from, to, areas: [], total: true });
        for (const s of all.series) record(interval, s.area, s.points);
        for (const area of ['303', '107', '101']) {
          const one = await cubes.slice(conn, params, { interval, from, to, areas: [area], total: false });
          record(interval, area, one.series[0]!.points);
        }
        // The no-area count, when served, is one more published cell over the whole range.
        if (all.unassigned !== null && all.periods.length === 1) {
          const r = cube.rows.indexOf(NO_AREA_ROW);
          served.values[interval][r]![cube.periods[interval].indexOf(all.periods[0]!.start)] = all.unassigned;
          served.hidden[interval][r]![cube.periods[interval].indexOf(all.periods[0]!.start)] = false;
        }
      }
    }
    // Cells never served count as hidden unknowns; the attacker may solve for any of them.
    for (const level of ['month', 'quarter', 'year'] as Level[]) {
      served.values[level] = served.values[level].map((row, r) => row.map((v, c) => v ?? cube.values[level][r]![c] ?? null));
    }
    const recovered = attack(served).filter((id) => {
      const [level, area, period] = id.split(':') as [Level, string, string];
      return cube.hidden[level][cube.rows.indexOf(area)]![cube.periods[level].indexOf(period)];
    });
    expect(recovered).toEqual([]);
  });

  it('answers whole periods only, widening a range that cuts one', async () => {
    const res = await cubes.slice(conn, params, { interval: 'quarter', from: '2024-02-15', to: '2024-07-03', areas: ['303'], total: true });
    expect(res.periods.map((p) => p.start)).toEqual(['2024-01-01', '2024-04-01', '2024-07-01']);
    expect(res.from).toBe('2024-01-01');
    expect(res.to).toBe('2024-09-30');
    expect(res.series.map((s) => s.area)).toEqual(['total', '303']);
  });

  it('builds a cube once for requests that ask for it together', async () => {
    const fresh = new PublishedCubes();
    const other = await duck.connect();
    try {
      const [a, b] = await Promise.all([fresh.get(conn, params), fresh.get(other, params)]);
      expect(b).toBe(a);
      expect(await fresh.get(other, params)).toBe(a);
    } finally {
      other.closeSync();
    }
  });

  it('rebuilds the cube when new data are loaded, not before', async () => {
    const a = await cubes.get(conn, params);
    expect(await cubes.get(conn, params)).toBe(a);
    const { file } = writeMortality(nyc, tempDir(), { years: 1, seed: 123 });
    await runIngest(duck, ops.db, mortalityAdapter, file, INGEST);
    expect(await cubes.get(conn, params)).not.toBe(a);
  });
});

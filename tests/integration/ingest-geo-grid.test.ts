import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomLcg } from 'd3';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuck, rows, type Duck } from '../../sql/duckdb.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { assignAreasByPoint } from '../../ingest/geo.ts';
import { NYC_DIR } from '../helpers/fixtures.ts';

// The grid only decides which points skip the exact test: with it or without it, every point
// must land in the same area. Points on grid lines, on the extent's edges and on the boundary
// vertices themselves are where the two could part.
describe('point-in-polygon: the grid gives what the exact test gives', () => {
  let duck: Duck;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    duck = await openDuck(':memory:');
    conn = await duck.connect();
    await loadJurisdiction(conn, NYC_DIR);
  });
  afterAll(() => {
    conn.closeSync();
    duck.close();
  });

  it('places 60,000 points (random, on grid lines, on the edges of the extent, on vertices) the same way with and without the grid', async () => {
    const [g] = await rows<{ nx: number; ny: number; x0: number; y0: number; dx: number; dy: number }>(
      conn,
      `SELECT nx, ny, x0, y0, dx, dy FROM area_grid WHERE jurisdiction_id = 'nyc'`,
    );
    expect(g).toBeDefined();
    const [b] = await rows<{ xmax: number; ymax: number }>(conn, `SELECT xmax, ymax FROM geo_bands WHERE jurisdiction_id = 'nyc'`);
    const rnd = randomLcg(11);
    const pts: [number, number][] = [];
    for (let i = 0; i < 40_000; i++) pts.push([-74.26 + rnd() * 0.57, 40.49 + rnd() * 0.43]);
    for (let i = 0; i < 10_000; i++) {
      const on = Math.floor(rnd() * g!.nx);
      const along = rnd();
      pts.push(i % 2 ? [g!.x0 + on * g!.dx, 40.49 + along * 0.43] : [-74.26 + along * 0.57, g!.y0 + on * g!.dy]);
    }
    for (let i = 0; i < 1_000; i++) pts.push([b!.xmax, 40.49 + rnd() * 0.43], [-74.26 + rnd() * 0.57, b!.ymax]);
    const vertices = await rows<{ x: number; y: number }>(
      conn,
      `SELECT x1 AS x, y1 AS y FROM area_edges WHERE jurisdiction_id = 'nyc' USING SAMPLE 8000 ROWS (reservoir, 5)`,
    );
    for (const v of vertices) pts.push([v.x, v.y]);

    await conn.run('CREATE OR REPLACE TEMP TABLE grid_pts (i INTEGER, lon DOUBLE, lat DOUBLE, area VARCHAR)');
    const app = await conn.createAppender('grid_pts');
    pts.forEach(([x, y], i) => {
      app.appendInteger(i);
      app.appendDouble(x);
      app.appendDouble(y);
      app.appendNull();
      app.endRow();
    });
    app.closeSync();

    await assignAreasByPoint(conn, { jurisdiction: 'nyc', table: 'grid_pts', lon: 'lon', lat: 'lat', target: 'area' });
    const withGrid = (await rows<{ area: string | null }>(conn, 'SELECT area FROM grid_pts ORDER BY i')).map((r) => r.area);
    // How much the grid settled: points in cells no edge touches.
    const [settled] = await rows<{ n: number }>(
      conn,
      `SELECT count(*)::INTEGER AS n FROM grid_pts p JOIN area_grid g ON g.jurisdiction_id = 'nyc'
         JOIN area_grid_cells c ON c.jurisdiction_id = 'nyc' AND c.area_id IS NOT NULL
          AND c.cell = least(floor((p.lat - g.y0) / g.dy)::BIGINT, g.ny - 1) * g.nx + least(floor((p.lon - g.x0) / g.dx)::BIGINT, g.nx - 1)
        WHERE p.i < 40000`,
    );

    // Without a grid (as in a database loaded before grids existed) every point is tested exactly.
    await conn.run(`DELETE FROM area_grid WHERE jurisdiction_id = 'nyc'`);
    await assignAreasByPoint(conn, { jurisdiction: 'nyc', table: 'grid_pts', lon: 'lon', lat: 'lat', target: 'area' });
    const exact = (await rows<{ area: string | null }>(conn, 'SELECT area FROM grid_pts ORDER BY i')).map((r) => r.area);

    expect(withGrid.length).toBe(pts.length);
    expect(withGrid.filter((a, i) => a !== exact[i])).toEqual([]);
    const inCity = exact.slice(0, 40_000).filter((a) => a !== null).length;
    expect(inCity).toBeGreaterThan(10_000);
    expect(new Set(exact.filter(Boolean)).size).toBe(42);
    // Most points in the city never reach the edge test.
    expect(settled!.n).toBeGreaterThan(inCity * 0.75);
  });
});

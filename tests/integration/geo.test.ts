import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geoContains, randomLcg } from 'd3';
import type { ExtendedFeature } from 'd3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuck, rows, type Duck } from '../../sql/duckdb.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { assignAreasByCode, assignAreasByPoint } from '../../ingest/geo.ts';
import { NYC_DIR } from '../helpers/fixtures.ts';

describe('placing records in areas inside DuckDB', () => {
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

  it('puts 5,000 random points in the same UHF neighborhood as d3-geo does, and none outside', async () => {
    const geo = JSON.parse(readFileSync(join(NYC_DIR, 'uhf42.geo.json'), 'utf8')) as { features: ExtendedFeature[] };
    // d3-geo is spherical and wants clockwise rings: reverse RFC 7946 rings for the reference.
    const features = geo.features.map((f) => {
      const g = f.geometry as { type: string; coordinates: number[][][] | number[][][][] };
      const rev = (rs: number[][][]) => rs.map((r) => [...r].reverse());
      const coordinates = g.type === 'Polygon' ? rev(g.coordinates as number[][][]) : (g.coordinates as number[][][][]).map(rev);
      return { ...f, geometry: { ...g, coordinates } } as ExtendedFeature;
    });
    const rnd = randomLcg(42);
    const pts = Array.from({ length: 5000 }, (_, i) => ({ i, x: -74.26 + rnd() * 0.56, y: 40.49 + rnd() * 0.43 }));
    const expected = pts.map((p) => {
      const f = features.find((ft) => geoContains(ft, [p.x, p.y]));
      return f ? String((f.properties as { GEOCODE: number }).GEOCODE) : null;
    });
    await conn.run('CREATE OR REPLACE TEMP TABLE pts (i INTEGER, lon DOUBLE, lat DOUBLE, area VARCHAR)');
    const app = await conn.createAppender('pts');
    for (const p of pts) {
      app.appendInteger(p.i);
      app.appendDouble(p.x);
      app.appendDouble(p.y);
      app.appendNull();
      app.endRow();
    }
    app.closeSync();
    await assignAreasByPoint(conn, { jurisdiction: 'nyc', table: 'pts', lon: 'lon', lat: 'lat', target: 'area' });
    const got = (await rows<{ area: string | null }>(conn, 'SELECT area FROM pts ORDER BY i')).map((r) => r.area);
    const inside = expected.filter((e) => e !== null).length;
    expect(inside).toBeGreaterThan(1500); // the box holds water and New Jersey too
    expect(new Set(expected.filter(Boolean)).size).toBe(42);
    expect(got).toEqual(expected);
  });

  it('leaves points without coordinates or outside the city unassigned', async () => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE p2 AS SELECT * FROM (VALUES (NULL::DOUBLE, NULL::DOUBLE, 'x'), (-118.24, 34.05, 'x'), (-73.9442, 40.7957, 'x')) t(lon, lat, area)`);
    await assignAreasByPoint(conn, { jurisdiction: 'nyc', table: 'p2', lon: 'lon', lat: 'lat', target: 'area' });
    expect((await rows<{ area: string | null }>(conn, 'SELECT area FROM p2 ORDER BY rowid')).map((r) => r.area)).toEqual([null, null, '303']);
  });

  it('maps area codes directly and ZIP codes through the crosswalk', async () => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE c (code VARCHAR, area VARCHAR)`);
    await conn.run(`INSERT INTO c VALUES ('303', NULL), (' 10463', NULL), ('10029', NULL), ('99999', NULL), (NULL, NULL)`);
    await assignAreasByCode(conn, { jurisdiction: 'nyc', table: 'c', code: 'code', target: 'area', crosswalk: 'zip' });
    expect((await rows<{ area: string | null }>(conn, 'SELECT area FROM c ORDER BY rowid')).map((r) => r.area)).toEqual(['303', '101', '303', null, null]);
  });

  it('refuses identifiers that are not plain names', async () => {
    await expect(
      assignAreasByPoint(conn, { jurisdiction: 'nyc', table: 'pts; DROP TABLE areas', lon: 'lon', lat: 'lat', target: 'area' }),
    ).rejects.toThrow(/not an allowed SQL identifier/);
  });
});

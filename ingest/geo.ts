// Placing records in areas, inside DuckDB: by an area code, through a crosswalk (ZIP → area), or
// by point-in-polygon from coordinates. DuckDB's spatial extension is not available here, so
// polygons are kept as banded edge lists (ingest/jurisdiction.ts) and tested with even–odd ray
// casting in SQL — no row loop in JavaScript, whatever the number of records.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Geometry, Position } from 'geojson';

/** Latitude bands per jurisdiction: more bands, fewer edges tested per point. */
export const GEO_BANDS = 512;

const IDENT = /^[a-z_][a-z0-9_]*$/;
function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not an allowed SQL identifier: ${name}`);
  return name;
}

export interface Edge {
  band: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

function rings(g: Geometry): Position[][] {
  if (g.type === 'Polygon') return g.coordinates;
  if (g.type === 'MultiPolygon') return g.coordinates.flat();
  return [];
}

/** Extent of a set of geometries, or null when none has a ring. */
export function extent(geoms: Geometry[]): { xmin: number; xmax: number; ymin: number; ymax: number } | null {
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const g of geoms) for (const r of rings(g)) for (const p of r) {
    const [x, y] = p as [number, number];
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  return Number.isFinite(xmin) ? { xmin, xmax, ymin, ymax } : null;
}

/** Every ring edge of `g` (horizontal edges dropped: they never cross a horizontal ray), per band. */
export function bandedEdges(g: Geometry, y0: number, dy: number, bands: number): Edge[] {
  const out: Edge[] = [];
  for (const ring of rings(g)) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i] as [number, number];
      const [x2, y2] = ring[i + 1] as [number, number];
      if (y1 === y2) continue;
      const lo = Math.max(0, Math.floor((Math.min(y1, y2) - y0) / dy));
      const hi = Math.min(bands - 1, Math.floor((Math.max(y1, y2) - y0) / dy));
      for (let b = lo; b <= hi; b++) out.push({ band: b, x1, y1, x2, y2 });
    }
  }
  return out;
}

/**
 * Sets column `target` of `table` to the area containing (lon, lat), or NULL when the point lies
 * outside every area of the jurisdiction (or has no coordinates). Where areas overlap, the
 * lowest area id wins. `table`, `lon`, `lat` and `target` are identifiers from code.
 */
export async function assignAreasByPoint(
  conn: DuckDBConnection,
  o: { jurisdiction: string; table: string; lon: string; lat: string; target: string },
): Promise<void> {
  const [t, lon, lat, target] = [ident(o.table), ident(o.lon), ident(o.lat), ident(o.target)];
  await conn.run(`UPDATE ${t} SET ${target} = NULL`);
  await conn.run(
    `UPDATE ${t} SET ${target} = geo_m.area_id
       FROM (
         SELECT rid, min(area_id) AS area_id FROM (
           SELECT p.rid, e.area_id
             FROM (SELECT ${t}.rowid AS rid, ${lon}::DOUBLE AS x, ${lat}::DOUBLE AS y,
                          floor((${lat}::DOUBLE - geo_g.y0) / geo_g.dy)::INTEGER AS band
                     FROM ${t}, geo_bands geo_g
                    WHERE geo_g.jurisdiction_id = $j
                      AND ${lon} IS NOT NULL AND ${lat} IS NOT NULL
                      AND ${lon}::DOUBLE BETWEEN geo_g.xmin AND geo_g.xmax
                      AND ${lat}::DOUBLE BETWEEN geo_g.ymin AND geo_g.ymax) p
             JOIN area_edges e ON e.jurisdiction_id = $j AND e.band = p.band
            WHERE (e.y1 > p.y) <> (e.y2 > p.y)
              AND p.x < (e.x2 - e.x1) * (p.y - e.y1) / (e.y2 - e.y1) + e.x1
            GROUP BY p.rid, e.area_id
           HAVING count(*) % 2 = 1)
         GROUP BY rid) geo_m
      WHERE ${t}.rowid = geo_m.rid`,
    { j: o.jurisdiction },
  );
}

/**
 * Sets column `target` of `table` from column `code`: the code itself when it is an area id,
 * otherwise through the jurisdiction's crosswalk of kind `crosswalk` (e.g. 'zip'). Unknown codes
 * leave NULL. Codes are compared trimmed.
 */
export async function assignAreasByCode(
  conn: DuckDBConnection,
  o: { jurisdiction: string; table: string; code: string; target: string; crosswalk?: string },
): Promise<void> {
  const [t, code, target] = [ident(o.table), ident(o.code), ident(o.target)];
  await conn.run(`UPDATE ${t} SET ${target} = NULL`);
  await conn.run(
    `UPDATE ${t} SET ${target} = geo_ar.area_id FROM areas geo_ar
      WHERE geo_ar.jurisdiction_id = $j AND geo_ar.area_id = trim(${t}.${code}::VARCHAR)`,
    { j: o.jurisdiction },
  );
  if (o.crosswalk) {
    await conn.run(
      // A code listed under several areas (a ZIP that straddles two neighborhoods) goes to the
    // lowest area id, so the result never depends on row order.
    `UPDATE ${t} SET ${target} = geo_xw.area_id
       FROM (SELECT code, min(area_id) AS area_id FROM crosswalks
              WHERE jurisdiction_id = $j AND kind = $kind GROUP BY code) geo_xw
      WHERE ${t}.${target} IS NULL AND geo_xw.code = trim(${t}.${code}::VARCHAR)`,
      { j: o.jurisdiction, kind: o.crosswalk },
    );
  }
}

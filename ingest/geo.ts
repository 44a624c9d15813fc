// Placing records in areas, inside DuckDB: by an area code, through a crosswalk (ZIP → area), or
// by point-in-polygon from coordinates. DuckDB's spatial extension is not available here, so
// polygons are kept as banded edge lists (ingest/jurisdiction.ts) and tested with even–odd ray
// casting in SQL — no row loop in JavaScript, whatever the number of records.
//
// Most points never reach the edge test: a grid over the jurisdiction (GEO_GRID × GEO_GRID cells,
// tables area_grid and area_grid_cells), made when the jurisdiction is loaded, says for every cell
// that no edge touches which area holds the whole cell (or that none does). A point's cell number
// is arithmetic on its coordinates, joined to that table; only points in cells an edge touches are
// tested against the edges.
import { DOUBLE, INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import type { Geometry, Position } from 'geojson';
import { rows, type ParamTypes, type Params } from '../sql/duckdb.ts';

/** Latitude bands per jurisdiction: more bands, fewer edges tested per point. */
export const GEO_BANDS = 512;

/** Grid cells per side over a jurisdiction's extent: more cells, fewer points tested exactly. */
export const GEO_GRID = 512;

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

/** Every ring segment of `g`, horizontal ones included. */
function segments(g: Geometry): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  for (const ring of rings(g)) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i] as [number, number];
      const [x2, y2] = ring[i + 1] as [number, number];
      out.push([x1, y1, x2, y2]);
    }
  }
  return out;
}

/** Area ids in DuckDB's VARCHAR order (bytes of UTF-8), so "lowest id" means the same in both. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export interface GeoGrid {
  nx: number;
  ny: number;
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  /** Area ids in ascending order; cell code k > 0 names areaIds[k - 1]. */
  areaIds: string[];
  /** Per cell, row by row from (x0, y0): k > 0 wholly in area k; 0 in no area; -1 an edge touches it. */
  cells: Int32Array;
}

/**
 * The grid over `ext` (n × n cells) for `areas`. A cell is marked -1 when any ring segment comes
 * within a millionth of a cell of it (each segment is cut into pieces shorter than half a cell and
 * every cell a piece's box touches is marked, so the marking never misses a cell). Every other
 * cell has no edge in it or near it, so all its points share the containment of its centre,
 * which is found by the same even–odd rule as the SQL test, one horizontal line per row of cells.
 */
export function buildGeoGrid(
  areas: { id: string; geometry: Geometry }[],
  ext: { xmin: number; xmax: number; ymin: number; ymax: number },
  n = GEO_GRID,
): GeoGrid {
  const nx = n;
  const ny = n;
  const x0 = ext.xmin;
  const y0 = ext.ymin;
  const dx = (ext.xmax - ext.xmin) / nx || 1;
  const dy = (ext.ymax - ext.ymin) / ny || 1;
  const cells = new Int32Array(nx * ny);
  const sorted = [...areas].sort((a, b) => byteOrder(a.id, b.id));
  const segs = sorted.map((a) => segments(a.geometry));
  const pad = Math.max(dx, dy) * 1e-6;
  const col = (x: number) => Math.min(nx - 1, Math.max(0, Math.floor((x - x0) / dx)));
  const row = (y: number) => Math.min(ny - 1, Math.max(0, Math.floor((y - y0) / dy)));
  for (const list of segs) {
    for (const [x1, y1, x2, y2] of list) {
      const steps = Math.max(1, Math.ceil(2 * Math.max(Math.abs(x2 - x1) / dx, Math.abs(y2 - y1) / dy)));
      for (let s = 0; s < steps; s++) {
        const ta = s / steps;
        const tb = (s + 1) / steps;
        const xa = x1 + (x2 - x1) * ta, ya = y1 + (y2 - y1) * ta;
        const xb = s + 1 === steps ? x2 : x1 + (x2 - x1) * tb, yb = s + 1 === steps ? y2 : y1 + (y2 - y1) * tb;
        const i0 = col(Math.min(xa, xb) - pad), i1 = col(Math.max(xa, xb) + pad);
        const j0 = row(Math.min(ya, yb) - pad), j1 = row(Math.max(ya, yb) + pad);
        for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) cells[j * nx + i] = -1;
      }
    }
  }
  const xs: number[] = [];
  for (let j = 0; j < ny; j++) {
    const yc = y0 + (j + 0.5) * dy;
    for (let k = 0; k < segs.length; k++) {
      // Crossings of this row's centre line with area k's edges: a point is inside when an odd
      // number of them lie to its right (as in the SQL test of assignAreasByPoint).
      xs.length = 0;
      for (const [x1, y1, x2, y2] of segs[k]!) {
        if (y1 > yc !== y2 > yc) xs.push(((x2 - x1) * (yc - y1)) / (y2 - y1) + x1);
      }
      if (xs.length === 0) continue;
      xs.sort((a, b) => a - b);
      let p = 0; // crossings at or left of the cell centre
      for (let i = col(xs[0]!); i <= col(xs[xs.length - 1]!); i++) {
        const xc = x0 + (i + 0.5) * dx;
        while (p < xs.length && xs[p]! <= xc) p++;
        const c = j * nx + i;
        if (cells[c] === 0 && (xs.length - p) % 2 === 1) cells[c] = k + 1;
      }
    }
  }
  return { nx, ny, x0, y0, dx, dy, areaIds: sorted.map((a) => a.id), cells };
}

/**
 * A jurisdiction's grid for SQL: bound parameters ($geo_*) and the SQL text that uses them (all
 * from code). Where the database has no grid for the jurisdiction (loaded before grids existed),
 * every point in its extent is tested exactly, as before.
 */
interface BoundGeoGrid {
  /** The $geo_* parameters that `sql` uses (a statement may bind only the names it has). */
  params(sql: string): { values: Params; types: ParamTypes };
  /** SQL: the grid cell of (lon, lat), NULL outside the extent (or when there is no grid). */
  cellSql(lon: string, lat: string): string;
  /** SQL: true when (lon, lat) lies in the extent. */
  inBoxSql(lon: string, lat: string): string;
  hasGrid: boolean;
}

async function loadGeoGrid(conn: DuckDBConnection, jurisdiction: string): Promise<BoundGeoGrid> {
  const [b] = await rows<{ xmin: number; xmax: number; ymin: number; ymax: number }>(
    conn,
    'SELECT xmin, xmax, ymin, ymax FROM geo_bands WHERE jurisdiction_id = $j',
    { j: jurisdiction },
  );
  const [g] = await rows<{ nx: number; ny: number; x0: number; y0: number; dx: number; dy: number }>(
    conn,
    'SELECT nx, ny, x0, y0, dx, dy FROM area_grid WHERE jurisdiction_id = $j',
    { j: jurisdiction },
  );
  // No extent (no polygon): no point is in any area, an empty box.
  const box = b ?? { xmin: 1, xmax: 0, ymin: 1, ymax: 0 };
  const values: Params = { geo_j: jurisdiction, geo_xmin: box.xmin, geo_xmax: box.xmax, geo_ymin: box.ymin, geo_ymax: box.ymax };
  const types: ParamTypes = { geo_j: VARCHAR, geo_xmin: DOUBLE, geo_xmax: DOUBLE, geo_ymin: DOUBLE, geo_ymax: DOUBLE };
  if (g) {
    Object.assign(values, { geo_x0: g.x0, geo_y0: g.y0, geo_dx: g.dx, geo_dy: g.dy, geo_nx: g.nx, geo_ny: g.ny });
    Object.assign(types, { geo_x0: DOUBLE, geo_y0: DOUBLE, geo_dx: DOUBLE, geo_dy: DOUBLE, geo_nx: INTEGER, geo_ny: INTEGER });
  }
  const inBoxSql = (lon: string, lat: string) => `(${lon} BETWEEN $geo_xmin AND $geo_xmax AND ${lat} BETWEEN $geo_ymin AND $geo_ymax)`;
  return {
    hasGrid: g !== undefined,
    params(sql) {
      const used = Object.keys(values).filter((k) => new RegExp(`\\$${k}\\b`).test(sql));
      return { values: Object.fromEntries(used.map((k) => [k, values[k]!])), types: Object.fromEntries(used.map((k) => [k, types[k]!])) };
    },
    inBoxSql,
    // The same arithmetic as buildGeoGrid's (a point on the far edge of the box is in the last cell).
    cellSql: (lon, lat) =>
      g
        ? `CASE WHEN ${inBoxSql(lon, lat)}
                THEN (least(floor((${lat} - $geo_y0) / $geo_dy)::BIGINT, $geo_ny - 1) * $geo_nx
                      + least(floor((${lon} - $geo_x0) / $geo_dx)::BIGINT, $geo_nx - 1))::INTEGER END`
        : 'NULL::INTEGER',
  };
}

/**
 * Sets column `target` of `table` to the area containing (lon, lat), or NULL when the point lies
 * outside every area of the jurisdiction (or has no coordinates). Where areas overlap, the
 * lowest area id wins. `table`, `lon`, `lat` and `target` are identifiers from code.
 *
 * Two joins on a grid cell number settle most points (area_grid_cells: the cells that lie wholly
 * in an area); the points in cells that an edge touches are tested exactly, by even–odd ray
 * casting against the edges of the point's latitude band.
 */
export async function assignAreasByPoint(
  conn: DuckDBConnection,
  o: { jurisdiction: string; table: string; lon: string; lat: string; target: string },
): Promise<void> {
  const [t, lon, lat, target] = [ident(o.table), ident(o.lon), ident(o.lat), ident(o.target)];
  const grid = await loadGeoGrid(conn, o.jurisdiction);
  const x = `${t}.${lon}::DOUBLE`;
  const y = `${t}.${lat}::DOUBLE`;
  const run = async (sql: string, more: Params = {}) => {
    const p = grid.params(sql);
    await conn.run(sql, { ...p.values, ...more }, p.types);
  };
  await run(`UPDATE ${t} SET ${target} = NULL WHERE ${target} IS NOT NULL`);
  if (grid.hasGrid) {
    await run(
      `UPDATE ${t} SET ${target} = geo_c.area_id FROM area_grid_cells geo_c
        WHERE geo_c.jurisdiction_id = $geo_j AND geo_c.area_id IS NOT NULL AND geo_c.cell = ${grid.cellSql(x, y)}`,
    );
  }
  // The points left open: in a cell an edge touches (or, with no grid, anywhere in the extent).
  const open = grid.hasGrid
    ? `JOIN area_grid_cells geo_c ON geo_c.jurisdiction_id = $geo_j AND geo_c.area_id IS NULL AND geo_c.cell = ${grid.cellSql(x, y)}`
    : `JOIN (SELECT 1) geo_c ON ${grid.inBoxSql(x, y)}`;
  await run(
    `UPDATE ${t} SET ${target} = geo_m.area_id
       FROM (
         SELECT rid, min(area_id) AS area_id FROM (
           SELECT p.rid, e.area_id
             FROM (SELECT ${t}.rowid AS rid, ${x} AS x, ${y} AS y, floor((${y} - geo_g.y0) / geo_g.dy)::INTEGER AS band
                     FROM ${t} ${open}
                     JOIN geo_bands geo_g ON geo_g.jurisdiction_id = $geo_j
                    WHERE ${x} BETWEEN geo_g.xmin AND geo_g.xmax AND ${y} BETWEEN geo_g.ymin AND geo_g.ymax) p
             JOIN area_edges e ON e.jurisdiction_id = $geo_j AND e.band = p.band
            WHERE (e.y1 > p.y) <> (e.y2 > p.y)
              AND p.x < (e.x2 - e.x1) * (p.y - e.y1) / (e.y2 - e.y1) + e.x1
            GROUP BY p.rid, e.area_id
           HAVING count(*) % 2 = 1)
         GROUP BY rid) geo_m
      WHERE ${t}.rowid = geo_m.rid`,
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

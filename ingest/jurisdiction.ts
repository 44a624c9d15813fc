// A jurisdiction is configuration, not code (PRODUCT.md): a folder with jurisdiction.json, an
// area boundary file and population by area. Loading one writes its areas and population into
// DuckDB; nothing else in the product reads the folder.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { geoArea, geoCentroid } from 'd3';
import type { ExtendedFeature, ExtendedFeatureCollection } from 'd3';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Geometry, Position } from 'geojson';
import { dataChanged, rows } from '../sql/duckdb.ts';
import { bandedEdges, buildGeoGrid, extent, GEO_BANDS } from './geo.ts';
import { AgeConfigError, readPopulationByAge, replacePopulationByAge, type AgePopulationRow, type PopulationByAgeConfig } from './population-age.ts';

export interface JurisdictionConfig {
  id: string;
  name: string;
  areaKind: string;
  areaGroupKind?: string;
  timezone?: string;
  synthetic?: boolean;
  syntheticNote?: string;
  boundaries: { file: string; idField: string; nameField: string; groupField?: string; excludeIds?: string[] };
  population?: {
    file: string;
    areaColumn: string;
    populationColumn: string;
    /** 'YYYY' or an ACS-style range 'YYYY-YY' / 'YYYY-YYYY'; each year takes the nearest period. */
    periodColumn: string;
    source?: string;
  };
  /** Population by age group (2000 U.S. standard groups), published or modeled: ingest/population-age.ts. */
  populationByAge?: PopulationByAgeConfig;
  /**
   * Codes that name areas indirectly. Either one code per row (`codeColumn`) or a list of codes
   * in one cell (`codesColumn` split on `separator`), each with the area in `areaColumn`.
   */
  crosswalks?: { kind: string; file: string; areaColumn: string; codeColumn?: string; codesColumn?: string; separator?: string }[];
  sources?: { what: string; publisher: string }[];
}

export interface LoadedJurisdiction {
  config: JurisdictionConfig;
  dir: string;
  areas: { id: string; name: string; group: string | null; population: number | null }[];
}

export class ConfigError extends Error {}

export function readJurisdiction(dir: string): JurisdictionConfig {
  const file = join(dir, 'jurisdiction.json');
  if (!existsSync(file)) throw new ConfigError(`${file}: no jurisdiction.json`);
  let cfg: JurisdictionConfig;
  try {
    cfg = JSON.parse(readFileSync(file, 'utf8')) as JurisdictionConfig;
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  for (const key of ['id', 'name', 'areaKind'] as const) {
    if (typeof cfg[key] !== 'string' || cfg[key] === '') throw new ConfigError(`${file}: "${key}" is required`);
  }
  if (!/^[a-z0-9_-]{1,40}$/.test(cfg.id)) throw new ConfigError(`${file}: "id" must be lower-case letters, digits, - or _`);
  if (!cfg.boundaries?.file || !cfg.boundaries.idField || !cfg.boundaries.nameField) {
    throw new ConfigError(`${file}: "boundaries" needs file, idField and nameField`);
  }
  return cfg;
}

/** Every jurisdiction folder under `root` (a folder holding a jurisdiction.json). */
export function listJurisdictionDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'jurisdiction.json')))
    .map((d) => resolve(root, d.name))
    .sort();
}

/** Mid-year of a population period: '2017-21' → 2019, '2010-2014' → 2012, '2020' → 2020. */
export function periodMidYear(period: string): number | null {
  const m = /^(\d{4})(?:-(\d{2}|\d{4}))?$/.exec(period.trim());
  if (!m) return null;
  const start = Number(m[1]);
  if (!m[2]) return start;
  let end = Number(m[2]);
  if (m[2].length === 2) {
    end += Math.floor(start / 100) * 100;
    if (end < start) end += 100; // '1999-03' runs into the next century
  }
  return end >= start ? Math.round((start + end) / 2) : null;
}

/** Years for which a population is kept (rates for any event year in this range). */
export const POPULATION_YEARS = { first: 1999, last: 2040 } as const;

/** For each area and year, the figure from the period whose mid-year is nearest (later wins ties). */
export function populationByYear(
  figures: { area: string; period: string; population: number }[],
): { area: string; year: number; population: number; period: string }[] {
  const byArea = new Map<string, { mid: number; population: number; period: string }[]>();
  for (const f of figures) {
    const mid = periodMidYear(f.period);
    if (mid === null) continue;
    const list = byArea.get(f.area) ?? [];
    list.push({ mid, population: f.population, period: f.period });
    byArea.set(f.area, list);
  }
  const out: { area: string; year: number; population: number; period: string }[] = [];
  for (const [area, list] of byArea) {
    for (let year = POPULATION_YEARS.first; year <= POPULATION_YEARS.last; year++) {
      let best = list[0]!;
      for (const c of list) {
        const d = Math.abs(c.mid - year);
        const bd = Math.abs(best.mid - year);
        if (d < bd || (d === bd && c.mid > best.mid)) best = c;
      }
      out.push({ area, year, population: best.population, period: best.period });
    }
  }
  return out;
}

/**
 * Loads a jurisdiction's areas and population into DuckDB, replacing what was there for it,
 * in one transaction. Returns the areas with their latest population.
 */
export async function loadJurisdiction(conn: DuckDBConnection, dir: string): Promise<LoadedJurisdiction> {
  const cfg = readJurisdiction(dir);
  const bfile = join(dir, cfg.boundaries.file);
  if (!existsSync(bfile)) throw new ConfigError(`${bfile}: boundary file not found`);
  const geo = JSON.parse(readFileSync(bfile, 'utf8')) as ExtendedFeatureCollection;
  if (geo.type !== 'FeatureCollection') throw new ConfigError(`${bfile}: expected a GeoJSON FeatureCollection`);
  const exclude = new Set((cfg.boundaries.excludeIds ?? []).map(String));
  const seen = new Set<string>();
  const areas: { id: string; name: string; group: string | null; feature: ExtendedFeature }[] = [];
  geo.features.forEach((f, i) => {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const rawId = props[cfg.boundaries.idField];
    if (rawId === undefined || rawId === null || rawId === '') {
      throw new ConfigError(`${bfile}: feature ${i} has no "${cfg.boundaries.idField}"`);
    }
    const id = String(rawId);
    if (exclude.has(id)) return;
    if (seen.has(id)) throw new ConfigError(`${bfile}: area id ${id} appears twice`);
    seen.add(id);
    const group = cfg.boundaries.groupField ? props[cfg.boundaries.groupField] : null;
    areas.push({ id, name: String(props[cfg.boundaries.nameField] ?? id), group: group == null ? null : String(group), feature: f });
  });

  let popRows: { area: string; year: number; population: number; period: string }[] = [];
  if (cfg.population) {
    const pfile = join(dir, cfg.population.file);
    if (!existsSync(pfile)) throw new ConfigError(`${pfile}: population file not found`);
    const raw = await rows<Record<string, string | null>>(
      conn,
      `SELECT * FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '"')`,
      { path: pfile },
    );
    const p = cfg.population;
    const figures: { area: string; period: string; population: number }[] = [];
    raw.forEach((r, i) => {
      for (const col of [p.areaColumn, p.populationColumn, p.periodColumn]) {
        if (!(col in r)) throw new ConfigError(`${pfile}: no column "${col}"`);
      }
      const population = Number(r[p.populationColumn]);
      if (!Number.isFinite(population) || population < 0) {
        throw new ConfigError(`${pfile}: line ${i + 2}: population "${r[p.populationColumn]}" is not a number`);
      }
      figures.push({ area: String(r[p.areaColumn]), period: String(r[p.periodColumn]), population: Math.round(population) });
    });
    popRows = populationByYear(figures.filter((f) => seen.has(f.area)));
  }
  let ageRows: AgePopulationRow[] = [];
  if (cfg.populationByAge) {
    try {
      ageRows = await readPopulationByAge(conn, dir, cfg.populationByAge, seen, popRows, populationByYear);
    } catch (e) {
      throw e instanceof AgeConfigError ? new ConfigError(e.message) : e;
    }
  }

  const crosswalk: { kind: string; code: string; area: string }[] = [];
  for (const cw of cfg.crosswalks ?? []) {
    const cfile = join(dir, cw.file);
    if (!existsSync(cfile)) throw new ConfigError(`${cfile}: crosswalk file not found`);
    const raw = await rows<Record<string, string | null>>(
      conn,
      `SELECT * FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '"')`,
      { path: cfile },
    );
    const col = cw.codeColumn ?? cw.codesColumn;
    if (!col) throw new ConfigError(`${join(dir, 'jurisdiction.json')}: crosswalk "${cw.kind}" needs codeColumn or codesColumn`);
    raw.forEach((r, i) => {
      if (!(cw.areaColumn in r) || !(col in r)) throw new ConfigError(`${cfile}: needs columns "${cw.areaColumn}" and "${col}"`);
      const area = String(r[cw.areaColumn] ?? '').trim();
      if (!seen.has(area)) throw new ConfigError(`${cfile}: line ${i + 2}: area "${area}" is not in the boundary file`);
      const codes = cw.codesColumn ? String(r[col] ?? '').split(cw.separator ?? ',') : [String(r[col] ?? '')];
      for (const c of codes.map((x) => x.trim()).filter((x) => x !== '')) crosswalk.push({ kind: cw.kind, code: c, area });
    });
  }

  const ext = extent(areas.map((a) => a.feature.geometry as Geometry));
  const dy = ext ? (ext.ymax - ext.ymin) / GEO_BANDS || 1 : 1;

  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run('DELETE FROM areas WHERE jurisdiction_id = $j', { j: cfg.id });
    await conn.run('DELETE FROM area_edges WHERE jurisdiction_id = $j', { j: cfg.id });
    await conn.run('DELETE FROM geo_bands WHERE jurisdiction_id = $j', { j: cfg.id });
    await conn.run('DELETE FROM area_grid WHERE jurisdiction_id = $j', { j: cfg.id });
    await conn.run('DELETE FROM area_grid_cells WHERE jurisdiction_id = $j', { j: cfg.id });
    await conn.run('DELETE FROM crosswalks WHERE jurisdiction_id = $j', { j: cfg.id });
    await conn.run('DELETE FROM population WHERE jurisdiction_id = $j', { j: cfg.id });
    await replacePopulationByAge(conn, cfg.id, cfg.populationByAge, ageRows);
    await conn.run('DELETE FROM jurisdictions WHERE id = $j', { j: cfg.id });
    await conn.run('INSERT INTO jurisdictions VALUES ($id, $name, $config, now())', {
      id: cfg.id,
      name: cfg.name,
      config: JSON.stringify(cfg),
    });
    const insArea = await conn.prepare('INSERT INTO areas VALUES ($j, $id, $name, $group, $geometry, $lon, $lat)');
    for (const a of areas) {
      // d3-geo wants clockwise exterior rings; a feature whose area exceeds a hemisphere is
      // wound the other way round (RFC 7946), so its centroid is taken of the reversed rings.
      const f = geoArea(a.feature) > 2 * Math.PI ? rewound(a.feature) : a.feature;
      const [lon, lat] = geoCentroid(f);
      insArea.bind({ j: cfg.id, id: a.id, name: a.name, group: a.group, geometry: JSON.stringify(a.feature.geometry), lon, lat });
      await insArea.run();
    }
    if (ext) {
      await conn.run('INSERT INTO geo_bands VALUES ($j, $y0, $dy, $n, $xmin, $xmax, $ymin, $ymax)', {
        j: cfg.id, y0: ext.ymin, dy, n: GEO_BANDS, ...ext,
      });
      const app = await conn.createAppender('area_edges');
      for (const a of areas) {
        for (const e of bandedEdges(a.feature.geometry as Geometry, ext.ymin, dy, GEO_BANDS)) {
          app.appendVarchar(cfg.id);
          app.appendVarchar(a.id);
          app.appendInteger(e.band);
          app.appendDouble(e.x1);
          app.appendDouble(e.y1);
          app.appendDouble(e.x2);
          app.appendDouble(e.y2);
          app.endRow();
        }
      }
      app.closeSync();
      const grid = buildGeoGrid(areas.map((a) => ({ id: a.id, geometry: a.feature.geometry as Geometry })), ext);
      await conn.run('INSERT INTO area_grid VALUES ($j, $nx, $ny, $x0, $y0, $dx, $dy)', {
        j: cfg.id, nx: grid.nx, ny: grid.ny, x0: grid.x0, y0: grid.y0, dx: grid.dx, dy: grid.dy,
      });
      const cells = await conn.createAppender('area_grid_cells');
      grid.cells.forEach((code, cell) => {
        if (code === 0) return;
        cells.appendVarchar(cfg.id);
        cells.appendInteger(cell);
        if (code > 0) cells.appendVarchar(grid.areaIds[code - 1]!);
        else cells.appendNull();
        cells.endRow();
      });
      cells.closeSync();
    }
    if (crosswalk.length > 0) {
      const app = await conn.createAppender('crosswalks');
      for (const c of crosswalk) {
        app.appendVarchar(cfg.id);
        app.appendVarchar(c.kind);
        app.appendVarchar(c.code);
        app.appendVarchar(c.area);
        app.endRow();
      }
      app.closeSync();
    }
    if (popRows.length > 0) {
      const app = await conn.createAppender('population');
      for (const r of popRows) {
        app.appendVarchar(cfg.id);
        app.appendVarchar(r.area);
        app.appendInteger(r.year);
        app.appendInteger(r.population);
        app.appendVarchar(r.period);
        app.endRow();
      }
      app.closeSync();
    }
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
  dataChanged();
  const latestYear = new Map<string, { year: number; population: number }>();
  for (const r of popRows) {
    const cur = latestYear.get(r.area);
    if (!cur || r.year > cur.year) latestYear.set(r.area, { year: r.year, population: r.population });
  }
  return {
    config: cfg,
    dir,
    areas: areas.map((a) => ({ id: a.id, name: a.name, group: a.group, population: latestYear.get(a.id)?.population ?? null })),
  };
}

function rewound(f: ExtendedFeature): ExtendedFeature {
  const g = f.geometry as Geometry | null;
  const rev = (rings: Position[][]) => rings.map((r) => [...r].reverse());
  if (g?.type === 'Polygon') return { ...f, geometry: { ...g, coordinates: rev(g.coordinates) } };
  if (g?.type === 'MultiPolygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.map(rev) } };
  return f;
}

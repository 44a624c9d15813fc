// Small CSV files written by a test, and an independent answer to "which area holds this point"
// (d3-geo on the jurisdiction's own GeoJSON, not the SQL the adapters use).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { geoArea, geoBounds, geoContains } from 'd3';
import type { ExtendedFeature, ExtendedFeatureCollection } from 'd3';
import type { Geometry, Position } from 'geojson';
import { NYC_DIR } from './fixtures.ts';
import { csvLine as generatorCsvLine, csvObjects, parseCsv } from '../../fixtures/generators/world.ts';

/** One CSV line, every field quoted when it needs to be (RFC 4180); null and undefined empty. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return generatorCsvLine(values.map((v) => (v === null || v === undefined ? '' : String(v))));
}

/** A CSV file's text from a header and rows given as objects (missing fields empty). */
export function csvText(header: readonly string[], rows: readonly Record<string, string | number | null | undefined>[]): string {
  return [csvLine(header), ...rows.map((r) => csvLine(header.map((h) => r[h])))].join('\n') + '\n';
}

function rewound(f: ExtendedFeature): ExtendedFeature {
  // d3-geo wants clockwise exterior rings (RFC 7946 files are the other way round).
  if (geoArea(f) <= 2 * Math.PI) return f;
  const g = f.geometry as Geometry;
  const rev = (rings: Position[][]) => rings.map((r) => [...r].reverse());
  if (g.type === 'Polygon') return { ...f, geometry: { ...g, coordinates: rev(g.coordinates) } };
  if (g.type === 'MultiPolygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.map(rev) } };
  return f;
}

export interface AreaLocator {
  /** The lowest area id whose polygon contains (lon, lat), or null. */
  areaOf(lon: number, lat: number): string | null;
  /** A point inside area `id` (searched on a grid over its bounds, so always the same). */
  pointIn(id: string): [number, number];
  ids: string[];
  names: Map<string, string>;
}

export function nycAreas(): AreaLocator {
  const cfg = JSON.parse(readFileSync(join(NYC_DIR, 'jurisdiction.json'), 'utf8')) as {
    boundaries: { file: string; idField: string; nameField: string; excludeIds?: string[] };
  };
  const fc = JSON.parse(readFileSync(join(NYC_DIR, cfg.boundaries.file), 'utf8')) as ExtendedFeatureCollection;
  const exclude = new Set(cfg.boundaries.excludeIds ?? []);
  const features = fc.features
    .map((f) => ({ id: String(f.properties?.[cfg.boundaries.idField]), name: String(f.properties?.[cfg.boundaries.nameField]), f: rewound(f) }))
    .filter((a) => !exclude.has(a.id))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const areaOf = (lon: number, lat: number) => features.find((a) => geoContains(a.f, [lon, lat]))?.id ?? null;
  return {
    areaOf,
    ids: features.map((a) => a.id),
    names: new Map(features.map((a) => [a.id, a.name])),
    pointIn(id) {
      const a = features.find((x) => x.id === id);
      if (!a) throw new Error(`no area ${id}`);
      const [[x0, y0], [x1, y1]] = geoBounds(a.f);
      for (let n = 4; n <= 64; n *= 2) {
        for (let i = 1; i < n; i++) {
          for (let j = 1; j < n; j++) {
            const p: [number, number] = [x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * j) / n];
            // Round to 6 decimals as a file would carry it, and keep only unambiguous points.
            const q: [number, number] = [Number(p[0].toFixed(6)), Number(p[1].toFixed(6))];
            if (areaOf(q[0], q[1]) === id) return q;
          }
        }
      }
      throw new Error(`no interior point found for area ${id}`);
    },
  };
}

export { csvObjects, parseCsv };

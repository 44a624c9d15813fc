// CASE branches and area assignment that several CSV adapters' stage_checked steps share. The
// branches are SQL text built only from the adapters' own column and field names (checked below),
// never from anything in a file; values (the earliest date) stay bound parameters ($earliest).
import type { DuckDBConnection } from '@duckdb/node-api';
import { assignAreasByCode, assignAreasByPoint } from '../geo.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_ ]*$/;

function name(s: string): string {
  if (!NAME.test(s)) throw new Error(`stage-checks: not a plain column or field name: ${s}`);
  return s;
}

/**
 * A missing id (`column` NULL: missing_<column>) and an id seen on an earlier line (`occurrence`
 * > 1: duplicate_<column>), reported against the file's field `field`.
 */
export function idChecks(column: string, field: string = column): string {
  const c = name(column);
  const f = name(field);
  return `WHEN ${c} IS NULL THEN struct_pack(reason := 'missing_${c}', field := '${f}', value := NULL::VARCHAR)
             WHEN occurrence > 1 THEN struct_pack(reason := 'duplicate_${c}', field := '${f}', value := ${c})`;
}

/**
 * The event date `column` unreadable (invalid_date) or before $earliest or after today
 * (date_out_of_range), reported against the file's field `field` with the text read (date_raw).
 */
export function dateChecks(column: string, field: string = column): string {
  const c = name(column);
  const f = name(field);
  return `WHEN ${c} IS NULL THEN struct_pack(reason := 'invalid_date', field := '${f}', value := date_raw)
             WHEN ${c} < $earliest::DATE OR ${c} > current_date
               THEN struct_pack(reason := 'date_out_of_range', field := '${f}', value := date_raw)`;
}

/** stage_parsed columns from the file's latitude and longitude: as read (lat_raw, lon_raw) and cast (lat, lon). */
export const COORDINATE_COLUMNS = `nullif(trim(latitude), '') AS lat_raw,
              nullif(trim(longitude), '') AS lon_raw,
              try_cast(trim(latitude) AS DOUBLE) AS lat,
              try_cast(trim(longitude) AS DOUBLE) AS lon`;

/** Coordinates given half, unreadable or off the globe (lat_raw, lon_raw as read; lat, lon cast). */
export const COORDINATE_CHECKS = `WHEN (lat_raw IS NULL) <> (lon_raw IS NULL) OR (lat_raw IS NOT NULL AND (lat IS NULL OR lat NOT BETWEEN -90 AND 90))
               THEN struct_pack(reason := 'invalid_coordinates', field := 'latitude', value := lat_raw)
             WHEN lon_raw IS NOT NULL AND (lon IS NULL OR lon NOT BETWEEN -180 AND 180)
               THEN struct_pack(reason := 'invalid_coordinates', field := 'longitude', value := lon_raw)`;

/** stage_parsed's area_by_code (from area_code) and area_by_point (from lon, lat). */
export async function assignEventAreas(conn: DuckDBConnection, jurisdiction: string): Promise<void> {
  await assignAreasByCode(conn, { jurisdiction, table: 'stage_parsed', code: 'area_code', target: 'area_by_code' });
  await assignAreasByPoint(conn, { jurisdiction, table: 'stage_parsed', lon: 'lon', lat: 'lat', target: 'area_by_point' });
}

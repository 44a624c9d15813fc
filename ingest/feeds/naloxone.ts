// Naloxone feed: program logs of naloxone kits distributed and doses administered, one row per
// distribution or administration event, from any agency (health department, police, EMS,
// harm-reduction programs). Read and checked inside DuckDB. Coordinates only place the event in an
// area and are not stored.
import { LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../../sql/duckdb.ts';
import type { Adapter } from '../run.ts';
import { POPULATION_YEARS } from '../jurisdiction.ts';
import { addMalformedRows, countUnassigned, dropCsvStage, isoDate, readCsvStage } from './csv-stage.ts';
import { COORDINATE_CHECKS, COORDINATE_COLUMNS, assignEventAreas, dateChecks, idChecks } from './stage-checks.ts';

/** The naloxone program-log CSV format, in column order (a generator writes exactly these). */
export const NALOXONE_CSV_COLUMNS = [
  'event_id', // the program's unique id of the event; a later extract with the same id replaces it
  'event_date', // YYYY-MM-DD
  'event_kind', // one of NALOXONE_EVENT_KINDS
  'agency', // agency that distributed or administered (e.g. 'DOHMH', 'NYPD', 'FDNY EMS'), required
  'program', // program or site name, optional
  'area_code', // area id of the jurisdiction where it happened, when known
  'precinct', // police precinct or unit, when the event belongs to one (kits to a precinct, police administrations)
  'latitude', // WGS 84 decimal degrees; places the event when area_code is empty or unknown
  'longitude', // WGS 84 decimal degrees
  'kits', // whole number of kits handed out, 1–MAX_KITS_PER_EVENT for a distribution; empty or 0 for an administration
  'doses', // whole number of doses given, 1–MAX_DOSES_PER_EVENT for an administration; empty or 0 for a distribution
] as const;

export const NALOXONE_EVENT_KINDS = ['distribution', 'administration'] as const;

/**
 * Upper bounds per row, against typing errors, not from a standard. naloxone.kits_distributed
 * expands each distribution row to one event row per kit (sql/duckdb/views/events_naloxone.sql),
 * so a bulk shipment above this is logged as several rows.
 */
export const MAX_KITS_PER_EVENT = 5000;
export const MAX_DOSES_PER_EVENT = 20;

const EARLIEST_DATE = `${POPULATION_YEARS.first}-01-01`;

export const naloxoneAdapter: Adapter = {
  feed: 'naloxone',
  format: 'naloxone-program-log-csv',
  detect: (s) => s.columns !== null && ['event_id', 'event_kind', 'kits', 'doses'].every((c) => s.columns!.includes(c)),

  async stage(conn, file, { jurisdiction }) {
    await readCsvStage(conn, file, { required: NALOXONE_CSV_COLUMNS });
    // A count field: empty is NULL; a whole number is itself; anything else is -1 (never valid).
    const count = (c: string) =>
      `CASE WHEN nullif(trim(${c}), '') IS NULL THEN NULL WHEN regexp_full_match(trim(${c}), '[0-9]{1,9}') THEN trim(${c})::INTEGER ELSE -1 END`;
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_parsed AS
       SELECT line,
              nullif(trim(event_id), '') AS event_id,
              event_date AS date_raw,
              ${isoDate('event_date')} AS event_date,
              lower(trim(event_kind)) AS event_kind,
              nullif(trim(agency), '') AS agency,
              nullif(trim(program), '') AS program,
              nullif(trim(area_code), '') AS area_code,
              nullif(trim(precinct), '') AS precinct,
              ${COORDINATE_COLUMNS},
              kits AS kits_raw, ${count('kits')} AS kits,
              doses AS doses_raw, ${count('doses')} AS doses,
              row_number() OVER (PARTITION BY nullif(trim(event_id), '') ORDER BY line) AS occurrence,
              NULL::VARCHAR AS area_by_code,
              NULL::VARCHAR AS area_by_point
         FROM stage_rows`,
    );
    await assignEventAreas(conn, jurisdiction);
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_checked AS
       WITH c AS (
         SELECT *,
           CASE
             ${idChecks('event_id')}
             ${dateChecks('event_date')}
             WHEN NOT list_contains($kinds, event_kind)
               THEN struct_pack(reason := 'invalid_code', field := 'event_kind', value := event_kind)
             WHEN agency IS NULL THEN struct_pack(reason := 'missing_agency', field := 'agency', value := NULL::VARCHAR)
             WHEN kits < 0 OR kits > $max_kits THEN struct_pack(reason := 'invalid_count', field := 'kits', value := kits_raw)
             WHEN doses < 0 OR doses > $max_doses THEN struct_pack(reason := 'invalid_count', field := 'doses', value := doses_raw)
             WHEN event_kind = 'distribution' AND coalesce(kits, 0) = 0
               THEN struct_pack(reason := 'missing_count', field := 'kits', value := kits_raw)
             WHEN event_kind = 'administration' AND coalesce(doses, 0) = 0
               THEN struct_pack(reason := 'missing_count', field := 'doses', value := doses_raw)
             ${COORDINATE_CHECKS}
           END AS why
         FROM stage_parsed
       )
       SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
              event_id, event_date, event_kind, agency, program, precinct,
              coalesce(area_by_code, area_by_point) AS event_area,
              kits, doses
         FROM c`,
      { earliest: EARLIEST_DATE, kinds: listValue([...NALOXONE_EVENT_KINDS]), max_kits: MAX_KITS_PER_EVENT, max_doses: MAX_DOSES_PER_EVENT },
      { kinds: LIST(VARCHAR) },
    );
    await addMalformedRows(conn);
    await dropCsvStage(conn, 'stage_parsed');
  },

  async commit(conn, { jurisdiction, runId, sha256 }) {
    // An id seen again (an overlapping or corrected extract) replaces the earlier record.
    await conn.run(
      `DELETE FROM naloxone_events
        WHERE jurisdiction_id = $j AND event_id IN (SELECT event_id FROM stage_checked WHERE reason IS NULL)`,
      { j: jurisdiction },
    );
    await conn.run(
      `INSERT INTO naloxone_events
       SELECT $j, event_id, event_date, event_kind, agency, program, precinct, event_area, kits, doses,
              naloxone_definition_version(), $run, $sha
         FROM stage_checked WHERE reason IS NULL`,
      { j: jurisdiction, run: runId, sha: sha256 },
    );
  },

  unassigned: (conn: DuckDBConnection) => countUnassigned(conn, 'event_area'),

  async definitionVersions(conn) {
    const [r] = await rows<{ v: string }>(conn, 'SELECT naloxone_definition_version() AS v');
    return { naloxone: r?.v ?? 'unknown' };
  },
};

// EMS feed, the City of Tempe (AZ) "Opioid Overdose EMS Calls" open-data extract (Tempe Fire
// Medical Rescue, 2017–2023, CC-BY), read unedited: UTF-8 byte-order mark, 'NULL' and empty
// cells for missing values, age in 5-year bands, coordinates jittered by the publisher.
//
// Mapping, field by field (only these columns are read):
//   OBJECTID          record_id (record_system 'tempe-objectid'); unique in the file.
//   Incident_Date     'YYYY/MM/DD hh:mm:ss+00'. The date part is the local (America/Phoenix) date:
//                     it agrees with the file's own Weekday and Month columns on every row, while
//                     the clock part is midnight on most rows and an hour on some 2021–2022 rows,
//                     despite the '+00'. So only the date is kept (unit_notified_at stays NULL).
//                     The file's Year column disagrees with this date on a few New Year's rows;
//                     the date wins.
//   Opioid_Use        opioid_overdose ('Yes' counts; 'No', 'Unknown' do not) — the department's
//                     own judgement, not the NEMSIS case definition: the file has no ICD-10
//                     impressions. Rows carry definition 'tempe-opioid-use-field-v1'
//                     (sql/duckdb/definitions/ems_tempe.sql).
//   Narcan_Given      naloxone_given: 'Yes' true, 'No' false, 'NULL' or empty unknown (NULL).
//                     No response to naloxone is recorded (naloxone_improved NULL).
//   Age               '25 to 29' → age_low 25, age_high 29 (age_years NULL); 'Unknown' → NULL.
//   Patient_Gender    'Male' M, 'Female' F, 'Unknown (Unable to Determine)' / 'NULL' → NULL.
//   Latitude_Random,  scene point (already randomised by the city), placed in an area and then
//   Longitude_Random  rounded to 3 decimals. Rows whose Notes say 'Coordinates Placed At Center of
//                     City' have no real location: their point is dropped (no area; counted as
//                     unassigned), so the city centre is not credited with them.
// Not read: X/Y (copies of the random coordinates), Weekday/Month/Year (derived), Patient_ASU,
// Patient_Veteran, Patient_Homeless, Spec_Pop (sensitive and not needed), Time_of_Day.
import { rows } from '../../sql/duckdb.ts';
import { assignAreasByPoint } from '../geo.ts';
import { FEED_CSV_OPTIONS, IngestError, type Adapter } from '../run.ts';
import { commitEms, csvStageLines, unassignedEms } from './ems-common.ts';
import { refuseLostRecords } from './csv-stage.ts';

/** Columns this adapter reads from the Tempe file (as DuckDB names them, case-insensitive). */
export const TEMPE_COLUMNS = [
  'OBJECTID',
  'Incident_Date',
  'Opioid_Use',
  'Narcan_Given',
  'Age',
  'Patient_Gender',
  'Latitude_Random',
  'Longitude_Random',
  'Notes',
] as const;

const CITY_CENTRE_NOTE = 'Coordinates Placed At Center of City';

export const emsTempeAdapter: Adapter = {
  feed: 'ems',
  format: 'tempe-opioid-ems-csv',
  detect: (s) => s.columns !== null && ['objectid', 'incident_date', 'opioid_use', 'narcan_given'].every((c) => s.columns!.includes(c)),

  async stage(conn, file, ctx) {
    const header = await rows<{ column_name: string }>(
      conn,
      `SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv($path, header = true, ${FEED_CSV_OPTIONS}, ignore_errors = true))`,
      { path: file },
    );
    const have = new Set(header.map((h) => h.column_name.trim().toLowerCase()));
    const missing = TEMPE_COLUMNS.filter((c) => !have.has(c.toLowerCase()));
    if (missing.length > 0) {
      throw new IngestError(`${file}: line 1: missing column(s) ${missing.join(', ')}; expected the City of Tempe Opioid_EMS_Calls columns ${TEMPE_COLUMNS.join(', ')}`);
    }
    try {
      await conn.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans;');
      // 'NULL' and '' are the file's missing-value markers.
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE tempe_raw AS
         SELECT row_number() OVER () AS rec,
                nullif(nullif(trim(OBJECTID), ''), 'NULL') AS objectid,
                nullif(nullif(trim(Incident_Date), ''), 'NULL') AS incident_date,
                nullif(nullif(trim(Opioid_Use), ''), 'NULL') AS opioid_use,
                nullif(nullif(trim(Narcan_Given), ''), 'NULL') AS narcan_given,
                nullif(nullif(trim(Age), ''), 'NULL') AS age_band,
                nullif(nullif(trim(Patient_Gender), ''), 'NULL') AS gender,
                nullif(nullif(trim(Latitude_Random), ''), 'NULL') AS lat_raw,
                nullif(nullif(trim(Longitude_Random), ''), 'NULL') AS lon_raw,
                nullif(nullif(trim(Notes), ''), 'NULL') AS notes
           FROM read_csv($path, header = true, ${FEED_CSV_OPTIONS},
                         ignore_errors = true, store_rejects = true, strict_mode = true)`,
        { path: file },
      );
      // A quote left open loses the records after it without a reject: refused (csv-stage.ts).
      await refuseLostRecords(conn, file, { kept: 'tempe_raw', headerRow: false });
      await csvStageLines(conn, 'tempe_raw');
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE stage_checked AS
         WITH p AS (
           SELECT l.line, r.*,
                  row_number() OVER (PARTITION BY r.objectid ORDER BY l.line) AS occurrence,
                  try_strptime(left(r.incident_date, 10), '%Y/%m/%d')::DATE AS d,
                  regexp_extract(r.age_band, '^([0-9]{1,3}) to ([0-9]{1,3})$', ['lo', 'hi']) AS band,
                  try_cast(r.lat_raw AS DOUBLE) AS lat_n,
                  try_cast(r.lon_raw AS DOUBLE) AS lon_n
             FROM tempe_raw r JOIN stage_lines l USING (rec)
         ),
         c AS (
           SELECT *,
             CASE
               WHEN objectid IS NULL THEN struct_pack(reason := 'missing_record_id', field := 'OBJECTID', value := NULL::VARCHAR)
               WHEN NOT regexp_full_match(objectid, '[0-9]{1,12}') THEN struct_pack(reason := 'invalid_record_id', field := 'OBJECTID', value := objectid)
               WHEN occurrence > 1 THEN struct_pack(reason := 'duplicate_record_id', field := 'OBJECTID', value := objectid)
               WHEN d IS NULL OR NOT regexp_full_match(incident_date, '[0-9]{4}/[0-9]{2}/[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2}(\\+00)?)?')
                 THEN struct_pack(reason := 'invalid_date', field := 'Incident_Date', value := incident_date)
               -- Before 1950: out of range, as for every EMS date (NEMSIS DateTimeType minInclusive).
               WHEN d > current_date + 1 OR d < DATE '1950-01-01' THEN struct_pack(reason := 'date_out_of_range', field := 'Incident_Date', value := incident_date)
               WHEN coalesce(opioid_use, '') NOT IN ('Yes', 'No', 'Unknown') THEN struct_pack(reason := 'invalid_code', field := 'Opioid_Use', value := opioid_use)
               WHEN narcan_given IS NOT NULL AND narcan_given NOT IN ('Yes', 'No') THEN struct_pack(reason := 'invalid_code', field := 'Narcan_Given', value := narcan_given)
               WHEN age_band IS NOT NULL AND age_band <> 'Unknown'
                    AND coalesce(try_cast(band.lo AS INTEGER) > try_cast(band.hi AS INTEGER) OR try_cast(band.hi AS INTEGER) > 120, true)
                 THEN struct_pack(reason := 'invalid_age', field := 'Age', value := age_band)
               WHEN gender IS NOT NULL AND gender NOT IN ('Male', 'Female', 'Unknown (Unable to Determine)', 'Unknown')
                 THEN struct_pack(reason := 'invalid_code', field := 'Patient_Gender', value := gender)
               WHEN (lat_raw IS NOT NULL AND (lat_n IS NULL OR lat_n NOT BETWEEN -90 AND 90))
                    OR (lon_raw IS NOT NULL AND (lon_n IS NULL OR lon_n NOT BETWEEN -180 AND 180))
                    OR ((lat_raw IS NULL) <> (lon_raw IS NULL))
                 THEN struct_pack(reason := 'invalid_coordinates', field := 'Latitude_Random', value := concat_ws(',', lat_raw, lon_raw))
             END AS why
           FROM p
         )
         SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
                'tempe-objectid' AS record_system, objectid AS record_id, 'tempe-opioid-ems-csv' AS source_format,
                NULL::TIMESTAMPTZ AS unit_notified_at, d AS unit_notified_date,
                CASE WHEN coalesce(notes, '') <> $centre THEN lon_n END AS lon,
                CASE WHEN coalesce(notes, '') <> $centre THEN lat_n END AS lat,
                NULL::VARCHAR AS scene_area,
                NULL::SMALLINT AS age_years,
                try_cast(nullif(band.lo, '') AS SMALLINT) AS age_low,
                try_cast(nullif(band.hi, '') AS SMALLINT) AS age_high,
                CASE gender WHEN 'Male' THEN 'M' WHEN 'Female' THEN 'F' END AS sex,
                NULL::VARCHAR AS primary_symptom, []::VARCHAR[] AS other_symptoms,
                NULL::VARCHAR AS primary_impression, []::VARCHAR[] AS secondary_impressions,
                []::STRUCT(code VARCHAR, code_type VARCHAR, prior_to_ems VARCHAR, response VARCHAR)[] AS medications,
                ems_tempe_naloxone(narcan_given) AS naloxone_given,
                NULL::BOOLEAN AS naloxone_improved,
                NULL::VARCHAR AS unit_disposition, NULL::VARCHAR AS patient_care, NULL::VARCHAR AS transport_disposition,
                NULL::VARCHAR AS disposition,
                ems_tempe_opioid(opioid_use) AS opioid_overdose,
                ems_tempe_definition_version() AS definition_version,
                NULL::VARCHAR AS person_key
           FROM c
         UNION ALL BY NAME
         SELECT line, 'malformed_row' AS reason, 'row' AS field, left(arg_min(error_message, column_idx), 200) AS value
           FROM reject_errors GROUP BY line`,
        { centre: CITY_CENTRE_NOTE },
      );
      await assignAreasByPoint(conn, { jurisdiction: ctx.jurisdiction, table: 'stage_checked', lon: 'lon', lat: 'lat', target: 'scene_area' });
    } finally {
      await conn.run('DROP TABLE IF EXISTS tempe_raw; DROP TABLE IF EXISTS stage_lines; DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans;');
    }
  },

  commit: commitEms,
  unassigned: unassignedEms,

  async definitionVersions(conn) {
    const [r] = await rows<{ v: string }>(conn, 'SELECT ems_tempe_definition_version() AS v');
    return { ems: r?.v ?? 'unknown' };
  },
};

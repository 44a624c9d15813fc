// What the EMS adapters share. The NEMSIS adapters (XML and flat CSV) each give, per patient care
// report, the NEMSIS values as read (the XML reader through temp table `ems_stage`, the flat
// extract straight from read_csv), and checkNemsis() judges those values by the NEMSIS XSD types
// (sql/duckdb/definitions/ems_nemsis_types.sql) and the case definition (ems_nemsis_opioid.sql)
// in SQL, so a value means the same whatever the file format. Every EMS adapter (Tempe too) ends
// with a `stage_checked` of the same columns, which commitEms() loads with a natural-key replace.
import type { DuckDBConnection } from '@duckdb/node-api';
import { rows, type Params } from '../../sql/duckdb.ts';
import { assignAreasByPoint } from '../geo.ts';
import { linkageParams, type LinkageKey } from '../linkage.ts';

/**
 * The raw stage of one NEMSIS patient care report. Names and date of birth (ePatient.02/.03/.17)
 * are here only until person_key is made; the table is dropped before stage() returns.
 * err_*: the first structural (XSD content model) or Schematron problem the XML reader found in
 * the report, if any; flat extracts leave them NULL.
 */
export const EMS_STAGE_DDL = `CREATE OR REPLACE TEMP TABLE ems_stage (
  line BIGINT, err_reason VARCHAR, err_field VARCHAR, err_value VARCHAR,
  pcr VARCHAR, notified VARCHAR, gps VARCHAR, age VARCHAR, age_units VARCHAR, sex VARCHAR, gender VARCHAR,
  last_name VARCHAR, first_name VARCHAR, dob VARCHAR,
  symptom VARCHAR, other_symptoms VARCHAR[], impression VARCHAR, secondary VARCHAR[],
  medications STRUCT(code VARCHAR, code_type VARCHAR, prior_to_ems VARCHAR, response VARCHAR)[],
  unit_disp VARCHAR, care_disp VARCHAR, transport_disp VARCHAR)`;

/**
 * SQL (text from code) that reads `ems_stage` as checkNemsis() wants its source: values trimmed,
 * NULL when empty, ICD-10 codes in upper case. The XML reader's values are trimmed already (in
 * JavaScript); this keeps the one rule for every source.
 */
export const EMS_STAGE_SOURCE = `
  SELECT line, err_reason, err_field, err_value,
         nullif(trim(pcr), '') AS pcr, nullif(trim(notified), '') AS notified, nullif(trim(gps), '') AS gps,
         nullif(trim(age), '') AS age, nullif(trim(age_units), '') AS age_units,
         nullif(trim(sex), '') AS sex, nullif(trim(gender), '') AS gender,
         last_name, first_name, nullif(trim(dob), '') AS dob,
         upper(nullif(trim(symptom), '')) AS symptom,
         list_transform(list_filter(coalesce(other_symptoms, []), x -> nullif(trim(x), '') IS NOT NULL), x -> upper(trim(x))) AS other_symptoms,
         upper(nullif(trim(impression), '')) AS impression,
         list_transform(list_filter(coalesce(secondary, []), x -> nullif(trim(x), '') IS NOT NULL), x -> upper(trim(x))) AS secondary,
         list_transform(coalesce(medications, []), m -> struct_pack(
           code := nullif(trim(m.code), ''), code_type := nullif(trim(m.code_type), ''),
           prior_to_ems := nullif(trim(m.prior_to_ems), ''), response := nullif(trim(m.response), ''))) AS medications,
         nullif(trim(unit_disp), '') AS unit_disp, nullif(trim(care_disp), '') AS care_disp,
         nullif(trim(transport_disp), '') AS transport_disp
    FROM ems_stage`;

/**
 * Creates `stage_checked` from `source` in one statement (no window, no join: DuckDB reads and
 * checks in parallel and keeps the rows in source order): one reason per rejected report, the
 * first that applies (a structural problem found while reading comes first), and the keyed
 * person hash. Reject values never carry a name or a date of birth. Then repeated report numbers
 * (markDuplicates), and the area of each scene (assignAreasByPoint).
 *
 * `source` is SQL text from code with, per report, in file order: line (NULL from a CSV read,
 * whose caller numbers the rejected rows afterwards: numberCsvLines), err_reason, err_field,
 * err_value, and the NEMSIS values trimmed, NULL when not recorded — pcr, notified, gps, age,
 * age_units, sex, gender, last_name, first_name, dob, symptom, other_symptoms (VARCHAR[]),
 * impression, secondary (VARCHAR[]), medications, unit_disp, care_disp, transport_disp — with
 * ICD-10 codes in upper case. Names and the date of birth go no further than the person key.
 */
export async function checkNemsis(
  conn: DuckDBConnection,
  o: { jurisdiction: string; linkage: LinkageKey; format: string; source: string; params?: Params },
): Promise<void> {
  const link = linkageParams(o.linkage);
  const sql = `CREATE OR REPLACE TEMP TABLE stage_checked AS
     WITH s AS (${o.source}),
     p AS (
       SELECT *,
              CASE WHEN nemsis_is_datetime(notified) THEN try_cast(notified AS TIMESTAMPTZ) END AS notified_at,
              nemsis_is_gps(gps) AS gps_ok,
              linkage_norm_name(last_name) AS last_norm,
              linkage_norm_name(first_name) AS first_norm,
              list_filter(other_symptoms, x -> NOT nemsis_is_icd10(x)) AS bad_other,
              list_filter(secondary, x -> NOT nemsis_is_icd10(x)) AS bad_secondary,
              list_filter(medications, m -> m.code IS NULL OR length(m.code) NOT BETWEEN 2 AND 9) AS bad_med_length,
              list_filter(medications, m -> coalesce(m.code_type, '9924003') = '9924003' AND NOT regexp_full_match(coalesce(m.code, ''), '[0-9]{2,7}')) AS bad_rxnorm,
              list_filter(medications, m -> m.code_type IS NOT NULL AND NOT list_contains(nemsis_code_type_codes(), m.code_type)) AS bad_code_type,
              list_filter(medications, m -> m.response IS NOT NULL AND NOT list_contains(nemsis_response_codes(), m.response)) AS bad_response,
              list_filter(medications, m -> m.prior_to_ems IS NOT NULL AND NOT list_contains(nemsis_yes_no_codes(), m.prior_to_ems)) AS bad_prior
         FROM s
     ),
     c AS (
       SELECT *,
         CASE
           WHEN err_reason IS NOT NULL THEN struct_pack(reason := err_reason, field := err_field, value := err_value)
           -- eRecord.01 PatientCareReportNumber: mandatory, xs:string minLength 3 maxLength 50.
           WHEN pcr IS NULL THEN struct_pack(reason := 'missing_pcr_number', field := 'eRecord.01', value := NULL::VARCHAR)
           WHEN length(pcr) NOT BETWEEN 3 AND 50 THEN struct_pack(reason := 'invalid_pcr_number', field := 'eRecord.01', value := pcr)
           -- (duplicate_pcr_number comes here: markDuplicates(), once the table is made)
           -- eTimes.03 Unit Notified by Dispatch Date/Time: mandatory, DateTimeType.
           WHEN notified IS NULL THEN struct_pack(reason := 'missing_datetime', field := 'eTimes.03', value := NULL)
           WHEN notified_at IS NULL THEN struct_pack(reason := 'invalid_datetime', field := 'eTimes.03', value := notified)
           WHEN notified_at > now() + INTERVAL 1 DAY THEN struct_pack(reason := 'date_out_of_range', field := 'eTimes.03', value := notified)
           WHEN gps IS NOT NULL AND NOT gps_ok THEN struct_pack(reason := 'invalid_gps', field := 'eScene.11', value := gps)
           -- ePatient.15 Age: integer 1–120; ePatient.16 Age Units: enumeration; one without the other says nothing.
           WHEN age IS NOT NULL AND coalesce(try_cast(age AS INTEGER) NOT BETWEEN 1 AND 120, true)
             THEN struct_pack(reason := 'invalid_age', field := 'ePatient.15', value := age)
           WHEN age_units IS NOT NULL AND NOT list_contains(nemsis_age_unit_codes(), age_units)
             THEN struct_pack(reason := 'invalid_code', field := 'ePatient.16', value := age_units)
           WHEN (age IS NULL) <> (age_units IS NULL)
             THEN struct_pack(reason := 'invalid_age', field := CASE WHEN age IS NULL THEN 'ePatient.15' ELSE 'ePatient.16' END, value := NULL)
           WHEN sex IS NOT NULL AND NOT list_contains(nemsis_sex_codes(), sex) THEN struct_pack(reason := 'invalid_code', field := 'ePatient.25', value := sex)
           WHEN gender IS NOT NULL AND NOT list_contains(nemsis_gender_codes(), gender) THEN struct_pack(reason := 'invalid_code', field := 'ePatient.13', value := gender)
           -- The date of birth itself is never copied into a reject.
           WHEN dob IS NOT NULL AND NOT nemsis_is_date_of_birth(dob) THEN struct_pack(reason := 'invalid_date', field := 'ePatient.17', value := NULL)
           WHEN symptom IS NOT NULL AND NOT nemsis_is_icd10(symptom) THEN struct_pack(reason := 'invalid_icd10', field := 'eSituation.09', value := symptom)
           WHEN len(bad_other) > 0 THEN struct_pack(reason := 'invalid_icd10', field := 'eSituation.10', value := bad_other[1])
           WHEN impression IS NOT NULL AND NOT nemsis_is_icd10(impression) THEN struct_pack(reason := 'invalid_icd10', field := 'eSituation.11', value := impression)
           WHEN len(bad_secondary) > 0 THEN struct_pack(reason := 'invalid_icd10', field := 'eSituation.12', value := bad_secondary[1])
           -- eMedications.03 Medication: xs:string minLength 2 maxLength 9 (XSD); an RxNorm code of
           -- 2 to 7 digits (national Schematron nemSch_e143, [ERROR]).
           WHEN len(bad_med_length) > 0 THEN struct_pack(reason := 'invalid_code', field := 'eMedications.03', value := bad_med_length[1].code)
           WHEN len(bad_code_type) > 0 THEN struct_pack(reason := 'invalid_code', field := 'eMedications.03', value := bad_code_type[1].code_type)
           WHEN len(bad_rxnorm) > 0 THEN struct_pack(reason := 'nemSch_e143', field := 'eMedications.03', value := bad_rxnorm[1].code)
           WHEN len(bad_prior) > 0 THEN struct_pack(reason := 'invalid_code', field := 'eMedications.02', value := bad_prior[1].prior_to_ems)
           WHEN len(bad_response) > 0 THEN struct_pack(reason := 'invalid_code', field := 'eMedications.07', value := bad_response[1].response)
           WHEN unit_disp IS NOT NULL AND NOT list_contains(nemsis_unit_disposition_codes(), unit_disp)
             THEN struct_pack(reason := 'invalid_code', field := 'eDisposition.27', value := unit_disp)
           WHEN care_disp IS NOT NULL AND NOT list_contains(nemsis_patient_care_codes(), care_disp)
             THEN struct_pack(reason := 'invalid_code', field := 'eDisposition.28', value := care_disp)
           WHEN transport_disp IS NOT NULL AND NOT list_contains(nemsis_transport_disposition_codes(), transport_disp)
             THEN struct_pack(reason := 'invalid_code', field := 'eDisposition.30', value := transport_disp)
         END AS why
       FROM p
     ),
     o AS (
       SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
              -- Checks that come before a repeated report number (markDuplicates) all passed.
              err_reason IS NULL AND pcr IS NOT NULL AND length(pcr) BETWEEN 3 AND 50 AS pcr_ok,
              'nemsis' AS record_system, pcr AS record_id, $format AS source_format,
              notified_at AS unit_notified_at,
              try_cast(left(notified, 10) AS DATE) AS unit_notified_date,
              CASE WHEN gps_ok THEN nemsis_gps_lon(gps) END AS lon,
              CASE WHEN gps_ok THEN nemsis_gps_lat(gps) END AS lat,
              -- try_cast: an age out of SMALLINT's range (its row is rejected as invalid_age above)
              -- would otherwise fail the whole statement.
              try_cast(nemsis_age_years(age, age_units) AS SMALLINT) AS age_years,
              try_cast(nemsis_age_years(age, age_units) AS SMALLINT) AS age_low,
              try_cast(nemsis_age_years(age, age_units) AS SMALLINT) AS age_high,
              nemsis_sex(sex, gender) AS sex,
              symptom AS primary_symptom, other_symptoms, impression AS primary_impression, secondary AS secondary_impressions,
              medications,
              ems_naloxone_given(medications) AS naloxone_given,
              ems_naloxone_improved(medications) AS naloxone_improved,
              unit_disp AS unit_disposition, care_disp AS patient_care, transport_disp AS transport_disposition,
              ems_disposition(unit_disp, care_disp, transport_disp) AS disposition,
              ems_opioid_overdose(symptom, other_symptoms, impression, secondary, medications) AS opioid_overdose,
              ems_definition_version() AS definition_version,
              person_key_normalised($link_ipad, $link_opad, last_norm, first_norm,
                                    CASE WHEN nemsis_is_date_of_birth(dob) THEN try_cast(dob AS DATE) END) AS person_key
         FROM c
     )
     SELECT *, NULL::VARCHAR AS scene_area FROM o`;
  await conn.run(sql, { format: o.format, ...link.values, ...(o.params ?? {}) }, link.types);
  await markDuplicates(conn);
  await assignAreasByPoint(conn, { jurisdiction: o.jurisdiction, table: 'stage_checked', lon: 'lon', lat: 'lat', target: 'scene_area' });
}

/**
 * eRecord.01 seen before in the same file: every report after the first with that number is
 * rejected, unless a check that comes first (a structural problem, a missing or invalid number)
 * rejected it already. Set-based, on the few numbers that repeat, in file order: the order of
 * `line` where the source gave it, else the order the rows were read in (CSV: numberCsvLines).
 */
async function markDuplicates(conn: DuckDBConnection): Promise<void> {
  await conn.run(
    `UPDATE stage_checked SET reason = 'duplicate_pcr_number', field = 'eRecord.01', value = record_id
      WHERE rowid IN (
        SELECT rid FROM (
          SELECT rowid AS rid, pcr_ok, row_number() OVER (PARTITION BY record_id ORDER BY line, rowid) AS occurrence
            FROM stage_checked
           WHERE record_id IN (SELECT record_id FROM stage_checked WHERE record_id IS NOT NULL GROUP BY record_id HAVING count(*) > 1))
         WHERE occurrence > 1 AND pcr_ok)`,
  );
}

/**
 * Numbers the lines of the rejected rows of a `stage_checked` made straight from a DuckDB CSV
 * read. Its rows are in file order — DuckDB keeps insertion order (preserve_insertion_order, on
 * by default) through a CREATE TABLE AS of projections only, which reads in parallel, unlike
 * row_number() OVER () on the scan, which reads on one thread — so row r (rowid, from 0) is the
 * (r + 1)-th record the reader kept. The reader numbers lines by record (the header is line 1)
 * and records the lines it could not parse in reject_errors, so that record sits on the
 * (r + 1)-th line from 2 not in reject_errors. Only rejected rows need a line; the others keep NULL.
 */
export async function numberCsvLines(conn: DuckDBConnection): Promise<void> {
  // Unparsed lines b1 < b2 < …: before bi lie bi - i - 1 kept records, so row r comes after bi
  // exactly when bi - i - 1 <= r.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stage_bad_lines AS
     SELECT line - row_number() OVER (ORDER BY line) - 1 AS kept_before FROM (SELECT DISTINCT line FROM reject_errors)`,
  );
  await conn.run(
    `UPDATE stage_checked SET line = rowid + 2 + (SELECT count(*) FROM stage_bad_lines b WHERE b.kept_before <= stage_checked.rowid)
      WHERE reason IS NOT NULL AND line IS NULL`,
  );
  await conn.run('DROP TABLE stage_bad_lines');
}

/** Columns of ems_encounters filled from stage_checked, in one place for every EMS adapter. */
const COMMIT_COLUMNS = [
  'record_system', 'record_id', 'source_format', 'unit_notified_at', 'unit_notified_date', 'scene_area',
  'age_years', 'age_low', 'age_high', 'sex', 'primary_symptom', 'other_symptoms', 'primary_impression',
  'secondary_impressions', 'medications', 'naloxone_given', 'naloxone_improved', 'unit_disposition',
  'patient_care', 'transport_disposition', 'disposition', 'opioid_overdose', 'definition_version', 'person_key',
] as const;

/** Loads the accepted rows of stage_checked, replacing encounters with the same natural key. */
export async function commitEms(
  conn: DuckDBConnection,
  { jurisdiction, runId, sha256, linkageKeyId }: { jurisdiction: string; runId: string; sha256: string; linkageKeyId: string },
): Promise<void> {
  await conn.run(
    `DELETE FROM ems_encounters e
      WHERE e.jurisdiction_id = $j
        AND EXISTS (SELECT 1 FROM stage_checked s
                     WHERE s.reason IS NULL AND s.record_system = e.record_system AND s.record_id = e.record_id)`,
    { j: jurisdiction },
  );
  // Column names come from the constant above, never from a file.
  await conn.run(
    `INSERT INTO ems_encounters (jurisdiction_id, ${COMMIT_COLUMNS.join(', ')}, scene_lon, scene_lat, link_key_id, ingest_run_id, source_sha256)
     SELECT $j, ${COMMIT_COLUMNS.join(', ')}, round(lon, 3), round(lat, 3),
            CASE WHEN person_key IS NOT NULL THEN $key_id END, $run, $sha
       FROM stage_checked WHERE reason IS NULL`,
    { j: jurisdiction, run: runId, sha: sha256, key_id: linkageKeyId },
  );
}

export async function unassignedEms(conn: DuckDBConnection): Promise<number> {
  const [r] = await rows<{ n: number }>(conn, 'SELECT count(*)::INTEGER AS n FROM stage_checked WHERE reason IS NULL AND scene_area IS NULL');
  return r?.n ?? 0;
}

/**
 * Lines of the records a DuckDB CSV read kept: the reader numbers lines by record (the header is
 * line 1) and records the ones it rejected in reject_errors, so accepted record k sits on the k-th
 * line it did not reject. Creates temp table `stage_lines (rec, line)` for `rawTable`'s rows.
 */
export async function csvStageLines(conn: DuckDBConnection, rawTable: 'ems_csv_raw' | 'tempe_raw'): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stage_lines AS
     WITH bad AS (SELECT DISTINCT line FROM reject_errors),
          total AS (SELECT (SELECT count(*) FROM ${rawTable}) + (SELECT count(*) FROM bad) AS n),
          good AS (SELECT l AS line FROM total, range(2, total.n + 2) r(l) WHERE l NOT IN (SELECT line FROM bad))
     SELECT row_number() OVER (ORDER BY line) AS rec, line FROM good`,
  );
}

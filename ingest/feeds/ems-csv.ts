// EMS feed, flat CSV extracts of NEMSIS v3.5 elements: one row per patient care report, one
// column per element, headed by the NEMSIS element id. Read and checked inside DuckDB; the values
// are judged by the same SQL as the XML (ems-common.ts), so an extract and an XML export of the
// same reports give the same rows (and replace each other by eRecord.01).
import type { DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../../sql/duckdb.ts';
import { FEED_CSV_OPTIONS, IngestError, type Adapter } from '../run.ts';
import { checkNemsis, commitEms, numberCsvLines, unassignedEms } from './ems-common.ts';
import { refuseLostRecords } from './csv-stage.ts';

/**
 * The header of a flat EMS extract: exactly these NEMSIS v3.5 element ids, in any order (a file
 * may carry other columns too; they are never read). Values are NEMSIS values as in the XML
 * (codes, not labels). An empty cell, or a Not Value code (7701001, 7701003, 7701005), is "not
 * recorded". Lists hold several values separated by ';'.
 */
export const EMS_CSV_COLUMNS = [
  /** Patient Care Report Number, 3–50 characters; the encounter's natural key. Required. */
  'eRecord.01',
  /** Unit Notified by Dispatch Date/Time, NEMSIS DateTimeType: 2024-10-07T20:22:01-04:00 (local time and its offset). Required. */
  'eTimes.03',
  /** Scene GPS Location, "latitude,longitude" (quoted: it holds a comma), up to 6 decimals. Stored rounded to 3. */
  'eScene.11',
  /** Last Name. Read only to make the keyed person hash in a temp table; never stored. */
  'ePatient.02',
  /** First Name. Read only to make the keyed person hash in a temp table; never stored. */
  'ePatient.03',
  /** Date of Birth, YYYY-MM-DD. Read only to make the keyed person hash in a temp table; never stored. */
  'ePatient.17',
  /** Age, integer 1–120, in the units of ePatient.16. */
  'ePatient.15',
  /** Age Units: 2516001 days, 2516003 hours, 2516005 minutes, 2516007 months, 2516009 years. */
  'ePatient.16',
  /** Sex: 9919001 female, 9919003 male, 9919005 unknown. */
  'ePatient.25',
  /** Primary Symptom, ICD-10-CM (e.g. R40.20). */
  'eSituation.09',
  /** Other Associated Symptoms, ICD-10-CM list. Symptoms present only: no pertinent negatives. */
  'eSituation.10',
  /** Provider's Primary Impression, ICD-10-CM (e.g. T40.411A). */
  'eSituation.11',
  /** Provider's Secondary Impressions, ICD-10-CM list. */
  'eSituation.12',
  /** Medications given, RxNorm code list (naloxone: 7242). Only medications given: no pertinent negatives. */
  'eMedications.03',
  /** Response to Medication, one per eMedications.03 entry, in the same order (empty entry: not recorded): 9916001 improved, 9916003 unchanged, 9916005 worse. */
  'eMedications.07',
  /** Unit Disposition: 4227001 patient contact made … 4227011. */
  'eDisposition.27',
  /** Patient Evaluation/Care: 4228001 … 4228009. */
  'eDisposition.28',
  /** Transport Disposition: 4230001 … 4230013. */
  'eDisposition.30',
] as const;

export type EmsCsvColumn = (typeof EMS_CSV_COLUMNS)[number];

/** Columns a file may leave out: an agency may extract without identities (no person_key then). */
export const EMS_CSV_OPTIONAL: readonly EmsCsvColumn[] = ['ePatient.02', 'ePatient.03', 'ePatient.17'];

/** `"eRecord.01"` → a quoted identifier; only ever called with entries of EMS_CSV_COLUMNS. */
function col(c: EmsCsvColumn): string {
  return `"${c}"`;
}

export const emsCsvAdapter: Adapter = {
  feed: 'ems',
  format: 'nemsis-csv',
  detect: (s) => s.columns !== null && ['erecord.01', 'etimes.03'].every((c) => s.columns!.includes(c)),

  async stage(conn, file, ctx) {
    const header = await rows<{ column_name: string }>(
      conn,
      `SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv($path, header = true, ${FEED_CSV_OPTIONS}, normalize_names = false, ignore_errors = true))`,
      { path: file },
    );
    const have = new Set(header.map((h) => h.column_name.trim().toLowerCase()));
    const missing = EMS_CSV_COLUMNS.filter((c) => !have.has(c.toLowerCase()) && !EMS_CSV_OPTIONAL.includes(c));
    if (missing.length > 0) {
      throw new IngestError(`${file}: line 1: missing column(s) ${missing.join(', ')}; expected ${EMS_CSV_COLUMNS.join(', ')}`);
    }
    const present = (c: EmsCsvColumn) => (have.has(c.toLowerCase()) ? `nemsis_value(${col(c)})` : 'NULL');
    /** A ';'-separated list cell: its values (Not Values and empty entries kept as NULL). */
    const list = (c: EmsCsvColumn) =>
      `CASE WHEN nemsis_value(${col(c)}) IS NULL THEN []::VARCHAR[] ELSE list_transform(string_split(${col(c)}, ';'), x -> nemsis_value(x)) END`;
    try {
      await conn.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans;');
      // The file is read once, straight into the checks (ems-common.ts), in parallel; rows keep
      // file order, so the lines of rejected rows are numbered afterwards (numberCsvLines).
      // Identifiers pasted below are entries of EMS_CSV_COLUMNS checked against the header above.
      const source = `
        SELECT NULL::BIGINT AS line,
               -- Responses pair with medications by position, so the lists must be as long.
               CASE WHEN bad_list THEN 'invalid_list' END AS err_reason,
               CASE WHEN bad_list THEN 'eMedications.07' END AS err_field,
               CASE WHEN bad_list THEN len(med_responses) || ' responses for ' || len(med_codes) || ' medications' END AS err_value,
               pcr, notified, gps, age, age_units, sex, NULL::VARCHAR AS gender, last_name, first_name, dob,
               upper(symptom) AS symptom,
               list_transform(list_filter(other_raw, x -> x IS NOT NULL), x -> upper(x)) AS other_symptoms,
               upper(impression) AS impression,
               list_transform(list_filter(secondary_raw, x -> x IS NOT NULL), x -> upper(x)) AS secondary,
               CASE WHEN len(med_codes) = 0 THEN []
                    ELSE list_transform(range(1, len(med_codes) + 1),
                                        i -> struct_pack(code := med_codes[i], code_type := NULL::VARCHAR, prior_to_ems := NULL::VARCHAR, response := med_responses[i]))
               END AS medications,
               unit_disp, care_disp, transport_disp
          FROM (
            SELECT *, len(med_responses) > 0 AND len(med_responses) <> len(med_codes) AS bad_list
              FROM (
                SELECT ${present('eRecord.01')} AS pcr, ${present('eTimes.03')} AS notified, ${present('eScene.11')} AS gps,
                       ${present('ePatient.02')} AS last_name, ${present('ePatient.03')} AS first_name, ${present('ePatient.17')} AS dob,
                       ${present('ePatient.15')} AS age, ${present('ePatient.16')} AS age_units, ${present('ePatient.25')} AS sex,
                       ${present('eSituation.09')} AS symptom, ${list('eSituation.10')} AS other_raw,
                       ${present('eSituation.11')} AS impression, ${list('eSituation.12')} AS secondary_raw,
                       ${list('eMedications.03')} AS med_codes, ${list('eMedications.07')} AS med_responses,
                       ${present('eDisposition.27')} AS unit_disp, ${present('eDisposition.28')} AS care_disp,
                       ${present('eDisposition.30')} AS transport_disp
                  FROM read_csv($path, header = true, ${FEED_CSV_OPTIONS},
                                normalize_names = false, ignore_errors = true, store_rejects = true, strict_mode = true)))`;
      // Line numbers rest on it (the default; kept for this connection whatever the instance says).
      await conn.run('SET SESSION preserve_insertion_order = true');
      await checkNemsis(conn, { jurisdiction: ctx.jurisdiction, linkage: ctx.linkage, format: 'nemsis-csv', source, params: { path: file } });
      // A quote left open loses the records after it without a reject: refused (csv-stage.ts).
      // stage_checked has one row per record the reader kept, until the malformed rows are added.
      await refuseLostRecords(conn, file, { kept: 'stage_checked', headerRow: false });
      await numberCsvLines(conn);
      // Rows the CSV reader could not split into the header's columns; the reader's own message
      // names the problem, never the row's content.
      await conn.run(
        `INSERT INTO stage_checked (line, reason, field, value)
         SELECT line, 'malformed_row', 'row', left(arg_min(error_message, column_idx), 200) FROM reject_errors GROUP BY line`,
      );
    } finally {
      // The reader's reject tables keep whole CSV lines (names, dates of birth), so they go.
      await dropStage(conn);
    }
  },

  commit: commitEms,
  unassigned: unassignedEms,

  async definitionVersions(conn) {
    const [r] = await rows<{ v: string }>(conn, 'SELECT ems_definition_version() AS v');
    return { ems: r?.v ?? 'unknown' };
  },
};

async function dropStage(conn: DuckDBConnection): Promise<void> {
  await conn.run('DROP TABLE IF EXISTS stage_bad_lines; DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans;');
}

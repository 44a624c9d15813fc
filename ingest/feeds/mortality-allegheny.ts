// Mortality feed, Allegheny County Office of the Medical Examiner: "Allegheny County Fatal
// Accidental Overdoses" as the Western Pennsylvania Regional Data Center publishes it, unedited
// (byte-order mark, a CRLF header over LF records, empty decedent_zip, some garbled incident
// ZIPs). One row per death: _id, death_date_and_time, manner_of_death, age, sex, race,
// case_dispo, combined_od1 … combined_od10 (the substances the ME found to cause the death, one
// per column), incident_zip, decedent_zip, case_year.
//
// Every death in the file is an accidental drug overdose (the publisher's selection; manner
// "Accident"): any_drug is true for each unless its manner says natural. The file has no ICD-10
// codes: underlying_cause stays NULL and drug categories come from the substance columns through
// the shared mapping (sql/duckdb/definitions/mortality_substances.sql); definition_version is that
// mapping's version, not the ICD-10 rule's.
// Geography: deaths are placed by incident ZIP (the event area). decedent_zip is empty in the
// published file, so residence is unknown (residence_area NULL); a later extract that fills it is
// placed by it. Natural key: _id, the WPRDC datastore row id (the file has no ME case number; the
// id is stable within a publication, and a republished dataset may renumber it).
import { IngestError, type Adapter, type FileSample } from '../run.ts';
import { col, csvHeader, readCsvStage } from './csv-stage.ts';
import { checkMeStage, commitMeDeaths, meDefinitionVersions, meUnassigned, withUniformNewlines } from './mortality-me.ts';
import { dateChecks, idChecks } from './stage-checks.ts';

const SUBSTANCE_COLUMNS = Array.from({ length: 10 }, (_, i) => `combined_od${i + 1}`);
export const ALLEGHENY_REQUIRED = ['_id', 'death_date_and_time', 'manner_of_death', 'age', 'sex', 'race', 'combined_od1', 'incident_zip'] as const;
const OPTIONAL = [...SUBSTANCE_COLUMNS.slice(1), 'decedent_zip', 'case_year'] as const;

// The product's time range starts with the ICD-10 era (1999), as for the NCHS-style feed.
const EARLIEST_DATE = '1999-01-01';

function headerColumns(s: FileSample): string[] {
  if (s.columns) return s.columns;
  const first = s.head.split(/\r?\n/, 1)[0] ?? '';
  return first.split(',').map((c) => c.trim().toLowerCase());
}

// A 5-digit ZIP (or ZIP+4) gives its 5 digits; anything else ('1531', 'ooc', '15-71') gives NULL.
const zip5 = (c: string) => `CASE WHEN regexp_full_match(trim(${c}), '[0-9]{5}(-[0-9]{4})?') THEN left(trim(${c}), 5) END`;

export const alleghenyMortalityAdapter: Adapter = {
  feed: 'mortality',
  format: 'allegheny-me-csv',
  // DuckDB's sniffer cannot read this file's mixed line endings, so the header is also read from the head text.
  detect: (s) => {
    const cols = headerColumns(s);
    return ['_id', 'death_date_and_time', 'combined_od1', 'incident_zip'].every((c) => cols.includes(c));
  },

  async stage(conn, file, { jurisdiction, log }) {
    const { path, cleanup } = await withUniformNewlines(file);
    try {
      const have = new Set(await csvHeader(conn, path));
      const missing = ALLEGHENY_REQUIRED.filter((c) => !have.has(c));
      if (missing.length > 0) {
        throw new IngestError(`${file}: line 1: missing column(s) ${missing.join(', ')}; expected ${ALLEGHENY_REQUIRED.join(', ')}`);
      }
      await readCsvStage(conn, path, { required: ALLEGHENY_REQUIRED, optional: OPTIONAL, fileName: file });
    } finally {
      cleanup();
    }
    // Column names below come from the constants above, never from the file.
    const substances = SUBSTANCE_COLUMNS.map((c) => `mortality_substance_norm(${col(c)})`).join(', ');
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_parsed AS
       SELECT line,
              nullif(trim("_id"), '') AS case_number,
              death_date_and_time AS date_raw,
              coalesce(try_cast(trim(death_date_and_time) AS TIMESTAMP)::DATE, try_cast(trim(death_date_and_time) AS DATE)) AS date_of_death,
              age AS age_raw,
              try_cast(nullif(trim(age), '') AS INTEGER) AS age_years,
              upper(trim(coalesce(sex, ''))) AS sex_raw,
              nullif(trim(race), '') AS race_ethnicity,
              me_manner_is_overdose(manner_of_death) AS any_drug,
              list_sort(list_distinct(list_filter([${substances}], x -> x IS NOT NULL))) AS substances,
              ${zip5('incident_zip')} AS event_code,
              ${zip5('decedent_zip')} AS residence_code,
              NULL::VARCHAR AS event_area,
              NULL::VARCHAR AS residence_area,
              row_number() OVER (PARTITION BY nullif(trim("_id"), '') ORDER BY line) AS occurrence
         FROM stage_rows`,
    );
    await checkMeStage(conn, {
      jurisdiction,
      earliest: EARLIEST_DATE,
      checks: `${idChecks('case_number', '_id')}
             ${dateChecks('date_of_death', 'death_date_and_time')}`,
      ageField: 'age',
      sexCheck: `WHEN sex_raw NOT IN ('M', 'F', 'U', '')
               THEN struct_pack(reason := 'invalid_code', field := 'sex', value := sex_raw)`,
      sex: `CASE WHEN sex_raw IN ('M', 'F') THEN sex_raw END`,
      log,
    });
  },

  commit: (conn, ctx) => commitMeDeaths(conn, ctx),
  unassigned: (conn) => meUnassigned(conn),
  definitionVersions: (conn) => meDefinitionVersions(conn),
};

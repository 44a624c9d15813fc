// Mortality feed, Connecticut Office of the Chief Medical Examiner: "Accidental Drug Related
// Deaths 2012-2022" as data.ct.gov publishes it (rybz-4hxf), unedited: 48 columns, 23 substance
// columns (21 yes/no flags written 'Y', 'y', 'Y (PTCH)', 'Y POPS', 'N', 'P' or a note, and two
// free-text columns "Other Opioid" and "Other"), town geography as "CITY, CT\n(lat, lon)" with a
// newline inside the quoted value.
//
// Deaths: the file lists accidental drug-related deaths; any_drug is true unless the manner of
// death is natural (one row). The file has no ICD-10 codes: underlying_cause stays NULL and the
// drug categories come from the flags and free text through the shared substance mapping
// (sql/duckdb/definitions/mortality_substances.sql), whose version is the row's
// definition_version. The date is the file's "Date", which "Date Type" says is the date of death
// or, for some deaths, the date reported; it is used as given.
// Geography: injury town → event area, residence town → residence area, by the place rule of
// sql/duckdb/definitions/mortality_ct_places.sql (the areas were made by the same rule).
// Natural key: the file has no case number, so the key is derived: 'CT-' and a hash of the
// fields that identify a death in it (date, date type, age, sex, race, ethnicity, residence,
// injury and death city, cause of death), unique over the 2012–2022 file; rows identical in all
// of them (none in that file) get '-2', '-3' … in file order. A record corrected in a later
// extract in one of those fields gets a new key (and so would be counted twice).
// Reject lines: DuckDB counts records, not physical lines (each record here spans four), the
// header being line 1.
import type { Adapter } from '../run.ts';
import { col, normaliseHeader, readCsvStage } from './csv-stage.ts';
import { checkMeStage, commitMeDeaths, meDefinitionVersions, meUnassigned } from './mortality-me.ts';
import { dateChecks } from './stage-checks.ts';

/** Yes/no substance flag columns, as headed in the file; each contributes its header, lower-cased, as its term. */
export const CT_FLAG_HEADERS = [
  'Heroin', 'Heroin death certificate (DC)', 'Cocaine', 'Fentanyl', 'Fentanyl Analogue', 'Oxycodone', 'Oxymorphone',
  'Ethanol', 'Hydrocodone', 'Benzodiazepine', 'Methadone', 'Meth/Amphetamine', 'Amphet', 'Tramad', 'Hydromorphone',
  'Morphine (Not Heroin)', 'Xylazine', 'Gabapentin', 'Opiate NOS', 'Heroin/Morph/Codeine', 'Any Opioid',
] as const;
/** Free-text substance columns: a 'Y' gives the header as term, other text the substances it names. */
export const CT_FREETEXT_HEADERS = ['Other Opioid', 'Other'] as const;
const KEY_HEADERS = ['Date', 'Date Type', 'Age', 'Sex', 'Race', 'Ethnicity', 'Residence City', 'Injury City', 'Death City', 'Cause of Death'] as const;
const OTHER_HEADERS = ['Residence State', 'Injury State', 'Manner of Death', 'ResidenceCityGeo', 'InjuryCityGeo'] as const;
type CtHeader = (typeof KEY_HEADERS)[number] | (typeof OTHER_HEADERS)[number];
/** A column of the stage, by its header in the file. */
const c = (h: CtHeader | (typeof CT_FLAG_HEADERS)[number] | (typeof CT_FREETEXT_HEADERS)[number]) => col(normaliseHeader(h));
export const CT_REQUIRED = [...KEY_HEADERS, ...OTHER_HEADERS, ...CT_FLAG_HEADERS, ...CT_FREETEXT_HEADERS].map(normaliseHeader);

const EARLIEST_DATE = '1999-01-01';

export const connecticutMortalityAdapter: Adapter = {
  feed: 'mortality',
  format: 'ct-ocme-adrd-csv',
  detect: (s) =>
    s.columns !== null &&
    ['date type', 'injury city', 'heroin', 'fentanyl analogue', 'any opioid', 'injurycitygeo'].every((c) => s.columns!.includes(c)),

  async stage(conn, file, { jurisdiction, log }) {
    await readCsvStage(conn, file, { required: CT_REQUIRED });
    // The substance columns, long: one row per death and non-empty substance cell, with the
    // column's term and the meaning of its value (one join, not a lookup per column).
    await conn.run('CREATE OR REPLACE TEMP TABLE ct_substance_columns (col VARCHAR, term VARCHAR, freetext BOOLEAN)');
    for (const [headers, freetext] of [[CT_FLAG_HEADERS, false], [CT_FREETEXT_HEADERS, true]] as const) {
      for (const h of headers) {
        await conn.run('INSERT INTO ct_substance_columns VALUES ($c, $t, $f)', { c: normaliseHeader(h), t: h.toLowerCase(), f: freetext });
      }
    }
    const substanceCols = [...CT_FLAG_HEADERS, ...CT_FREETEXT_HEADERS].map((h) => c(h)).join(', ');
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ct_terms AS
       WITH u AS (UNPIVOT (SELECT line, ${substanceCols} FROM stage_rows) ON COLUMNS(* EXCLUDE (line)) INTO NAME col VALUE v)
       SELECT u.line, list_sort(list_distinct(flatten(list(mortality_flag_terms(u.v, f.meaning, s.term, s.freetext))))) AS substances
         FROM u JOIN ct_substance_columns s USING (col)
         LEFT JOIN mortality_flag_values f ON f.value = mortality_substance_norm(u.v)
        GROUP BY u.line`,
    );
    const key = KEY_HEADERS.map((h) => `coalesce(trim(${c(h)}), '')`).join(', ');
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_parsed AS
       WITH k AS (
         SELECT r.*, coalesce(t.substances, []::VARCHAR[]) AS substances,
                'CT-' || left(sha256(concat_ws(chr(31), ${key})), 20) AS base_key
           FROM stage_rows r LEFT JOIN ct_terms t USING (line)
       )
       SELECT line,
              base_key || CASE WHEN row_number() OVER (PARTITION BY base_key ORDER BY line) > 1
                               THEN '-' || row_number() OVER (PARTITION BY base_key ORDER BY line) ELSE '' END AS case_number,
              ${c('Date')} AS date_raw,
              coalesce(try_strptime(trim(${c('Date')}), '%m/%d/%Y')::DATE, try_cast(trim(${c('Date')}) AS TIMESTAMP)::DATE) AS date_of_death,
              ${c('Date Type')} AS date_type_raw,
              lower(trim(coalesce(${c('Date Type')}, ''))) AS date_type,
              ${c('Age')} AS age_raw,
              try_cast(nullif(trim(${c('Age')}), '') AS INTEGER) AS age_years,
              ${c('Sex')} AS sex_raw,
              lower(trim(coalesce(${c('Sex')}, ''))) AS sex_norm,
              nullif(concat_ws(' / ', nullif(trim(${c('Race')}), ''), nullif(trim(${c('Ethnicity')}), '')), '') AS race_ethnicity,
              me_manner_is_overdose(${c('Manner of Death')}) AS any_drug,
              substances,
              ct_place_code(${c('InjuryCityGeo')}, ${c('Injury City')}, ${c('Injury State')}) AS event_code,
              ct_place_code(${c('ResidenceCityGeo')}, ${c('Residence City')}, ${c('Residence State')}) AS residence_code,
              NULL::VARCHAR AS event_area,
              NULL::VARCHAR AS residence_area
         FROM k`,
    );
    await checkMeStage(conn, {
      jurisdiction,
      earliest: EARLIEST_DATE,
      checks: `${dateChecks('date_of_death', 'Date')}
             WHEN date_type NOT IN ('date of death', 'date reported')
               THEN struct_pack(reason := 'invalid_code', field := 'Date Type', value := date_type_raw)`,
      ageField: 'Age',
      sexCheck: `WHEN sex_norm NOT IN ('male', 'female', 'unknown', '')
               THEN struct_pack(reason := 'invalid_code', field := 'Sex', value := sex_raw)`,
      sex: `CASE sex_norm WHEN 'male' THEN 'M' WHEN 'female' THEN 'F' END`,
      drop: ['ct_terms', 'ct_substance_columns'],
      log,
    });
  },

  commit: (conn, ctx) => commitMeDeaths(conn, ctx),
  unassigned: (conn) => meUnassigned(conn),
  definitionVersions: (conn) => meDefinitionVersions(conn),
};

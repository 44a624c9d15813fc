// Mortality feed, NCHS-style multiple-cause records (the default city's generated file): one row
// per death with an ICD-10 underlying cause and ';'-separated multiple-cause codes. Read and
// checked inside DuckDB; the name, date-of-birth and address columns are never selected.
import type { DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../../sql/duckdb.ts';
import { FEED_CSV_OPTIONS, IngestError, type Adapter } from '../run.ts';
import { linkageParams } from '../linkage.ts';
import { refuseLostRecords } from './csv-stage.ts';

/**
 * Columns this format must carry. decedent_name and date_of_birth, when present, are read only
 * to make the keyed person hash inside the temp stage; residence_address is never read.
 */
export const MORTALITY_COLUMNS = [
  'case_number',
  'date_of_death',
  'age_years',
  'sex',
  'race_ethnicity',
  'residence_area_code',
  'injury_area_code',
  'underlying_cause_icd10',
  'multiple_causes_icd10',
  'toxicology_substances',
] as const;

// ICD-10 mortality coding in the United States starts with 1999 deaths (NCHS).
const EARLIEST_DATE = '1999-01-01';

// decedent_name as vital records and medical examiners write it, "Last, First M" (the generated
// default city too); without a comma, "First … Last". Read only to make person_key.
const DECEDENT_LAST_NAME = `CASE WHEN contains(decedent_name, ',') THEN trim(split_part(decedent_name, ',', 1))
                                ELSE regexp_extract(trim(decedent_name), '(\\S+)$', 1) END`;
const DECEDENT_FIRST_NAME = `CASE WHEN contains(decedent_name, ',') THEN regexp_extract(trim(split_part(decedent_name, ',', 2)), '^(\\S+)', 1)
                                 ELSE regexp_extract(trim(decedent_name), '^(\\S+)', 1) END`;

export const mortalityAdapter: Adapter = {
  feed: 'mortality',
  format: 'nchs-mcod-csv',
  detect: (s) => s.columns !== null && ['case_number', 'underlying_cause_icd10', 'multiple_causes_icd10'].every((c) => s.columns!.includes(c)),

  async stage(conn, file, { jurisdiction, linkage }) {
    const header = await rows<{ column_name: string }>(
      conn,
      `SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv($path, header = true, ${FEED_CSV_OPTIONS}, normalize_names = true, ignore_errors = true))`,
      { path: file },
    );
    const have = new Set(header.map((h) => h.column_name.trim().toLowerCase()));
    const missing = MORTALITY_COLUMNS.filter((c) => !have.has(c));
    if (missing.length > 0) {
      throw new IngestError(`${file}: line 1: missing column(s) ${missing.join(', ')}; expected ${MORTALITY_COLUMNS.join(', ')}`);
    }
    // Column names pasted below come from this allow-list check, never from the file's text.
    const hasName = have.has('decedent_name');
    const hasDob = have.has('date_of_birth');
    const link = linkageParams(linkage);
    // Rows the CSV reader itself cannot parse (wrong number of fields, broken quoting) go to its
    // reject table with their line; every other row is checked field by field below.
    await conn.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans;');
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_raw AS
       SELECT row_number() OVER () AS rec, case_number, date_of_death, age_years, sex, race_ethnicity,
              residence_area_code, injury_area_code, underlying_cause_icd10, multiple_causes_icd10,
              toxicology_substances,
              person_key($link_ipad, $link_opad,
                         ${hasName ? DECEDENT_LAST_NAME : 'NULL'},
                         ${hasName ? DECEDENT_FIRST_NAME : 'NULL'},
                         ${hasDob ? 'try_cast(date_of_birth AS DATE)' : 'NULL'}) AS person_key
         FROM read_csv($path, header = true, ${FEED_CSV_OPTIONS},
                       normalize_names = true, ignore_errors = true, store_rejects = true, strict_mode = true)`,
      { path: file, ...link.values },
      link.types,
    );
    // A quote left open loses the records after it without a reject: refused (csv-stage.ts).
    await refuseLostRecords(conn, file, { kept: 'stage_raw', headerRow: false });
    // DuckDB numbers lines by record (a quoted newline does not start a new one), the header
    // being line 1. Accepted record k sits on the k-th line that the reader did not reject.
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_lines AS
       WITH bad AS (SELECT DISTINCT line FROM reject_errors),
            total AS (SELECT (SELECT count(*) FROM stage_raw) + (SELECT count(*) FROM bad) AS n),
            good AS (SELECT l AS line FROM total, range(2, total.n + 2) r(l) WHERE l NOT IN (SELECT line FROM bad))
       SELECT row_number() OVER (ORDER BY line) AS rec, line FROM good`,
    );
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_parsed AS
       SELECT l.line,
              nullif(trim(r.case_number), '') AS case_number,
              r.date_of_death AS date_raw,
              try_cast(trim(r.date_of_death) AS DATE) AS date_of_death,
              r.age_years AS age_raw,
              try_cast(nullif(trim(r.age_years), '') AS INTEGER) AS age_years,
              upper(trim(r.sex)) AS sex_raw,
              nullif(trim(r.race_ethnicity), '') AS race_ethnicity,
              nullif(trim(r.residence_area_code), '') AS residence_code,
              nullif(trim(r.injury_area_code), '') AS injury_code,
              r.underlying_cause_icd10 AS ucod_raw,
              icd10_norm(r.underlying_cause_icd10) AS ucod,
              r.multiple_causes_icd10 AS mc_raw,
              list_filter(list_transform(string_split(coalesce(r.multiple_causes_icd10, ''), ';'), x -> trim(x)), x -> x <> '') AS mc_list,
              list_distinct(list_filter(list_transform(string_split(coalesce(r.toxicology_substances, ''), ';'), x -> lower(trim(x))), x -> x <> '')) AS substances,
              r.person_key,
              row_number() OVER (PARTITION BY nullif(trim(r.case_number), '') ORDER BY l.line) AS occurrence
         FROM stage_raw r JOIN stage_lines l USING (rec)`,
    );
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_checked AS
       WITH p AS (
         SELECT *,
                list_transform(mc_list, x -> icd10_norm(x)) AS mc_norm,
                (SELECT count(*) FROM areas a WHERE a.jurisdiction_id = $j AND a.area_id = residence_code) > 0 AS residence_known,
                (SELECT count(*) FROM areas a WHERE a.jurisdiction_id = $j AND a.area_id = injury_code) > 0 AS injury_known
           FROM stage_parsed
       ),
       c AS (
         SELECT *,
           CASE
             WHEN case_number IS NULL THEN struct_pack(reason := 'missing_case_number', field := 'case_number', value := NULL::VARCHAR)
             WHEN occurrence > 1 THEN struct_pack(reason := 'duplicate_case_number', field := 'case_number', value := case_number)
             WHEN date_of_death IS NULL THEN struct_pack(reason := 'invalid_date', field := 'date_of_death', value := date_raw)
             WHEN date_of_death < $earliest::DATE OR date_of_death > current_date
               THEN struct_pack(reason := 'date_out_of_range', field := 'date_of_death', value := date_raw)
             WHEN nullif(trim(age_raw), '') IS NOT NULL AND (age_years IS NULL OR age_years NOT BETWEEN 0 AND 120)
               THEN struct_pack(reason := 'invalid_age', field := 'age_years', value := age_raw)
             WHEN coalesce(sex_raw, '') NOT IN ('M', 'F', 'U', '')
               THEN struct_pack(reason := 'invalid_code', field := 'sex', value := sex_raw)
             WHEN ucod IS NULL THEN struct_pack(reason := 'invalid_icd10', field := 'underlying_cause_icd10', value := ucod_raw)
             WHEN list_contains(mc_norm, NULL) THEN struct_pack(reason := 'invalid_icd10', field := 'multiple_causes_icd10', value := mc_raw)
           END AS why
         FROM p
       )
       SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
              case_number, date_of_death, age_years,
              CASE WHEN sex_raw IN ('M', 'F') THEN sex_raw ELSE NULL END AS sex,
              race_ethnicity,
              CASE WHEN residence_known THEN residence_code END AS residence_area,
              CASE WHEN injury_known THEN injury_code END AS injury_area,
              ucod,
              list_transform(mc_norm, x -> left(x, 4)) AS multiple_causes,
              substances, person_key
         FROM c
       UNION ALL
       SELECT line, 'malformed_row', 'row', left(arg_min(error_message, column_idx), 200),
              NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
         FROM reject_errors GROUP BY line`,
      { j: jurisdiction, earliest: EARLIEST_DATE },
    );
    await conn.run('DROP TABLE stage_raw; DROP TABLE stage_lines; DROP TABLE stage_parsed;');
  },

  async commit(conn, { jurisdiction, runId, sha256, linkageKeyId }) {
    // A case seen again (an overlapping or corrected extract) replaces the earlier record.
    await conn.run(
      `DELETE FROM mortality_deaths
        WHERE jurisdiction_id = $j
          AND case_number IN (SELECT case_number FROM stage_checked WHERE reason IS NULL)`,
      { j: jurisdiction },
    );
    await conn.run(
      `INSERT INTO mortality_deaths
       SELECT $j AS jurisdiction_id, case_number, date_of_death, age_years, sex, race_ethnicity, residence_area, injury_area,
              ucod, multiple_causes, substances,
              is_drug_overdose_ucod(ucod),
              is_opioid_tcodes(multiple_causes),
              list_contains(multiple_causes, 'T401'),
              list_contains(multiple_causes, 'T402'),
              list_contains(multiple_causes, 'T403'),
              list_contains(multiple_causes, 'T404'),
              list_contains(multiple_causes, 'T405'),
              list_contains(multiple_causes, 'T436'),
              list_contains(multiple_causes, 'T424'),
              list_contains(substances, 'xylazine'),
              mortality_definition_version(), $run, $sha,
              person_key, $key_id
         FROM stage_checked WHERE reason IS NULL`,
      { j: jurisdiction, run: runId, sha: sha256, key_id: linkageKeyId },
    );
  },

  async unassigned(conn) {
    const [r] = await rows<{ n: number }>(
      conn,
      'SELECT count(*)::INTEGER AS n FROM stage_checked WHERE reason IS NULL AND residence_area IS NULL',
    );
    return r?.n ?? 0;
  },

  async definitionVersions(conn) {
    const [r] = await rows<{ v: string }>(conn, 'SELECT mortality_definition_version() AS v');
    return { mortality: r?.v ?? 'unknown' };
  },
};

// Treatment-admissions feed: one row per admission to substance-use treatment, coded as SAMHSA's
// Treatment Episode Data Set – Admissions (TEDS-A codebook: SUB1/SUB2, METHUSE, PSOURCE, GENDER,
// AGE). Protected by 42 CFR Part 2: the table keeps no field that names a patient beyond the keyed
// person hash — the provider's admission id is replaced by its keyed hash, ZIP by the area, age
// by its TEDS-A category, and reject records never echo an id, a ZIP or a date of birth.
import { INTEGER, LIST, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../../sql/duckdb.ts';
import type { Adapter } from '../run.ts';
import { linkageParams } from '../linkage.ts';
import { assignAreasByCode } from '../geo.ts';
import { POPULATION_YEARS } from '../jurisdiction.ts';
import { addMalformedRows, col, countUnassigned, dropCsvStage, isoDate, readCsvStage } from './csv-stage.ts';

/** The treatment-admissions CSV format, in column order (a generator writes exactly these). */
export const TREATMENT_CSV_COLUMNS = [
  'admission_id', // the provider's unique admission id; stored only as a keyed hash; a later extract with the same id replaces it
  'admission_date', // YYYY-MM-DD
  'residence_area_code', // area id of the client's residence, when the provider has it
  'zip', // 5-digit ZIP of residence (ZIP+4 accepted); places the admission through the jurisdiction's ZIP crosswalk; never stored
  'age', // age in years at admission (0–120); stored only as its TEDS-A AGE category
  'sex', // TEDS-A GENDER: 1 male, 2 female, -9 missing (empty = -9)
  'primary_substance', // TEDS-A SUB1 (TEDS_SUBSTANCES), required; -9 when missing
  'secondary_substance', // TEDS-A SUB2 (TEDS_SUBSTANCES; 1 = none); empty = -9
  'moud', // TEDS-A METHUSE, medication-assisted opioid therapy planned: 1 yes, 2 no, -9 missing (empty = -9)
  'referral_source', // TEDS-A PSOURCE (TEDS_REFERRAL_SOURCES); empty = -9
  'discharge_date', // YYYY-MM-DD, empty while in treatment; not before admission_date
  'last_name', // read only to make person_key; never stored
  'first_name', // read only to make person_key; never stored
  'date_of_birth', // YYYY-MM-DD; read only to make person_key and, when age is empty, the age; never stored
] as const;

const PERSON_COLUMNS = ['last_name', 'first_name', 'date_of_birth'] as const;
const REQUIRED = TREATMENT_CSV_COLUMNS.filter((c) => !(PERSON_COLUMNS as readonly string[]).includes(c));

/** TEDS-A SUB1/SUB2 substance codes (SAMHSA TEDS-A codebook). */
export const TEDS_SUBSTANCES = {
  '1': 'None',
  '2': 'Alcohol',
  '3': 'Cocaine/crack',
  '4': 'Marijuana/hashish',
  '5': 'Heroin',
  '6': 'Non-prescription methadone',
  '7': 'Other opiates and synthetics',
  '8': 'PCP',
  '9': 'Hallucinogens',
  '10': 'Methamphetamine/speed',
  '11': 'Other amphetamines',
  '12': 'Other stimulants',
  '13': 'Benzodiazepines',
  '14': 'Other tranquilizers',
  '15': 'Barbiturates',
  '16': 'Other sedatives or hypnotics',
  '17': 'Inhalants',
  '18': 'Over-the-counter medications',
  '19': 'Other drugs',
  '-9': 'Missing/unknown/not collected/invalid',
} as const;

/** TEDS-A METHUSE: medication-assisted opioid therapy is part of the treatment plan. */
export const TEDS_METHUSE = { '1': 'Yes', '2': 'No', '-9': 'Missing/unknown/not collected/invalid' } as const;

/** TEDS-A PSOURCE: referral source. */
export const TEDS_REFERRAL_SOURCES = {
  '1': 'Individual (includes self-referral)',
  '2': 'Alcohol/drug use care provider',
  '3': 'Other health care provider',
  '4': 'School (educational)',
  '5': 'Employer/EAP',
  '6': 'Other community referral',
  '7': 'Court/criminal justice referral/DUI/DWI',
  '-9': 'Missing/unknown/not collected/invalid',
} as const;

/** TEDS-A GENDER. */
export const TEDS_GENDER = { '1': 'Male', '2': 'Female', '-9': 'Missing/unknown/not collected/invalid' } as const;

/** TEDS-A AGE categories, as stored in treatment_admissions.age_group (rule: teds_age_group in SQL). */
export const TEDS_AGE_GROUPS = {
  '1': '12–14',
  '2': '15–17',
  '3': '18–20',
  '4': '21–24',
  '5': '25–29',
  '6': '30–34',
  '7': '35–39',
  '8': '40–44',
  '9': '45–49',
  '10': '50–54',
  '11': '55–64',
  '12': '65 and older',
} as const;

const codes = (o: Record<string, string>) => listValue(Object.keys(o).map(Number));
const EARLIEST_DATE = `${POPULATION_YEARS.first}-01-01`;

export const treatmentAdapter: Adapter = {
  feed: 'treatment',
  format: 'teds-a-admissions-csv',
  detect: (s) => s.columns !== null && ['admission_id', 'admission_date', 'primary_substance'].every((c) => s.columns!.includes(c)),

  async stage(conn, file, { jurisdiction, linkage }) {
    const link = linkageParams(linkage);
    await readCsvStage(conn, file, {
      required: REQUIRED,
      derived: (have) => {
        const hasPerson = PERSON_COLUMNS.every((c) => have.has(c));
        const dob = have.has('date_of_birth') ? isoDate(col('date_of_birth')) : 'NULL::DATE';
        return {
          admission_key: `treatment_record_key($link_ipad, $link_opad, ${col('admission_id')})`,
          person_key: hasPerson
            ? `person_key($link_ipad, $link_opad, ${col('last_name')}, ${col('first_name')}, ${dob})`
            : 'NULL::VARCHAR',
          dob_age: `age_years_on(${dob}, ${isoDate(col('admission_date'))})`,
        };
      },
      params: link.values,
      types: link.types,
    });
    // A coded field: empty is NULL; an integer is the code; anything else is -1000 (never a code).
    const code = (c: string) =>
      `CASE WHEN nullif(trim(${c}), '') IS NULL THEN NULL WHEN regexp_full_match(trim(${c}), '-?[0-9]{1,3}') THEN trim(${c})::INTEGER ELSE -1000 END`;
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_parsed AS
       SELECT line,
              admission_key,
              admission_date AS date_raw,
              ${isoDate('admission_date')} AS admission_date,
              nullif(trim(discharge_date), '') AS discharge_raw,
              ${isoDate('discharge_date')} AS discharge_date,
              nullif(trim(residence_area_code), '') AS residence_code,
              nullif(trim(zip), '') AS zip_raw,
              regexp_extract(trim(zip), '^([0-9]{5})(-[0-9]{4})?$', 1) AS zip5,
              nullif(trim(age), '') AS age_raw,
              try_cast(trim(age) AS INTEGER) AS age,
              dob_age,
              nullif(trim(sex), '') AS sex_raw, ${code('sex')} AS gender,
              nullif(trim(primary_substance), '') AS sub1_raw, ${code('primary_substance')} AS sub1,
              nullif(trim(secondary_substance), '') AS sub2_raw, ${code('secondary_substance')} AS sub2,
              nullif(trim(moud), '') AS moud_raw, ${code('moud')} AS moud,
              nullif(trim(referral_source), '') AS psource_raw, ${code('referral_source')} AS psource,
              person_key,
              row_number() OVER (PARTITION BY admission_key ORDER BY line) AS occurrence,
              NULL::VARCHAR AS area_by_code,
              NULL::VARCHAR AS area_by_zip
         FROM stage_rows`,
    );
    await assignAreasByCode(conn, { jurisdiction, table: 'stage_parsed', code: 'residence_code', target: 'area_by_code' });
    await assignAreasByCode(conn, { jurisdiction, table: 'stage_parsed', code: 'zip5', target: 'area_by_zip', crosswalk: 'zip' });
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_checked AS
       WITH c AS (
         SELECT *,
           CASE
             WHEN admission_key IS NULL THEN struct_pack(reason := 'missing_admission_id', field := 'admission_id', value := NULL::VARCHAR)
             WHEN occurrence > 1 THEN struct_pack(reason := 'duplicate_admission_id', field := 'admission_id', value := NULL::VARCHAR)
             WHEN admission_date IS NULL THEN struct_pack(reason := 'invalid_date', field := 'admission_date', value := date_raw)
             WHEN admission_date < $earliest::DATE OR admission_date > current_date
               THEN struct_pack(reason := 'date_out_of_range', field := 'admission_date', value := date_raw)
             WHEN discharge_raw IS NOT NULL AND discharge_date IS NULL
               THEN struct_pack(reason := 'invalid_date', field := 'discharge_date', value := discharge_raw)
             WHEN discharge_date < admission_date OR discharge_date > current_date
               THEN struct_pack(reason := 'date_out_of_range', field := 'discharge_date', value := discharge_raw)
             WHEN sub1 IS NULL OR NOT list_contains($sub_codes, sub1)
               THEN struct_pack(reason := 'invalid_code', field := 'primary_substance', value := sub1_raw)
             WHEN sub2 IS NOT NULL AND NOT list_contains($sub_codes, sub2)
               THEN struct_pack(reason := 'invalid_code', field := 'secondary_substance', value := sub2_raw)
             WHEN moud IS NOT NULL AND NOT list_contains($methuse_codes, moud)
               THEN struct_pack(reason := 'invalid_code', field := 'moud', value := moud_raw)
             WHEN psource IS NOT NULL AND NOT list_contains($psource_codes, psource)
               THEN struct_pack(reason := 'invalid_code', field := 'referral_source', value := psource_raw)
             WHEN gender IS NOT NULL AND NOT list_contains($gender_codes, gender)
               THEN struct_pack(reason := 'invalid_code', field := 'sex', value := sex_raw)
             WHEN age_raw IS NOT NULL AND (age IS NULL OR age NOT BETWEEN 0 AND 120)
               THEN struct_pack(reason := 'invalid_age', field := 'age', value := age_raw)
             -- A ZIP is a quasi-identifier: the reject says which field, not the value.
             WHEN zip_raw IS NOT NULL AND zip5 = ''
               THEN struct_pack(reason := 'invalid_zip', field := 'zip', value := NULL::VARCHAR)
           END AS why
         FROM stage_parsed
       )
       SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
              admission_key, admission_date, discharge_date,
              coalesce(area_by_code, area_by_zip) AS residence_area,
              teds_age_group(coalesce(age, CASE WHEN dob_age BETWEEN 0 AND 120 THEN dob_age END))::SMALLINT AS age_group,
              CASE gender WHEN 1 THEN 'M' WHEN 2 THEN 'F' END AS sex,
              sub1::SMALLINT AS primary_substance,
              CASE WHEN sub2 <> -9 THEN sub2 END::SMALLINT AS secondary_substance,
              CASE WHEN moud <> -9 THEN moud END::SMALLINT AS moud,
              CASE WHEN psource <> -9 THEN psource END::SMALLINT AS referral_source,
              person_key
         FROM c`,
      {
        earliest: EARLIEST_DATE,
        sub_codes: codes(TEDS_SUBSTANCES),
        methuse_codes: codes(TEDS_METHUSE),
        psource_codes: codes(TEDS_REFERRAL_SOURCES),
        gender_codes: codes(TEDS_GENDER),
      },
      { sub_codes: LIST(INTEGER), methuse_codes: LIST(INTEGER), psource_codes: LIST(INTEGER), gender_codes: LIST(INTEGER) },
    );
    await addMalformedRows(conn);
    await dropCsvStage(conn, 'stage_parsed');
  },

  async commit(conn, { jurisdiction, runId, sha256, linkageKeyId }) {
    // An admission seen again (an overlapping or corrected extract) replaces the earlier record.
    // Its key is made with the linkage key: after a key rotation, reload this feed from scratch.
    await conn.run(
      `DELETE FROM treatment_admissions
        WHERE jurisdiction_id = $j AND admission_key IN (SELECT admission_key FROM stage_checked WHERE reason IS NULL)`,
      { j: jurisdiction },
    );
    await conn.run(
      `INSERT INTO treatment_admissions
       SELECT $j, admission_key, admission_date, discharge_date, residence_area, age_group, sex,
              primary_substance, secondary_substance, moud, referral_source, teds_is_opioid(primary_substance),
              treatment_definition_version(), $run, $sha, person_key, $key_id
         FROM stage_checked WHERE reason IS NULL`,
      { j: jurisdiction, run: runId, sha: sha256, key_id: linkageKeyId },
    );
  },

  unassigned: (conn: DuckDBConnection) => countUnassigned(conn, 'residence_area'),

  async definitionVersions(conn) {
    const [r] = await rows<{ v: string }>(conn, 'SELECT treatment_definition_version() AS v');
    return { treatment: r?.v ?? 'unknown' };
  },
};

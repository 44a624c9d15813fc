// Arrests feed: one row per arrest, citation or deflection/diversion referral, from a police
// records-system extract coded with FBI NIBRS codes (NIBRS User Manual: Data Element 6/45 UCR
// Offense Code, 20 Suspected Drug Type, 42 Arrest Date, 43 Type of Arrest, 47 Age, 48 Sex of
// Arrestee). Read and checked inside DuckDB; names and date of birth only make the keyed person
// hash and never leave the read. Coordinates only place the event in an area and are not stored.
import { LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../../sql/duckdb.ts';
import type { Adapter } from '../run.ts';
import { linkageParams } from '../linkage.ts';
import { POPULATION_YEARS } from '../jurisdiction.ts';
import { addMalformedRows, col, countUnassigned, dropCsvStage, isoDate, readCsvStage } from './csv-stage.ts';
import { COORDINATE_CHECKS, COORDINATE_COLUMNS, assignEventAreas, dateChecks, idChecks } from './stage-checks.ts';

/** The arrests CSV format, in column order (a generator writes exactly these). */
export const ARRESTS_CSV_COLUMNS = [
  'arrest_id', // the agency's unique id of the event; a later extract with the same id replaces it
  'event_date', // YYYY-MM-DD: arrest date (NIBRS Data Element 42) or date of the referral
  'event_type', // one of ARREST_EVENT_TYPES
  'precinct', // police precinct or unit, as the agency names it (kept for the naloxone planner)
  'area_code', // area id of the jurisdiction where the event happened, when the agency has it
  'latitude', // WGS 84 decimal degrees of the event; places it when area_code is empty or unknown
  'longitude', // WGS 84 decimal degrees
  'nibrs_offense', // NIBRS UCR offense code (3 characters: 35A, 35B, 90D …); required for arrest and citation
  'nibrs_drug_type', // NIBRS Data Element 20 codes (NIBRS_DRUG_TYPES), up to 3 joined by ';'; X only with two others
  'referral_program', // deflection or diversion program the person was referred to
  'jail_release_date', // YYYY-MM-DD release from jail custody after this event, if any; not before event_date
  'last_name', // read only to make person_key; never stored
  'first_name', // read only to make person_key; never stored
  'date_of_birth', // YYYY-MM-DD; read only to make person_key and, when age is empty, the age; never stored
  'age', // age in years at the event (0–120), NIBRS Data Element 47 in whole years
  'sex', // M, F or U (NIBRS Data Element 48 Sex of Arrestee); empty = unknown
] as const;

/** Columns a file may lack: without them no person key is made. */
const PERSON_COLUMNS = ['last_name', 'first_name', 'date_of_birth'] as const;
const REQUIRED = ARRESTS_CSV_COLUMNS.filter((c) => !(PERSON_COLUMNS as readonly string[]).includes(c));

/**
 * event_type values. NIBRS Data Element 43 Type of Arrest O (on-view) and T (taken into custody)
 * are 'arrest', S (summoned/cited) is 'citation'. A deflection referral is made instead of an
 * arrest, a diversion referral after one (outside NIBRS).
 */
export const ARREST_EVENT_TYPES = ['arrest', 'citation', 'deflection_referral', 'diversion_referral'] as const;

/** NIBRS offense codes counted by arrests.drug (NIBRS User Manual, Group A crimes against society). */
export const NIBRS_DRUG_OFFENSES = {
  '35A': 'Drug/Narcotic Violations',
  '35B': 'Drug Equipment Violations',
} as const;

/**
 * Every NIBRS UCR offense code an arrest or citation may carry: FBI NIBRS User Manual (2023.0),
 * Data Element 6 (Group A offenses) and the Group B arrest offenses (Data Element 45), including
 * the federal-only and the retired codes (90A, 90E, 90H, 90I were retired in 2021 but stand in
 * older extracts). A code outside this list is rejected as invalid_code.
 */
export const NIBRS_OFFENSE_CODES = [
  // Group A
  '09A', '09B', '09C', '100', '101', '103', '11A', '11B', '11C', '11D', '120', '13A', '13B', '13C',
  '200', '210', '220', '23A', '23B', '23C', '23D', '23E', '23F', '23G', '23H', '240', '250',
  '26A', '26B', '26C', '26D', '26E', '26F', '26G', '26H', '270', '280', '290', '30A', '30B', '30C',
  '30D', '35A', '35B', '360', '36A', '36B', '370', '39A', '39B', '39C', '39D', '40A', '40B', '40C',
  '49A', '49B', '49C', '510', '520', '521', '522', '526', '58A', '58B', '61A', '61B', '620',
  '64A', '64B', '720',
  // Group B (arrests only)
  '90A', '90B', '90C', '90D', '90E', '90F', '90G', '90H', '90I', '90J', '90K', '90L', '90M', '90Z',
] as const;

/** NIBRS Data Element 20 Suspected Drug Type (FBI NIBRS User Manual). */
export const NIBRS_DRUG_TYPES = {
  A: 'Crack Cocaine',
  B: 'Cocaine (all forms except crack)',
  C: 'Hashish',
  D: 'Heroin',
  E: 'Marijuana',
  F: 'Morphine',
  G: 'Opium',
  H: 'Other Narcotics',
  I: 'LSD',
  J: 'PCP',
  K: 'Other Hallucinogens',
  L: 'Amphetamines/Methamphetamines',
  M: 'Other Stimulants',
  N: 'Barbiturates',
  O: 'Other Depressants',
  P: 'Other Drugs',
  U: 'Unknown Drug Type',
  X: 'Over 3 Drug Types',
} as const;

/** NIBRS sex codes for an arrestee (Data Element 48), plus U for not recorded. */
export const ARREST_SEX_CODES = ['M', 'F', 'U'] as const;

// Events before the first year with population figures cannot enter any series.
const EARLIEST_DATE = `${POPULATION_YEARS.first}-01-01`;

export const arrestsAdapter: Adapter = {
  feed: 'arrests',
  format: 'nibrs-arrests-csv',
  detect: (s) => s.columns !== null && ['arrest_id', 'event_type', 'nibrs_offense'].every((c) => s.columns!.includes(c)),

  async stage(conn, file, { jurisdiction, linkage }) {
    const link = linkageParams(linkage);
    await readCsvStage(conn, file, {
      required: REQUIRED,
      optional: [],
      derived: (have) => {
        const hasPerson = PERSON_COLUMNS.every((c) => have.has(c));
        const dob = have.has('date_of_birth') ? isoDate(col('date_of_birth')) : 'NULL::DATE';
        return {
          person_key: hasPerson
            ? `person_key($link_ipad, $link_opad, ${col('last_name')}, ${col('first_name')}, ${dob})`
            : 'NULL::VARCHAR',
          dob_age: `age_years_on(${dob}, ${isoDate(col('event_date'))})`,
        };
      },
      params: link.values,
      types: link.types,
    });
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_parsed AS
       SELECT line,
              nullif(trim(arrest_id), '') AS arrest_id,
              event_date AS date_raw,
              ${isoDate('event_date')} AS event_date,
              lower(trim(event_type)) AS event_type,
              nullif(trim(precinct), '') AS precinct,
              nullif(trim(area_code), '') AS area_code,
              ${COORDINATE_COLUMNS},
              nullif(upper(trim(nibrs_offense)), '') AS nibrs_offense,
              nibrs_drug_type AS drug_raw,
              list_filter(list_transform(string_split(coalesce(nibrs_drug_type, ''), ';'), x -> upper(trim(x))), x -> x <> '') AS drug_types,
              nullif(trim(referral_program), '') AS referral_program,
              nullif(trim(jail_release_date), '') AS release_raw,
              ${isoDate('jail_release_date')} AS jail_release_date,
              nullif(trim(age), '') AS age_raw,
              try_cast(trim(age) AS INTEGER) AS age,
              dob_age,
              upper(trim(coalesce(sex, ''))) AS sex_raw,
              person_key,
              row_number() OVER (PARTITION BY nullif(trim(arrest_id), '') ORDER BY line) AS occurrence,
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
             ${idChecks('arrest_id')}
             ${dateChecks('event_date')}
             WHEN NOT list_contains($event_types, event_type)
               THEN struct_pack(reason := 'invalid_code', field := 'event_type', value := event_type)
             WHEN arrests_is_arrest(event_type) AND nibrs_offense IS NULL
               THEN struct_pack(reason := 'missing_offense', field := 'nibrs_offense', value := NULL::VARCHAR)
             -- NIBRS offense codes: the FBI's list (NIBRS_OFFENSE_CODES).
             WHEN nibrs_offense IS NOT NULL AND NOT list_contains($offense_codes, nibrs_offense)
               THEN struct_pack(reason := 'invalid_code', field := 'nibrs_offense', value := nibrs_offense)
             -- Data Element 20 holds up to three codes; X (over 3 drug types) comes with two others
             -- (NIBRS error 362).
             WHEN len(list_filter(drug_types, x -> NOT list_contains($drug_codes, x))) > 0
                  OR len(drug_types) > 3 OR len(list_distinct(drug_types)) <> len(drug_types)
                  OR (list_contains(drug_types, 'X') AND len(drug_types) <> 3)
               THEN struct_pack(reason := 'invalid_code', field := 'nibrs_drug_type', value := drug_raw)
             ${COORDINATE_CHECKS}
             WHEN release_raw IS NOT NULL AND jail_release_date IS NULL
               THEN struct_pack(reason := 'invalid_date', field := 'jail_release_date', value := release_raw)
             WHEN jail_release_date < event_date OR jail_release_date > current_date
               THEN struct_pack(reason := 'date_out_of_range', field := 'jail_release_date', value := release_raw)
             WHEN age_raw IS NOT NULL AND (age IS NULL OR age NOT BETWEEN 0 AND 120)
               THEN struct_pack(reason := 'invalid_age', field := 'age', value := age_raw)
             WHEN sex_raw <> '' AND NOT list_contains($sex_codes, sex_raw)
               THEN struct_pack(reason := 'invalid_code', field := 'sex', value := sex_raw)
           END AS why
         FROM stage_parsed
       )
       SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
              arrest_id, event_date, event_type, precinct,
              coalesce(area_by_code, area_by_point) AS event_area,
              nibrs_offense, drug_types AS nibrs_drug_types, referral_program, jail_release_date,
              coalesce(age, CASE WHEN dob_age BETWEEN 0 AND 120 THEN dob_age END)::SMALLINT AS age_years,
              CASE WHEN sex_raw IN ('M', 'F') THEN sex_raw END AS sex,
              person_key
         FROM c`,
      {
        earliest: EARLIEST_DATE,
        event_types: listValue([...ARREST_EVENT_TYPES]),
        drug_codes: listValue(Object.keys(NIBRS_DRUG_TYPES)),
        offense_codes: listValue([...NIBRS_OFFENSE_CODES]),
        sex_codes: listValue([...ARREST_SEX_CODES]),
      },
      { event_types: LIST(VARCHAR), drug_codes: LIST(VARCHAR), offense_codes: LIST(VARCHAR), sex_codes: LIST(VARCHAR) },
    );
    await addMalformedRows(conn);
    await dropCsvStage(conn, 'stage_parsed');
  },

  async commit(conn, { jurisdiction, runId, sha256, linkageKeyId }) {
    // An id seen again (an overlapping or corrected extract) replaces the earlier record.
    await conn.run(
      `DELETE FROM arrests_events
        WHERE jurisdiction_id = $j AND arrest_id IN (SELECT arrest_id FROM stage_checked WHERE reason IS NULL)`,
      { j: jurisdiction },
    );
    await conn.run(
      `INSERT INTO arrests_events
       SELECT $j, arrest_id, event_date, event_type, precinct, event_area, nibrs_offense, nibrs_drug_types,
              nibrs_is_drug_offense(nibrs_offense), referral_program, jail_release_date, age_years, sex,
              arrests_definition_version(), $run, $sha, person_key, $key_id
         FROM stage_checked WHERE reason IS NULL`,
      { j: jurisdiction, run: runId, sha: sha256, key_id: linkageKeyId },
    );
  },

  unassigned: (conn: DuckDBConnection) => countUnassigned(conn, 'event_area'),

  async definitionVersions(conn) {
    const [r] = await rows<{ v: string }>(conn, 'SELECT arrests_definition_version() AS v');
    return { arrests: r?.v ?? 'unknown' };
  },
};

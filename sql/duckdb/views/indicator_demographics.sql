-- Every countable event of indicator_events with what breakdowns and age adjustment need: sex,
-- age group (sql/duckdb/definitions/age_groups.sql), race/ethnicity and, for deaths, the drug
-- categories involved (a death counts in every category it involves: PRODUCT.md). One row here
-- for each row of indicator_events, by the same rules as the events_<feed> views —
-- tests/integration/rates.test.ts checks the counts agree indicator by indicator. Feeds without
-- a field leave it NULL (EMS and arrests have no race/ethnicity; naloxone and drug checking
-- describe no person). Not named events_*: it is not part of the indicator_events union.
CREATE OR REPLACE VIEW indicator_demographics AS
WITH deaths AS (
  SELECT jurisdiction_id, date_of_death AS event_date, residence_area, injury_area AS event_area,
         sex, std_age_group(age_years) AS age_group, race_ethnicity,
         list_filter([CASE WHEN heroin THEN 'heroin' END,
                      CASE WHEN natural_semisynthetic THEN 'natural_semisynthetic' END,
                      CASE WHEN methadone THEN 'methadone' END,
                      CASE WHEN synthetic_opioid THEN 'fentanyl' END,
                      CASE WHEN cocaine THEN 'cocaine' END,
                      CASE WHEN psychostimulant THEN 'psychostimulant' END,
                      CASE WHEN benzodiazepine THEN 'benzodiazepine' END,
                      CASE WHEN xylazine THEN 'xylazine' END], x -> x IS NOT NULL) AS substances,
         any_drug, opioid, synthetic_opioid, cocaine, psychostimulant, xylazine
    FROM mortality_deaths
)
SELECT jurisdiction_id, 'deaths.any_drug' AS indicator, event_date, residence_area, event_area,
       sex, age_group, race_ethnicity, substances FROM deaths WHERE any_drug
UNION ALL
SELECT jurisdiction_id, 'deaths.opioid', event_date, residence_area, event_area, sex, age_group, race_ethnicity, substances
  FROM deaths WHERE any_drug AND opioid
UNION ALL
SELECT jurisdiction_id, 'deaths.fentanyl', event_date, residence_area, event_area, sex, age_group, race_ethnicity, substances
  FROM deaths WHERE any_drug AND synthetic_opioid
UNION ALL
SELECT jurisdiction_id, 'deaths.stimulant', event_date, residence_area, event_area, sex, age_group, race_ethnicity, substances
  FROM deaths WHERE any_drug AND (cocaine OR psychostimulant)
UNION ALL
SELECT jurisdiction_id, 'deaths.xylazine', event_date, residence_area, event_area, sex, age_group, race_ethnicity, substances
  FROM deaths WHERE any_drug AND xylazine
UNION ALL
SELECT jurisdiction_id, 'ems.opioid_overdose', unit_notified_date, NULL::VARCHAR, scene_area, sex,
       coalesce(std_age_group(age_years), std_age_group_of_band(age_low, age_high)), NULL::VARCHAR, NULL::VARCHAR[]
  FROM ems_encounters WHERE opioid_overdose
UNION ALL
SELECT jurisdiction_id, 'ems.naloxone_given', unit_notified_date, NULL::VARCHAR, scene_area, sex,
       coalesce(std_age_group(age_years), std_age_group_of_band(age_low, age_high)), NULL::VARCHAR, NULL::VARCHAR[]
  FROM ems_encounters WHERE naloxone_given
UNION ALL
SELECT jurisdiction_id, 'arrests.drug', event_date, NULL::VARCHAR, event_area, sex, std_age_group(age_years), NULL::VARCHAR, NULL::VARCHAR[]
  FROM arrests_events WHERE arrests_is_arrest(event_type) AND drug_offense
UNION ALL
SELECT jurisdiction_id, 'arrests.deflection_referral', event_date, NULL::VARCHAR, event_area, sex, std_age_group(age_years), NULL::VARCHAR, NULL::VARCHAR[]
  FROM arrests_events WHERE arrests_is_referral(event_type)
UNION ALL
SELECT jurisdiction_id, 'treatment.opioid_admissions', admission_date, residence_area, NULL::VARCHAR, sex,
       teds_std_age_group(age_group), NULL::VARCHAR, NULL::VARCHAR[]
  FROM treatment_admissions WHERE opioid;

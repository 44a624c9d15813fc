-- Countable events of the mortality feed (see sql/duckdb/definitions/mortality_icd10.sql).
-- Every events_<feed> view has exactly these columns; indicator_events is their UNION ALL.
CREATE OR REPLACE VIEW events_deaths AS
SELECT jurisdiction_id, 'deaths.any_drug' AS indicator, date_of_death AS event_date,
       residence_area, injury_area AS event_area
  FROM mortality_deaths WHERE any_drug
UNION ALL
SELECT jurisdiction_id, 'deaths.opioid', date_of_death, residence_area, injury_area
  FROM mortality_deaths WHERE any_drug AND opioid
UNION ALL
SELECT jurisdiction_id, 'deaths.fentanyl', date_of_death, residence_area, injury_area
  FROM mortality_deaths WHERE any_drug AND synthetic_opioid
UNION ALL
SELECT jurisdiction_id, 'deaths.stimulant', date_of_death, residence_area, injury_area
  FROM mortality_deaths WHERE any_drug AND (cocaine OR psychostimulant)
UNION ALL
SELECT jurisdiction_id, 'deaths.xylazine', date_of_death, residence_area, injury_area
  FROM mortality_deaths WHERE any_drug AND xylazine;

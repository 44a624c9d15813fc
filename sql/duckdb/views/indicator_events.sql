-- Every countable event of every indicator, in one long shape, so that metric queries take the
-- indicator id as a bound value and never need an identifier pasted into SQL text.
-- residence_area: where the person lived; event_area: where it happened (injury, scene, sample).
CREATE OR REPLACE VIEW indicator_events AS
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

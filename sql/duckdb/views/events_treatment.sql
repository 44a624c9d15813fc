-- Countable events of the treatment-admissions feed (rules in sql/duckdb/definitions/treatment_teds.sql).
-- Every events_<feed> view has exactly these columns; indicator_events is their UNION ALL.
-- 42 CFR Part 2: counts from this view are served only under the strictest suppression.
CREATE OR REPLACE VIEW events_treatment AS
SELECT jurisdiction_id, 'treatment.opioid_admissions' AS indicator, admission_date AS event_date,
       residence_area, NULL::VARCHAR AS event_area
  FROM treatment_admissions WHERE opioid;

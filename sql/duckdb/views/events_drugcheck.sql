-- Countable events of the drug-checking feed (rules in sql/duckdb/definitions/drugcheck_substances.sql):
-- samples by the day they were collected, where they were collected. samples_tested is the
-- denominator of positivity (results in); a sample counts in every substance it contains.
-- Every events_<feed> view has exactly these columns; indicator_events is their UNION ALL.
CREATE OR REPLACE VIEW events_drugcheck AS
SELECT jurisdiction_id, 'drugcheck.samples_tested' AS indicator, date_collected AS event_date,
       NULL::VARCHAR AS residence_area, event_area
  FROM drugcheck_samples WHERE results_complete
UNION ALL
SELECT jurisdiction_id, 'drugcheck.fentanyl_positive', date_collected, NULL::VARCHAR, event_area
  FROM drugcheck_samples WHERE results_complete AND fentanyl
UNION ALL
SELECT jurisdiction_id, 'drugcheck.xylazine_positive', date_collected, NULL::VARCHAR, event_area
  FROM drugcheck_samples WHERE results_complete AND xylazine
UNION ALL
SELECT jurisdiction_id, 'drugcheck.medetomidine_positive', date_collected, NULL::VARCHAR, event_area
  FROM drugcheck_samples WHERE results_complete AND medetomidine;

-- Countable events of the arrests feed (rules in sql/duckdb/definitions/arrests_nibrs.sql).
-- Every events_<feed> view has exactly these columns; indicator_events is their UNION ALL.
-- Arrests have a place of event, not of residence.
CREATE OR REPLACE VIEW events_arrests AS
SELECT jurisdiction_id, 'arrests.drug' AS indicator, event_date,
       NULL::VARCHAR AS residence_area, event_area
  FROM arrests_events WHERE arrests_is_arrest(event_type) AND drug_offense
UNION ALL
SELECT jurisdiction_id, 'arrests.deflection_referral', event_date, NULL::VARCHAR, event_area
  FROM arrests_events WHERE arrests_is_referral(event_type);

-- Countable events of the naloxone feed (rules in sql/duckdb/definitions/naloxone.sql).
-- Every events_<feed> view has exactly these columns and counts rows; naloxone.kits_distributed
-- is a sum of kits, so each distribution row is expanded to one event row per kit (kits per row
-- are bounded at ingest, ingest/feeds/naloxone.ts MAX_KITS_PER_EVENT).
CREATE OR REPLACE VIEW events_naloxone AS
SELECT jurisdiction_id, 'naloxone.kits_distributed' AS indicator, event_date,
       NULL::VARCHAR AS residence_area, event_area
  FROM (SELECT jurisdiction_id, event_date, event_area,
               unnest(range(naloxone_kits_distributed(event_kind, kits))) AS kit
          FROM naloxone_events
         WHERE naloxone_kits_distributed(event_kind, kits) > 0);

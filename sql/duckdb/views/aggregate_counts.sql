-- Already-aggregated agency counts (table aggregates, sql/duckdb/schema/020_aggregates.sql), one
-- row per published cell, for serving beside the record-level indicator_events:
--   jurisdiction_id, indicator, geography ('residence' | 'event'),
--   area_id        the area, or NULL when the cell is not one area;
--   area_scope     'area' | 'jurisdiction' (whole jurisdiction, area_id NULL) |
--                  'out_of_jurisdiction' | 'unknown' | 'unmatched' (a label naming no area);
--   period_start, period_end (inclusive),
--   status         'value' | 'suppressed' | 'not_reported';
--   value          the count when status = 'value', else NULL;
--   suppression_rule  the publisher's rule for a suppressed cell ('<6'), else NULL.
-- A suppressed cell has no number: sums over cells must say how many were suppressed, and must
-- not treat them as 0.
CREATE OR REPLACE VIEW aggregate_counts AS
SELECT jurisdiction_id, indicator, geography, area_id, area_scope, source_label,
       period_start, period_end,
       CASE WHEN value IS NOT NULL THEN 'value' WHEN suppressed THEN 'suppressed' ELSE 'not_reported' END AS status,
       value, suppression_rule, source_format, definition_version, ingest_run_id, source_sha256
  FROM aggregates;

-- Daily counts of one indicator by area, as (area index, day offset, count) for the non-empty cells
-- only; sql/signals.ts zero-fills them into one series per area. The area index is the position of
-- the area in area_id order (as signal_areas.sql lists them); NULL for events with no area, which
-- count in the jurisdiction-wide series only (as series_total.sql). Day 0 is $from.
WITH idx AS (
  SELECT area_id, (row_number() OVER (ORDER BY area_id) - 1)::INTEGER AS i
    FROM areas WHERE jurisdiction_id = $jurisdiction
)
SELECT x.i AS area, (e.event_date - $from::DATE)::INTEGER AS day, count(*)::INTEGER AS n
  FROM indicator_events e
  LEFT JOIN idx x ON x.area_id = CASE WHEN $geography = 'event' THEN e.event_area ELSE e.residence_area END
 WHERE e.jurisdiction_id = $jurisdiction AND e.indicator = $indicator
   AND e.event_date BETWEEN $from::DATE AND $to::DATE
 GROUP BY ALL;

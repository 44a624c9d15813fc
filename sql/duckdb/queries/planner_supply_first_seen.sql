-- Meeting agenda (server/routes/v1/meetings.ts): substances detected by drug checking for the first
-- time in the jurisdiction between $from and $to (collection dates, samples with results), with the
-- first sample's area and the samples showing the substance in that period.
WITH found AS (
  SELECT unnest(detected_substances) AS substance, date_collected, event_area
    FROM drugcheck_samples
   WHERE jurisdiction_id = $jurisdiction AND results_complete
)
SELECT substance,
       strftime(min(date_collected), '%Y-%m-%d') AS first_seen,
       arg_min(event_area, date_collected) AS first_area,
       (count(*) FILTER (WHERE date_collected BETWEEN $from::DATE AND $to::DATE))::INTEGER AS samples_in_period
  FROM found
 GROUP BY substance
HAVING min(date_collected) BETWEEN $from::DATE AND $to::DATE
 ORDER BY first_seen, substance;

-- Published cells of an already-aggregated indicator, as the agency sent them.
SELECT coalesce(area_id, '') AS area_id, area_scope, strftime(period_start, '%Y-%m-%d') AS period_start,
       strftime(period_end, '%Y-%m-%d') AS period_end, status, value, suppression_rule
  FROM aggregate_counts
 WHERE jurisdiction_id = $jurisdiction AND indicator = $indicator AND geography = $geography
 ORDER BY period_start, area_id;

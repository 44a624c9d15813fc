-- Latest event date of each feed in each jurisdiction (feed = the part of the indicator id before the dot).
SELECT jurisdiction_id, split_part(indicator, '.', 1) AS feed_prefix, strftime(max(event_date), '%Y-%m-%d') AS latest
  FROM indicator_events GROUP BY ALL;

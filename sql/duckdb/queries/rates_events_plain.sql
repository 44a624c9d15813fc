-- Events of an indicator that describes no person (naloxone kits, drug-checking samples) by area
-- and period, in the shape of rates_events.sql: one stratum 'all', age unknown.
SELECT strftime(date_trunc($interval, event_date), '%Y-%m-%d') AS period,
       CASE WHEN $geography = 'event' THEN event_area ELSE residence_area END AS area,
       'all' AS stratum, 'unknown' AS age_group, count(*)::INTEGER AS n
  FROM indicator_events
 WHERE jurisdiction_id = $jurisdiction AND indicator = $indicator
   AND event_date BETWEEN $from::DATE AND $to::DATE
 GROUP BY ALL
 ORDER BY ALL;

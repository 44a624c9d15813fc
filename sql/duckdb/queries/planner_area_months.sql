-- Naloxone planner (server/planner/data.ts): counts of one indicator by area and month from $from
-- (a first of month) up to, not including, $to (a first of month). Only months with events come
-- back; the caller zero-fills. Records with no area are in no unit and are left out.
SELECT CASE WHEN $geography = 'event' THEN event_area ELSE residence_area END AS area,
       strftime(date_trunc('month', event_date), '%Y-%m') AS month,
       count(*)::INTEGER AS n
  FROM indicator_events
 WHERE jurisdiction_id = $jurisdiction AND indicator = $indicator
   AND event_date >= $from::DATE AND event_date < $to::DATE
   AND (CASE WHEN $geography = 'event' THEN event_area ELSE residence_area END) IS NOT NULL
 GROUP BY ALL
 ORDER BY 1, 2;

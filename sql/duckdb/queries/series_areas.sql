-- Counts of one indicator by area and period, zero-filled, with the area's population for the
-- period's calendar year. $areas empty = every area. Periods start at date_trunc($interval, …)
-- (weeks on Monday, ISO 8601).
WITH periods AS (
  SELECT DISTINCT date_trunc($interval, d)::DATE AS period
    FROM range($from::DATE, $to::DATE + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)
),
sel AS (
  SELECT area_id, name FROM areas
   WHERE jurisdiction_id = $jurisdiction AND (len($areas) = 0 OR list_contains($areas, area_id))
),
counts AS (
  SELECT date_trunc($interval, event_date)::DATE AS period,
         CASE WHEN $geography = 'event' THEN event_area ELSE residence_area END AS area_id,
         count(*) AS n
    FROM indicator_events
   WHERE jurisdiction_id = $jurisdiction AND indicator = $indicator
     AND event_date BETWEEN $from::DATE AND $to::DATE
   GROUP BY ALL
)
SELECT s.area_id AS area, s.name, strftime(p.period, '%Y-%m-%d') AS period,
       coalesce(c.n, 0)::INTEGER AS count, pop.population
  FROM sel s
 CROSS JOIN periods p
  LEFT JOIN counts c ON c.area_id = s.area_id AND c.period = p.period
  LEFT JOIN population pop
         ON pop.jurisdiction_id = $jurisdiction AND pop.area_id = s.area_id AND pop.year = year(p.period)
 ORDER BY s.area_id, p.period;

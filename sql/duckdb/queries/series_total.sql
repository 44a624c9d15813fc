-- The jurisdiction-wide series of one indicator: every event, with or without an area, and the
-- summed population of all areas for the period's year. `unassigned` counts events with no area.
WITH periods AS (
  SELECT DISTINCT date_trunc($interval, d)::DATE AS period
    FROM range($from::DATE, $to::DATE + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)
),
counts AS (
  SELECT date_trunc($interval, event_date)::DATE AS period,
         count(*) AS n,
         count(*) FILTER (WHERE (CASE WHEN $geography = 'event' THEN event_area ELSE residence_area END) IS NULL) AS unassigned
    FROM indicator_events
   WHERE jurisdiction_id = $jurisdiction AND indicator = $indicator
     AND event_date BETWEEN $from::DATE AND $to::DATE
   GROUP BY ALL
),
pop AS (
  SELECT year, sum(population)::BIGINT AS population
    FROM population WHERE jurisdiction_id = $jurisdiction GROUP BY year
)
SELECT strftime(p.period, '%Y-%m-%d') AS period, coalesce(c.n, 0)::INTEGER AS count,
       coalesce(c.unassigned, 0)::INTEGER AS unassigned, pop.population::INTEGER AS population
  FROM periods p
  LEFT JOIN counts c ON c.period = p.period
  LEFT JOIN pop ON pop.year = year(p.period)
 ORDER BY p.period;

-- Overdose deaths by area and period, and how many were preceded by each kind of linked event
-- (rules: sql/duckdb/definitions/linkage_metrics.sql). area NULL: no area. Deaths of a person
-- without a key count in the denominator and can link to nothing.
WITH d AS (
  SELECT case_number, date_of_death, person_key,
         CASE WHEN $geography = 'event' THEN injury_area ELSE residence_area END AS area
    FROM mortality_deaths
   WHERE jurisdiction_id = $jurisdiction AND any_drug AND date_of_death BETWEEN $from::DATE AND $to::DATE
),
ems AS (
  SELECT d.case_number, min(date_diff('day', e.unit_notified_date, d.date_of_death)) AS lag
    FROM d JOIN ems_encounters e ON e.person_key = d.person_key
   WHERE e.jurisdiction_id = $jurisdiction AND e.opioid_overdose
     AND e.unit_notified_date BETWEEN d.date_of_death - INTERVAL 365 DAY AND d.date_of_death - INTERVAL 1 DAY
   GROUP BY ALL
),
rel AS (
  SELECT d.case_number, min(date_diff('day', a.jail_release_date, d.date_of_death)) AS lag
    FROM d JOIN arrests_events a ON a.person_key = d.person_key
   WHERE a.jurisdiction_id = $jurisdiction
     AND a.jail_release_date BETWEEN d.date_of_death - INTERVAL 365 DAY AND d.date_of_death - INTERVAL 1 DAY
   GROUP BY ALL
),
arr AS (
  SELECT d.case_number, min(date_diff('day', a.event_date, d.date_of_death)) AS lag
    FROM d JOIN arrests_events a ON a.person_key = d.person_key
   WHERE a.jurisdiction_id = $jurisdiction AND arrests_is_arrest(a.event_type)
     AND a.event_date BETWEEN d.date_of_death - INTERVAL 365 DAY AND d.date_of_death - INTERVAL 1 DAY
   GROUP BY ALL
),
tx AS (
  SELECT d.case_number, min(date_diff('day', t.admission_date, d.date_of_death)) AS lag
    FROM d JOIN treatment_admissions t ON t.person_key = d.person_key
   WHERE t.jurisdiction_id = $jurisdiction
     AND t.admission_date BETWEEN d.date_of_death - INTERVAL 365 DAY AND d.date_of_death - INTERVAL 1 DAY
   GROUP BY ALL
)
SELECT strftime(date_trunc($interval, d.date_of_death), '%Y-%m-%d') AS period, d.area,
       count(*)::INTEGER AS deaths,
       count(d.person_key)::INTEGER AS deaths_keyed,
       count(*) FILTER (WHERE ems.lag <= 30)::INTEGER AS ems_nonfatal_30,
       count(*) FILTER (WHERE ems.lag <= 90)::INTEGER AS ems_nonfatal_90,
       count(*) FILTER (WHERE ems.lag <= 365)::INTEGER AS ems_nonfatal_365,
       count(*) FILTER (WHERE rel.lag <= 30)::INTEGER AS jail_release_30,
       count(*) FILTER (WHERE rel.lag <= 90)::INTEGER AS jail_release_90,
       count(*) FILTER (WHERE rel.lag <= 365)::INTEGER AS jail_release_365,
       count(*) FILTER (WHERE rel.lag <= 30 OR arr.lag <= 30)::INTEGER AS arrest_or_release_30,
       count(*) FILTER (WHERE rel.lag <= 90 OR arr.lag <= 90)::INTEGER AS arrest_or_release_90,
       count(*) FILTER (WHERE rel.lag <= 365 OR arr.lag <= 365)::INTEGER AS arrest_or_release_365,
       count(*) FILTER (WHERE tx.lag <= 365)::INTEGER AS treatment_365
  FROM d
  LEFT JOIN ems USING (case_number)
  LEFT JOIN rel USING (case_number)
  LEFT JOIN arr USING (case_number)
  LEFT JOIN tx USING (case_number)
 GROUP BY ALL
 ORDER BY ALL;

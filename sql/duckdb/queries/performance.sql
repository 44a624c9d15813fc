-- Counts behind the harm-reduction performance metrics (sql/duckdb/definitions/performance_metrics.sql)
-- by area and period; area NULL: no area. One row per area and period with any count.
WITH deaths AS (
  SELECT DISTINCT person_key, date_of_death AS day FROM mortality_deaths
   WHERE jurisdiction_id = $jurisdiction AND any_drug AND person_key IS NOT NULL
     AND date_of_death BETWEEN $from::DATE AND $to::DATE
),
ev AS (
  SELECT event_date AS day, event_area AS area,
         CASE WHEN arrests_is_referral(event_type) THEN 1 ELSE 0 END AS referrals,
         CASE WHEN arrests_is_arrest(event_type) AND drug_offense THEN 1 ELSE 0 END AS drug_arrests,
         0 AS naloxone_administrations, 0 AS naloxone_doses, 0 AS ems_overdoses, 0 AS ems_naloxone,
         0 AS ems_nonfatal, 0 AS treatment_admissions
    FROM arrests_events
   WHERE jurisdiction_id = $jurisdiction AND event_date BETWEEN $from::DATE AND $to::DATE
     AND (arrests_is_referral(event_type) OR (arrests_is_arrest(event_type) AND drug_offense))
  UNION ALL
  SELECT event_date, event_area, 0, 0, 1, coalesce(doses, 0), 0, 0, 0, 0
    FROM naloxone_events
   WHERE jurisdiction_id = $jurisdiction AND event_kind = 'administration' AND event_date BETWEEN $from::DATE AND $to::DATE
  UNION ALL
  SELECT e.unit_notified_date, e.scene_area, 0, 0, 0, 0, 1,
         CASE WHEN e.naloxone_given THEN 1 ELSE 0 END,
         CASE WHEN d.person_key IS NULL THEN 1 ELSE 0 END, 0
    FROM ems_encounters e
    LEFT JOIN deaths d ON d.person_key = e.person_key AND d.day = e.unit_notified_date
   WHERE e.jurisdiction_id = $jurisdiction AND e.opioid_overdose AND e.unit_notified_date BETWEEN $from::DATE AND $to::DATE
  UNION ALL
  SELECT admission_date, residence_area, 0, 0, 0, 0, 0, 0, 0, 1
    FROM treatment_admissions
   WHERE jurisdiction_id = $jurisdiction AND opioid AND admission_date BETWEEN $from::DATE AND $to::DATE
)
SELECT strftime(date_trunc($interval, day), '%Y-%m-%d') AS period, area,
       sum(referrals)::INTEGER AS referrals, sum(drug_arrests)::INTEGER AS drug_arrests,
       sum(naloxone_administrations)::INTEGER AS naloxone_administrations, sum(naloxone_doses)::INTEGER AS naloxone_doses,
       sum(ems_overdoses)::INTEGER AS ems_overdoses, sum(ems_naloxone)::INTEGER AS ems_naloxone,
       sum(ems_nonfatal)::INTEGER AS ems_nonfatal, sum(treatment_admissions)::INTEGER AS treatment_admissions
  FROM ev
 GROUP BY ALL
 ORDER BY ALL;

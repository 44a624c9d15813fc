-- Unique overdose events (one person, one event; N = 24 hours on calendar dates) by area and
-- period, with the records they were made of: rules in sql/duckdb/definitions/linkage_metrics.sql.
-- Deaths are placed by $geography (residence or injury area); EMS encounters by their scene.
-- fatal = overdose deaths; nonfatal = events of EMS encounters alone; ems_merged = EMS encounters
-- folded into another record's event (so ems_records = nonfatal + ems_merged, area by area).
WITH d AS (
  SELECT person_key, date_of_death AS day,
         CASE WHEN $geography = 'event' THEN injury_area ELSE residence_area END AS area
    FROM mortality_deaths
   WHERE jurisdiction_id = $jurisdiction AND any_drug AND date_of_death BETWEEN $from::DATE AND $to::DATE
),
e AS (
  SELECT person_key, unit_notified_date AS day, unit_notified_at, record_id, scene_area AS area
    FROM ems_encounters
   WHERE jurisdiction_id = $jurisdiction AND opioid_overdose AND unit_notified_date BETWEEN $from::DATE AND $to::DATE
),
e_ranked AS (
  SELECT e.*,
         EXISTS (SELECT 1 FROM d WHERE d.person_key = e.person_key AND d.day = e.day) AS with_death,
         CASE WHEN e.person_key IS NULL THEN 1
              ELSE row_number() OVER (PARTITION BY e.person_key, e.day ORDER BY e.unit_notified_at NULLS LAST, e.record_id) END AS nth
    FROM e
),
cells AS (
  SELECT day, area, 1 AS fatal, 0 AS nonfatal, 0 AS ems_records, 1 AS death_records, 0 AS ems_merged FROM d
  UNION ALL
  SELECT day, area, 0, CASE WHEN NOT with_death AND nth = 1 THEN 1 ELSE 0 END, 1, 0,
         CASE WHEN with_death OR nth > 1 THEN 1 ELSE 0 END
    FROM e_ranked
)
SELECT strftime(date_trunc($interval, day), '%Y-%m-%d') AS period, area,
       (sum(fatal) + sum(nonfatal))::INTEGER AS events, sum(fatal)::INTEGER AS fatal, sum(nonfatal)::INTEGER AS nonfatal,
       sum(ems_records)::INTEGER AS ems_records, sum(death_records)::INTEGER AS death_records, sum(ems_merged)::INTEGER AS ems_merged
  FROM cells
 GROUP BY ALL
 ORDER BY ALL;

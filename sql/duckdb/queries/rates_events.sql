-- Events of one indicator by area, period, breakdown stratum and standard age group, for rates
-- (sql/metrics-rates.ts). area NULL: no area (counted in the jurisdiction total only).
-- $breakdown is one of 'none', 'sex', 'age_group', 'race_ethnicity', 'substance' (checked by the
-- caller); a death counts in every substance category it involves, 'other_or_unspecified' when
-- it involves none of them. Periods start at date_trunc($interval, …) (weeks on Monday).
WITH ev AS (
  SELECT date_trunc($interval, event_date)::DATE AS period,
         CASE WHEN $geography = 'event' THEN event_area ELSE residence_area END AS area,
         coalesce(age_group, 'unknown') AS age_group,
         CASE $breakdown
           WHEN 'sex' THEN CASE sex WHEN 'F' THEN ['female'] WHEN 'M' THEN ['male'] ELSE ['unknown'] END
           WHEN 'age_group' THEN [coalesce(age_group, 'unknown')]
           WHEN 'race_ethnicity' THEN [coalesce(nullif(trim(race_ethnicity), ''), 'unknown')]
           WHEN 'substance' THEN CASE WHEN len(coalesce(substances, [])) = 0 THEN ['other_or_unspecified'] ELSE substances END
           ELSE ['all']
         END AS strata
    FROM indicator_demographics
   WHERE jurisdiction_id = $jurisdiction AND indicator = $indicator
     AND event_date BETWEEN $from::DATE AND $to::DATE
)
SELECT strftime(period, '%Y-%m-%d') AS period, area, stratum, age_group, count(*)::INTEGER AS n
  FROM (SELECT period, area, age_group, unnest(strata) AS stratum FROM ev)
 GROUP BY ALL
 ORDER BY ALL;

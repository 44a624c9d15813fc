-- Denominators for rates: each area's total population by year (age_group 'all') and, where the
-- jurisdiction has it, by standard age group (population_age; `modeled` says whether the age
-- structure was modeled). Years $first_year … $last_year.
SELECT area_id AS area, year, 'all' AS age_group, population::DOUBLE AS population, false AS modeled
  FROM population
 WHERE jurisdiction_id = $jurisdiction AND year BETWEEN $first_year AND $last_year
UNION ALL
SELECT area_id, year, age_group, population, modeled
  FROM population_age
 WHERE jurisdiction_id = $jurisdiction AND year BETWEEN $first_year AND $last_year
 ORDER BY ALL;

-- Population by area, calendar year and age group (the 11 groups of the 2000 U.S. standard,
-- sql/duckdb/definitions/age_groups.sql): the denominators of age-specific and age-adjusted rates.
-- Loaded with the jurisdiction (ingest/population-age.ts). `modeled` is true where the age
-- structure is not published for the area and was modeled (e.g. NYC UHF 42: a city-wide age
-- distribution applied to each area's total); `method` and `source` say how and from what.
-- Modeled populations are fractional (total × share) and are kept so: rounding would make the
-- groups no longer sum to the published total.
CREATE TABLE IF NOT EXISTS population_age (
  jurisdiction_id VARCHAR NOT NULL,
  area_id         VARCHAR NOT NULL,
  year            INTEGER NOT NULL,
  age_group       VARCHAR NOT NULL,
  population      DOUBLE NOT NULL,
  modeled         BOOLEAN NOT NULL,
  method          VARCHAR NOT NULL,
  source          VARCHAR NOT NULL
);
-- Keyed by (jurisdiction_id, area_id, year, age_group); no PRIMARY KEY, as for mortality_deaths
-- (001_core.sql): a reload deletes and re-inserts the same keys in one transaction.

-- The 11 age groups of the 2000 U.S. standard population (NCHS, Klein & Schoenborn 2001,
-- Statistical Notes No. 20; PRODUCT.md "Rates") and the mapping of each feed's age to them.
-- sql/epi/rates.ts holds the same weights for the arithmetic; tests/unit check they agree.
-- Change the version whenever a mapping changes.
CREATE OR REPLACE MACRO age_group_definition_version() AS 'us2000-11-v1';

CREATE OR REPLACE MACRO us2000_standard() AS TABLE
  SELECT ord, age_group, age_low, age_high, weight::DOUBLE AS weight FROM (VALUES
    (1, '<1', 0, 0, 0.013818), (2, '1-4', 1, 4, 0.055317), (3, '5-14', 5, 14, 0.145565),
    (4, '15-24', 15, 24, 0.138646), (5, '25-34', 25, 34, 0.135573), (6, '35-44', 35, 44, 0.162613),
    (7, '45-54', 45, 54, 0.134834), (8, '55-64', 55, 64, 0.087247), (9, '65-74', 65, 74, 0.066037),
    (10, '75-84', 75, 84, 0.044842), (11, '85+', 85, 200, 0.015508)
  ) t(ord, age_group, age_low, age_high, weight);

-- Completed years of age → group label; NULL when unknown (or not a plausible age).
CREATE OR REPLACE MACRO std_age_group(age) AS
  CASE WHEN age IS NULL OR age < 0 OR age > 130 THEN NULL
       WHEN age < 1 THEN '<1' WHEN age <= 4 THEN '1-4' WHEN age <= 14 THEN '5-14'
       WHEN age <= 24 THEN '15-24' WHEN age <= 34 THEN '25-34' WHEN age <= 44 THEN '35-44'
       WHEN age <= 54 THEN '45-54' WHEN age <= 64 THEN '55-64' WHEN age <= 74 THEN '65-74'
       WHEN age <= 84 THEN '75-84' ELSE '85+' END;

-- An age band (EMS extracts that give '25 to 29'; an open band '65+' has no upper bound): its
-- group when the whole band lies in one group, else NULL (unknown: a band is never split).
CREATE OR REPLACE MACRO std_age_group_of_band(lo, hi) AS
  CASE WHEN lo IS NULL THEN NULL
       WHEN hi IS NULL THEN CASE WHEN lo >= 85 THEN '85+' END
       WHEN std_age_group(lo) = std_age_group(hi) THEN std_age_group(lo) END;

-- TEDS-A AGE categories (treatment_teds.sql) → standard groups. Categories 1–11 fall inside one
-- group each; 12 (65 and older) spans three, so it gets its own label '65+' (population: the
-- three groups summed). Treatment admissions therefore have age-specific rates but no
-- age-adjusted rate.
CREATE OR REPLACE MACRO teds_std_age_group(category) AS
  CASE category WHEN 1 THEN '5-14' WHEN 2 THEN '15-24' WHEN 3 THEN '15-24' WHEN 4 THEN '15-24'
                WHEN 5 THEN '25-34' WHEN 6 THEN '25-34' WHEN 7 THEN '35-44' WHEN 8 THEN '35-44'
                WHEN 9 THEN '45-54' WHEN 10 THEN '45-54' WHEN 11 THEN '55-64' WHEN 12 THEN '65+' END;

-- Labels beyond the 11 groups, with the standard groups they cover (for their population).
CREATE OR REPLACE MACRO age_group_covers(label) AS
  CASE label WHEN '65+' THEN ['65-74', '75-84', '85+'] ELSE [label] END;

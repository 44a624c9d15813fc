-- Age in completed years on a date, from a date of birth read inside an ingest stage (the date of
-- birth itself is never stored). NULL when either date is missing or the birth date is later.
CREATE OR REPLACE MACRO age_years_on(dob, on_date) AS
  CASE WHEN dob IS NOT NULL AND on_date IS NOT NULL AND dob::DATE <= on_date::DATE
       THEN date_diff('year', dob::DATE, on_date::DATE)
            - CASE WHEN strftime(on_date::DATE, '%m%d') < strftime(dob::DATE, '%m%d') THEN 1 ELSE 0 END
  END;

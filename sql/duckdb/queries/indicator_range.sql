-- First and last event date of one indicator in one jurisdiction (NULLs before any load).
SELECT strftime(min(event_date), '%Y-%m-%d') AS first, strftime(max(event_date), '%Y-%m-%d') AS last
  FROM indicator_events
 WHERE jurisdiction_id = $jurisdiction AND indicator = $indicator;

-- The periods of $interval that overlap $from … $to, as date_trunc starts them (weeks on Monday).
SELECT DISTINCT strftime(date_trunc($interval, d), '%Y-%m-%d') AS period
  FROM range($from::DATE, $to::DATE + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)
 ORDER BY period;

SELECT j.id, j.name, j.config::VARCHAR AS config,
       (SELECT count(*) FROM areas a WHERE a.jurisdiction_id = j.id)::INTEGER AS area_count,
       strftime(r.first, '%Y-%m-%d') AS first, strftime(r.last, '%Y-%m-%d') AS last
  FROM jurisdictions j
  LEFT JOIN (SELECT jurisdiction_id, min(event_date) AS first, max(event_date) AS last
               FROM indicator_events GROUP BY jurisdiction_id) r ON r.jurisdiction_id = j.id
 ORDER BY j.id;

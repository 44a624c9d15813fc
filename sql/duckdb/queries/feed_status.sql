-- Per jurisdiction and feed: files loaded, rows accepted, latest event, last load; and every
-- rejected row counted by reason (loaded and refused runs alike).
WITH loads AS (
  SELECT jurisdiction_id, feed, count(*)::INTEGER AS files, sum(rows_accepted)::INTEGER AS rows_accepted,
         strftime(max(loaded_at), '%Y-%m-%dT%H:%M:%SZ') AS last_loaded_at
    FROM loaded_files WHERE rows_accepted > 0 GROUP BY ALL
),
rejects AS (
  SELECT jurisdiction_id, feed, count(*)::INTEGER AS rows_rejected,
         map_from_entries(list({'key': reason, 'value': n})) AS by_reason
    FROM (SELECT jurisdiction_id, feed, reason, count(*)::INTEGER AS n FROM ingest_rejects GROUP BY ALL)
   GROUP BY ALL
),
keys AS (SELECT jurisdiction_id, feed FROM loads UNION SELECT jurisdiction_id, feed FROM rejects)
SELECT k.jurisdiction_id, k.feed, coalesce(l.files, 0) AS files, coalesce(l.rows_accepted, 0) AS rows_accepted,
       l.last_loaded_at, coalesce(r.rows_rejected, 0) AS rows_rejected, r.by_reason::JSON::VARCHAR AS by_reason
  FROM keys k
  LEFT JOIN loads l USING (jurisdiction_id, feed)
  LEFT JOIN rejects r USING (jurisdiction_id, feed)
 ORDER BY k.jurisdiction_id, k.feed;

-- Naloxone planner: the data a plan was made on — per feed, the files loaded, the latest load's
-- ingest run id and when it committed (loaded_files gets its row in the same transaction as the
-- rows it brought, ingest/run.ts).
SELECT feed, count(*)::INTEGER AS files, arg_max(ingest_run_id, loaded_at) AS last_run,
       strftime(max(loaded_at) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS last_loaded_at
  FROM loaded_files
 WHERE jurisdiction_id = $jurisdiction
 GROUP BY feed
 ORDER BY feed;

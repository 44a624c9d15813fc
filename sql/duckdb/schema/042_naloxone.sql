-- Naloxone program logs (ingest/feeds/naloxone.ts): one row per distribution or administration.
-- Keyed by (jurisdiction_id, event_id); ingest replaces an id it sees again.
CREATE TABLE IF NOT EXISTS naloxone_events (
  jurisdiction_id    VARCHAR NOT NULL,
  event_id           VARCHAR NOT NULL,
  event_date         DATE NOT NULL,
  event_kind         VARCHAR NOT NULL,  -- distribution | administration
  agency             VARCHAR NOT NULL,
  program            VARCHAR,
  precinct           VARCHAR,
  event_area         VARCHAR,
  kits               INTEGER,
  doses              INTEGER,
  definition_version VARCHAR NOT NULL,
  ingest_run_id      VARCHAR NOT NULL,
  source_sha256      VARCHAR NOT NULL
);

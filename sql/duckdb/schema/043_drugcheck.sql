-- Drug-checking samples (ingest/feeds/drugcheck-unc.ts): one row per tested sample. Keyed by
-- (jurisdiction_id, source_format, sample_id); ingest replaces a sample it sees again.
-- Substance names are lower case; flags follow sql/duckdb/definitions/drugcheck_substances.sql.
CREATE TABLE IF NOT EXISTS drugcheck_samples (
  jurisdiction_id     VARCHAR NOT NULL,
  source_format       VARCHAR NOT NULL,
  sample_id           VARCHAR NOT NULL,
  date_collected      DATE NOT NULL,
  location_name       VARCHAR,           -- the service's place name (city or neighborhood), as given
  event_area          VARCHAR,
  expected_substances VARCHAR[] NOT NULL,
  detected_substances VARCHAR[] NOT NULL,
  results_complete    BOOLEAN NOT NULL,  -- lab results in (a sample still at the lab tests nothing yet)
  fentanyl            BOOLEAN NOT NULL,
  fentanyl_analogue   BOOLEAN NOT NULL,
  xylazine            BOOLEAN NOT NULL,
  nitazene            BOOLEAN NOT NULL,
  medetomidine        BOOLEAN NOT NULL,
  benzodiazepine      BOOLEAN NOT NULL,
  fentanyl_concentration_pct DOUBLE,     -- percent by weight, when the service measures it
  price_usd           DOUBLE,
  method              VARCHAR NOT NULL,  -- ftir | test_strip | lab
  overdose_reported   BOOLEAN,           -- the sample was involved in an overdose; NULL unknown
  definition_version  VARCHAR NOT NULL,
  ingest_run_id       VARCHAR NOT NULL,
  source_sha256       VARCHAR NOT NULL
);

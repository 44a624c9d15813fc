-- Already-aggregated agency tables (e.g. Philadelphia DPH quarterly overdose deaths by ZIP), kept
-- cell by cell as the agency published them. A suppressed cell stays suppressed: value NULL,
-- suppressed true and the agency's rule ('<6'); it is never stored as 0 nor estimated. A cell
-- the agency did not report ('NA') has value NULL and suppressed false.
-- Natural key: (jurisdiction_id, source_format, indicator, geography, source_label, period_start,
-- period_end); a reload replaces the cells it brings (delete-then-insert in the adapter's commit).
CREATE TABLE IF NOT EXISTS aggregates (
  jurisdiction_id    VARCHAR NOT NULL,
  feed               VARCHAR NOT NULL,   -- the ingest feed that loaded the cell: 'aggregates'
  source_format      VARCHAR NOT NULL,   -- the adapter format, one per agency table layout
  indicator          VARCHAR NOT NULL,   -- catalog id, e.g. 'deaths.any_drug'
  area_id            VARCHAR,            -- NULL: not one area (see area_scope)
  area_scope         VARCHAR NOT NULL,   -- 'area' | 'jurisdiction' (whole) | 'out_of_jurisdiction' | 'unknown' | 'unmatched'
  source_label       VARCHAR NOT NULL,   -- the row label as published ('19104', 'OOJ', 'Unknown', 'EMS')
  geography          VARCHAR NOT NULL,   -- 'residence' | 'event'
  period_start       DATE NOT NULL,
  period_end         DATE NOT NULL,      -- inclusive
  value              INTEGER,
  suppressed         BOOLEAN NOT NULL,
  suppression_rule   VARCHAR,
  definition_version VARCHAR NOT NULL,
  ingest_run_id      VARCHAR NOT NULL,
  source_sha256      VARCHAR NOT NULL
);

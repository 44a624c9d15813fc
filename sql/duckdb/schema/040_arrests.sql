-- Arrests feed: one row per arrest, citation or deflection/diversion referral (ingest/feeds/arrests.ts).
-- Keyed by (jurisdiction_id, arrest_id); ingest replaces an id it sees again. No names, dates of
-- birth or coordinates: the person is the keyed hash person_key, the place is the area.
CREATE TABLE IF NOT EXISTS arrests_events (
  jurisdiction_id    VARCHAR NOT NULL,
  arrest_id          VARCHAR NOT NULL,
  event_date         DATE NOT NULL,
  event_type         VARCHAR NOT NULL,   -- arrest | citation | deflection_referral | diversion_referral
  precinct           VARCHAR,
  event_area         VARCHAR,
  nibrs_offense      VARCHAR,            -- NIBRS UCR offense code, e.g. 35A
  nibrs_drug_types   VARCHAR[] NOT NULL, -- NIBRS Data Element 20 codes (A–P, U, X)
  drug_offense       BOOLEAN NOT NULL,   -- NIBRS 35A or 35B
  referral_program   VARCHAR,
  jail_release_date  DATE,
  age_years          SMALLINT,
  sex                VARCHAR,
  definition_version VARCHAR NOT NULL,
  ingest_run_id      VARCHAR NOT NULL,
  source_sha256      VARCHAR NOT NULL,
  person_key         VARCHAR,
  link_key_id        VARCHAR
);

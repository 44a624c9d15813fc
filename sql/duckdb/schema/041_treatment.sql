-- Treatment admissions (ingest/feeds/treatment.ts), TEDS-A codes. 42 CFR Part 2: these rows serve
-- aggregates only, under the strictest small-cell suppression of any feed. Nothing here names a
-- patient: no name, date of birth, ZIP, exact age or provider record id. The natural key is the
-- keyed hash of the provider's admission id (admission_key); the person is person_key.
CREATE TABLE IF NOT EXISTS treatment_admissions (
  jurisdiction_id     VARCHAR NOT NULL,
  admission_key       VARCHAR NOT NULL,
  admission_date      DATE NOT NULL,
  discharge_date      DATE,
  residence_area      VARCHAR,
  age_group           SMALLINT,          -- TEDS-A AGE category 1–12
  sex                 VARCHAR,           -- from TEDS-A GENDER: M, F
  primary_substance   SMALLINT NOT NULL, -- TEDS-A SUB1
  secondary_substance SMALLINT,          -- TEDS-A SUB2
  moud                SMALLINT,          -- TEDS-A METHUSE 1 yes, 2 no; NULL missing
  referral_source     SMALLINT,          -- TEDS-A PSOURCE 1–7; NULL missing
  opioid              BOOLEAN NOT NULL,  -- SUB1 5, 6 or 7
  definition_version  VARCHAR NOT NULL,
  ingest_run_id       VARCHAR NOT NULL,
  source_sha256       VARCHAR NOT NULL,
  person_key          VARCHAR,
  link_key_id         VARCHAR NOT NULL
);

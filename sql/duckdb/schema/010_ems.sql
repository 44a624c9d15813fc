-- EMS feed: one row per EMS patient encounter (one NEMSIS PatientCareReport, or one row of an
-- agency's flat extract). No name, date of birth or street address is ever stored here: the
-- scene street address (eScene.15) is never read, names and date of birth (ePatient.02/.03/.17)
-- live only in temp stage tables to make person_key, and scene coordinates are rounded to
-- 3 decimals (about 100 m) before they land in this table.
--
-- Natural key (jurisdiction_id, record_system, record_id): ingest deletes then inserts, so an
-- overlapping or corrected extract replaces the encounter instead of duplicating it. No PRIMARY
-- KEY (see mortality_deaths in 001_core.sql for why).
CREATE TABLE IF NOT EXISTS ems_encounters (
  jurisdiction_id       VARCHAR NOT NULL,
  -- 'nemsis': record_id is eRecord.01 Patient Care Report Number (XML and flat extracts share it);
  -- 'tempe-objectid': record_id is the OBJECTID of the City of Tempe open-data extract.
  record_system         VARCHAR NOT NULL,
  record_id             VARCHAR NOT NULL,
  -- The adapter that read it: 'nemsis-3.5-xml', 'nemsis-csv', 'tempe-opioid-ems-csv'.
  source_format         VARCHAR NOT NULL,
  -- eTimes.03 Unit Notified by Dispatch Date/Time as an instant; NULL when the source gives only
  -- a date (the Tempe extract).
  unit_notified_at      TIMESTAMPTZ,
  -- The calendar date of eTimes.03 on the local clock the record was written in (the date part of
  -- the NEMSIS date/time, whose offset is local time). This is the event date of every indicator.
  unit_notified_date    DATE NOT NULL,
  scene_area            VARCHAR,
  -- eScene.11 Scene GPS Location, rounded to 3 decimals at most.
  scene_lon             DOUBLE,
  scene_lat             DOUBLE,
  -- ePatient.15/.16 in whole years (under one year: 0). Sources that give only an age band
  -- (Tempe: '25 to 29') leave age_years NULL and fill age_low/age_high.
  age_years             SMALLINT,
  age_low               SMALLINT,
  age_high              SMALLINT,
  -- 'F', 'M', or NULL (unknown): ePatient.25 Sex, else the deprecated ePatient.13 Gender.
  sex                   VARCHAR,
  -- ICD-10-CM codes as recorded (upper case, with the dot): eSituation.09, eSituation.10 (without
  -- pertinent negatives), eSituation.11, eSituation.12.
  primary_symptom       VARCHAR,
  other_symptoms        VARCHAR[] NOT NULL,
  primary_impression    VARCHAR,
  secondary_impressions VARCHAR[] NOT NULL,
  -- Medications given (eMedications.03 with a value and no pertinent negative): code (RxNorm when
  -- code_type is 9924003 or NULL), eMedications.02 given prior to this unit's care (9923001 yes,
  -- 9923003 no), eMedications.07 response (9916001 improved, 9916003 unchanged, 9916005 worse).
  medications           STRUCT(code VARCHAR, code_type VARCHAR, prior_to_ems VARCHAR, response VARCHAR)[] NOT NULL,
  -- NULL when the source does not say (Tempe 'NULL' markers; no response recorded in Tempe).
  naloxone_given        BOOLEAN,
  naloxone_improved     BOOLEAN,
  -- eDisposition.27 Unit Disposition, .28 Patient Evaluation/Care, .30 Transport Disposition, and
  -- the short label ems_disposition() makes of them.
  unit_disposition      VARCHAR,
  patient_care          VARCHAR,
  transport_disposition VARCHAR,
  disposition           VARCHAR,
  -- By the definition named in definition_version (sql/duckdb/definitions/ems_*.sql).
  opioid_overdose       BOOLEAN NOT NULL,
  definition_version    VARCHAR NOT NULL,
  person_key            VARCHAR,
  link_key_id           VARCHAR,
  ingest_run_id         VARCHAR NOT NULL,
  source_sha256         VARCHAR NOT NULL
);

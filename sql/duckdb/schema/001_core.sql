-- Analytic store. Feeds land here from ingest/; the server only reads.
-- No table in this file may hold a name, a date of birth or a street address (PRODUCT.md, privacy rules).

CREATE TABLE IF NOT EXISTS jurisdictions (
  id            VARCHAR PRIMARY KEY,
  name          VARCHAR NOT NULL,
  config        JSON NOT NULL,
  loaded_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS areas (
  jurisdiction_id VARCHAR NOT NULL,
  area_id         VARCHAR NOT NULL,
  name            VARCHAR NOT NULL,
  group_name      VARCHAR,
  geometry        JSON NOT NULL,
  centroid_lon    DOUBLE,
  centroid_lat    DOUBLE,
  PRIMARY KEY (jurisdiction_id, area_id)
);

-- One population figure per area and calendar year: the estimate whose period is nearest the year.
CREATE TABLE IF NOT EXISTS population (
  jurisdiction_id VARCHAR NOT NULL,
  area_id         VARCHAR NOT NULL,
  year            INTEGER NOT NULL,
  population      INTEGER NOT NULL,
  source_period   VARCHAR NOT NULL,
  PRIMARY KEY (jurisdiction_id, area_id, year)
);

-- One row per death. Keyed by (jurisdiction_id, case_number); ingest replaces a case it sees again,
-- so overlapping extracts never duplicate. No PRIMARY KEY: DuckDB checks it eagerly inside a
-- transaction that deletes and re-inserts the same key, which is exactly what a reload does.
CREATE TABLE IF NOT EXISTS mortality_deaths (
  jurisdiction_id    VARCHAR NOT NULL,
  case_number        VARCHAR NOT NULL,
  date_of_death      DATE NOT NULL,
  age_years          SMALLINT,
  sex                VARCHAR,
  race_ethnicity     VARCHAR,
  residence_area     VARCHAR,
  injury_area        VARCHAR,
  underlying_cause   VARCHAR NOT NULL,
  multiple_causes    VARCHAR[] NOT NULL,
  substances         VARCHAR[] NOT NULL,
  any_drug           BOOLEAN NOT NULL,
  opioid             BOOLEAN NOT NULL,
  heroin             BOOLEAN NOT NULL,
  natural_semisynthetic BOOLEAN NOT NULL,
  methadone          BOOLEAN NOT NULL,
  synthetic_opioid   BOOLEAN NOT NULL,
  cocaine            BOOLEAN NOT NULL,
  psychostimulant    BOOLEAN NOT NULL,
  benzodiazepine     BOOLEAN NOT NULL,
  xylazine           BOOLEAN NOT NULL,
  definition_version VARCHAR NOT NULL,
  ingest_run_id      VARCHAR NOT NULL,
  source_sha256      VARCHAR NOT NULL
);

-- Added after the first release of this table: the keyed hash of the person (ingest/linkage.ts).
ALTER TABLE mortality_deaths ADD COLUMN IF NOT EXISTS person_key VARCHAR;
ALTER TABLE mortality_deaths ADD COLUMN IF NOT EXISTS link_key_id VARCHAR;

-- Every file that was loaded, so loading the same bytes again is a no-op. Written in the same
-- transaction as the rows it brought.
CREATE TABLE IF NOT EXISTS loaded_files (
  jurisdiction_id VARCHAR NOT NULL,
  feed            VARCHAR NOT NULL,
  sha256          VARCHAR NOT NULL,
  file_name       VARCHAR NOT NULL,
  ingest_run_id   VARCHAR NOT NULL,
  rows_in         BIGINT NOT NULL,
  rows_accepted   BIGINT NOT NULL,
  rows_rejected   BIGINT NOT NULL,
  loaded_at       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (jurisdiction_id, feed, sha256)
);

-- Quarantine: each rejected row, where it was and why. The raw value is kept only for the field
-- that failed, never the whole row (which may hold a name or an address).
CREATE TABLE IF NOT EXISTS ingest_rejects (
  ingest_run_id   VARCHAR NOT NULL,
  jurisdiction_id VARCHAR NOT NULL,
  feed            VARCHAR NOT NULL,
  file_name       VARCHAR NOT NULL,
  line            BIGINT NOT NULL,
  field           VARCHAR NOT NULL,
  reason          VARCHAR NOT NULL,
  value           VARCHAR
);

-- Geometry for point-in-polygon inside DuckDB (no spatial extension here): every polygon ring
-- edge of every area, copied into each latitude band it spans, so a point is tested only against
-- the edges of its own band (even–odd ray casting, planar in lon/lat; fine at city scale).
CREATE TABLE IF NOT EXISTS area_edges (
  jurisdiction_id VARCHAR NOT NULL,
  area_id         VARCHAR NOT NULL,
  band            INTEGER NOT NULL,
  x1 DOUBLE NOT NULL, y1 DOUBLE NOT NULL, x2 DOUBLE NOT NULL, y2 DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS geo_bands (
  jurisdiction_id VARCHAR PRIMARY KEY,
  y0 DOUBLE NOT NULL, dy DOUBLE NOT NULL, bands INTEGER NOT NULL,
  xmin DOUBLE NOT NULL, xmax DOUBLE NOT NULL, ymin DOUBLE NOT NULL, ymax DOUBLE NOT NULL
);
-- A grid over the same extent, so that most points need no edge test at all: a cell that no
-- ring edge touches lies wholly inside one area or outside every area, which is worked out once
-- when the jurisdiction is loaded (ingest/geo.ts). A point's cell is arithmetic on its
-- coordinates, joined to area_grid_cells on the cell number; only points in cells an edge touches
-- are tested against the edges of their band.
CREATE TABLE IF NOT EXISTS area_grid (
  jurisdiction_id VARCHAR PRIMARY KEY,
  nx INTEGER NOT NULL, ny INTEGER NOT NULL,
  x0 DOUBLE NOT NULL, y0 DOUBLE NOT NULL, dx DOUBLE NOT NULL, dy DOUBLE NOT NULL
);
-- Cells numbered row by row from (x0, y0): cell = row * nx + column. A cell in no area has no row.
CREATE TABLE IF NOT EXISTS area_grid_cells (
  jurisdiction_id VARCHAR NOT NULL,
  cell            INTEGER NOT NULL,
  -- The area holding the whole cell (the lowest id where areas overlap); NULL when an edge touches
  -- the cell, so each point in it is tested exactly.
  area_id         VARCHAR
);

-- Codes that name an area indirectly (ZIP → UHF neighborhood, precinct → area …).
CREATE TABLE IF NOT EXISTS crosswalks (
  jurisdiction_id VARCHAR NOT NULL,
  kind            VARCHAR NOT NULL,
  code            VARCHAR NOT NULL,
  area_id         VARCHAR NOT NULL
);

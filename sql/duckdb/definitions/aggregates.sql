-- Reading the cells of already-aggregated agency tables (feed 'aggregates'). Change the version
-- with any change to these rules; it is recorded on every cell.
CREATE OR REPLACE MACRO aggregates_definition_version() AS 'agency-cells-v1';

-- A published count: digits only.
CREATE OR REPLACE MACRO agg_cell_value(raw) AS
  CASE WHEN regexp_full_match(trim(coalesce(raw, '')), '[0-9]{1,9}') THEN trim(raw)::INTEGER END;

-- A suppressed cell, '<6' (Philadelphia DPH: counts under 6 are not published): the rule as
-- written, spaces removed. The count behind it is unknown: never 0, never estimated.
CREATE OR REPLACE MACRO agg_cell_suppression(raw) AS
  CASE WHEN regexp_full_match(trim(coalesce(raw, '')), '<\s*[0-9]{1,9}') THEN replace(trim(raw), ' ', '') END;

-- A cell the agency did not report (the program did not exist yet): 'NA' or empty.
CREATE OR REPLACE MACRO agg_cell_not_reported(raw) AS
  raw IS NULL OR upper(trim(raw)) IN ('', 'NA', 'N/A');

-- A quarter column as R's read.csv writes it ('X2014Q1'), or plain '2014Q1'.
CREATE OR REPLACE MACRO agg_quarter_start(label) AS
  CASE WHEN regexp_full_match(trim(label), 'X?[0-9]{4}Q[1-4]')
       THEN make_date(regexp_extract(label, '([0-9]{4})Q([1-4])', 1)::INTEGER,
                      3 * regexp_extract(label, '([0-9]{4})Q([1-4])', 2)::INTEGER - 2, 1) END;

-- Row labels that are not an area: out of the jurisdiction, unknown, or the whole jurisdiction.
CREATE OR REPLACE MACRO agg_label_scope(label) AS
  CASE upper(trim(label))
    WHEN 'OOJ' THEN 'out_of_jurisdiction'
    WHEN 'UNKNOWN' THEN 'unknown'
    WHEN 'TOTAL' THEN 'jurisdiction'
    WHEN 'ALL' THEN 'jurisdiction'
  END;

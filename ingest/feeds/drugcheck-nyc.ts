// Drug-checking feed, the NYC Department of Health and Mental Hygiene's published monthly tables
// (nychealth/drugchecking-data, data-tables/): samples received per month, and lab-confirmed
// fentanyl / xylazine / medetomidine positivity among samples sold as opioids. These are already
// aggregated, citywide, so they go to the shared `aggregates` table (one cell per indicator and
// month, area_scope 'jurisdiction'), never to drugcheck_samples or indicator_events.
// The publisher's cumulative tables (data_total_samples.csv, data_fent_pos_by_substance_class.csv)
// carry no period end, so no adapter reads them.
import type { DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../../sql/duckdb.ts';
import type { Adapter } from '../run.ts';
import { addMalformedRows, dropCsvStage, readCsvStage } from './csv-stage.ts';
import { POPULATION_YEARS } from '../jurisdiction.ts';

/** data_counts_per_month.csv: "yr_mo" ('Nov 2021'), "count" (samples received that month). */
export const NYC_COUNTS_COLUMNS = ['yr_mo', 'count'] as const;

/**
 * data_multipanel_positivity.csv, per month, among samples sold as opioids and sent to the
 * secondary laboratory: Total_Lab, the positives for fentanyl / xylazine / medetomidine, and the
 * percentages (Total_Lab_*_Pos / Total_Lab, checked against the counts, not stored).
 */
export const NYC_POSITIVITY_COLUMNS = [
  'yr_mo',
  'total_lab_fent_pos',
  'total_lab_xyl_pos',
  'total_lab_med_pos',
  'total_lab',
  'pct_lab_fent_pos',
  'pct_lab_xyl_pos',
  'pct_lab_med_pos',
] as const;

/**
 * Indicator ids of the published NYC cells (aggregate-only: they are not counts of
 * drugcheck_samples, and their definitions are the publisher's, data-tables/README).
 */
export const NYC_DRUGCHECK_INDICATORS = {
  'drugcheck.samples_received': 'Samples submitted to the NYC Drug Checking Program in the month (data_counts_per_month.csv)',
  'drugcheck.opioid_samples_lab_tested': 'Samples sold as opioids that were sent to the secondary laboratory (Total_Lab)',
  'drugcheck.opioid_samples_fentanyl_positive': 'Of those, samples found to contain fentanyl (Total_Lab_Fent_Pos)',
  'drugcheck.opioid_samples_xylazine_positive': 'Of those, samples found to contain xylazine (Total_Lab_Xyl_Pos)',
  'drugcheck.opioid_samples_medetomidine_positive': 'Of those, samples found to contain medetomidine (Total_Lab_Med_Pos)',
} as const;

export const NYC_COUNTS_FORMAT = 'nyc-dohmh-drugcheck-counts-per-month-csv';
export const NYC_POSITIVITY_FORMAT = 'nyc-dohmh-drugcheck-multipanel-positivity-csv';
/** The cells cover the whole program, citywide. */
const SOURCE_LABEL = 'NYC Drug Checking Program';

// A month label 'Nov 2021' as the first and last day of that month; anything else NULL.
const MONTH_START = `try_strptime('01 ' || trim(yr_mo), '%d %b %Y')::DATE`;
// Months before the first population year are out of range, as in the other feeds ('Jan 1800').
const EARLIEST = `DATE '${POPULATION_YEARS.first}-01-01'`;
// A published count: a whole number, or -1 (never valid).
const count = (c: string) =>
  `CASE WHEN regexp_full_match(trim(coalesce(${c}, '')), '[0-9]{1,9}') THEN trim(${c})::INTEGER ELSE -1 END`;

async function definitionVersions(conn: DuckDBConnection) {
  const [r] = await rows<{ v: string }>(conn, 'SELECT drugcheck_nyc_aggregates_version() AS v');
  return { drugcheck_nyc: r?.v ?? 'unknown' };
}

async function commitCells(conn: DuckDBConnection, format: string, ctx: { jurisdiction: string; runId: string; sha256: string }) {
  // A month seen again (a later publication) replaces the earlier cells of that month.
  await conn.run(
    `DELETE FROM aggregates a
      WHERE a.jurisdiction_id = $j AND a.source_format = $fmt AND a.source_label = $label AND a.geography = 'event'
        AND EXISTS (SELECT 1 FROM stage_cells s
                     WHERE s.indicator = a.indicator AND s.period_start = a.period_start AND s.period_end = a.period_end)`,
    { j: ctx.jurisdiction, fmt: format, label: SOURCE_LABEL },
  );
  await conn.run(
    `INSERT INTO aggregates (jurisdiction_id, feed, source_format, indicator, area_id, area_scope, source_label, geography,
                             period_start, period_end, value, suppressed, suppression_rule, definition_version,
                             ingest_run_id, source_sha256)
     SELECT $j, 'drugcheck', $fmt, indicator, NULL, 'jurisdiction', $label, 'event', period_start, period_end,
            value, false, NULL, drugcheck_nyc_aggregates_version(), $run, $sha
       FROM stage_cells`,
    { j: ctx.jurisdiction, fmt: format, label: SOURCE_LABEL, run: ctx.runId, sha: ctx.sha256 },
  );
  await conn.run('DROP TABLE stage_cells');
}

export const drugcheckNycCountsAdapter: Adapter = {
  feed: 'drugcheck',
  format: NYC_COUNTS_FORMAT,
  detect: (s) => s.columns !== null && s.columns.length === 2 && NYC_COUNTS_COLUMNS.every((c) => s.columns!.includes(c)),

  async stage(conn, file) {
    await readCsvStage(conn, file, { required: NYC_COUNTS_COLUMNS });
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_checked AS
       WITH p AS (
         SELECT line, yr_mo, ${MONTH_START} AS period_start, "count" AS n_raw, ${count('"count"')} AS n,
                row_number() OVER (PARTITION BY ${MONTH_START} ORDER BY line) AS occurrence
           FROM stage_rows
       ),
       c AS (
         SELECT *,
           CASE
             WHEN period_start IS NULL THEN struct_pack(reason := 'invalid_month', field := 'yr_mo', value := yr_mo)
             WHEN period_start > current_date OR period_start < ${EARLIEST} THEN struct_pack(reason := 'date_out_of_range', field := 'yr_mo', value := yr_mo)
             WHEN occurrence > 1 THEN struct_pack(reason := 'duplicate_month', field := 'yr_mo', value := yr_mo)
             WHEN n < 0 THEN struct_pack(reason := 'invalid_count', field := 'count', value := n_raw)
           END AS why
           FROM p
       )
       SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
              period_start, last_day(period_start) AS period_end, n AS samples_received
         FROM c`,
    );
    await addMalformedRows(conn);
    await dropCsvStage(conn);
  },

  async commit(conn, ctx) {
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_cells AS
       SELECT 'drugcheck.samples_received' AS indicator, period_start, period_end, samples_received AS value
         FROM stage_checked WHERE reason IS NULL`,
    );
    await commitCells(conn, NYC_COUNTS_FORMAT, ctx);
  },

  unassigned: async () => 0, // citywide cells are placed by design
  definitionVersions,
};

export const drugcheckNycPositivityAdapter: Adapter = {
  feed: 'drugcheck',
  format: NYC_POSITIVITY_FORMAT,
  detect: (s) => s.columns !== null && NYC_POSITIVITY_COLUMNS.every((c) => s.columns!.includes(c)),

  async stage(conn, file) {
    await readCsvStage(conn, file, { required: NYC_POSITIVITY_COLUMNS });
    // The published percentage is Total_Lab_*_Pos / Total_Lab × 100 rounded to 2 decimals
    // (data-tables/README); a row where it disagrees with the counts is not trusted.
    const pctOff = (pos: string, pct: string) =>
      `(total > 0 AND (try_cast(trim(${pct}) AS DOUBLE) IS NULL OR abs(try_cast(trim(${pct}) AS DOUBLE) - 100.0 * ${pos} / total) > 0.006))`;
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_checked AS
       WITH p AS (
         SELECT line, yr_mo, ${MONTH_START} AS period_start,
                total_lab, ${count('total_lab')} AS total,
                total_lab_fent_pos, ${count('total_lab_fent_pos')} AS fent,
                total_lab_xyl_pos, ${count('total_lab_xyl_pos')} AS xyl,
                total_lab_med_pos, ${count('total_lab_med_pos')} AS med,
                pct_lab_fent_pos, pct_lab_xyl_pos, pct_lab_med_pos,
                row_number() OVER (PARTITION BY ${MONTH_START} ORDER BY line) AS occurrence
           FROM stage_rows
       ),
       c AS (
         SELECT *,
           CASE
             WHEN period_start IS NULL THEN struct_pack(reason := 'invalid_month', field := 'yr_mo', value := yr_mo)
             WHEN period_start > current_date OR period_start < ${EARLIEST} THEN struct_pack(reason := 'date_out_of_range', field := 'yr_mo', value := yr_mo)
             WHEN occurrence > 1 THEN struct_pack(reason := 'duplicate_month', field := 'yr_mo', value := yr_mo)
             WHEN total < 0 THEN struct_pack(reason := 'invalid_count', field := 'total_lab', value := total_lab)
             WHEN fent < 0 THEN struct_pack(reason := 'invalid_count', field := 'total_lab_fent_pos', value := total_lab_fent_pos)
             WHEN xyl < 0 THEN struct_pack(reason := 'invalid_count', field := 'total_lab_xyl_pos', value := total_lab_xyl_pos)
             WHEN med < 0 THEN struct_pack(reason := 'invalid_count', field := 'total_lab_med_pos', value := total_lab_med_pos)
             WHEN fent > total THEN struct_pack(reason := 'positives_exceed_total', field := 'total_lab_fent_pos', value := total_lab_fent_pos)
             WHEN xyl > total THEN struct_pack(reason := 'positives_exceed_total', field := 'total_lab_xyl_pos', value := total_lab_xyl_pos)
             WHEN med > total THEN struct_pack(reason := 'positives_exceed_total', field := 'total_lab_med_pos', value := total_lab_med_pos)
             WHEN ${pctOff('fent', 'pct_lab_fent_pos')} THEN struct_pack(reason := 'inconsistent_percent', field := 'pct_lab_fent_pos', value := pct_lab_fent_pos)
             WHEN ${pctOff('xyl', 'pct_lab_xyl_pos')} THEN struct_pack(reason := 'inconsistent_percent', field := 'pct_lab_xyl_pos', value := pct_lab_xyl_pos)
             WHEN ${pctOff('med', 'pct_lab_med_pos')} THEN struct_pack(reason := 'inconsistent_percent', field := 'pct_lab_med_pos', value := pct_lab_med_pos)
           END AS why
           FROM p
       )
       SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
              period_start, last_day(period_start) AS period_end, total, fent, xyl, med
         FROM c`,
    );
    await addMalformedRows(conn);
    await dropCsvStage(conn);
  },

  async commit(conn, ctx) {
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_cells AS
       SELECT indicator, period_start, period_end, value FROM (
         SELECT period_start, period_end, total, fent, xyl, med FROM stage_checked WHERE reason IS NULL
       ) UNPIVOT (value FOR indicator IN (
         total AS 'drugcheck.opioid_samples_lab_tested',
         fent AS 'drugcheck.opioid_samples_fentanyl_positive',
         xyl AS 'drugcheck.opioid_samples_xylazine_positive',
         med AS 'drugcheck.opioid_samples_medetomidine_positive'))`,
    );
    await commitCells(conn, NYC_POSITIVITY_FORMAT, ctx);
  },

  unassigned: async () => 0, // citywide cells are placed by design
  definitionVersions,
};

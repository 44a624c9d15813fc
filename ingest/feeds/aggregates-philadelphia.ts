// Aggregates feed: tables an agency publishes already counted and already suppressed, kept cell
// by cell in table `aggregates` (sql/duckdb/schema/020_aggregates.sql; view aggregate_counts).
// Two layouts of the Philadelphia Department of Public Health (tables released for the 2020
// CodeForPhilly datahack), both one row per label and one column per quarter, as R's write.csv
// names quarters ('X2014Q1'):
//   * phl-dph-quarterly-zip-csv: overdose deaths by ZIP code and quarter, one file by incident ZIP
//     (dph_od_incident_counts.csv, header ZIPCODE → geography 'event') and one by residence ZIP
//     (dph_od_resident_counts.csv, header Zip.Code → 'residence'); rows 'OOJ' (out of the
//     jurisdiction) and 'Unknown'; cells under 6 published as '<6'.
//   * phl-dph-quarterly-agency-csv: naloxone administrations by agency (EMS, Police, SEPTA
//     transit police) and quarter, city-wide; 'NA' before a program reported.
// Cell rules (sql/duckdb/definitions/aggregates.sql): digits are a count; '<6' is suppressed and
// stays so (value NULL, never 0, never estimated); 'NA' is not reported; anything else is
// rejected with its line and quarter. One staged row per cell.
// The DPH codebook named in data/README.md is not among the shared files; indicator meanings are
// taken from the file names and the dashboard they fed, and the death counts are mapped to
// 'deaths.any_drug' (DPH: unintentional drug overdose deaths).
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../../sql/duckdb.ts';
import { assignAreasByCode } from '../geo.ts';
import { POPULATION_YEARS } from '../jurisdiction.ts';
import { FEED_CSV_OPTIONS, IngestError, type Adapter, type FileSample } from '../run.ts';
import { refuseLostRecords } from './csv-stage.ts';

const QUARTER = /^x?\d{4}q[1-4]$/;

function quarterly(s: FileSample, first: (c: string) => boolean): boolean {
  const c = s.columns;
  return c !== null && c.length > 1 && first(c[0]!) && c.slice(1).every((x) => QUARTER.test(x));
}

/** Row labels of the agency table → indicator ids. */
export const PHL_AGENCY_INDICATORS: Readonly<Record<string, string>> = {
  EMS: 'naloxone.administered_ems',
  POLICE: 'naloxone.administered_police',
  SEPTA: 'naloxone.administered_transit_police',
};

interface Layout {
  format: string;
  /** 'zip': labels are ZIP codes (or OOJ/Unknown); 'agency': labels name an indicator. */
  labels: 'zip' | 'agency';
  geography(file: string): 'residence' | 'event';
}

/**
 * Reads a quarterly label × quarter table into stage_checked: line, reason, field (the quarter
 * column), value (the raw cell), then indicator, area_id, area_scope, source_label, geography,
 * period_start, period_end, cell_value, suppressed, suppression_rule.
 */
async function stageQuarterly(conn: DuckDBConnection, file: string, jurisdiction: string, layout: Layout): Promise<void> {
  const geography = layout.geography(file);
  await conn.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans;');
  // header = false: the header row is read as line 1 and gives each column its quarter.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE agg_read AS
     SELECT row_number() OVER () AS rec, *
       FROM read_csv($path, header = false, ${FEED_CSV_OPTIONS},
                     ignore_errors = true, store_rejects = true, strict_mode = true)`,
    { path: file },
  );
  // A quote left open loses the records after it without a reject: refused (csv-stage.ts).
  await refuseLostRecords(conn, file, { kept: 'agg_read', headerRow: true });
  // DuckDB names header-less columns column0 … or column00 … by width: the label column's name
  // is taken from the catalog, in that exact shape only.
  const names = await rows<{ column_name: string }>(conn, `SELECT column_name FROM (DESCRIBE agg_read)`);
  const labelCol = names[1]?.column_name ?? '';
  if (!/^column0+$/.test(labelCol) || names.length < 3) throw new IngestError(`${file}: line 1: expected a label column and quarter columns`);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE agg_malformed AS
     SELECT line, left(arg_min(error_message, column_idx), 200) AS value FROM reject_errors GROUP BY line`,
  );
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE agg_rows AS
     WITH total AS (SELECT (SELECT count(*) FROM agg_read) + (SELECT count(*) FROM agg_malformed) AS n),
          good AS (SELECT l AS line FROM total, range(1, total.n + 1) r(l) WHERE l NOT IN (SELECT line FROM agg_malformed)),
          numbered AS (SELECT row_number() OVER (ORDER BY line) AS rec, line FROM good)
     SELECT n.line, r.* EXCLUDE (rec) RENAME (${labelCol} AS label) FROM agg_read r JOIN numbered n USING (rec)`,
  );
  // UNPIVOT drops NULL cells, and an empty cell is one: '' stands in for it through the unpivot.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE agg_long AS
     SELECT line, col, nullif(raw, '') AS raw FROM (
       UNPIVOT (SELECT line, coalesce(COLUMNS(* EXCLUDE (line, label)), '') FROM agg_rows)
       ON COLUMNS(* EXCLUDE (line)) INTO NAME col VALUE raw)`,
  );
  const header = await rows<{ col: string; label: string | null }>(
    conn,
    `SELECT col, raw AS label FROM agg_long WHERE line = 1 ORDER BY try_cast(substr(col, 7) AS INTEGER)`,
  );
  if (header.length === 0) throw new IngestError(`${file}: line 1: no header row with quarter columns`);
  const notQuarter = header.filter((h) => !QUARTER.test((h.label ?? '').trim().toLowerCase()));
  if (notQuarter.length > 0) {
    throw new IngestError(
      `${file}: line 1: column(s) ${notQuarter.map((h) => `"${h.label ?? ''}"`).join(', ')} are not quarters (expected X2014Q1, X2014Q2 …)`,
    );
  }
  // Every cell's period comes from its column's header, so a quarter outside the years any series
  // covers (the first population year to this quarter) refuses the whole file, naming the column.
  const now = new Date();
  const latest = now.getFullYear() * 4 + Math.floor(now.getMonth() / 3);
  const outOfRange = header.filter((h) => {
    const [, y, q] = /(\d{4})q([1-4])$/.exec((h.label ?? '').trim().toLowerCase())!;
    return Number(y) < POPULATION_YEARS.first || Number(y) * 4 + Number(q) - 1 > latest;
  });
  if (outOfRange.length > 0) {
    throw new IngestError(
      `${file}: line 1: column(s) ${outOfRange.map((h) => `"${h.label ?? ''}"`).join(', ')} name quarters outside ${POPULATION_YEARS.first}Q1 – the current quarter`,
    );
  }

  await conn.run('CREATE OR REPLACE TEMP TABLE agg_indicators (label VARCHAR, indicator VARCHAR)');
  if (layout.labels === 'agency') {
    for (const [label, indicator] of Object.entries(PHL_AGENCY_INDICATORS)) {
      await conn.run('INSERT INTO agg_indicators VALUES ($l, $i)', { l: label, i: indicator });
    }
  }
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE agg_cells AS
     WITH h AS (SELECT col, trim(raw) AS quarter FROM agg_long WHERE line = 1),
          c AS (
            SELECT l.line, h.quarter, l.raw, nullif(trim(r.label), '') AS source_label,
                   agg_quarter_start(h.quarter) AS period_start
              FROM agg_long l JOIN h USING (col) JOIN agg_rows r ON r.line = l.line
             WHERE l.line > 1)
     SELECT c.*, (period_start + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS period_end,
            CASE WHEN $agency THEN i.indicator ELSE 'deaths.any_drug' END AS indicator,
            CASE WHEN $agency THEN 'jurisdiction' ELSE coalesce(agg_label_scope(source_label), 'unmatched') END AS area_scope,
            NULL::VARCHAR AS area_id,
            dense_rank() OVER (PARTITION BY upper(source_label) ORDER BY c.line) AS occurrence
       FROM c LEFT JOIN agg_indicators i ON i.label = upper(c.source_label)`,
    { agency: layout.labels === 'agency' },
  );
  if (layout.labels === 'zip') {
    await assignAreasByCode(conn, { jurisdiction, table: 'agg_cells', code: 'source_label', target: 'area_id' });
    await conn.run(`UPDATE agg_cells SET area_scope = 'area' WHERE area_id IS NOT NULL`);
  }
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stage_checked AS
     WITH k AS (
       SELECT *,
         CASE
           WHEN source_label IS NULL THEN struct_pack(reason := 'missing_label', field := 'row label', value := NULL::VARCHAR)
           WHEN indicator IS NULL THEN struct_pack(reason := 'unknown_row_label', field := 'row label', value := source_label)
           WHEN occurrence > 1 THEN struct_pack(reason := 'duplicate_row', field := 'row label', value := source_label)
           WHEN agg_cell_value(raw) IS NULL AND agg_cell_suppression(raw) IS NULL AND NOT agg_cell_not_reported(raw)
             THEN struct_pack(reason := 'invalid_count', field := quarter, value := raw)
         END AS why
       FROM agg_cells
     )
     SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
            indicator, area_id, area_scope, source_label, $geography AS geography, period_start, period_end,
            agg_cell_value(raw) AS cell_value,
            agg_cell_suppression(raw) IS NOT NULL AS suppressed,
            agg_cell_suppression(raw) AS suppression_rule
       FROM k
     UNION ALL
     SELECT line, 'malformed_row', 'row', value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM agg_malformed`,
    { geography },
  );
  for (const t of ['agg_read', 'agg_malformed', 'agg_rows', 'agg_long', 'agg_indicators', 'agg_cells']) {
    await conn.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

function adapter(layout: Layout, detect: (s: FileSample) => boolean): Adapter {
  return {
    feed: 'aggregates',
    format: layout.format,
    detect,
    stage: (conn, file, ctx) => stageQuarterly(conn, file, ctx.jurisdiction, layout),

    async commit(conn, { jurisdiction, runId, sha256 }) {
      // A cell published again (an overlapping or revised table) replaces the earlier one.
      await conn.run(
        `DELETE FROM aggregates a USING (SELECT * FROM stage_checked WHERE reason IS NULL) s
          WHERE a.jurisdiction_id = $j AND a.source_format = $format AND a.indicator = s.indicator
            AND a.geography = s.geography AND a.source_label = s.source_label
            AND a.period_start = s.period_start AND a.period_end = s.period_end`,
        { j: jurisdiction, format: layout.format },
      );
      await conn.run(
        `INSERT INTO aggregates (jurisdiction_id, feed, source_format, indicator, area_id, area_scope, source_label, geography,
                                 period_start, period_end, value, suppressed, suppression_rule, definition_version,
                                 ingest_run_id, source_sha256)
         SELECT $j, 'aggregates', $format, indicator, area_id, area_scope, source_label, geography,
                period_start, period_end, cell_value, suppressed, suppression_rule, aggregates_definition_version(), $run, $sha
           FROM stage_checked WHERE reason IS NULL`,
        { j: jurisdiction, format: layout.format, run: runId, sha: sha256 },
      );
    },

    async unassigned(conn) {
      const [r] = await rows<{ n: number }>(
        conn,
        `SELECT count(*)::INTEGER AS n FROM stage_checked WHERE reason IS NULL AND area_scope NOT IN ('area', 'jurisdiction')`,
      );
      return r?.n ?? 0;
    },

    async definitionVersions(conn) {
      const [r] = await rows<{ v: string }>(conn, 'SELECT aggregates_definition_version() AS v');
      return { aggregates: r?.v ?? 'unknown' };
    },
  };
}

export const phlQuarterlyZipAdapter = adapter(
  {
    format: 'phl-dph-quarterly-zip-csv',
    labels: 'zip',
    // The two tables differ only in the file name (and the spelling of the first header).
    geography(file) {
      const name = basename(file).toLowerCase();
      if (name.includes('incident')) return 'event';
      if (name.includes('resident')) return 'residence';
      throw new IngestError(
        `${file}: cannot tell whether these counts are by incident ZIP or by residence ZIP; the file name must contain "incident" or "resident" (as DPH names them: dph_od_incident_counts.csv, dph_od_resident_counts.csv)`,
      );
    },
  },
  (s) => quarterly(s, (c) => ['zipcode', 'zip.code', 'zip code', 'zip'].includes(c)),
);

export const phlQuarterlyAgencyAdapter = adapter(
  { format: 'phl-dph-quarterly-agency-csv', labels: 'agency', geography: () => 'event' },
  (s) => quarterly(s, (c) => c === 'x' || c === '' || c === 'agency') && /\nEMS,/i.test(s.head),
);

// Drug-checking feed, record-level samples in the UNC Street Drug Analysis Lab export format
// (opioiddatalab/drugchecking, datasets/selfservice/<program>/analysis_dataset.csv): one row per
// sample, collection date like 03Mar2024, the substances the person expected ('fentanyl;
// xylazine'), and the lab's detections as 0/1 columns lab_<substance>[_any]. The lab confirms
// every sample (GC-MS), so the method is 'lab' unless the file says otherwise. Read and checked
// inside DuckDB; only the columns named below are ever read.
import { LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../../sql/duckdb.ts';
import type { Adapter } from '../run.ts';
import { assignAreasByCode } from '../geo.ts';
import { POPULATION_YEARS } from '../jurisdiction.ts';
import { addMalformedRows, col, countUnassigned, dropCsvStage, readCsvStage } from './csv-stage.ts';

/** Columns every UNC analysis_dataset export has and this adapter needs. */
export const DRUGCHECK_UNC_COLUMNS = [
  'sampleid', // the lab's sample id; a later export with the same id replaces the sample
  'location', // city or neighborhood name where the sample was collected (matched to an area id or name)
  'date_collect', // collection date, DDMonYYYY (03Mar2024)
  'expectedsubstance', // what the person expected, ';'-separated ('fentanyl; xylazine')
  'lab_fentanyl_any', // 1 = fentanyl detected (any amount, trace included), 0 = not, empty = no result
  'lab_xylazine_any', // 1 = xylazine detected (any amount), 0 = not, empty = no result
] as const;

/**
 * The lab's other detection columns (0/1, empty = no result) and the substance or class name each
 * stands for in drugcheck_samples.detected_substances. Read when present; exports from different
 * programs and dates carry different sets (the Allegheny County export has the first eleven).
 */
export const UNC_LAB_SUBSTANCES = {
  lab_fentanyl_any: 'fentanyl',
  lab_xylazine_any: 'xylazine',
  lab_meth_any: 'methamphetamine',
  lab_cocaine_any: 'cocaine',
  lab_caffeine: 'caffeine',
  lab_gabapentin: 'gabapentin',
  lab_levamisole_any: 'levamisole',
  lab_mdma: 'mdma',
  lab_tramadol: 'tramadol',
  lab_carfentanil_any: 'carfentanil',
  lab_ketamine_any: 'ketamine',
  lab_designer_benzos_any: 'designer benzodiazepine',
  lab_benzos_any: 'benzodiazepine',
  lab_nitazenes_any: 'nitazene',
  lab_opiates_opioids_any: 'opiate or opioid (class)',
  lab_synthetic_cannabinoids_any: 'synthetic cannabinoid',
  lab_substituted_cathinones_any: 'substituted cathinone',
} as const;

/**
 * Optional columns outside the UNC export, for services (and the synthetic city's generator) that
 * report more in the same layout. Absent columns read as empty.
 */
export const DRUGCHECK_UNC_EXTENSION_COLUMNS = [
  'date_complete', // UNC: date the lab finished (DDMonYYYY); a sample with no date and no lab result is still at the lab
  'overdose', // UNC: 'involved in OD', 'not overdose related', 'unknown'
  'detected_substances', // extension: other detected substance names, ';'-separated ('medetomidine; bromazolam; 4-anpp')
  'fentanyl_concentration_pct', // extension: fentanyl percent by weight, 0–100
  'price_usd', // extension: price paid in US dollars
  'method', // extension: one of DRUGCHECK_METHODS; empty = 'lab'
] as const;

export const DRUGCHECK_METHODS = ['ftir', 'test_strip', 'lab'] as const;

const LAB_COLUMNS = Object.keys(UNC_LAB_SUBSTANCES) as (keyof typeof UNC_LAB_SUBSTANCES)[];
const OPTIONAL_LAB = LAB_COLUMNS.filter((c) => !(DRUGCHECK_UNC_COLUMNS as readonly string[]).includes(c));
const EARLIEST_DATE = `${POPULATION_YEARS.first}-01-01`;
export const UNC_FORMAT = 'unc-sdal-analysis-csv';

export const drugcheckUncAdapter: Adapter = {
  feed: 'drugcheck',
  format: UNC_FORMAT,
  detect: (s) => s.columns !== null && ['sampleid', 'date_collect', 'expectedsubstance'].every((c) => s.columns!.includes(c)),

  async stage(conn, file, { jurisdiction }) {
    await readCsvStage(conn, file, {
      required: DRUGCHECK_UNC_COLUMNS,
      optional: [...OPTIONAL_LAB, ...DRUGCHECK_UNC_EXTENSION_COLUMNS],
    });
    // Lab columns and the names they stand for come from the constant above, never from the file.
    const labFlags = LAB_COLUMNS.map((c) => `nullif(trim(${col(c)}), '')`);
    const unc = (c: string) => `try_strptime(trim(${c}), '%d%b%Y')::DATE`;
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_parsed AS
       SELECT line,
              nullif(trim(sampleid), '') AS sample_id,
              nullif(trim(location), '') AS location_name,
              date_collect AS date_raw,
              ${unc('date_collect')} AS date_collected,
              nullif(trim(date_complete), '') AS complete_raw,
              ${unc('date_complete')} AS date_complete,
              drugcheck_distinct(list_filter(list_transform(string_split(coalesce(expectedsubstance, ''), ';'), x -> lower(trim(x))), x -> x <> '')) AS expected,
              [${labFlags.join(', ')}] AS lab_values,
              list_filter(list_transform(string_split(coalesce(detected_substances, ''), ';'), x -> lower(trim(x))), x -> x <> '') AS extra_detected,
              lower(trim(coalesce(overdose, ''))) AS overdose_raw,
              nullif(trim(fentanyl_concentration_pct), '') AS conc_raw,
              try_cast(trim(fentanyl_concentration_pct) AS DOUBLE) AS conc,
              nullif(trim(price_usd), '') AS price_raw,
              try_cast(trim(price_usd) AS DOUBLE) AS price,
              coalesce(nullif(lower(trim(method)), ''), 'lab') AS method,
              row_number() OVER (PARTITION BY nullif(trim(sampleid), '') ORDER BY line) AS occurrence,
              NULL::VARCHAR AS area_by_code
         FROM stage_rows`,
    );
    await assignAreasByCode(conn, { jurisdiction, table: 'stage_parsed', code: 'location_name', target: 'area_by_code' });
    // A place name that is an area's name (case and spacing aside) places the sample there too.
    await conn.run(
      `UPDATE stage_parsed SET area_by_code = m.area_id
         FROM (SELECT lower(trim(name)) AS name, min(area_id) AS area_id FROM areas WHERE jurisdiction_id = $j GROUP BY 1) m
        WHERE stage_parsed.area_by_code IS NULL AND m.name = lower(stage_parsed.location_name)`,
      { j: jurisdiction },
    );
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE stage_checked AS
       WITH c AS (
         SELECT *,
           drugcheck_distinct(list_concat(list_filter($lab_names, (x, i) -> lab_values[i] = '1'), extra_detected)) AS detected,
           CASE
             WHEN sample_id IS NULL THEN struct_pack(reason := 'missing_sample_id', field := 'sampleid', value := NULL::VARCHAR)
             WHEN occurrence > 1 THEN struct_pack(reason := 'duplicate_sample_id', field := 'sampleid', value := sample_id)
             WHEN date_collected IS NULL THEN struct_pack(reason := 'invalid_date', field := 'date_collect', value := date_raw)
             WHEN date_collected < $earliest::DATE OR date_collected > current_date
               THEN struct_pack(reason := 'date_out_of_range', field := 'date_collect', value := date_raw)
             WHEN complete_raw IS NOT NULL AND date_complete IS NULL
               THEN struct_pack(reason := 'invalid_date', field := 'date_complete', value := complete_raw)
             WHEN len(list_filter(lab_values, x -> x IS NOT NULL AND x NOT IN ('0', '1'))) > 0
               THEN struct_pack(reason := 'invalid_flag', field := $lab_columns[list_position(list_transform(lab_values, x -> x IS NOT NULL AND x NOT IN ('0', '1')), true)],
                                value := list_filter(lab_values, x -> x IS NOT NULL AND x NOT IN ('0', '1'))[1])
             WHEN conc_raw IS NOT NULL AND (conc IS NULL OR conc NOT BETWEEN 0 AND 100)
               THEN struct_pack(reason := 'invalid_number', field := 'fentanyl_concentration_pct', value := conc_raw)
             WHEN price_raw IS NOT NULL AND (price IS NULL OR price < 0)
               THEN struct_pack(reason := 'invalid_number', field := 'price_usd', value := price_raw)
             WHEN NOT list_contains($methods, method)
               THEN struct_pack(reason := 'invalid_code', field := 'method', value := method)
           END AS why
         FROM stage_parsed
       )
       SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
              sample_id, date_collected, location_name, area_by_code AS event_area,
              expected AS expected_substances, detected AS detected_substances,
              date_complete IS NOT NULL OR len(list_filter(lab_values, x -> x IS NOT NULL)) > 0 OR len(extra_detected) > 0 AS results_complete,
              drugcheck_flags(detected) AS flags,
              conc AS fentanyl_concentration_pct, price AS price_usd, method,
              CASE overdose_raw WHEN 'involved in od' THEN true WHEN 'not overdose related' THEN false END AS overdose_reported
         FROM c`,
      {
        earliest: EARLIEST_DATE,
        methods: listValue([...DRUGCHECK_METHODS]),
        lab_columns: listValue([...LAB_COLUMNS]),
        lab_names: listValue(LAB_COLUMNS.map((c) => UNC_LAB_SUBSTANCES[c])),
      },
      { methods: LIST(VARCHAR), lab_columns: LIST(VARCHAR), lab_names: LIST(VARCHAR) },
    );
    await addMalformedRows(conn);
    await dropCsvStage(conn, 'stage_parsed');
  },

  async commit(conn, { jurisdiction, runId, sha256 }) {
    // A sample seen again (an overlapping or corrected export) replaces the earlier record.
    await conn.run(
      `DELETE FROM drugcheck_samples
        WHERE jurisdiction_id = $j AND source_format = $fmt
          AND sample_id IN (SELECT sample_id FROM stage_checked WHERE reason IS NULL)`,
      { j: jurisdiction, fmt: UNC_FORMAT },
    );
    await conn.run(
      `INSERT INTO drugcheck_samples
       SELECT $j, $fmt, sample_id, date_collected, location_name, event_area, expected_substances, detected_substances,
              results_complete, flags.fentanyl, flags.fentanyl_analogue, flags.xylazine, flags.nitazene,
              flags.medetomidine, flags.benzodiazepine, fentanyl_concentration_pct, price_usd, method, overdose_reported,
              drugcheck_definition_version(), $run, $sha
         FROM stage_checked WHERE reason IS NULL`,
      { j: jurisdiction, fmt: UNC_FORMAT, run: runId, sha: sha256 },
    );
  },

  unassigned: (conn: DuckDBConnection) => countUnassigned(conn, 'event_area'),

  async definitionVersions(conn) {
    const [r] = await rows<{ v: string }>(conn, 'SELECT drugcheck_definition_version() AS v');
    return { drugcheck: r?.v ?? 'unknown' };
  },
};

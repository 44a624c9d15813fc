import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { IngestError, runIngest } from '../../ingest/run.ts';
import { chooseAdapter, ingestFeedFile } from '../../ingest/feeds/index.ts';
import { DRUGCHECK_UNC_COLUMNS, UNC_LAB_SUBSTANCES, drugcheckUncAdapter } from '../../ingest/feeds/drugcheck-unc.ts';
import { NYC_POSITIVITY_COLUMNS, drugcheckNycCountsAdapter, drugcheckNycPositivityAdapter } from '../../ingest/feeds/drugcheck-nyc.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';
import { INGEST, REPO, openStores, tempDir } from '../helpers/fixtures.ts';
import { csvObjects, csvText, nycAreas } from '../helpers/feed-csv.ts';
import { duckRows } from '../helpers/duck.ts';

const UNC_FILE = join(REPO, 'fixtures', 'samples', 'unc-sdal-drugchecking-allegheny', 'analysis_dataset_SAMPLE_10rows.csv');
const NYC = join(REPO, 'fixtures', 'samples', 'nyc-drugchecking');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** '03Mar2024' → '2024-03-03', 'Nov 2021' → '2021-11-01', parsed here without DuckDB. */
function uncDate(s: string): string {
  const m = /^(\d{2})([A-Z][a-z]{2})(\d{4})$/.exec(s)!;
  return `${m[3]}-${String(MONTHS.indexOf(m[2]!) + 1).padStart(2, '0')}-${m[1]}`;
}
function monthStart(s: string): string {
  const [mon, year] = s.trim().split(' ');
  return `${year}-${String(MONTHS.indexOf(mon!) + 1).padStart(2, '0')}-01`;
}

type UncRow = Record<string, string>;
const UNC_TEST_COLUMNS = [...DRUGCHECK_UNC_COLUMNS, 'lab_benzos_any', 'lab_nitazenes_any', 'lab_carfentanil_any', 'date_complete', 'overdose', 'detected_substances', 'fentanyl_concentration_pct', 'price_usd', 'method'];
const sample: UncRow = {
  date_collect: '01Jun2025',
  expectedsubstance: 'fentanyl',
  lab_fentanyl_any: '0',
  lab_xylazine_any: '0',
  lab_benzos_any: '0',
  lab_nitazenes_any: '0',
  lab_carfentanil_any: '0',
  date_complete: '20Jun2025',
  overdose: 'unknown',
};

describe.each(targetNames())('drug-checking ingest (operational db: %s)', (kind) => {
  let t: TestTarget;
  let duck: Duck;
  let ops: Ops;
  let dir: string;
  let names: Map<string, string>;

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);

  beforeAll(async () => {
    t = await makeTarget(kind);
    ({ duck, ops } = await openStores(t.target));
    const c = await duck.connect();
    try {
      await loadJurisdiction(c, join(REPO, 'fixtures', 'jurisdictions', 'allegheny'));
    } finally {
      c.closeSync();
    }
    dir = tempDir();
    names = nycAreas().names;
  });
  afterAll(async () => {
    duck?.close();
    await ops?.close();
    await t?.drop();
  });

  describe('UNC Street Drug Analysis Lab samples, the real Allegheny County file (unedited)', () => {
    const raw = csvObjects(readFileSync(UNC_FILE, 'utf8'));

    it('loads every sample, as a direct count of the file says', async () => {
      const c = await duck.connect();
      try {
        expect((await chooseAdapter(c, 'drugcheck', UNC_FILE)).format).toBe('unc-sdal-analysis-csv');
      } finally {
        c.closeSync();
      }
      const report = await ingestFeedFile(duck, ops.db, 'drugcheck', UNC_FILE, { ...INGEST, jurisdiction: 'allegheny' });
      expect(raw).toHaveLength(10);
      expect(report).toMatchObject({ status: 'succeeded', rowsIn: raw.length, rowsAccepted: raw.length, rowsRejected: 0 });
      // Locations are place names ('Pittsburgh', 'Beaver County'), not ZIP codes: no sample has an area.
      expect(report.rowsUnassigned).toBe(raw.length);
      const [run] = await recentRuns(ops.db, 1);
      expect(run?.definition_versions).toEqual({ drugcheck: 'drugcheck-v1' });
    });

    it('keeps each sample as the file has it: date, expected and detected substances, flags', async () => {
      const got = await q<{ sample_id: string; d: string; expected: string[]; detected: string[]; fentanyl: boolean; xylazine: boolean; od: boolean | null; method: string }>(
        `SELECT sample_id, strftime(date_collected, '%Y-%m-%d') AS d, expected_substances AS expected, detected_substances AS detected,
                fentanyl, xylazine, overdose_reported AS od, method
           FROM drugcheck_samples WHERE jurisdiction_id = 'allegheny' ORDER BY sample_id`,
      );
      const want = raw
        .map((r) => ({
          sample_id: r.sampleid!,
          d: uncDate(r.date_collect!),
          expected: [...new Set(r.expectedsubstance!.split(';').map((s) => s.trim().toLowerCase()).filter(Boolean))],
          detected: Object.entries(UNC_LAB_SUBSTANCES).filter(([colName]) => r[colName] === '1').map(([, name]) => name),
          fentanyl: r.lab_fentanyl_any === '1',
          xylazine: r.lab_xylazine_any === '1',
          od: r.overdose === 'involved in OD' ? true : r.overdose === 'not overdose related' ? false : null,
          method: 'lab',
        }))
        .sort((a, b) => a.sample_id.localeCompare(b.sample_id));
      expect(got.map((g) => ({ ...g, detected: [...g.detected].sort() }))).toEqual(want.map((w) => ({ ...w, detected: [...w.detected].sort() })));
    });

    it('counts fentanyl- and xylazine-positive samples as the raw flags do', async () => {
      const got = await q<{ indicator: string; n: number }>(
        `SELECT indicator, count(*)::INTEGER AS n FROM indicator_events WHERE jurisdiction_id = 'allegheny' GROUP BY 1 ORDER BY 1`,
      );
      const n = (f: (r: Record<string, string>) => boolean) => raw.filter(f).length;
      const want = [
        { indicator: 'drugcheck.fentanyl_positive', n: n((r) => r.lab_fentanyl_any === '1') },
        { indicator: 'drugcheck.samples_tested', n: raw.length },
        { indicator: 'drugcheck.xylazine_positive', n: n((r) => r.lab_xylazine_any === '1') },
      ];
      expect(got).toEqual(want);
      expect(want.map((w) => w.n)).toEqual([7, 10, 5]);
    });

    it('changes nothing when the same file is loaded again', async () => {
      const report = await ingestFeedFile(duck, ops.db, 'drugcheck', UNC_FILE, { ...INGEST, jurisdiction: 'allegheny' });
      expect(report.status).toBe('unchanged');
      expect(await q(`SELECT count(*)::INTEGER AS n FROM drugcheck_samples WHERE jurisdiction_id = 'allegheny'`)).toEqual([{ n: 10 }]);
    });
  });

  describe('UNC-format samples written by the test (NYC)', () => {
    let file: string;
    beforeAll(() => {
      const good: UncRow[] = [
        { ...sample, sampleid: 'S1', location: '101', expectedsubstance: 'Fentanyl; xylazine', lab_fentanyl_any: '1', lab_xylazine_any: '1', detected_substances: 'Medetomidine; 4-ANPP', fentanyl_concentration_pct: '12.5', price_usd: '10', method: 'FTIR', overdose: 'involved in OD' },
        { ...sample, sampleid: 'S2', location: ` ${names.get('302')!.toUpperCase()} `, expectedsubstance: 'xanax', lab_benzos_any: '1', detected_substances: 'bromazolam', method: 'test_strip' },
        { ...sample, sampleid: 'S3', location: 'Somewhere else', lab_fentanyl_any: '1', lab_nitazenes_any: '1', lab_carfentanil_any: '1' },
        { ...sample, sampleid: 'S4', location: '101', lab_fentanyl_any: '', lab_xylazine_any: '', lab_benzos_any: '', lab_nitazenes_any: '', lab_carfentanil_any: '', date_complete: '' },
      ];
      const bad: UncRow[] = [
        { ...sample, sampleid: '' }, // line 6
        { ...sample, sampleid: 'S1' }, // 7
        { ...sample, sampleid: 'R3', date_collect: '2025-06-01' }, // 8
        { ...sample, sampleid: 'R4', date_collect: '01Jan1990' }, // 9
        { ...sample, sampleid: 'R5', date_complete: 'soon' }, // 10
        { ...sample, sampleid: 'R6', lab_nitazenes_any: '2' }, // 11
        { ...sample, sampleid: 'R7', fentanyl_concentration_pct: '150' }, // 12
        { ...sample, sampleid: 'R8', price_usd: '-1' }, // 13
        { ...sample, sampleid: 'R9', method: 'gc-ms' }, // 14
      ];
      file = join(dir, 'samples.csv');
      writeFileSync(file, csvText(UNC_TEST_COLUMNS, [...good, ...bad]) + 'R10,101\n'); // line 15
    });

    it('rejects each bad sample with its line, field and reason', async () => {
      const report = await runIngest(duck, ops.db, drugcheckUncAdapter, file, { ...INGEST, maxRejectShare: 1 });
      expect(report).toMatchObject({ status: 'succeeded', rowsIn: 14, rowsAccepted: 4, rowsUnassigned: 1 });
      const rejects = await q<{ line: number; field: string; reason: string; value: string | null }>(
        `SELECT line::INTEGER AS line, field, reason, value FROM ingest_rejects WHERE feed = 'drugcheck' ORDER BY line`,
      );
      expect(rejects.map((r) => [r.line, r.field, r.reason])).toEqual([
        [6, 'sampleid', 'missing_sample_id'],
        [7, 'sampleid', 'duplicate_sample_id'],
        [8, 'date_collect', 'invalid_date'],
        [9, 'date_collect', 'date_out_of_range'],
        [10, 'date_complete', 'invalid_date'],
        [11, 'lab_nitazenes_any', 'invalid_flag'],
        [12, 'fentanyl_concentration_pct', 'invalid_number'],
        [13, 'price_usd', 'invalid_number'],
        [14, 'method', 'invalid_code'],
        [15, 'row', 'malformed_row'],
      ]);
      expect(rejects.find((r) => r.line === 11)?.value).toBe('2');
    });

    it('places samples by area id or name and sets every flag from the detected substances', async () => {
      const got = await q<Record<string, unknown>>(
        `SELECT sample_id, event_area, results_complete, fentanyl, fentanyl_analogue, xylazine, nitazene, medetomidine, benzodiazepine,
                fentanyl_concentration_pct AS pct, price_usd AS price, method
           FROM drugcheck_samples WHERE jurisdiction_id = 'nyc' ORDER BY sample_id`,
      );
      const f = { fentanyl: false, fentanyl_analogue: false, xylazine: false, nitazene: false, medetomidine: false, benzodiazepine: false };
      expect(got).toEqual([
        { sample_id: 'S1', event_area: '101', results_complete: true, ...f, fentanyl: true, xylazine: true, medetomidine: true, pct: 12.5, price: 10, method: 'ftir' },
        { sample_id: 'S2', event_area: '302', results_complete: true, ...f, benzodiazepine: true, pct: null, price: null, method: 'test_strip' },
        { sample_id: 'S3', event_area: null, results_complete: true, ...f, fentanyl: true, fentanyl_analogue: true, nitazene: true, pct: null, price: null, method: 'lab' },
        { sample_id: 'S4', event_area: '101', results_complete: false, ...f, pct: null, price: null, method: 'lab' },
      ]);
      const ev = await q<{ indicator: string; n: number }>(
        `SELECT indicator, count(*)::INTEGER AS n FROM indicator_events WHERE jurisdiction_id = 'nyc' AND indicator LIKE 'drugcheck.%' GROUP BY 1 ORDER BY 1`,
      );
      expect(ev).toEqual([
        { indicator: 'drugcheck.fentanyl_positive', n: 2 },
        { indicator: 'drugcheck.medetomidine_positive', n: 1 },
        { indicator: 'drugcheck.samples_tested', n: 3 }, // S4 is still at the lab
        { indicator: 'drugcheck.xylazine_positive', n: 1 },
      ]);
    });

    it('replaces samples seen again in an overlapping export', async () => {
      const extract = join(dir, 'samples-2.csv');
      writeFileSync(extract, csvText(UNC_TEST_COLUMNS, [{ ...sample, sampleid: 'S4', location: '101', lab_fentanyl_any: '1' }, { ...sample, sampleid: 'S5', location: '101' }]));
      expect((await runIngest(duck, ops.db, drugcheckUncAdapter, extract, INGEST)).status).toBe('succeeded');
      const got = await q(`SELECT sample_id, fentanyl, results_complete FROM drugcheck_samples WHERE jurisdiction_id = 'nyc' AND sample_id IN ('S4', 'S5') ORDER BY 1`);
      expect(got).toEqual([
        { sample_id: 'S4', fentanyl: true, results_complete: true },
        { sample_id: 'S5', fentanyl: false, results_complete: true },
      ]);
      expect(await q(`SELECT count(*)::INTEGER AS n, count(DISTINCT sample_id)::INTEGER AS ids FROM drugcheck_samples WHERE jurisdiction_id = 'nyc'`)).toEqual([{ n: 5, ids: 5 }]);
    });
  });

  describe('NYC DOHMH monthly tables, the real files (unedited)', () => {
    const counts = csvObjects(readFileSync(join(NYC, 'data_counts_per_month.csv'), 'utf8'));
    const panel = csvObjects(readFileSync(join(NYC, 'data_multipanel_positivity.csv'), 'utf8'));

    it('loads samples per month into the aggregates, one citywide cell per month, as a direct count says', async () => {
      const report = await ingestFeedFile(duck, ops.db, 'drugcheck', join(NYC, 'data_counts_per_month.csv'), INGEST);
      expect(report).toMatchObject({ status: 'succeeded', rowsIn: counts.length, rowsAccepted: counts.length, rowsRejected: 0, rowsUnassigned: 0 });
      expect(counts).toHaveLength(55);
      const got = await q<{ period: string; end: string; value: number }>(
        `SELECT strftime(period_start, '%Y-%m-%d') AS period, strftime(period_end, '%Y-%m-%d') AS "end", value FROM aggregates
          WHERE jurisdiction_id = 'nyc' AND feed = 'drugcheck' AND indicator = 'drugcheck.samples_received'
            AND area_id IS NULL AND area_scope = 'jurisdiction' AND NOT suppressed ORDER BY period_start`,
      );
      expect(got.map((g) => [g.period, g.value])).toEqual(counts.map((r) => [monthStart(r.yr_mo!), Number(r.count)]));
      expect(got.reduce((a, g) => a + g.value, 0)).toBe(4182);
      expect(got.find((g) => g.period === '2024-02-01')?.end).toBe('2024-02-29');
    });

    it('loads monthly lab positivity among samples sold as opioids: four cells per month', async () => {
      const report = await ingestFeedFile(duck, ops.db, 'drugcheck', join(NYC, 'data_multipanel_positivity.csv'), INGEST);
      expect(report).toMatchObject({ status: 'succeeded', rowsIn: panel.length, rowsAccepted: panel.length, rowsRejected: 0 });
      const got = await q<{ indicator: string; cells: number; total: number }>(
        `SELECT indicator, count(*)::INTEGER AS cells, sum(value)::INTEGER AS total FROM aggregates
          WHERE jurisdiction_id = 'nyc' AND source_format = 'nyc-dohmh-drugcheck-multipanel-positivity-csv' GROUP BY 1 ORDER BY 1`,
      );
      const sum = (c: string) => panel.reduce((a, r) => a + Number(r[c]), 0);
      expect(got).toEqual([
        { indicator: 'drugcheck.opioid_samples_fentanyl_positive', cells: panel.length, total: sum('Total_Lab_Fent_Pos') },
        { indicator: 'drugcheck.opioid_samples_lab_tested', cells: panel.length, total: sum('Total_Lab') },
        { indicator: 'drugcheck.opioid_samples_medetomidine_positive', cells: panel.length, total: sum('Total_Lab_Med_Pos') },
        { indicator: 'drugcheck.opioid_samples_xylazine_positive', cells: panel.length, total: sum('Total_Lab_Xyl_Pos') },
      ]);
      // Aggregates never enter the per-event series.
      expect(await q(`SELECT count(*)::INTEGER AS n FROM indicator_events WHERE indicator LIKE 'drugcheck.opioid_samples%'`)).toEqual([{ n: 0 }]);
    });

    it('refuses the cumulative tables (no period end) naming the formats it reads', async () => {
      for (const f of ['data_total_samples.csv', 'data_fent_pos_by_substance_class.csv']) {
        await expect(ingestFeedFile(duck, ops.db, 'drugcheck', join(NYC, f), INGEST)).rejects.toThrow(
          /line 1: not a drugcheck file in any known format \(unc-sdal-analysis-csv, nyc-dohmh-drugcheck-counts-per-month-csv, nyc-dohmh-drugcheck-multipanel-positivity-csv\)/,
        );
      }
    });

    it('changes nothing on reload; a later publication replaces its months without duplicates', async () => {
      expect((await ingestFeedFile(duck, ops.db, 'drugcheck', join(NYC, 'data_multipanel_positivity.csv'), INGEST)).status).toBe('unchanged');
      const later = join(dir, 'positivity-later.csv');
      const header = ['yr_mo', 'Total_Lab_Fent_Pos', 'Total_Lab_Xyl_Pos', 'Total_Lab_Med_Pos', 'Total_Lab', 'Pct_Lab_Fent_Pos', 'Pct_Lab_Xyl_Pos', 'Pct_Lab_Med_Pos'];
      writeFileSync(later, csvText(header, [
        { yr_mo: 'Apr 2026', Total_Lab_Fent_Pos: 43, Total_Lab_Xyl_Pos: 13, Total_Lab_Med_Pos: 17, Total_Lab: 47, Pct_Lab_Fent_Pos: 91.49, Pct_Lab_Xyl_Pos: 27.66, Pct_Lab_Med_Pos: 36.17 },
        { yr_mo: 'May 2026', Total_Lab_Fent_Pos: 30, Total_Lab_Xyl_Pos: 10, Total_Lab_Med_Pos: 12, Total_Lab: 32, Pct_Lab_Fent_Pos: 93.75, Pct_Lab_Xyl_Pos: 31.25, Pct_Lab_Med_Pos: 37.5 },
      ]));
      expect((await ingestFeedFile(duck, ops.db, 'drugcheck', later, INGEST)).status).toBe('succeeded');
      const got = await q<{ cells: number; keys: number; apr: number }>(
        `SELECT count(*)::INTEGER AS cells, count(DISTINCT (indicator, period_start))::INTEGER AS keys,
                max(value) FILTER (WHERE indicator = 'drugcheck.opioid_samples_lab_tested' AND period_start = DATE '2026-04-01')::INTEGER AS apr
           FROM aggregates WHERE jurisdiction_id = 'nyc' AND source_format = 'nyc-dohmh-drugcheck-multipanel-positivity-csv'`,
      );
      expect(got).toEqual([{ cells: (panel.length + 1) * 4, keys: (panel.length + 1) * 4, apr: 47 }]);
    });

    it('rejects rows whose month, counts or percentages do not hold together', async () => {
      const f = join(dir, 'positivity-bad.csv');
      const header = ['yr_mo', 'Total_Lab_Fent_Pos', 'Total_Lab_Xyl_Pos', 'Total_Lab_Med_Pos', 'Total_Lab', 'Pct_Lab_Fent_Pos', 'Pct_Lab_Xyl_Pos', 'Pct_Lab_Med_Pos'];
      expect(header.map((h) => h.toLowerCase())).toEqual([...NYC_POSITIVITY_COLUMNS]);
      const ok = { Total_Lab_Fent_Pos: 9, Total_Lab_Xyl_Pos: 5, Total_Lab_Med_Pos: 0, Total_Lab: 10, Pct_Lab_Fent_Pos: 90, Pct_Lab_Xyl_Pos: 50, Pct_Lab_Med_Pos: 0 };
      writeFileSync(f, csvText(header, [
        { yr_mo: 'Jan 2021', ...ok }, // line 2: fine
        { yr_mo: 'Janvier 2021', ...ok }, // 3
        { yr_mo: 'Jan 2021', ...ok }, // 4
        { yr_mo: 'Feb 2021', ...ok, Total_Lab: 'n/a' }, // 5
        { yr_mo: 'Mar 2021', ...ok, Total_Lab_Xyl_Pos: 11, Pct_Lab_Xyl_Pos: 110 }, // 6
        { yr_mo: 'Apr 2021', ...ok, Pct_Lab_Med_Pos: 10 }, // 7
        { yr_mo: 'Jan 2099', ...ok }, // 8
      ]));
      const report = await runIngest(duck, ops.db, drugcheckNycPositivityAdapter, f, { ...INGEST, maxRejectShare: 1 });
      expect(report.sampleRejects.map((r) => [r.line, r.field, r.reason])).toEqual([
        [3, 'yr_mo', 'invalid_month'],
        [4, 'yr_mo', 'duplicate_month'],
        [5, 'total_lab', 'invalid_count'],
        [6, 'total_lab_xyl_pos', 'positives_exceed_total'],
        [7, 'pct_lab_med_pos', 'inconsistent_percent'],
        [8, 'yr_mo', 'date_out_of_range'],
      ]);
      expect(report.rowsAccepted).toBe(1);
    });

    it('refuses a counts file with a bad count', async () => {
      const f = join(dir, 'counts-bad.csv');
      writeFileSync(f, '"yr_mo","count"\nJan 2020,5\nFeb 2020,-4\n');
      const err = await runIngest(duck, ops.db, drugcheckNycCountsAdapter, f, INGEST).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IngestError);
      expect((err as IngestError).report?.rejectsByReason).toEqual({ invalid_count: 1 });
    });
  });
});

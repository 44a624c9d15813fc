import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import type { LoadedJurisdiction } from '../../ingest/jurisdiction.ts';
import { IngestError, runIngest } from '../../ingest/run.ts';
import { mortalityAdapter } from '../../ingest/feeds/mortality.ts';
import { MORTALITY_CSV_COLUMNS, mortalityCsv, type MortalityManifest } from '../../fixtures/generators/mortality.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';
import { INGEST, openStores, tempDir, writeMortality } from '../helpers/fixtures.ts';
import { duckRows } from '../helpers/duck.ts';

const opts = INGEST;

describe.each(targetNames())('mortality ingest (operational db: %s)', (kind) => {
  let t: TestTarget;
  let duck: Duck;
  let ops: Ops;
  let nyc: LoadedJurisdiction;
  let dir: string;
  let file: string;
  let manifest: MortalityManifest;
  let csvRows: string[][];

  beforeAll(async () => {
    t = await makeTarget(kind);
    ({ duck, ops, nyc } = await openStores(t.target));
    dir = tempDir();
    ({ file, manifest, rows: csvRows } = writeMortality(nyc, dir));
  });
  afterAll(async () => {
    duck?.close();
    await ops?.close();
    await t?.drop();
  });

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);

  it('loads the generated file, rejecting exactly the planted rows with line and reason', async () => {
    const report = await runIngest(duck, ops.db, mortalityAdapter, file, opts);
    expect(report.status).toBe('succeeded');
    expect(report.rowsIn).toBe(manifest.rows);
    expect(report.rowsRejected).toBe(manifest.plantedRejects.length);
    const rejects = await q<{ line: number; reason: string }>(
      'SELECT line::INTEGER AS line, reason FROM ingest_rejects ORDER BY line',
    );
    expect(rejects).toEqual(manifest.plantedRejects.map((p) => ({ line: p.line, reason: p.reason })).sort((a, b) => a.line - b.line));
    const [run] = await recentRuns(ops.db, 1);
    expect(run?.status).toBe('succeeded');
    expect(run?.rows_rejected).toBe(manifest.plantedRejects.length);
    expect(run?.definition_versions).toEqual({ mortality: 'nchs-icd10-v1' });
  });

  it('classifies deaths as the generator planted them, year by year', async () => {
    const got = await q<{ year: string; any_drug: number; opioid: number; fentanyl: number; stimulant: number; xylazine: number; non_overdose: number; nonresident: number }>(
      `SELECT year(date_of_death)::VARCHAR AS year,
              count(*) FILTER (WHERE any_drug)::INTEGER AS any_drug,
              count(*) FILTER (WHERE any_drug AND opioid)::INTEGER AS opioid,
              count(*) FILTER (WHERE any_drug AND synthetic_opioid)::INTEGER AS fentanyl,
              count(*) FILTER (WHERE any_drug AND (cocaine OR psychostimulant))::INTEGER AS stimulant,
              count(*) FILTER (WHERE any_drug AND xylazine)::INTEGER AS xylazine,
              count(*) FILTER (WHERE NOT any_drug)::INTEGER AS non_overdose,
              count(*) FILTER (WHERE any_drug AND residence_area IS NULL)::INTEGER AS nonresident
         FROM mortality_deaths GROUP BY ALL ORDER BY year`,
    );
    const expected = Object.entries(manifest.expected.byYear)
      .map(([year, e]) => ({ year, any_drug: e.any_drug, opioid: e.opioid, fentanyl: e.fentanyl, stimulant: e.stimulant, xylazine: e.xylazine, non_overdose: e.non_overdose, nonresident: e.nonresident }))
      .sort((a, b) => a.year.localeCompare(b.year));
    expect(got).toEqual(expected);
  });

  it('never stores names, dates of birth or addresses', async () => {
    const cols = await q<{ column_name: string }>(`SELECT column_name FROM information_schema.columns`);
    const names = cols.map((c) => c.column_name);
    for (const pii of ['decedent_name', 'date_of_birth', 'residence_address']) expect(names).not.toContain(pii);
    // Every text value in every table, against the PII values of the file.
    const header = readFileSync(file, 'utf8').split('\n', 1)[0]!.split(',');
    const piiIdx = ['decedent_name', 'date_of_birth', 'residence_address'].map((c) => header.indexOf(c));
    expect(piiIdx.every((i) => i >= 0)).toBe(true);
    const piiValues = new Set(csvRows.flatMap((r) => piiIdx.map((i) => r[i] ?? '')).filter((v) => v.length > 3));
    const dump = await q<{ v: string }>(
      `SELECT DISTINCT v FROM (
         SELECT unnest([case_number, sex, race_ethnicity, residence_area, injury_area, underlying_cause]) AS v FROM mortality_deaths
         UNION ALL SELECT unnest(substances) FROM mortality_deaths
         UNION ALL SELECT value FROM ingest_rejects) WHERE v IS NOT NULL`,
    );
    const leaked = dump.map((d) => d.v).filter((v) => piiValues.has(v));
    expect(leaked).toEqual([]);
  });

  it('changes nothing when the same file is loaded again', async () => {
    const before = await q<{ n: number }>('SELECT count(*)::INTEGER AS n FROM mortality_deaths');
    const report = await runIngest(duck, ops.db, mortalityAdapter, file, opts);
    expect(report.status).toBe('unchanged');
    const after = await q<{ n: number }>('SELECT count(*)::INTEGER AS n FROM mortality_deaths');
    expect(after).toEqual(before);
  });

  it('replaces cases seen again in an overlapping extract, creating no duplicates', async () => {
    const before = await q<{ n: number }>('SELECT count(*)::INTEGER AS n FROM mortality_deaths');
    const ageIdx = MORTALITY_CSV_COLUMNS.indexOf('age_years');
    // The last 200 rows again, one of them corrected (age changed), as a later extract would.
    const tail = csvRows.slice(-200).map((r) => [...r]);
    const corrected = tail[0]![0]!;
    tail[0]![ageIdx] = '99';
    const extract = join(dir, 'extract-2.csv');
    writeFileSync(extract, mortalityCsv(tail));
    const report = await runIngest(duck, ops.db, mortalityAdapter, extract, opts);
    expect(report.status).toBe('succeeded');
    const after = await q<{ n: number; distinct_cases: number }>(
      'SELECT count(*)::INTEGER AS n, count(DISTINCT case_number)::INTEGER AS distinct_cases FROM mortality_deaths',
    );
    expect(after[0]?.n).toBe(before[0]?.n);
    expect(after[0]?.distinct_cases).toBe(after[0]?.n);
    const row = await q<{ age_years: number }>('SELECT age_years FROM mortality_deaths WHERE case_number = $c', { c: corrected });
    expect(row).toEqual([{ age_years: 99 }]);
  });

  it('refuses a file whose rejects pass the limit, and leaves the data as it was', async () => {
    const before = await q<{ n: number; s: string }>('SELECT count(*)::INTEGER AS n, sum(hash(case_number, age_years))::VARCHAR AS s FROM mortality_deaths');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const bad = lines.slice(1, 101).map((l, i) => (i % 5 === 0 ? l.replace(/\d{4}-\d{2}-\d{2}/, '2024-13-45') : l.replace(/,(\d{1,3}),([MFU]),/, ',99,$2,')));
    const f = join(dir, 'bad.csv');
    writeFileSync(f, `${lines[0]}\n${bad.join('\n')}\n`);
    const err = await runIngest(duck, ops.db, mortalityAdapter, f, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).message).toMatch(/20 of 100 rows rejected .*refused.*; first: line 2, date_of_death: invalid_date \(2024-13-45\)/);
    expect((err as IngestError).report?.rejectsByReason).toEqual({ invalid_date: 20 });
    const after = await q<{ n: number; s: string }>('SELECT count(*)::INTEGER AS n, sum(hash(case_number, age_years))::VARCHAR AS s FROM mortality_deaths');
    expect(after).toEqual(before);
    const [run] = await recentRuns(ops.db, 1);
    expect(run?.status).toBe('refused');
  });

  it('names the missing columns of a file in the wrong shape', async () => {
    const f = join(dir, 'wrong.csv');
    writeFileSync(f, 'case_number,date_of_death\nA,2024-01-01\n');
    await expect(runIngest(duck, ops.db, mortalityAdapter, f, opts)).rejects.toThrow(
      /line 1: missing column\(s\) age_years, sex, race_ethnicity/,
    );
    const [run] = await recentRuns(ops.db, 1);
    expect(run).toMatchObject({ status: 'refused', file_name: 'wrong.csv' });
    expect(run?.message).toMatch(/missing column/);
  });

  it('keeps rows the CSV reader cannot parse as rejects with their line', async () => {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const f = join(dir, 'short.csv');
    writeFileSync(f, `${lines[0]}\n${lines.slice(300, 340).join('\n')}\nME-X,2024-01-01,only three\n`);
    const report = await runIngest(duck, ops.db, mortalityAdapter, f, { ...opts, maxRejectShare: 0.5 });
    expect(report.rejectsByReason).toMatchObject({ malformed_row: 1 });
    const bad = report.sampleRejects.find((s) => s.reason === 'malformed_row');
    expect(bad?.line).toBe(42);
  });
});

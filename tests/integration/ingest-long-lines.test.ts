// A CSV line longer than DuckDB's default max_line_size (2,000,000 bytes) no longer refuses the
// whole file: the feed reads take lines up to MAX_CSV_LINE_BYTES (ingest/run.ts), so the row with
// a 3 MB field is read and quarantined like any other bad row, and the good rows load. A line over
// MAX_CSV_LINE_BYTES still refuses the file, with a message that says so. Each file goes through
// ingestFeedFile (the format sniff, then the adapter) at the default 5% reject limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import { IngestError, MAX_CSV_LINE_BYTES, MAX_TEXT_LENGTH, runIngest, type IngestReport } from '../../ingest/run.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import { TREATMENT_CSV_COLUMNS, treatmentAdapter } from '../../ingest/feeds/treatment.ts';
import { NALOXONE_CSV_COLUMNS } from '../../ingest/feeds/naloxone.ts';
import { MORTALITY_COLUMNS } from '../../ingest/feeds/mortality.ts';
import { INGEST, openStores, tempDir } from '../helpers/fixtures.ts';
import { csvText } from '../helpers/feed-csv.ts';
import { duckRows } from '../helpers/duck.ts';

const GOOD_ROWS = 39; // and one huge row: 1 of 40 rejected, 2.5%, under the default 5% limit
const HUGE_AT = 17; // 0-based record index of the huge row: line HUGE_AT + 2
const THREE_MB = 'x'.repeat(3 << 20);

describe('CSV lines over 2 MB', { timeout: 120_000 }, () => {
  let duck: Duck;
  let ops: Ops;
  const dir = tempDir('odstat-long-lines-');

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);

  /** GOOD_ROWS rows from `row(i)`, with `column` of record HUGE_AT set to 3 MB; written to `name`. */
  function fileWithHugeRow(name: string, header: readonly string[], row: (i: number) => Record<string, string>, column: string): string {
    const body = Array.from({ length: GOOD_ROWS + 1 }, (_, i) => row(i));
    body[HUGE_AT]![column] = THREE_MB;
    const file = join(dir, name);
    writeFileSync(file, csvText(header, body));
    return file;
  }

  /** The report says 40 in, 39 accepted, one rejected for `reason` in `field` on the huge row's line. */
  async function expectOneQuarantined(report: IngestReport, reason: string, field: string) {
    expect(report.status).toBe('succeeded');
    expect([report.rowsIn, report.rowsAccepted, report.rowsRejected]).toEqual([GOOD_ROWS + 1, GOOD_ROWS, 1]);
    expect(report.rejectsByReason).toEqual({ [reason]: 1 });
    const rejects = await q<{ line: number; field: string; reason: string; n: number }>(
      `SELECT line::INTEGER AS line, field, reason, length(value)::INTEGER AS n FROM ingest_rejects WHERE ingest_run_id = $r`,
      { r: report.runId },
    );
    expect(rejects.map(({ line, field, reason }) => ({ line, field, reason }))).toEqual([{ line: HUGE_AT + 2, field, reason }]);
    // The quarantine keeps the start of the value, never the 3 MB.
    expect(rejects[0]!.n).toBeLessThanOrEqual(200);
  }

  beforeAll(async () => {
    ({ duck, ops } = await openStores());
  });

  afterAll(async () => {
    duck?.close();
    await ops?.close();
    rmSync(dir, { recursive: true, force: true }); // some 42 MB of test files
  });

  it('treatment: a 3 MB secondary_substance rejects its row (invalid_code); the other 39 load', async () => {
    const file = fileWithHugeRow(
      'treatment.csv',
      TREATMENT_CSV_COLUMNS,
      (i) => ({
        admission_id: `ADM-${i}`, admission_date: '2024-05-10', residence_area_code: '101', zip: '', age: '34', sex: '1',
        primary_substance: '5', secondary_substance: '2', moud: '1', referral_source: '7', discharge_date: '',
        last_name: 'Okafor', first_name: `Chidi${i}`, date_of_birth: '1989-11-02',
      }),
      'secondary_substance',
    );
    const report = await ingestFeedFile(duck, ops.db, 'treatment', file, INGEST);
    // The code check comes first (TEDS-A SUB2 is a number): invalid_code, not value_too_long.
    await expectOneQuarantined(report, 'invalid_code', 'secondary_substance');
    const [n] = await q<{ n: number }>('SELECT count(*)::INTEGER AS n FROM treatment_admissions WHERE ingest_run_id = $r', { r: report.runId });
    expect(n!.n).toBe(GOOD_ROWS);
  });

  it('naloxone: a 3 MB program (free text) rejects its row as value_too_long; the other 39 load', async () => {
    const file = fileWithHugeRow(
      'naloxone.csv',
      NALOXONE_CSV_COLUMNS,
      (i) => ({ event_id: `N${i}`, event_date: '2024-07-02', event_kind: 'distribution', agency: 'DOHMH', program: 'Community kits', area_code: '101', kits: '10' }),
      'program',
    );
    const report = await ingestFeedFile(duck, ops.db, 'naloxone', file, INGEST);
    await expectOneQuarantined(report, 'value_too_long', 'program');
    const [loaded] = await q<{ n: number; longest: number }>(
      'SELECT count(*)::INTEGER AS n, max(length(program))::INTEGER AS longest FROM naloxone_events WHERE ingest_run_id = $r',
      { r: report.runId },
    );
    expect(loaded).toEqual({ n: GOOD_ROWS, longest: 'Community kits'.length });
  });

  it('mortality (its own reader): a 3 MB race_ethnicity rejects its row as value_too_long; the other 39 load', async () => {
    const file = fileWithHugeRow(
      'mortality.csv',
      MORTALITY_COLUMNS,
      (i) => ({
        case_number: `LL-${i}`, date_of_death: '2024-03-01', age_years: '40', sex: 'M', race_ethnicity: 'White non-Hispanic',
        residence_area_code: '101', injury_area_code: '101', underlying_cause_icd10: 'X42', multiple_causes_icd10: 'T40.1', toxicology_substances: 'heroin',
      }),
      'race_ethnicity',
    );
    const report = await ingestFeedFile(duck, ops.db, 'mortality', file, INGEST);
    await expectOneQuarantined(report, 'value_too_long', 'race_ethnicity');
    const [loaded] = await q<{ n: number; longest: number }>(
      'SELECT count(*)::INTEGER AS n, max(length(race_ethnicity))::INTEGER AS longest FROM mortality_deaths WHERE ingest_run_id = $r',
      { r: report.runId },
    );
    expect(loaded!.n).toBe(GOOD_ROWS);
    expect(loaded!.longest).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
  });

  it(`a line over MAX_CSV_LINE_BYTES (${MAX_CSV_LINE_BYTES.toLocaleString('en-US')}) still refuses the file, saying so`, async () => {
    const header = TREATMENT_CSV_COLUMNS.join(',');
    const good = (i: number) => `OVER-${i},2024-05-10,101,,34,1,5,2,1,7,,Okafor,Chidi,1989-11-02`;
    const file = join(dir, 'treatment-over.csv');
    // The file is written in parts: one string of MAX_CSV_LINE_BYTES is enough.
    writeFileSync(file, `${header}\n${good(1)}\n${good(2)}\nOVER-3,2024-05-10,101,,34,1,5,`);
    writeFileSync(file, 'x'.repeat(MAX_CSV_LINE_BYTES), { flag: 'a' });
    writeFileSync(file, `,1,7,,Okafor,Chidi,1989-11-02\n${good(4)}\n`, { flag: 'a' });
    const message = new RegExp(`treatment-over\\.csv: a line is longer than ${MAX_CSV_LINE_BYTES.toLocaleString('en-US')} bytes \\(a huge field, or a quote left open\\); the file was refused and nothing was loaded`);
    const runsBefore = (await recentRuns(ops.db, 100)).length;
    const [before] = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM treatment_admissions`);

    // Through the format sniff (the upload route's and the command's path): refused before the load
    // starts, and recorded as a refused run all the same.
    const sniffed = await ingestFeedFile(duck, ops.db, 'treatment', file, INGEST).then(
      () => null,
      (e: unknown) => e,
    );
    expect(sniffed).toBeInstanceOf(IngestError);
    expect((sniffed as IngestError).message).toMatch(message);
    expect((sniffed as IngestError).message).not.toMatch(/xxxxxxxxxx/); // not the reader's dump of the line

    // Straight to the adapter's read: the run is recorded as refused, with the same message.
    await expect(runIngest(duck, ops.db, treatmentAdapter, file, INGEST)).rejects.toThrow(message);
    const runs = await recentRuns(ops.db, 100);
    expect(runs.length).toBe(runsBefore + 2);
    for (const run of runs.slice(0, 2)) {
      expect(run).toMatchObject({ status: 'refused', file_name: 'treatment-over.csv' });
      expect(run.message).toMatch(message);
    }
    const [after] = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM treatment_admissions`);
    const [files] = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM loaded_files WHERE file_name = 'treatment-over.csv'`);
    expect(after!.n).toBe(before!.n);
    expect(files!.n).toBe(0);
  });
});

// A quote left open partway through a CSV file: with ignore_errors, DuckDB's reader took the rest
// of the file as one value and reported one "unterminated quote" reject, so a 5,000-row file with
// `"5` on line 3,002 loaded as succeeded (3,001 in, 3,000 accepted, one malformed_row) and the
// other 1,999 records were neither loaded nor quarantined. The rule: every record of a file is
// loaded or quarantined, or the whole file is refused with a message. Here each such file is
// refused with a message naming the line, the run is recorded as refused and nothing is loaded;
// files whose quoting is only locally broken, or legitimately runs over lines, load as before with
// every record accounted for (rows in = records written). Every file goes through ingestFeedFile
// (format sniff, then adapter) at the default 5% reject limit, unless said otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import { IngestError, runIngest, type IngestReport } from '../../ingest/run.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import { TREATMENT_CSV_COLUMNS, treatmentAdapter } from '../../ingest/feeds/treatment.ts';
import { NALOXONE_CSV_COLUMNS } from '../../ingest/feeds/naloxone.ts';
import { MORTALITY_COLUMNS } from '../../ingest/feeds/mortality.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { INGEST, REPO, openStores, tempDir } from '../helpers/fixtures.ts';
import { csvLine } from '../helpers/feed-csv.ts';
import { duckRows } from '../helpers/duck.ts';

const treatmentRow = (i: number): string[] => [
  `OQ-${i}`, '2024-05-10', '101', '', '34', '1', '5', '2', '1', '7', '', 'Okafor', `Chidi${i}`, '1989-11-02',
];
const naloxoneRow = (i: number): string[] => [`OQN-${i}`, '2024-07-02', 'distribution', 'DOHMH', 'Community kits', '101', '', '', '', '10', ''];
const mortalityRow = (i: number): string[] => [
  `OQM-${i}`, '2024-03-01', '40', 'M', 'White non-Hispanic', '101', '101', 'X42', 'T40.1', 'heroin',
];

/**
 * A CSV file of `n` records from `row`, written as RFC 4180 requires, then with physical line
 * `line` (the header is line 1) edited by `edit` (raw text: this is where the quoting breaks).
 */
function csvFile(path: string, header: readonly string[], n: number, row: (i: number) => string[], edits: Record<number, (l: string) => string> = {}): string {
  expect(row(0)).toHaveLength(header.length);
  const lines = [csvLine([...header]), ...Array.from({ length: n }, (_, i) => csvLine(row(i)))];
  for (const [line, edit] of Object.entries(edits)) lines[Number(line) - 1] = edit(lines[Number(line) - 1]!);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Field `k` (0-based) of an unquoted CSV line replaced by `value` (raw text). */
const setField = (k: number, value: string) => (l: string) => l.split(',').map((f, j) => (j === k ? value : f)).join(',');

describe('a quote left open in a CSV file', { timeout: 180_000 }, () => {
  let duck: Duck;
  let ops: Ops;
  const dir = tempDir('odstat-open-quote-');

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);

  async function count(table: 'treatment_admissions' | 'naloxone_events' | 'mortality_deaths' | 'ems_encounters'): Promise<number> {
    const [r] = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`);
    return r!.n;
  }

  /**
   * Loads `file` as `feed`, expecting a refusal whose message matches `message`: an IngestError
   * (never DuckDB's own error), the run recorded as refused with that message, no rows added to
   * `table`, the file not recorded as loaded.
   */
  async function expectRefused(feed: string, file: string, table: Parameters<typeof count>[0], message: RegExp, opts = INGEST) {
    const name = file.split('/').pop()!;
    const before = await count(table);
    const runsBefore = (await recentRuns(ops.db, 1000)).length;
    const err = await ingestFeedFile(duck, ops.db, feed, file, opts).then(
      (r) => new Error(`loaded: ${r.message}`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IngestError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toMatch(/the file was refused and nothing was loaded/);
    expect((err as Error).message).not.toMatch(/Invalid Input Error|sniffing|\n/);
    expect(await count(table)).toBe(before);
    const [files] = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM loaded_files WHERE file_name = $f`, { f: name });
    expect(files!.n).toBe(0);
    const runs = await recentRuns(ops.db, 1000);
    // Refused by the format sniff: before a run starts; by the adapter's read: a run recorded refused.
    if (runs.length > runsBefore) {
      expect(runs.length).toBe(runsBefore + 1);
      expect(runs[0]).toMatchObject({ status: 'refused', file_name: name, rows_accepted: null });
      expect(runs[0]!.message).toMatch(message);
    }
    return err as IngestError;
  }

  /** Every record of the file is accounted for: loaded, or quarantined with a reason. */
  async function expectAllAccounted(report: IngestReport, records: number, table: Parameters<typeof count>[0]) {
    expect(report.status).toBe('succeeded');
    expect(report.rowsIn).toBe(records);
    expect(report.rowsAccepted + report.rowsRejected).toBe(records);
    const [loaded] = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table} WHERE ingest_run_id = $r`, { r: report.runId });
    const [quarantined] = await q<{ n: number }>(`SELECT count(DISTINCT line)::INTEGER AS n FROM ingest_rejects WHERE ingest_run_id = $r`, { r: report.runId });
    expect(loaded!.n + quarantined!.n).toBe(records);
  }

  beforeAll(async () => {
    ({ duck, ops } = await openStores());
    const c = await duck.connect();
    try {
      await loadJurisdiction(c, join(REPO, 'fixtures', 'jurisdictions', 'tempe'));
    } finally {
      c.closeSync();
    }
  }, 120_000);

  afterAll(async () => {
    duck?.close();
    await ops?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('treatment: 5,000 records, `"5` on line 3,002 → refused naming the line (was: succeeded, 1,999 records gone)', async () => {
    const file = csvFile(join(dir, 'treatment-open-quote.csv'), TREATMENT_CSV_COLUMNS, 5000, treatmentRow, { 3002: setField(6, '"5') });
    await expectRefused(
      'treatment',
      file,
      'treatment_admissions',
      /(?:^|\/)treatment-open-quote\.csv: line 3,002 opens a quote that is never closed, so the CSV reader takes the rest of the file \(1,999 more lines\) as one value/,
    );
    // Straight to the adapter (no sniff first): the same refusal, the run recorded refused.
    await expect(runIngest(duck, ops.db, treatmentAdapter, file, INGEST)).rejects.toThrow(/line 3,002 opens a quote that is never closed/);
    const [run] = await recentRuns(ops.db, 1);
    expect(run).toMatchObject({ status: 'refused', file_name: 'treatment-open-quote.csv' });
  });

  it('naloxone (the shared CSV stage) and NCHS mortality (its own reader): a quote left open mid-file → refused', async () => {
    const nalox = csvFile(join(dir, 'naloxone-open-quote.csv'), NALOXONE_CSV_COLUMNS, 3000, naloxoneRow, { 2001: setField(4, '"Community kits') });
    await expectRefused('naloxone', nalox, 'naloxone_events', /(?:^|\/)naloxone-open-quote\.csv: line 2,001 opens a quote that is never closed.*\(1,000 more lines\)/);
    const mort = csvFile(join(dir, 'mortality-open-quote.csv'), MORTALITY_COLUMNS, 3000, mortalityRow, { 2500: setField(4, '"White non-Hispanic') });
    await expectRefused('mortality', mort, 'mortality_deaths', /(?:^|\/)mortality-open-quote\.csv: line 2,500 opens a quote that is never closed.*\(501 more lines\)/);
  });

  it('EMS, the real Tempe extract (its own reader): a quote left open on line 2,000 of 2,744 → refused', async () => {
    const lines = readFileSync(join(REPO, 'fixtures', 'samples', 'tempe', 'Opioid_EMS_Calls.csv'), 'utf8').split('\n');
    lines[1999] = setField(12, '"Female')(lines[1999]!); // Patient_Gender
    const file = join(dir, 'tempe-open-quote.csv');
    writeFileSync(file, lines.join('\n'));
    await expectRefused('ems', file, 'ems_encounters', /(?:^|\/)tempe-open-quote\.csv: line 2,000 opens a quote that is never closed/, { ...INGEST, jurisdiction: 'tempe' });
  });

  it('a quote left open in the first rows → a refusal naming the line, not DuckDB\'s sniffing error (was a 500 from the upload route)', async () => {
    const file = csvFile(join(dir, 'treatment-early-quote.csv'), TREATMENT_CSV_COLUMNS, 100, treatmentRow, { 52: setField(6, '"5') });
    const message = /(?:^|\/)treatment-early-quote\.csv: line 52 opens a quote that is never closed.*\(49 more lines\)/;
    // Through the sniff: refused before a run starts.
    await expectRefused('treatment', file, 'treatment_admissions', message);
    // Straight to the adapter, whose own read stops at sniffing: the run is recorded refused.
    const runsBefore = (await recentRuns(ops.db, 1000)).length;
    await expect(runIngest(duck, ops.db, treatmentAdapter, file, INGEST)).rejects.toThrow(message);
    const runs = await recentRuns(ops.db, 1000);
    expect(runs.length).toBe(runsBefore + 1);
    expect(runs[0]).toMatchObject({ status: 'refused', file_name: 'treatment-early-quote.csv' });

    // Line 1,002 of 5,000 (the adapter's own read stops at sniffing there too).
    const later = csvFile(join(dir, 'treatment-quote-1002.csv'), TREATMENT_CSV_COLUMNS, 5000, treatmentRow, { 1002: setField(6, '"5') });
    await expectRefused('treatment', later, 'treatment_admissions', /(?:^|\/)treatment-quote-1002\.csv: line 1,002 opens a quote that is never closed.*\(3,999 more lines\)/);

    // '"5"x' in the first rows also stops DuckDB's sniffer: refused, naming the line.
    const stray = csvFile(join(dir, 'treatment-early-stray.csv'), TREATMENT_CSV_COLUMNS, 100, treatmentRow, { 40: setField(6, '"5"x') });
    await expectRefused('treatment', stray, 'treatment_admissions', /(?:^|\/)treatment-early-stray\.csv: line 40: a quoted value is followed by other text before the next comma/);
    await expect(runIngest(duck, ops.db, treatmentAdapter, stray, INGEST)).rejects.toThrow(/line 40: a quoted value is followed by other text/);
  });

  it('a quote opened on line 3,002 and closed by a stray quote on line 4,503 → refused (the 1,500 lines between would be one value)', async () => {
    const file = csvFile(join(dir, 'treatment-late-close.csv'), TREATMENT_CSV_COLUMNS, 5000, treatmentRow, {
      3002: setField(6, '"5'),
      4503: setField(11, 'Oka"for'),
    });
    await expectRefused(
      'treatment',
      file,
      'treatment_admissions',
      /(?:^|\/)treatment-late-close\.csv: line 3,002 opens a quote that is only closed on line 4,503, so the CSV reader takes the lines between \(1,500 that read as records\) as one value/,
    );
    // Closed on the next line by a stray quote inside a value: refused too.
    const next = csvFile(join(dir, 'treatment-next-line.csv'), TREATMENT_CSV_COLUMNS, 3000, treatmentRow, { 2502: setField(6, '"5'), 2503: setField(11, 'Oka"for') });
    await expectRefused('treatment', next, 'treatment_admissions', /line 2,502 opens a quote that runs on to line 2,503, where a quote followed by other text ends it/);
    // Closed at the same column, the folded lines make one record of the right width (no reader
    // reject at all before): still refused.
    const same = csvFile(join(dir, 'treatment-same-column.csv'), TREATMENT_CSV_COLUMNS, 3000, treatmentRow, { 2502: setField(6, '"5'), 2512: setField(6, '5"') });
    await expectRefused('treatment', same, 'treatment_admissions', /line 2,502 opens a quote that is only closed on line 2,512.*\(9 that read as records\)/);
  });

  it('legitimate quoting still loads, every record accounted for', async () => {
    // A quoted value with line breaks (as Connecticut's "CITY, CT\n(lat, lon)"), and one with a
    // doubled quote and commas: every record loads, the values as written.
    const n = 300;
    const lines = [csvLine([...NALOXONE_CSV_COLUMNS]), ...Array.from({ length: n }, (_, i) => csvLine(naloxoneRow(i)))];
    lines[10] = csvLine(['OQN-NL', ...naloxoneRow(0).slice(1, 4), 'Community kits\nsecond line\r\nthird, with a comma', ...naloxoneRow(0).slice(5)]);
    lines[200] = csvLine(['OQN-DQ', ...naloxoneRow(0).slice(1, 4), 'the "Harlem" program, east', ...naloxoneRow(0).slice(5)]);
    const file = join(dir, 'naloxone-legit-quotes.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const report = await ingestFeedFile(duck, ops.db, 'naloxone', file, INGEST);
    await expectAllAccounted(report, n, 'naloxone_events');
    expect(report.rowsRejected).toBe(0);
    const programs = await q<{ program: string }>(
      `SELECT program FROM naloxone_events WHERE ingest_run_id = $r AND event_id IN ('OQN-NL', 'OQN-DQ') ORDER BY event_id`,
      { r: report.runId },
    );
    expect(programs.map((p) => p.program)).toEqual(['the "Harlem" program, east', 'Community kits\nsecond line\r\nthird, with a comma']);

    // A multi-line value in the first record's first column, and a file in CRLF: the same.
    const crlf = [csvLine([...TREATMENT_CSV_COLUMNS]), ...Array.from({ length: 60 }, (_, i) => csvLine(treatmentRow(i)))];
    crlf[1] = csvLine(['OQ-CRLF\n0', ...treatmentRow(0).slice(1)]);
    const crlfFile = join(dir, 'treatment-crlf-multiline.csv');
    writeFileSync(crlfFile, crlf.join('\r\n') + '\r\n');
    await expectAllAccounted(await ingestFeedFile(duck, ops.db, 'treatment', crlfFile, INGEST), 60, 'treatment_admissions');
  });

  it('quoting broken within one line loses nothing and stays a quarantined row, as before', async () => {
    // '"5"x' past the sniffer's rows: DuckDB reports the same "unterminated quote" as for a quote
    // left open, but reads on from the next line; the row is quarantined, the others load.
    const file = csvFile(join(dir, 'treatment-stray-mid.csv'), TREATMENT_CSV_COLUMNS, 3000, treatmentRow, { 2502: setField(6, '"5"x') });
    const report = await ingestFeedFile(duck, ops.db, 'treatment', file, INGEST);
    await expectAllAccounted(report, 3000, 'treatment_admissions');
    expect(report.rejectsByReason).toEqual({ malformed_row: 1 });
    expect(report.sampleRejects[0]).toMatchObject({ line: 2502, reason: 'malformed_row' });

    // A file cut short inside its last record's quote: nothing after it, so that record is quarantined.
    const cut = csvFile(join(dir, 'treatment-cut.csv'), TREATMENT_CSV_COLUMNS, 3000, treatmentRow);
    writeFileSync(cut, readFileSync(cut, 'utf8') + 'OQ-CUT,2024-05-10,101,,34,1,"5,2,1');
    const cutReport = await ingestFeedFile(duck, ops.db, 'treatment', cut, INGEST);
    await expectAllAccounted(cutReport, 3001, 'treatment_admissions');
    expect(cutReport.rejectsByReason).toEqual({ malformed_row: 1 });
  });
});

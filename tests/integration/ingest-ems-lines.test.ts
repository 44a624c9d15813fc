import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Duck } from '../../sql/duckdb.ts';
import { rows } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { runIngest, type Adapter } from '../../ingest/run.ts';
import { EMS_CSV_COLUMNS } from '../../ingest/feeds/ems-csv.ts';
import { emsCsvAdapter } from '../../ingest/feeds/ems-csv.ts';
import { INGEST, openStores, tempDir } from '../helpers/fixtures.ts';

// The flat extract is read in parallel, straight into its checks; the line of each rejected row
// comes from the order DuckDB keeps (rows, then the reader's own rejects). A file of several
// tens of megabytes is read by more than one thread, in more than one row group, so this is
// where a lost order would show.
describe('EMS flat extract: lines of rejects in a large file', () => {
  let duck: Duck;
  let ops: Ops;
  beforeAll(async () => {
    ({ duck, ops } = await openStores());
  });
  afterAll(async () => {
    duck?.close();
    await ops?.close();
  });

  it('names the right line for every reject among 250,000 rows, malformed rows before and between them', async () => {
    const n = 250_000;
    const dir = tempDir('odstat-ems-lines-');
    const file = join(dir, 'large-extract.csv');
    const out = createWriteStream(file);
    const write = async (s: string) => {
      if (!out.write(s)) await once(out, 'drain');
    };
    await write(EMS_CSV_COLUMNS.join(',') + '\n');
    const expected: { line: number; field: string; reason: string }[] = [];
    const badDate = new Set([7, 61_234, 131_072, 199_999, 249_990]);
    const malformedAfter = new Set([3, 100_000, 180_500]);
    const firstOfPair = 1_500;
    const repeatAt = 222_222;
    let line = 1;
    for (let i = 0; i < n; i++) {
      line++;
      const pcr = i === repeatAt ? `L-${String(firstOfPair).padStart(7, '0')}` : `L-${String(i).padStart(7, '0')}`;
      const day = String(1 + (i % 28)).padStart(2, '0');
      const when = badDate.has(i) ? `2024-02-${day}T25:00:00-05:00` : `2024-02-${day}T10:00:00-05:00`;
      const age = i === firstOfPair ? '44' : i === repeatAt ? '55' : String(1 + (i % 90));
      const lat = (40.6 + (i % 1000) / 10_000).toFixed(4);
      const lon = (-73.95 + (i % 777) / 10_000).toFixed(4);
      const row: Record<string, string> = {
        'eRecord.01': pcr, 'eTimes.03': when, 'eScene.11': `"${lat},${lon}"`, 'ePatient.02': 'Rivera', 'ePatient.03': 'Ana',
        'ePatient.17': '1980-01-02', 'ePatient.15': age, 'ePatient.16': '2516009', 'ePatient.25': '9919001',
        'eSituation.09': 'R40.20', 'eSituation.10': '', 'eSituation.11': i % 10 === 0 ? 'T40.1X1A' : 'R55', 'eSituation.12': '',
        'eMedications.03': i % 10 === 0 ? '7242' : '', 'eMedications.07': i % 10 === 0 ? '9916001' : '',
        'eDisposition.27': '4227001', 'eDisposition.28': '4228001', 'eDisposition.30': '4230001',
      };
      await write(EMS_CSV_COLUMNS.map((c) => row[c]).join(',') + '\n');
      if (badDate.has(i)) expected.push({ line, field: 'eTimes.03', reason: 'invalid_datetime' });
      if (i === repeatAt) expected.push({ line, field: 'eRecord.01', reason: 'duplicate_pcr_number' });
      if (malformedAfter.has(i)) {
        line++;
        await write(`M-${i},2024-02-01T10:00:00-05:00,only three\n`);
        expected.push({ line, field: 'row', reason: 'malformed_row' });
      }
    }
    out.end();
    await once(out, 'finish');

    const report = await runIngest(duck, ops.db, emsCsvAdapter, file, INGEST);
    expect(report.status).toBe('succeeded');
    expect(report.rowsIn).toBe(n + malformedAfter.size);
    expect(report.rowsRejected).toBe(expected.length);
    const c = await duck.connect();
    try {
      const got = await rows<{ line: number; field: string; reason: string }>(
        c,
        `SELECT line::INTEGER AS line, field, reason FROM ingest_rejects WHERE file_name = 'large-extract.csv' ORDER BY line`,
      );
      expect(got).toEqual(expected.sort((a, b) => a.line - b.line));
      // The first of two reports with one number is the one kept.
      const [kept] = await rows<{ age_years: number }>(c, `SELECT age_years FROM ems_encounters WHERE record_id = $id`, {
        id: `L-${String(firstOfPair).padStart(7, '0')}`,
      });
      expect(kept?.age_years).toBe(44);
      const [count] = await rows<{ n: number }>(c, `SELECT count(*)::INTEGER AS n FROM ems_encounters WHERE record_id LIKE 'L-%'`);
      expect(count?.n).toBe(n - badDate.size - 1);
    } finally {
      c.closeSync();
    }
  });

  it('loads under a DuckDB memory budget, and sets the limit back afterwards', async () => {
    const dir = tempDir('odstat-ems-budget-');
    const file = join(dir, 'budget.csv');
    const out = createWriteStream(file);
    out.write(EMS_CSV_COLUMNS.join(',') + '\n');
    for (let i = 0; i < 2_000; i++) {
      out.write(`B-${i},2024-03-01T10:00:00-05:00,"40.7,-73.9",,,,30,2516009,9919001,R55,,R55,,,,4227001,4228001,4230001\n`);
    }
    out.end();
    await once(out, 'finish');
    const c = await duck.connect();
    const limit = async () => (await rows<{ v: string }>(c, `SELECT current_setting('memory_limit') AS v`))[0]!.v;
    try {
      const before = await limit();
      let during = '';
      const watched: Adapter = {
        ...emsCsvAdapter,
        async stage(conn, f, ctx) {
          during = (await rows<{ v: string }>(conn, `SELECT current_setting('memory_limit') AS v`))[0]!.v;
          await emsCsvAdapter.stage(conn, f, ctx);
        },
      };
      const report = await runIngest(duck, ops.db, watched, file, { ...INGEST, memoryLimit: '500MB' });
      expect(report.rowsAccepted).toBe(2_000);
      expect(during).toBe('476.8 MiB');
      expect(await limit()).toBe(before);
      await expect(runIngest(duck, ops.db, watched, file, { ...INGEST, memoryLimit: "1GB'; DROP TABLE areas; --" })).rejects.toThrow(
        /is not a size/,
      );
    } finally {
      c.closeSync();
    }
  });
});

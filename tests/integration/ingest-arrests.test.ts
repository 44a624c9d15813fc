import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import { IngestError, runIngest } from '../../ingest/run.ts';
import { ARRESTS_CSV_COLUMNS, arrestsAdapter } from '../../ingest/feeds/arrests.ts';
import { chooseAdapter } from '../../ingest/feeds/index.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';
import { INGEST, openStores, tempDir } from '../helpers/fixtures.ts';
import { csvText, nycAreas, type AreaLocator } from '../helpers/feed-csv.ts';
import { duckRows } from '../helpers/duck.ts';

type Row = Partial<Record<(typeof ARRESTS_CSV_COLUMNS)[number], string>>;

const base: Row = {
  event_date: '2024-03-01',
  event_type: 'arrest',
  precinct: '40',
  nibrs_offense: '35A',
  nibrs_drug_type: 'D',
  last_name: 'Rivera',
  first_name: 'Ana',
  date_of_birth: '1990-06-15',
  age: '33',
  sex: 'F',
};

describe.each(targetNames())('arrests ingest (operational db: %s)', (kind) => {
  let t: TestTarget;
  let duck: Duck;
  let ops: Ops;
  let dir: string;
  let geo: AreaLocator;
  let valid: (Row & { expectArea: string | null })[];
  let file: string;

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);

  beforeAll(async () => {
    t = await makeTarget(kind);
    ({ duck, ops } = await openStores(t.target));
    dir = tempDir();
    geo = nycAreas();
    const [p1, p2] = [geo.pointIn('305'), geo.pointIn('503')];
    valid = [
      { ...base, arrest_id: 'A1', area_code: '101', expectArea: '101' },
      { ...base, arrest_id: 'A2', event_type: 'citation', nibrs_offense: '35B', nibrs_drug_type: '', latitude: String(p1[1]), longitude: String(p1[0]), expectArea: geo.areaOf(p1[0], p1[1]) },
      { ...base, arrest_id: 'A3', nibrs_offense: '90D', nibrs_drug_type: '', area_code: '201', expectArea: '201' },
      { ...base, arrest_id: 'A4', event_type: 'deflection_referral', nibrs_offense: '', nibrs_drug_type: '', referral_program: 'LEAD', area_code: '301', expectArea: '301' },
      { ...base, arrest_id: 'A5', event_type: 'diversion_referral', referral_program: 'Drug court', area_code: '301', expectArea: '301' },
      { ...base, arrest_id: 'A6', nibrs_drug_type: 'a; D;X', area_code: ' 402 ', jail_release_date: '2024-03-04', expectArea: '402' },
      // An unknown area code falls back to the point; no usable place leaves the area empty.
      { ...base, arrest_id: 'A7', area_code: '999', latitude: String(p2[1]), longitude: String(p2[0]), expectArea: geo.areaOf(p2[0], p2[1]) },
      { ...base, arrest_id: 'A8', area_code: '999', expectArea: null },
      { ...base, arrest_id: 'A9', latitude: '40.4406', longitude: '-79.9959', expectArea: null }, // Pittsburgh
      { ...base, arrest_id: 'A10', age: '', date_of_birth: '1990-06-15', event_date: '2024-06-14', area_code: '101', expectArea: '101' },
      { ...base, arrest_id: 'A11', sex: '', age: '', last_name: '', date_of_birth: '', area_code: '101', expectArea: '101' },
      { ...base, arrest_id: 'A12', event_type: 'Citation', nibrs_offense: '35a', area_code: '101', expectArea: '101' },
    ];
    const rejects: Row[] = [
      { ...base, arrest_id: '' }, // line 14
      { ...base, arrest_id: 'A1' }, // 15
      { ...base, arrest_id: 'R3', event_date: '2024-02-30' }, // 16
      { ...base, arrest_id: 'R4', event_date: '1990-01-01' }, // 17
      { ...base, arrest_id: 'R5', event_type: 'warning' }, // 18
      { ...base, arrest_id: 'R6', nibrs_offense: '' }, // 19
      { ...base, arrest_id: 'R7', nibrs_offense: '35' }, // 20
      { ...base, arrest_id: 'R8', nibrs_drug_type: 'Z' }, // 21
      { ...base, arrest_id: 'R9', nibrs_drug_type: 'X' }, // 22: X needs two other codes (NIBRS error 362)
      { ...base, arrest_id: 'R10', latitude: '40.7' }, // 23
      { ...base, arrest_id: 'R11', latitude: '40.7', longitude: '-273.9' }, // 24
      { ...base, arrest_id: 'R12', jail_release_date: '2024-13-01' }, // 25
      { ...base, arrest_id: 'R13', jail_release_date: '2024-02-01' }, // 26
      { ...base, arrest_id: 'R14', age: '130' }, // 27
      { ...base, arrest_id: 'R15', sex: 'Q' }, // 28
    ];
    file = join(dir, 'arrests.csv');
    const text = csvText(ARRESTS_CSV_COLUMNS, [...valid, ...rejects]);
    writeFileSync(file, text + 'R16,2024-03-01,arrest\n'); // line 29: too few fields
  });
  afterAll(async () => {
    duck?.close();
    await ops?.close();
    await t?.drop();
  });

  it('is the adapter chosen for a file in its format', async () => {
    const c = await duck.connect();
    try {
      expect((await chooseAdapter(c, 'arrests', file)).format).toBe('nibrs-arrests-csv');
    } finally {
      c.closeSync();
    }
  });

  it('loads valid rows and rejects each bad one with its line, field and reason', async () => {
    const report = await runIngest(duck, ops.db, arrestsAdapter, file, { ...INGEST, maxRejectShare: 1 });
    expect(report.status).toBe('succeeded');
    expect(report.rowsIn).toBe(28);
    expect(report.rowsAccepted).toBe(valid.length);
    const rejects = await q<{ line: number; field: string; reason: string; value: string | null }>(
      'SELECT line::INTEGER AS line, field, reason, value FROM ingest_rejects WHERE feed = $f ORDER BY line',
      { f: 'arrests' },
    );
    expect(rejects.map((r) => [r.line, r.field, r.reason])).toEqual([
      [14, 'arrest_id', 'missing_arrest_id'],
      [15, 'arrest_id', 'duplicate_arrest_id'],
      [16, 'event_date', 'invalid_date'],
      [17, 'event_date', 'date_out_of_range'],
      [18, 'event_type', 'invalid_code'],
      [19, 'nibrs_offense', 'missing_offense'],
      [20, 'nibrs_offense', 'invalid_code'],
      [21, 'nibrs_drug_type', 'invalid_code'],
      [22, 'nibrs_drug_type', 'invalid_code'],
      [23, 'latitude', 'invalid_coordinates'],
      [24, 'longitude', 'invalid_coordinates'],
      [25, 'jail_release_date', 'invalid_date'],
      [26, 'jail_release_date', 'date_out_of_range'],
      [27, 'age', 'invalid_age'],
      [28, 'sex', 'invalid_code'],
      [29, 'row', 'malformed_row'],
    ]);
    expect(rejects.find((r) => r.line === 16)?.value).toBe('2024-02-30');
    const [run] = await recentRuns(ops.db, 1);
    expect(run?.definition_versions).toEqual({ arrests: 'nibrs-v2' });
    expect(run?.rows_unassigned).toBe(valid.filter((v) => v.expectArea === null).length);
  });

  it('places each event by area code, else by point, and keeps events with no area', async () => {
    const got = await q<{ arrest_id: string; event_area: string | null }>(
      'SELECT arrest_id, event_area FROM arrests_events ORDER BY arrest_id',
    );
    const want = valid.map((v) => ({ arrest_id: v.arrest_id!, event_area: v.expectArea })).sort((a, b) => a.arrest_id.localeCompare(b.arrest_id));
    expect(got).toEqual(want);
    expect(want.filter((w) => w.event_area === null)).toHaveLength(2);
  });

  it('counts the indicators as the NIBRS rules say, recounted from the rows written', async () => {
    const isArrest = (v: Row) => ['arrest', 'citation'].includes(v.event_type!.toLowerCase());
    const drug = valid.filter((v) => isArrest(v) && ['35A', '35B'].includes(v.nibrs_offense!.toUpperCase())).length;
    const referral = valid.filter((v) => v.event_type!.endsWith('_referral')).length;
    const got = await q<{ indicator: string; n: number }>(
      `SELECT indicator, count(*)::INTEGER AS n FROM indicator_events WHERE jurisdiction_id = 'nyc' AND indicator LIKE 'arrests.%' GROUP BY 1 ORDER BY 1`,
    );
    expect(got).toEqual([
      { indicator: 'arrests.deflection_referral', n: referral },
      { indicator: 'arrests.drug', n: drug },
    ]);
    expect(drug).toBe(9); // A1, A2, A6–A12 (A3 is 90D; A4, A5 are referrals)
    const a6 = await q<{ t: string[]; r: string }>(`SELECT nibrs_drug_types AS t, strftime(jail_release_date, '%Y-%m-%d') AS r FROM arrests_events WHERE arrest_id = 'A6'`);
    expect(a6).toEqual([{ t: ['A', 'D', 'X'], r: '2024-03-04' }]);
  });

  it('stores a person key and age, never the name or date of birth', async () => {
    const got = await q<{ arrest_id: string; age_years: number | null; sex: string | null; has_key: boolean }>(
      `SELECT arrest_id, age_years, sex, person_key IS NOT NULL AS has_key FROM arrests_events WHERE arrest_id IN ('A1', 'A10', 'A11')  ORDER BY arrest_id`,
    );
    expect(got).toEqual([
      { arrest_id: 'A1', age_years: 33, sex: 'F', has_key: true },
      { arrest_id: 'A10', age_years: 33, sex: 'F', has_key: true }, // from the date of birth: a day before the 34th birthday
      { arrest_id: 'A11', age_years: null, sex: null, has_key: false }, // no last name, no key
    ]);
    const keys = await q<{ n: number }>(`SELECT count(DISTINCT person_key)::INTEGER AS n FROM arrests_events WHERE person_key IS NOT NULL`);
    expect(keys[0]?.n).toBe(1); // one person throughout
    const cols = (await q<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'arrests_events'`)).map((c) => c.column_name);
    for (const pii of ['last_name', 'first_name', 'date_of_birth', 'latitude', 'longitude']) expect(cols).not.toContain(pii);
    const dump = await q<{ v: string }>(
      `SELECT DISTINCT v FROM (
         SELECT unnest([arrest_id, event_type, precinct, event_area, nibrs_offense, referral_program, sex, person_key, strftime(jail_release_date, '%Y-%m-%d')]) AS v FROM arrests_events
         UNION ALL SELECT value FROM ingest_rejects) WHERE v IS NOT NULL`,
    );
    const leaked = dump.map((d) => d.v).filter((v) => /rivera|ana|1990-06-15/i.test(v));
    expect(leaked).toEqual([]);
  });

  it('changes nothing when the same file is loaded again', async () => {
    const before = await q<{ n: number }>('SELECT count(*)::INTEGER AS n FROM arrests_events');
    const report = await runIngest(duck, ops.db, arrestsAdapter, file, { ...INGEST, maxRejectShare: 1 });
    expect(report.status).toBe('unchanged');
    expect(await q('SELECT count(*)::INTEGER AS n FROM arrests_events')).toEqual(before);
  });

  it('replaces events seen again in an overlapping extract, creating no duplicates', async () => {
    const before = await q<{ n: number }>('SELECT count(*)::INTEGER AS n FROM arrests_events');
    const extract = join(dir, 'arrests-2.csv');
    writeFileSync(
      extract,
      csvText(ARRESTS_CSV_COLUMNS, [
        { ...valid[0], event_type: 'citation' }, // A1 corrected
        valid[1]!,
        { ...base, arrest_id: 'A20', area_code: '101' },
      ]),
    );
    const report = await runIngest(duck, ops.db, arrestsAdapter, extract, INGEST);
    expect(report.status).toBe('succeeded');
    const after = await q<{ n: number; ids: number }>('SELECT count(*)::INTEGER AS n, count(DISTINCT arrest_id)::INTEGER AS ids FROM arrests_events');
    expect(after[0]).toEqual({ n: before[0]!.n + 1, ids: before[0]!.n + 1 });
    expect(await q(`SELECT event_type FROM arrests_events WHERE arrest_id = 'A1'`)).toEqual([{ event_type: 'citation' }]);
  });

  it('refuses a file in the wrong shape, naming the missing columns', async () => {
    const f = join(dir, 'wrong.csv');
    writeFileSync(f, 'arrest_id,event_date\nA,2024-01-01\n');
    await expect(runIngest(duck, ops.db, arrestsAdapter, f, INGEST)).rejects.toThrow(/line 1: missing column\(s\) event_type, precinct, area_code/);
  });

  it('refuses a file whose rejects pass the limit and leaves the data as it was', async () => {
    const before = await q('SELECT count(*)::INTEGER AS n FROM arrests_events');
    const f = join(dir, 'bad.csv');
    writeFileSync(f, csvText(ARRESTS_CSV_COLUMNS, [{ ...base, arrest_id: 'B1', area_code: '101' }, { ...base, arrest_id: 'B2', event_date: 'yesterday' }]));
    const err = await runIngest(duck, ops.db, arrestsAdapter, f, INGEST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).report?.rejectsByReason).toEqual({ invalid_date: 1 });
    expect(await q('SELECT count(*)::INTEGER AS n FROM arrests_events')).toEqual(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import { runIngest } from '../../ingest/run.ts';
import { TEDS_SUBSTANCES, TREATMENT_CSV_COLUMNS, treatmentAdapter } from '../../ingest/feeds/treatment.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';
import { INGEST, NYC_DIR, openStores, tempDir } from '../helpers/fixtures.ts';
import { csvText } from '../helpers/feed-csv.ts';
import { duckRows } from '../helpers/duck.ts';

type Row = Partial<Record<(typeof TREATMENT_CSV_COLUMNS)[number], string>>;

const base: Row = {
  admission_date: '2024-05-10',
  residence_area_code: '101',
  zip: '',
  age: '34',
  sex: '1',
  primary_substance: '5',
  secondary_substance: '2',
  moud: '1',
  referral_source: '7',
  discharge_date: '',
  last_name: 'Okafor',
  first_name: 'Chidi',
  date_of_birth: '1989-11-02',
};

/** ZIP → UHF 42 area from the jurisdiction's crosswalk file, read here independently of the loader. */
function zipToArea(): Map<string, string> {
  const m = new Map<string, string>();
  const lines = readFileSync(join(NYC_DIR, 'uhf-to-zip.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\n').slice(1);
  for (const l of lines) {
    const [, id, zips] = /^(\d+),[^,]*,"?([^"]*)"?$/.exec(l.trim())!;
    for (const z of zips!.split(',')) if (!m.has(z.trim()) || m.get(z.trim())! > id!) m.set(z.trim(), id!);
  }
  return m;
}

// Teds AGE categories by hand (TEDS-A codebook), for the check below.
const tedsAge = (a: number) => (a < 12 ? null : a <= 14 ? 1 : a <= 17 ? 2 : a <= 20 ? 3 : a <= 24 ? 4 : a <= 29 ? 5 : a <= 34 ? 6 : a <= 39 ? 7 : a <= 44 ? 8 : a <= 49 ? 9 : a <= 54 ? 10 : a <= 64 ? 11 : 12);

describe.each(targetNames())('treatment ingest (operational db: %s)', (kind) => {
  let t: TestTarget;
  let duck: Duck;
  let ops: Ops;
  let dir: string;
  let file: string;
  let valid: (Row & { area: string | null; ageYears: number | null })[];

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);

  beforeAll(async () => {
    t = await makeTarget(kind);
    ({ duck, ops } = await openStores(t.target));
    dir = tempDir();
    const zips = zipToArea();
    valid = [
      { ...base, admission_id: 'ADM-0001', area: '101', ageYears: 34 },
      { ...base, admission_id: 'ADM-0002', residence_area_code: '', zip: '10466', primary_substance: '7', age: '25', sex: '2', area: zips.get('10466')!, ageYears: 25 },
      { ...base, admission_id: 'ADM-0003', residence_area_code: '', zip: '10466-1234', primary_substance: '2', area: zips.get('10466')!, ageYears: 34 },
      { ...base, admission_id: 'ADM-0004', residence_area_code: '999', primary_substance: '6', area: null, ageYears: 34 },
      { ...base, admission_id: 'ADM-0005', residence_area_code: '', zip: '19104', area: null, ageYears: 34 },
      { ...base, admission_id: 'ADM-0006', age: '', primary_substance: '-9', sex: '-9', moud: '', referral_source: '', discharge_date: '2024-06-01', area: '101', ageYears: 34 },
      { ...base, admission_id: 'ADM-0007', age: '11', primary_substance: '4', last_name: '', area: '101', ageYears: 11 },
      { ...base, admission_id: 'ADM-0008', age: '70', primary_substance: '10', secondary_substance: '', area: '101', ageYears: 70 },
    ];
    const bad: Row[] = [
      { ...base, admission_id: '' }, // line 10
      { ...base, admission_id: 'ADM-0001' }, // 11
      { ...base, admission_id: 'ADM-R3', admission_date: '10/05/2024' }, // 12
      { ...base, admission_id: 'ADM-R4', admission_date: '1980-01-01' }, // 13
      { ...base, admission_id: 'ADM-R5', discharge_date: '2024-06-31' }, // 14
      { ...base, admission_id: 'ADM-R6', discharge_date: '2024-05-01' }, // 15
      { ...base, admission_id: 'ADM-R7', primary_substance: '20' }, // 16
      { ...base, admission_id: 'ADM-R8', primary_substance: '' }, // 17
      { ...base, admission_id: 'ADM-R9', secondary_substance: '0' }, // 18
      { ...base, admission_id: 'ADM-R10', moud: '3' }, // 19
      { ...base, admission_id: 'ADM-R11', referral_source: '8' }, // 20
      { ...base, admission_id: 'ADM-R12', sex: 'M' }, // 21
      { ...base, admission_id: 'ADM-R13', age: '200' }, // 22
      { ...base, admission_id: 'ADM-R14', zip: '1046' }, // 23
    ];
    file = join(dir, 'treatment.csv');
    writeFileSync(file, csvText(TREATMENT_CSV_COLUMNS, [...valid, ...bad]) + 'ADM-R15,2024-05-10\n'); // line 24
  });
  afterAll(async () => {
    duck?.close();
    await ops?.close();
    await t?.drop();
  });

  it('loads valid admissions and rejects each bad one with its line, field and reason', async () => {
    const report = await runIngest(duck, ops.db, treatmentAdapter, file, { ...INGEST, maxRejectShare: 1 });
    expect(report.status).toBe('succeeded');
    expect(report.rowsIn).toBe(23);
    expect(report.rowsAccepted).toBe(valid.length);
    const rejects = await q<{ line: number; field: string; reason: string; value: string | null }>(
      `SELECT line::INTEGER AS line, field, reason, value FROM ingest_rejects WHERE feed = 'treatment' ORDER BY line`,
    );
    expect(rejects.map((r) => [r.line, r.field, r.reason])).toEqual([
      [10, 'admission_id', 'missing_admission_id'],
      [11, 'admission_id', 'duplicate_admission_id'],
      [12, 'admission_date', 'invalid_date'],
      [13, 'admission_date', 'date_out_of_range'],
      [14, 'discharge_date', 'invalid_date'],
      [15, 'discharge_date', 'date_out_of_range'],
      [16, 'primary_substance', 'invalid_code'],
      [17, 'primary_substance', 'invalid_code'],
      [18, 'secondary_substance', 'invalid_code'],
      [19, 'moud', 'invalid_code'],
      [20, 'referral_source', 'invalid_code'],
      [21, 'sex', 'invalid_code'],
      [22, 'age', 'invalid_age'],
      [23, 'zip', 'invalid_zip'],
      [24, 'row', 'malformed_row'],
    ]);
    // No admission id and no ZIP is echoed into the quarantine (42 CFR Part 2).
    expect(rejects.filter((r) => [11, 23].includes(r.line)).map((r) => r.value)).toEqual([null, null]);
    const [run] = await recentRuns(ops.db, 1);
    expect(run?.definition_versions).toEqual({ treatment: 'teds-a-v1' });
    expect(run?.rows_unassigned).toBe(2);
  });

  it('keys each admission by the keyed hash of its id, places it by area code or ZIP, and bands the age', async () => {
    const got = await q<{ admission_key: string; residence_area: string | null; age_group: number | null; primary_substance: number; opioid: boolean }>(
      `SELECT admission_key, residence_area, age_group, primary_substance, opioid FROM treatment_admissions`,
    );
    const key = Buffer.from('odstat-test-linkage-key-32-bytes'); // TEST_LINKAGE
    const byKey = new Map(got.map((g) => [g.admission_key, g]));
    for (const v of valid) {
      const k = createHmac('sha256', key).update(`teds-admission|${v.admission_id}`).digest('hex');
      const row = byKey.get(k);
      expect(row, v.admission_id).toBeDefined();
      expect(row?.residence_area, v.admission_id).toBe(v.area);
      expect(row?.age_group, v.admission_id).toBe(v.ageYears === null ? null : tedsAge(v.ageYears));
      expect(row?.opioid, v.admission_id).toBe(['5', '6', '7'].includes(v.primary_substance!));
    }
    expect(got).toHaveLength(valid.length);
  });

  it('counts opioid admissions by residence, recounted from the rows written', async () => {
    const want = new Map<string | null, number>();
    for (const v of valid.filter((x) => ['5', '6', '7'].includes(x.primary_substance!))) want.set(v.area, (want.get(v.area) ?? 0) + 1);
    const got = await q<{ area: string | null; n: number }>(
      `SELECT residence_area AS area, count(*)::INTEGER AS n FROM indicator_events
        WHERE indicator = 'treatment.opioid_admissions' GROUP BY 1`,
    );
    expect(new Map(got.map((g) => [g.area, g.n]))).toEqual(want);
    expect([...want.values()].reduce((a, b) => a + b, 0)).toBe(4);
    expect(Object.keys(TEDS_SUBSTANCES)).toHaveLength(20);
  });

  it('stores nothing that names a patient beyond the person key', async () => {
    const cols = (await q<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'treatment_admissions'`)).map((c) => c.column_name);
    for (const c of ['admission_id', 'zip', 'age', 'last_name', 'first_name', 'date_of_birth']) expect(cols).not.toContain(c);
    const dump = await q<{ v: string }>(
      `SELECT DISTINCT v FROM (
         SELECT unnest([residence_area, sex, link_key_id, strftime(admission_date, '%Y-%m-%d'), strftime(discharge_date, '%Y-%m-%d')]) AS v FROM treatment_admissions
         UNION ALL SELECT value FROM ingest_rejects WHERE feed = 'treatment') WHERE v IS NOT NULL`,
    );
    const leaked = dump.map((d) => d.v).filter((v) => /ADM-|okafor|chidi|1989-11-02|104\d\d|19104/i.test(v));
    expect(leaked).toEqual([]);
    // The two keys are HMAC-SHA256 digests, nothing else.
    const hashes = await q<{ ok: boolean }>(
      `SELECT bool_and(regexp_full_match(admission_key, '[0-9a-f]{64}') AND coalesce(regexp_full_match(person_key, '[0-9a-f]{64}'), true)) AS ok FROM treatment_admissions`,
    );
    expect(hashes).toEqual([{ ok: true }]);
    const keys = await q<{ with_key: number; people: number }>(
      `SELECT count(person_key)::INTEGER AS with_key, count(DISTINCT person_key)::INTEGER AS people FROM treatment_admissions`,
    );
    expect(keys).toEqual([{ with_key: valid.length - 1, people: 1 }]);
  });

  it('changes nothing when the same file is loaded again, and replaces admissions seen again', async () => {
    const before = await q<{ n: number }>('SELECT count(*)::INTEGER AS n FROM treatment_admissions');
    expect((await runIngest(duck, ops.db, treatmentAdapter, file, { ...INGEST, maxRejectShare: 1 })).status).toBe('unchanged');
    expect(await q('SELECT count(*)::INTEGER AS n FROM treatment_admissions')).toEqual(before);
    const extract = join(dir, 'treatment-2.csv');
    writeFileSync(extract, csvText(TREATMENT_CSV_COLUMNS, [{ ...valid[0], primary_substance: '2' }, valid[1]!, { ...base, admission_id: 'ADM-0100' }]));
    const report = await runIngest(duck, ops.db, treatmentAdapter, extract, INGEST);
    expect(report.status).toBe('succeeded');
    const after = await q<{ n: number; keys: number; opioid: number }>(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT admission_key)::INTEGER AS keys, count(*) FILTER (WHERE opioid)::INTEGER AS opioid FROM treatment_admissions`,
    );
    expect(after).toEqual([{ n: before[0]!.n + 1, keys: before[0]!.n + 1, opioid: 4 - 1 + 1 }]);
  });

  it('refuses a file in the wrong shape, naming the missing columns', async () => {
    const f = join(dir, 'wrong.csv');
    writeFileSync(f, 'admission_id,admission_date,primary_substance\nA,2024-01-01,5\n');
    await expect(runIngest(duck, ops.db, treatmentAdapter, f, INGEST)).rejects.toThrow(/line 1: missing column\(s\) residence_area_code, zip, age/);
  });
});

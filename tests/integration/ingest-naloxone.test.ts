import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import { MAX_TEXT_LENGTH, runIngest } from '../../ingest/run.ts';
import { MAX_DOSES_PER_EVENT, MAX_KITS_PER_EVENT, NALOXONE_CSV_COLUMNS, naloxoneAdapter } from '../../ingest/feeds/naloxone.ts';
import { chooseAdapter } from '../../ingest/feeds/index.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';
import { INGEST, openStores, tempDir } from '../helpers/fixtures.ts';
import { csvText, nycAreas } from '../helpers/feed-csv.ts';
import { duckRows } from '../helpers/duck.ts';

type Row = Partial<Record<(typeof NALOXONE_CSV_COLUMNS)[number], string>>;

const dist: Row = { event_date: '2024-07-02', event_kind: 'distribution', agency: 'DOHMH', program: 'Community kits', kits: '10' };
const admin: Row = { event_date: '2024-07-03', event_kind: 'administration', agency: 'NYPD', precinct: '40', doses: '2' };

describe.each(targetNames())('naloxone ingest (operational db: %s)', (kind) => {
  let t: TestTarget;
  let duck: Duck;
  let ops: Ops;
  let dir: string;
  let file: string;
  let valid: (Row & { area: string | null })[];

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);

  beforeAll(async () => {
    t = await makeTarget(kind);
    ({ duck, ops } = await openStores(t.target));
    dir = tempDir();
    const geo = nycAreas();
    const p = geo.pointIn('305');
    valid = [
      { ...dist, event_id: 'N1', area_code: '101', kits: '12', area: '101' },
      { ...dist, event_id: 'N2', agency: 'NYPD', precinct: '19', latitude: String(p[1]), longitude: String(p[0]), kits: '48', area: geo.areaOf(p[0], p[1]) },
      { ...admin, event_id: 'N3', agency: 'FDNY EMS', area_code: '201', area: '201' },
      { ...admin, event_id: 'N4', area_code: '999', kits: '0', doses: '1', area: null },
      { ...dist, event_id: 'N5', agency: 'Harm reduction program', kits: String(MAX_KITS_PER_EVENT), area: null },
      { ...dist, event_id: 'N6', event_kind: ' Distribution ', area_code: '402', kits: '1', area: '402' },
    ];
    const bad: Row[] = [
      { ...dist, event_id: '' }, // line 8
      { ...dist, event_id: 'N1' }, // 9
      { ...dist, event_id: 'R3', event_date: '2024-7-2x' }, // 10
      { ...dist, event_id: 'R4', event_date: '2999-01-01' }, // 11
      { ...dist, event_id: 'R5', event_kind: 'training' }, // 12
      { ...dist, event_id: 'R6', agency: ' ' }, // 13
      { ...dist, event_id: 'R7', kits: '-3' }, // 14
      { ...dist, event_id: 'R8', kits: '2.5' }, // 15
      { ...dist, event_id: 'R9', kits: String(MAX_KITS_PER_EVENT + 1) }, // 16
      { ...admin, event_id: 'R10', doses: String(MAX_DOSES_PER_EVENT + 1) }, // 17
      { ...dist, event_id: 'R11', kits: '' }, // 18
      { ...admin, event_id: 'R12', doses: '0' }, // 19
      { ...dist, event_id: 'R13', latitude: '40.7', longitude: 'west' }, // 20
      { ...dist, event_id: 'R14', program: 'x'.repeat(MAX_TEXT_LENGTH + 1) }, // 21
    ];
    file = join(dir, 'naloxone.csv');
    writeFileSync(file, csvText(NALOXONE_CSV_COLUMNS, [...valid, ...bad]) + 'R15,2024-07-02,distribution,DOHMH,,101,,,,5,,extra,fields\n'); // line 22: too many fields
  });
  afterAll(async () => {
    duck?.close();
    await ops?.close();
    await t?.drop();
  });

  it('is the adapter chosen for a file in its format', async () => {
    const c = await duck.connect();
    try {
      expect((await chooseAdapter(c, 'naloxone', file)).format).toBe('naloxone-program-log-csv');
    } finally {
      c.closeSync();
    }
  });

  it('loads valid events and rejects each bad one with its line, field and reason', async () => {
    const report = await runIngest(duck, ops.db, naloxoneAdapter, file, { ...INGEST, maxRejectShare: 1 });
    expect(report.status).toBe('succeeded');
    expect(report.rowsAccepted).toBe(valid.length);
    const rejects = await q<{ line: number; field: string; reason: string }>(
      `SELECT line::INTEGER AS line, field, reason FROM ingest_rejects WHERE feed = 'naloxone' ORDER BY line`,
    );
    expect(rejects.map((r) => [r.line, r.field, r.reason])).toEqual([
      [8, 'event_id', 'missing_event_id'],
      [9, 'event_id', 'duplicate_event_id'],
      [10, 'event_date', 'invalid_date'],
      [11, 'event_date', 'date_out_of_range'],
      [12, 'event_kind', 'invalid_code'],
      [13, 'agency', 'missing_agency'],
      [14, 'kits', 'invalid_count'],
      [15, 'kits', 'invalid_count'],
      [16, 'kits', 'invalid_count'],
      [17, 'doses', 'invalid_count'],
      [18, 'kits', 'missing_count'],
      [19, 'doses', 'missing_count'],
      [20, 'longitude', 'invalid_coordinates'],
      [21, 'program', 'value_too_long'],
      [22, 'row', 'malformed_row'],
    ]);
    expect(report.rowsIn).toBe(21);
    const [run] = await recentRuns(ops.db, 1);
    expect(run?.definition_versions).toEqual({ naloxone: 'naloxone-log-v1' });
    expect(run?.rows_unassigned).toBe(2);
  });

  it('counts kits, not rows: one event per kit distributed, by area, recounted from the rows written', async () => {
    const want = new Map<string | null, number>();
    for (const v of valid.filter((x) => x.event_kind!.trim().toLowerCase() === 'distribution')) {
      want.set(v.area, (want.get(v.area) ?? 0) + Number(v.kits));
    }
    const got = await q<{ area: string | null; n: number }>(
      `SELECT event_area AS area, count(*)::INTEGER AS n FROM indicator_events WHERE indicator = 'naloxone.kits_distributed' GROUP BY 1`,
    );
    expect(new Map(got.map((g) => [g.area, g.n]))).toEqual(want);
    expect([...want.values()].reduce((a, b) => a + b, 0)).toBe(12 + 48 + MAX_KITS_PER_EVENT + 1);
    const stored = await q<{ kits: number; doses: number }>(
      `SELECT sum(kits)::INTEGER AS kits, sum(doses)::INTEGER AS doses FROM naloxone_events`,
    );
    expect(stored).toEqual([{ kits: 12 + 48 + MAX_KITS_PER_EVENT + 1, doses: 2 + 1 }]);
  });

  it('changes nothing when the same file is loaded again, and replaces events seen again', async () => {
    const before = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM indicator_events WHERE indicator = 'naloxone.kits_distributed'`);
    expect((await runIngest(duck, ops.db, naloxoneAdapter, file, { ...INGEST, maxRejectShare: 1 })).status).toBe('unchanged');
    const extract = join(dir, 'naloxone-2.csv');
    writeFileSync(extract, csvText(NALOXONE_CSV_COLUMNS, [{ ...valid[0], kits: '20' }, valid[1]!, { ...dist, event_id: 'N7', area_code: '101', kits: '3' }]));
    expect((await runIngest(duck, ops.db, naloxoneAdapter, extract, INGEST)).status).toBe('succeeded');
    const after = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM indicator_events WHERE indicator = 'naloxone.kits_distributed'`);
    expect(after[0]!.n).toBe(before[0]!.n + (20 - 12) + 3);
    const ids = await q<{ n: number; ids: number }>('SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS ids FROM naloxone_events');
    expect(ids).toEqual([{ n: valid.length + 1, ids: valid.length + 1 }]);
  });
});

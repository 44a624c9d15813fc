// Already-aggregated, already-suppressed agency tables: Philadelphia DPH quarterly overdose deaths
// by incident and by residence ZIP, and naloxone administrations by agency, unedited. Every cell
// is checked against the raw file read here in JavaScript; '<6' must stay suppressed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { loadJurisdiction, type LoadedJurisdiction } from '../../ingest/jurisdiction.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import { IngestError, runIngest } from '../../ingest/run.ts';
import { phlQuarterlyAgencyAdapter, phlQuarterlyZipAdapter } from '../../ingest/feeds/aggregates-philadelphia.ts';
import { parseCsv } from '../helpers/csv.ts';
import { openStores, REPO, TEST_LINKAGE, tempDir } from '../helpers/fixtures.ts';
import { SHARED_DATA } from '../helpers/shared-data.ts';
import { duckRows } from '../helpers/duck.ts';

const SAMPLES = join(REPO, 'fixtures', 'samples', 'philadelphia');
const SHARED = join(SHARED_DATA, 'philly-dph-od');
const FILES = {
  incident: join(SAMPLES, 'dph_od_incident_counts.csv'),
  resident: join(SAMPLES, 'dph_od_resident_counts.csv'),
  naloxone: join(SAMPLES, 'dph_dash_n_naloxone_admins.csv'),
};
const OPTS = { jurisdiction: 'philadelphia', actor: 'test', maxRejectShare: 0.05, linkage: TEST_LINKAGE };

interface Cell {
  jurisdiction_id: string;
  indicator: string;
  geography: string;
  area_id: string | null;
  area_scope: string;
  source_label: string;
  period_start: string;
  period_end: string;
  status: string;
  value: number | null;
  suppression_rule: string | null;
}

/** The raw table: label, quarter ('2014Q1'), cell text. */
function rawCells(file: string): { label: string; quarter: string; raw: string }[] {
  const [header, ...recs] = parseCsv(readFileSync(file, 'utf8'));
  return recs.flatMap((r) => header!.slice(1).map((h, i) => ({ label: r[0]!, quarter: h.replace(/^X/, ''), raw: r[i + 1]! })));
}
const quarterStart = (q: string) => `${q.slice(0, 4)}-${String(3 * Number(q.slice(5)) - 2).padStart(2, '0')}-01`;

describe('Philadelphia DPH aggregate tables', () => {
  let duck: Duck;
  let ops: Ops;
  let phl: LoadedJurisdiction;
  let dir: string;

  beforeAll(async () => {
    ({ duck, ops } = await openStores());
    dir = tempDir();
    const conn = await duck.connect();
    try {
      phl = await loadJurisdiction(conn, join(REPO, 'fixtures', 'jurisdictions', 'philadelphia'));
    } finally {
      conn.closeSync();
    }
  });
  afterAll(async () => {
    duck?.close();
    await ops?.close();
  });

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);
  const cells = (geography: string, indicatorLike: string) =>
    q<Cell>(
      `SELECT jurisdiction_id, indicator, geography, area_id, area_scope, source_label, strftime(period_start, '%Y-%m-%d') AS period_start,
              strftime(period_end, '%Y-%m-%d') AS period_end, status, value, suppression_rule
         FROM aggregate_counts WHERE geography = $g AND indicator LIKE $i`,
      { g: geography, i: indicatorLike },
    );

  it('loads the 48 ZIP polygons, counts only (no population file)', () => {
    expect(phl.areas).toHaveLength(48);
    expect(phl.areas.every((a) => a.population === null)).toBe(true);
    expect(phl.config.population).toBeUndefined();
  });

  it('copies the published tables byte for byte', () => {
    for (const f of Object.values(FILES)) {
      const shared = join(SHARED, f.split('/').pop()!);
      if (existsSync(shared)) expect(readFileSync(f).equals(readFileSync(shared))).toBe(true);
    }
  });

  it.each([
    ['incident', 'event'],
    ['resident', 'residence'],
  ] as const)('keeps every cell of the deaths-by-%s-ZIP table as published, <6 as suppressed', async (which, geography) => {
    const report = await ingestFeedFile(duck, ops.db, 'aggregates', FILES[which], OPTS);
    const raw = rawCells(FILES[which]);
    expect(raw).toHaveLength(48 * 20);
    expect(report).toMatchObject({ status: 'succeeded', rowsIn: raw.length, rowsRejected: 0, rejectsByReason: {} });
    // OOJ and Unknown rows: kept, labelled, with no area.
    expect(report.rowsUnassigned).toBe(raw.filter((c) => c.label === 'OOJ' || c.label === 'Unknown').length);
    const got = await cells(geography, 'deaths.%');
    expect(got).toHaveLength(raw.length);
    const byKey = new Map(got.map((g) => [`${g.source_label}|${g.period_start}`, g]));
    const zips = new Set(phl.areas.map((a) => a.id));
    for (const c of raw) {
      const g = byKey.get(`${c.label}|${quarterStart(c.quarter)}`);
      expect(g, `${c.label} ${c.quarter}`).toBeDefined();
      expect(g!.indicator).toBe('deaths.any_drug');
      if (c.raw === '<6') expect(g).toMatchObject({ status: 'suppressed', value: null, suppression_rule: '<6' });
      else expect(g).toMatchObject({ status: 'value', value: Number(c.raw), suppression_rule: null });
      if (c.label === 'OOJ') expect(g).toMatchObject({ area_id: null, area_scope: 'out_of_jurisdiction' });
      else if (c.label === 'Unknown') expect(g).toMatchObject({ area_id: null, area_scope: 'unknown' });
      else {
        expect(zips.has(c.label)).toBe(true);
        expect(g).toMatchObject({ area_id: c.label, area_scope: 'area' });
      }
    }
    // A suppressed cell is never a zero: the table's own zeros and its '<6' cells stay apart.
    const zeros = raw.filter((c) => c.raw === '0').length;
    const suppressed = raw.filter((c) => c.raw === '<6').length;
    expect(zeros).toBeGreaterThan(50);
    expect(suppressed).toBeGreaterThan(500);
    expect(got.filter((g) => g.value === 0)).toHaveLength(zeros);
    expect(got.filter((g) => g.status === 'suppressed')).toHaveLength(suppressed);
    // Quarter bounds, inclusive.
    expect(byKey.get('19104|2014-10-01')).toMatchObject({ period_end: '2014-12-31' });
    // Published totals per quarter: the sum of the shown cells and the count of hidden ones.
    const sums = await q<{ p: string; shown: number; hidden: number }>(
      `SELECT strftime(period_start, '%Y-%m-%d') AS p, coalesce(sum(value), 0)::INTEGER AS shown,
              count(*) FILTER (WHERE status = 'suppressed')::INTEGER AS hidden
         FROM aggregate_counts WHERE geography = $g AND indicator = 'deaths.any_drug' GROUP BY ALL`,
      { g: geography },
    );
    const expected: Record<string, { shown: number; hidden: number }> = {};
    for (const c of raw) {
      const e = (expected[quarterStart(c.quarter)] ??= { shown: 0, hidden: 0 });
      if (c.raw === '<6') e.hidden++;
      else e.shown += Number(c.raw);
    }
    expect(Object.fromEntries(sums.map((s) => [s.p, { shown: s.shown, hidden: s.hidden }]))).toEqual(expected);
  });

  it('keeps naloxone administrations by agency, NA as not reported (neither 0 nor suppressed)', async () => {
    const report = await ingestFeedFile(duck, ops.db, 'aggregates', FILES.naloxone, OPTS);
    const raw = rawCells(FILES.naloxone);
    expect(report).toMatchObject({ status: 'succeeded', rowsIn: 66, rowsRejected: 0, rowsUnassigned: 0 });
    const got = await cells('event', 'naloxone.%');
    expect(got).toHaveLength(66);
    const ind = { EMS: 'naloxone.administered_ems', Police: 'naloxone.administered_police', SEPTA: 'naloxone.administered_transit_police' };
    for (const c of raw) {
      const g = got.find((x) => x.indicator === ind[c.label as keyof typeof ind] && x.period_start === quarterStart(c.quarter));
      expect(g, `${c.label} ${c.quarter}`).toMatchObject({ area_id: null, area_scope: 'jurisdiction' });
      if (c.raw === 'NA') expect(g).toMatchObject({ status: 'not_reported', value: null, suppression_rule: null });
      else expect(g).toMatchObject({ status: 'value', value: Number(c.raw) });
    }
    expect(got.filter((g) => g.status === 'not_reported')).toHaveLength(raw.filter((c) => c.raw === 'NA').length);
  });

  it('changes nothing when a table is loaded again; a revised table replaces its cells', async () => {
    const count = () => q<{ n: number }>('SELECT count(*)::INTEGER AS n FROM aggregates').then((r) => r[0]!.n);
    const before = await count();
    expect((await runIngest(duck, ops.db, phlQuarterlyZipAdapter, FILES.incident, OPTS)).status).toBe('unchanged');
    expect(await count()).toBe(before);
    // A revision: 19104 in 2014Q1 published as 7 instead of '<6'.
    const lines = readFileSync(FILES.incident, 'utf8').trimEnd().split('\n');
    const i = lines.findIndex((l) => l.startsWith('19104,'));
    const parts = lines[i]!.split(',');
    expect(parts[1]).toBe('<6');
    parts[1] = '7';
    lines[i] = parts.join(',');
    const revised = join(dir, 'dph_od_incident_counts_revised.csv');
    writeFileSync(revised, `${lines.join('\n')}\n`);
    expect((await runIngest(duck, ops.db, phlQuarterlyZipAdapter, revised, OPTS)).status).toBe('succeeded');
    expect(await count()).toBe(before);
    const [cell] = await q<{ status: string; value: number; n: number }>(
      `SELECT any_value(status) AS status, any_value(value) AS value, count(*)::INTEGER AS n FROM aggregate_counts
        WHERE geography = 'event' AND source_label = '19104' AND period_start = DATE '2014-01-01'`,
    );
    expect(cell).toEqual({ status: 'value', value: 7, n: 1 });
  });

  it('rejects a cell that is no count, with its line and quarter; refuses a header that is no quarter', async () => {
    const lines = readFileSync(FILES.resident, 'utf8').trimEnd().split('\n');
    const bad = lines.map((l, k) => (k === 4 ? l.replace(/^([^,]+),[^,]+,/, '$1,six,') : k === 9 ? l.replace(/,([^,]+)$/, ',-1') : l));
    const f = join(dir, 'dph_od_resident_counts_bad.csv');
    writeFileSync(f, `${bad.join('\n')}\n`);
    const r = await runIngest(duck, ops.db, phlQuarterlyZipAdapter, f, OPTS);
    expect(r.rejectsByReason).toEqual({ invalid_count: 2 });
    expect(r.sampleRejects.map((s) => ({ line: s.line, field: s.field, value: s.value }))).toEqual([
      { line: 5, field: 'X2014Q1', value: 'six' },
      { line: 10, field: 'X2018Q4', value: '-1' },
    ]);
    const h = join(dir, 'dph_od_resident_counts_header.csv');
    writeFileSync(h, `${lines[0]!.replace('X2015Q2', 'Total')}\n${lines.slice(1).join('\n')}\n`);
    await expect(runIngest(duck, ops.db, phlQuarterlyZipAdapter, h, OPTS)).rejects.toThrow(/line 1: column\(s\) "Total" are not quarters/);
    // A quarter before any population year, or after this quarter, would file counts under it.
    for (const q of ['X1800Q1', 'X2200Q3']) {
      const y = join(dir, `dph_od_resident_counts_${q}.csv`);
      writeFileSync(y, `${lines[0]!.replace('X2015Q2', q)}\n${lines.slice(1).join('\n')}\n`);
      await expect(runIngest(duck, ops.db, phlQuarterlyZipAdapter, y, OPTS)).rejects.toThrow(new RegExp(`line 1: column\\(s\\) "${q}" name quarters outside 1999Q1`));
    }
  });

  it('will not guess whether a ZIP table is by incident or by residence', async () => {
    // Bytes not loaded before (the same bytes under any name would be 'unchanged').
    const f = join(dir, 'od_counts.csv');
    writeFileSync(f, readFileSync(FILES.resident, 'utf8').replace('\n19102,0,', '\n19102,1,'));
    await expect(runIngest(duck, ops.db, phlQuarterlyZipAdapter, f, OPTS)).rejects.toThrow(IngestError);
    await expect(runIngest(duck, ops.db, phlQuarterlyZipAdapter, f, OPTS)).rejects.toThrow(/"incident" or "resident"/);
  });

  it('tells the two table layouts apart by their header', async () => {
    const conn = await duck.connect();
    try {
      const { chooseAdapter } = await import('../../ingest/feeds/index.ts');
      expect((await chooseAdapter(conn, 'aggregates', FILES.incident)).format).toBe(phlQuarterlyZipAdapter.format);
      expect((await chooseAdapter(conn, 'aggregates', FILES.resident)).format).toBe(phlQuarterlyZipAdapter.format);
      expect((await chooseAdapter(conn, 'aggregates', FILES.naloxone)).format).toBe(phlQuarterlyAgencyAdapter.format);
    } finally {
      conn.closeSync();
    }
  });
});

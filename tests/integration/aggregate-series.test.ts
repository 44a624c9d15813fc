import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Duck } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import { aggregateSeries, GrainError } from '../../sql/aggregates.ts';
import { parseCsv } from '../helpers/csv.ts';
import { readFileSync } from 'node:fs';
import { openStores, REPO, TEST_LINKAGE } from '../helpers/fixtures.ts';

const FILE = join(REPO, 'fixtures', 'samples', 'philadelphia', 'dph_od_incident_counts.csv');

describe('series of an agency-aggregated indicator (Philadelphia, deaths by incident ZIP)', () => {
  let duck: Duck;
  let ops: Ops;
  let conn: DuckDBConnection;
  let names: Map<string, string>;
  const base = { jurisdiction: 'philadelphia', indicator: 'deaths.any_drug', geography: 'event', areas: [] as string[], total: true };

  beforeAll(async () => {
    ({ duck, ops } = await openStores());
    conn = await duck.connect();
    const phl = await loadJurisdiction(conn, join(REPO, 'fixtures', 'jurisdictions', 'philadelphia'));
    names = new Map(phl.areas.map((a) => [a.id, a.name]));
    await ingestFeedFile(duck, ops.db, 'aggregates', FILE, { jurisdiction: 'philadelphia', actor: 'test', maxRejectShare: 0.05, linkage: TEST_LINKAGE });
  });
  afterAll(async () => {
    conn?.closeSync();
    duck?.close();
    await ops?.close();
  });

  it('serves the quarters as published: "<6" suppressed, never 0, values as in the file', async () => {
    const res = await aggregateSeries(conn, { ...base, interval: 'quarter', from: '2014-01-01', to: '2019-12-31' }, names, () => null);
    expect(res.grain).toBe('quarter');
    const raw = parseCsv(readFileSync(FILE, 'utf8'));
    const header = raw[0]!;
    expect(header.length).toBeGreaterThan(2);
    const cells = res.series.filter((s) => s.area !== 'total').flatMap((s) => s.points);
    const suppressed = cells.filter((p) => p.state === 'suppressed');
    expect(suppressed.length).toBeGreaterThan(100);
    expect(suppressed.every((p) => p.count === null && p.rate === null)).toBe(true);
    const rawSuppressed = raw.slice(1).flat().filter((v) => v.trim() === '<6').length;
    // Every suppressed cell of the file that falls on an area appears as suppressed, and no more.
    expect(suppressed.length).toBeLessThanOrEqual(rawSuppressed);
    expect(cells.filter((p) => p.state === 'shown').every((p) => p.count! >= 6)).toBe(true);
  });

  it('adds quarters into years only where no quarter was suppressed', async () => {
    const q = await aggregateSeries(conn, { ...base, interval: 'quarter', from: '2017-01-01', to: '2017-12-31' }, names, () => null);
    const y = await aggregateSeries(conn, { ...base, interval: 'year', from: '2017-01-01', to: '2017-12-31' }, names, () => null);
    for (const s of y.series) {
      const quarters = q.series.find((x) => x.area === s.area)!.points;
      const year = s.points[0]!;
      if (quarters.some((p) => p.state === 'suppressed')) expect(year.state).toBe('suppressed');
      else expect(year.count).toBe(quarters.reduce((a, p) => a + (p.count ?? 0), 0));
    }
    expect(y.series.some((s) => s.points[0]!.state === 'suppressed')).toBe(true);
    expect(y.series.some((s) => s.points[0]!.state === 'shown')).toBe(true);
  });

  it('refuses an interval finer than the agency published', async () => {
    await expect(aggregateSeries(conn, { ...base, interval: 'month', from: '2017-01-01', to: '2017-12-31' }, names, () => null)).rejects.toThrow(GrainError);
  });
});

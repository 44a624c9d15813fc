import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { rows } from '../../sql/duckdb.ts';
import { runIngest } from '../../ingest/run.ts';
import { mortalityAdapter } from '../../ingest/feeds/mortality.ts';
import type { MortalityManifest } from '../../fixtures/generators/mortality.ts';
import type { AreaCollection, IndicatorList, JurisdictionList, SeriesResponse, StatusResponse } from '../../server/schemas/v1.ts';
import { INGEST, openStores, tempDir, writeMortality } from '../helpers/fixtures.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';

describe('API v1 over a loaded default city', () => {
  let app: FastifyInstance;
  let file: string;
  let manifest: MortalityManifest;
  let session: TestSession;

  beforeAll(async () => {
    const { duck, ops, nyc } = await openStores();
    ({ file, manifest } = writeMortality(nyc, tempDir()));
    await runIngest(duck, ops.db, mortalityAdapter, file, INGEST);
    app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: null });
    await app.ready();
    // The health department's analyst: every aggregate, unsuppressed (server/policy.ts).
    session = await loginAs(app, 'analyst');
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = async <T>(url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: session.headers });
    return { status: res.statusCode, body: res.json() as T, headers: res.headers };
  };

  it('answers liveness and readiness', async () => {
    expect((await get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await get<{ status: string; checks: Record<string, string> }>('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ duckdb: 'ok', postgres: 'ok' });
  });

  it('lists the default city, synthetic, with its data range', async () => {
    const { body } = await get<JurisdictionList>('/api/v1/jurisdictions');
    const nyc = body.jurisdictions.find((j) => j.id === 'nyc');
    expect(nyc).toMatchObject({ name: 'New York City', areaCount: 42, synthetic: true });
    expect(nyc?.syntheticNote).toMatch(/synthetic/i);
    expect(nyc?.dataRange?.to).toBe(manifest.end);
  });

  it('serves 42 UHF neighborhoods as GeoJSON', async () => {
    const { status, body } = await get<AreaCollection>('/api/v1/jurisdictions/nyc/areas');
    expect(status).toBe(200);
    expect(body.features).toHaveLength(42);
    const eh = body.features.find((f) => f.id === '303');
    expect(eh?.properties).toMatchObject({ name: 'East Harlem', group: 'Manhattan' });
    expect(eh?.properties.population).toBeGreaterThan(100_000);
    expect(['Polygon', 'MultiPolygon']).toContain(eh?.geometry.type);
    expect((await get('/api/v1/jurisdictions/nowhere/areas')).status).toBe(404);
  });

  it('lists indicators with definitions and versions', async () => {
    const { body } = await get<IndicatorList>('/api/v1/indicators');
    const deaths = body.indicators.filter((i) => i.feed === 'deaths');
    expect(deaths.map((i) => i.id)).toEqual(['deaths.any_drug', 'deaths.opioid', 'deaths.fentanyl', 'deaths.stimulant', 'deaths.xylazine']);
    expect(deaths.every((i) => i.available && i.definitionVersion === 'nchs-icd10-v1')).toBe(true);
    // Only the mortality feed was loaded here: every other indicator says it has no data yet.
    expect(body.indicators.filter((i) => i.feed !== 'deaths').every((i) => !i.available)).toBe(true);
    expect(body.indicators[0]?.definition).toMatch(/X40–X44/);
  });

  it('gives yearly counts equal to a direct count over the raw file', async () => {
    const { status, body } = await get<SeriesResponse>('/api/v1/series?indicator=deaths.any_drug&interval=year');
    expect(status).toBe(200);
    // Independent of the product's SQL: read the CSV as it came and apply the NCHS rule afresh.
    const conn = await app.duck.connect();
    const direct = await rows<{ year: string; n: number }>(
      conn,
      `SELECT strftime(date_trunc('year', d), '%Y-%m-%d') AS year, count(*)::INTEGER AS n FROM (
         SELECT try_cast(date_of_death AS DATE) AS d, upper(replace(trim(underlying_cause_icd10), '.', '')) AS u,
                row_number() OVER (PARTITION BY case_number ORDER BY date_of_death) AS k,
                case_number, age_years
           FROM read_csv($f, header = true, all_varchar = true))
        WHERE d IS NOT NULL AND d <= current_date AND case_number IS NOT NULL AND k = 1
          AND (age_years IS NULL OR try_cast(age_years AS INTEGER) IS NOT NULL)
          AND regexp_matches(u, '^(X4[0-4]|X6[0-4]|X85|Y1[0-4])')
        GROUP BY 1 ORDER BY 1`,
      { f: file },
    );
    conn.closeSync();
    const total = body.series.find((s) => s.area === 'total');
    expect(total?.points.map((p) => ({ year: p.period, n: p.count }))).toEqual(direct);
    // And against the generator's own truth.
    const byYear = Object.fromEntries(Object.entries(manifest.expected.byYear).map(([y, e]) => [`${y}-01-01`, e.any_drug]));
    expect(Object.fromEntries(total!.points.map((p) => [p.period, p.count]))).toEqual(byYear);
  });

  it('zero-fills every area and period, and areas plus unassigned add up to the total', async () => {
    const { body } = await get<SeriesResponse>('/api/v1/series?indicator=deaths.opioid&interval=month&from=2024-01-01&to=2024-12-31');
    expect(body.periods).toHaveLength(12);
    expect(body.series).toHaveLength(43);
    for (const s of body.series) expect(s.points.map((p) => p.period)).toEqual(body.periods.map((p) => p.start));
    const total = body.series[0]!;
    expect(total.area).toBe('total');
    const areaSum = body.series.slice(1).reduce((s, a) => s + a.points.reduce((x, p) => x + (p.count ?? 0), 0), 0);
    const totalSum = total.points.reduce((x, p) => x + (p.count ?? 0), 0);
    expect(areaSum + body.unassigned!).toBe(totalSum);
    expect(body.unassigned).toBeGreaterThan(0);
  });

  it('computes crude rates per 100,000 from the period-year population', async () => {
    const { body } = await get<SeriesResponse>('/api/v1/series?indicator=deaths.any_drug&interval=year&from=2024-01-01&to=2024-12-31&areas=303,107&total=false');
    expect(body.series.map((s) => s.area)).toEqual(['107', '303']);
    for (const s of body.series) {
      const p = s.points[0]!;
      expect(p.population).toBeGreaterThan(0);
      expect(p.rate).toBeCloseTo((p.count! / p.population!) * 100_000, 9);
    }
  });

  it('marks periods cut by the range or by the end of data as partial', async () => {
    const { body } = await get<SeriesResponse>(`/api/v1/series?indicator=deaths.any_drug&interval=quarter&from=2024-02-15&to=${manifest.end}`);
    expect(body.periods[0]).toEqual({ start: '2024-01-01', end: '2024-03-31', partial: true });
    expect(body.periods[1]).toEqual({ start: '2024-04-01', end: '2024-06-30', partial: false });
    const w = await get<SeriesResponse>('/api/v1/series?indicator=deaths.any_drug&interval=week&from=2024-01-01&to=2024-01-31');
    expect(w.body.periods.map((p) => p.start)).toEqual(['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29']);
    expect(w.body.periods.at(-1)).toEqual({ start: '2024-01-29', end: '2024-02-04', partial: true });
  });

  it('marks periods before the data begin as missing, not zero', async () => {
    const { body } = await get<SeriesResponse>('/api/v1/series?indicator=deaths.any_drug&interval=year&from=2016-01-01&to=2021-12-31&total=true&areas=303');
    const total = body.series.find((s) => s.area === 'total')!;
    expect(total.points.map((p) => p.state)).toEqual(['missing', 'missing', 'missing', 'missing', 'shown', 'shown']);
    expect(total.points[0]).toMatchObject({ count: null, rate: null });
    expect(body.series.find((s) => s.area === '303')!.points[1]).toMatchObject({ state: 'missing', count: null });
  });

  it('defaults to the indicator’s own geography: residence for deaths, event for EMS', async () => {
    const d = await get<SeriesResponse>('/api/v1/series?indicator=deaths.any_drug&interval=year&total=true&areas=total');
    expect(d.status).toBe(200);
    expect(d.body.geography).toBe('residence');
    const e = await get<SeriesResponse>('/api/v1/series?indicator=ems.opioid_overdose&interval=year&areas=total');
    expect(e.status).toBe(200);
    expect(e.body.geography).toBe('event');
    expect((await get('/api/v1/series?indicator=ems.opioid_overdose&geography=residence')).status).toBe(400);
  });

  it('counts by where the death happened when asked', async () => {
    const res = await get<SeriesResponse>('/api/v1/series?indicator=deaths.any_drug&interval=year&geography=event&total=false&from=2024-01-01&to=2024-12-31');
    const res2 = await get<SeriesResponse>('/api/v1/series?indicator=deaths.any_drug&interval=year&geography=residence&total=false&from=2024-01-01&to=2024-12-31');
    const a = res.body.series.map((s) => s.points[0]!.count);
    const b = res2.body.series.map((s) => s.points[0]!.count);
    expect(a).not.toEqual(b);
  });

  it.each([
    ['/api/v1/series?indicator=deaths.nothing', /unknown indicator "deaths.nothing"/],
    ['/api/v1/series', /indicator/],
    ['/api/v1/series?indicator=deaths.opioid&interval=fortnight', /interval/],
    ['/api/v1/series?indicator=deaths.opioid&from=2024-02-30', /"from" is not a calendar date/],
    ['/api/v1/series?indicator=deaths.opioid&from=2024-03-01&to=2024-02-01', /after "to"/],
    ['/api/v1/series?indicator=deaths.opioid&areas=101,999', /unknown area\(s\) in "areas": 999/],
    ["/api/v1/series?indicator=deaths.opioid&areas=101'%3B%20DROP%20TABLE%20areas--", /areas/],
    ['/api/v1/series?indicator=deaths.opioid&interval=day&from=1990-01-01&to=2025-01-01', /longer than/],
  ])('rejects %s with a 400 naming the problem', async (url, msg) => {
    const { status, body } = await get<{ message: string }>(url);
    expect(status).toBe(400);
    expect(body.message).toMatch(msg);
  });

  it('publishes an OpenAPI document describing every route', async () => {
    const { status, body } = await get<{ openapi: string; paths: Record<string, unknown> }>('/api/docs/json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/jurisdictions', '/api/v1/jurisdictions/{id}/areas', '/api/v1/indicators', '/api/v1/series', '/healthz', '/readyz']),
    );
  });
});

describe('data status', () => {
  it('reports each feed: loads, rejects by reason, records with no area, freshness', async () => {
    const { duck, ops, nyc } = await openStores();
    const { file, manifest } = writeMortality(nyc, tempDir(), { years: 2 });
    await runIngest(duck, ops.db, mortalityAdapter, file, INGEST);
    const app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: null });
    try {
      const { headers } = await loginAs(app, 'partner');
      const res = await app.inject({ method: 'GET', url: '/api/v1/status', headers });
      expect(res.statusCode).toBe(200);
      const body = res.json() as StatusResponse;
      const m = body.feeds.find((f) => f.feed === 'mortality');
      expect(m).toMatchObject({ jurisdiction: 'nyc', files: 1, rowsRejected: 6, latestEvent: manifest.end });
      expect(m?.rowsAccepted).toBe(manifest.rows - 6);
      expect(m?.rejectsByReason).toEqual(Object.fromEntries(manifest.plantedRejects.map((p) => [p.reason, 1])));
      expect(m?.lastRun?.status).toBe('succeeded');
      expect(m?.lastRun?.rowsUnassigned).toBeGreaterThan(0);
      expect(body.runs).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

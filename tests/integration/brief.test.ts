// The monthly brief on the default city, through the API with real DuckDB and PGlite: frozen at its
// first render per suppression policy, identical after a new load changes the month's numbers, a
// refresh makes a new version with the new numbers, the commander's snapshot is suppressed and never
// the analyst's, clear errors for a bad month or a month without data, and the service session
// `odstat brief` prints with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import type { Brief } from '../../server/schemas/brief.ts';
import { openCity, type City } from '../helpers/city.ts';
import { INGEST, TEST_LINKAGE, tempDir } from '../helpers/fixtures.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import { csvText } from '../helpers/feed-csv.ts';

const MONTH = '2025-11';
const EXTRA_DEATHS = 25;
const TOKEN = 'brief-test-admin-token-0123456789';

describe('the monthly brief', () => {
  let city: City;
  let app: FastifyInstance;
  let analyst: TestSession;
  let commander: TestSession;

  beforeAll(async () => {
    city = await openCity();
    app = await buildApp({
      duck: city.duck,
      ops: city.ops,
      defaultJurisdiction: 'nyc',
      webRoot: null,
      ingest: { incomingDir: tempDir(), linkage: TEST_LINKAGE, maxRejectShare: 0.05, adminToken: TOKEN },
    });
    await app.ready();
    analyst = await loginAs(app, 'analyst');
    commander = await loginAs(app, 'commander', { agency: 'NYPD' });
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await city?.close();
  });

  const get = async (url: string, s: TestSession) => {
    const res = await app.inject({ method: 'GET', url, headers: s.headers });
    return res;
  };
  const brief = async (s: TestSession, q = '') => {
    const res = await get(`/api/v1/briefs/${MONTH}${q}`, s);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Brief;
  };
  const headline = (b: Brief, id: string) => b.figures.headline.find((h) => h.indicator === id)!;

  let a1: Brief;
  let c1: Brief;

  it('freezes the first render with the data and definition versions it used', async () => {
    const t = Date.now();
    a1 = await brief(analyst);
    console.log(`first render (analyst): ${Date.now() - t} ms`);
    expect(a1.version).toBe(1);
    expect(a1.reason).toBe('first');
    expect(a1.newerData).toBe(false);
    expect(a1.figures.synthetic).toBe(true);
    expect(a1.dataVersion.files).toBeGreaterThan(0);
    expect(a1.definitionVersions['deaths.any_drug']).toMatch(/./);
    const deaths = headline(a1, 'deaths.any_drug');
    expect(deaths.current!.count).toBeGreaterThan(100);
    expect(deaths.previous!.month).toBe('2025-10');
    expect(deaths.yearAgo!.month).toBe('2024-11');
    expect(a1.figures.map!.areas.length).toBe(42);
    expect(a1.figures.map!.areas.every((x) => x.state !== 'suppressed')).toBe(true);
    // The stored snapshot is what a second request gets.
    const again = await brief(analyst);
    expect(again.id).toBe(a1.id);
    expect(again.figures).toEqual(a1.figures);
  });

  it('gives the commander a snapshot of its own, suppressed, never the analyst’s', async () => {
    c1 = await brief(commander);
    expect(c1.id).not.toBe(a1.id);
    expect(c1.policy.key).not.toBe(a1.policy.key);
    expect(c1.policy.description).toMatch(/counts 1–9 hidden/);
    const small = (n: number | null | undefined) => n !== null && n !== undefined && n > 0 && n < 10;
    for (const h of c1.figures.headline) for (const f of [h.current, h.previous, h.yearAgo]) expect(small(f?.count)).toBe(false);
    for (const x of c1.figures.map!.areas) expect(small(x.count)).toBe(false);
    for (const l of c1.figures.supply.lines) for (const f of [l.current, l.previous]) expect(small(f?.count)).toBe(false);
    // The analyst's map has small area counts that the commander's hides.
    const analystSmall = a1.figures.map!.areas.filter((x) => small(x.count)).map((x) => x.id);
    expect(analystSmall.length).toBeGreaterThan(0);
    for (const id of analystSmall) expect(c1.figures.map!.areas.find((x) => x.id === id)!.state).toBe('suppressed');
    // Hotspot explanations: observed and expected daily counts are the analyst's only.
    for (const h of [...c1.figures.hotspots.new, ...c1.figures.hotspots.continuing]) expect(h.explanation).not.toMatch(/observed against/);
  });

  it('reads the same after a new load changes the month, and a refresh makes a new version with the new numbers', async () => {
    const dir = tempDir();
    const header = ['case_number', 'date_of_death', 'decedent_name', 'date_of_birth', 'residence_address', 'age_years', 'sex', 'race_ethnicity', 'residence_area_code', 'injury_area_code', 'underlying_cause_icd10', 'multiple_causes_icd10', 'toxicology_substances'];
    const rows = Array.from({ length: EXTRA_DEATHS }, (_, i) => ({
      case_number: `ME-2025-9${String(i).padStart(5, '0')}`,
      date_of_death: `2025-11-${String(1 + (i % 28)).padStart(2, '0')}`,
      age_years: 30 + i,
      sex: i % 2 ? 'M' : 'F',
      race_ethnicity: 'Non-Hispanic White',
      residence_area_code: '101',
      injury_area_code: '101',
      underlying_cause_icd10: 'X42',
      multiple_causes_icd10: 'T40.4',
      toxicology_substances: 'fentanyl',
    }));
    const file = join(dir, 'late-deaths.csv');
    writeFileSync(file, csvText(header, rows));
    const report = await ingestFeedFile(city.duck, city.ops.db, 'mortality', file, INGEST);
    expect(report.rowsAccepted).toBe(EXTRA_DEATHS);

    const a2 = await brief(analyst);
    expect(a2.id).toBe(a1.id);
    expect(a2.figures).toEqual(a1.figures);
    expect(a2.dataVersion).toEqual(a1.dataVersion);
    expect(a2.newerData).toBe(true);
    const c2 = await brief(commander);
    expect(c2.figures).toEqual(c1.figures);

    // The live series has moved: the snapshot is what kept the brief still.
    const live = await get(`/api/v1/series?indicator=deaths.any_drug&areas=total&from=${MONTH}-01&to=${MONTH}-30`, analyst);
    const liveCount = (live.json() as { series: { points: { count: number }[] }[] }).series[0]!.points[0]!.count;
    expect(liveCount).toBe(headline(a1, 'deaths.any_drug').current!.count! + EXTRA_DEATHS);

    const refreshed = await app.inject({ method: 'POST', url: `/api/v1/briefs/${MONTH}/refresh`, headers: analyst.headers, payload: {} });
    expect(refreshed.statusCode, refreshed.body).toBe(201);
    const a3 = refreshed.json() as Brief;
    expect(a3.version).toBe(2);
    expect(a3.reason).toBe('refresh');
    expect(a3.newerData).toBe(false);
    expect(headline(a3, 'deaths.any_drug').current!.count).toBe(liveCount);
    expect(a3.dataVersion.lastRun).not.toBe(a1.dataVersion.lastRun);
    expect(a3.versions.map((v) => v.version)).toEqual([2, 1]);
    // Version 1 stays readable and unchanged; the latest is now version 2.
    expect((await brief(analyst, '?version=1')).figures).toEqual(a1.figures);
    expect((await brief(analyst)).version).toBe(2);
    // The commander's snapshot is untouched by the analyst's refresh, and the commander may not refresh.
    expect((await brief(commander)).figures).toEqual(c1.figures);
    const denied = await app.inject({ method: 'POST', url: `/api/v1/briefs/${MONTH}/refresh`, headers: commander.headers, payload: {} });
    expect(denied.statusCode).toBe(403);
  });

  it('says what is wrong with a bad month or a month without data', async () => {
    const bad = await get('/api/v1/briefs/2025-13', analyst);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/not a month/);
    const word = await get('/api/v1/briefs/november', analyst);
    expect(word.statusCode).toBe(400);
    expect(word.json().message).toMatch(/expected YYYY-MM/);
    const none = await get('/api/v1/briefs/1999-01', analyst);
    expect(none.statusCode).toBe(404);
    expect(none.json().message).toMatch(/no data for 1999-01.*data run from 20\d\d-\d\d-\d\d/);
  });

  it('mints a service session for `odstat brief` only against the local administrator token, audited', async () => {
    const refused = await app.inject({ method: 'POST', url: '/api/v1/briefs/service-session', headers: { authorization: 'Bearer wrong' }, payload: { role: 'partner' } });
    expect(refused.statusCode).toBe(401);
    const res = await app.inject({ method: 'POST', url: '/api/v1/briefs/service-session', headers: { authorization: `Bearer ${TOKEN}` }, payload: { role: 'partner' } });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json() as { cookie: { name: string; value: string }; role: string };
    expect(s.role).toBe('partner');
    const read = await app.inject({ method: 'GET', url: `/api/v1/briefs/${MONTH}`, headers: { cookie: `${s.cookie.name}=${s.cookie.value}` } });
    expect(read.statusCode, read.body).toBe(200);
    // Partner and commander share a suppression policy, so they share the snapshot.
    expect((read.json() as Brief).id).toBe(c1.id);
    const audit = await city.ops.db.selectFrom('audit_log').select(['action', 'role']).where('action', 'like', 'briefs.%').execute();
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['briefs.read', 'briefs.refresh', 'briefs.service-session']));
  });
});

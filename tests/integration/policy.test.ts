// Who may see what (server/policy.ts): the defaults, their configuration, and the series route
// refusing anything finer than a role may see — including a fine period dressed as a coarse one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import {
  DEFAULT_POLICY,
  describePolicy,
  mayUse,
  parseThresholds,
  POLICY_FEEDS,
  policyFor,
  rangeProblem,
  ROLES,
  withThresholds,
  type FeedPolicy,
  type PolicyTable,
} from '../../server/policy.ts';
import { INDICATORS } from '../../sql/indicators/index.ts';
import { loadConfig } from '../../cli/config.ts';
import { openStores } from '../helpers/fixtures.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';
import type { SeriesResponse } from '../../server/schemas/v1.ts';

describe('the default policy', () => {
  it('lets the analyst see every aggregate, unsuppressed, by day and area', () => {
    for (const f of POLICY_FEEDS) expect(policyFor('analyst', f)).toEqual({ allowed: true, minArea: 'area', minInterval: 'day', threshold: 0 });
  });

  it('hides counts 1–9 from every other role (CDC WONDER), 1–10 for treatment, never below area × month', () => {
    for (const role of ROLES.filter((r) => r !== 'analyst')) {
      for (const f of POLICY_FEEDS) {
        const p = policyFor(role, f);
        expect(p).toEqual({ allowed: true, minArea: 'area', minInterval: 'month', threshold: f === 'treatment' ? 11 : 10 });
      }
    }
  });

  it('keeps treatment the strictest feed for every role that has suppression', () => {
    for (const role of ROLES) {
      const t = policyFor(role, 'treatment').threshold;
      for (const f of POLICY_FEEDS) if (t > 0) expect(t).toBeGreaterThanOrEqual(policyFor(role, f).threshold);
    }
  });

  it('takes other thresholds per feed, but never one that publishes a 1, nor treatment below another feed', () => {
    const t = withThresholds(parseThresholds('deaths=12, treatment=20'));
    expect(policyFor('commander', 'deaths', t).threshold).toBe(12);
    expect(policyFor('public', 'treatment', t).threshold).toBe(20);
    expect(policyFor('analyst', 'deaths', t).threshold).toBe(0);
    expect(DEFAULT_POLICY.commander.deaths.threshold).toBe(10);
    expect(() => withThresholds({ deaths: 1 })).toThrow(/from 2 to 1000/);
    expect(() => withThresholds({ deaths: 15 })).toThrow(/treatment data must have the strictest threshold/);
    expect(() => withThresholds({ tarot: 5 } as never)).toThrow(/unknown feed "tarot"/);
    expect(() => parseThresholds('deaths:10')).toThrow(/expected feed=number/);
  });

  it('is configured from the environment, refusing what would weaken it', () => {
    const cfg = loadConfig({ ODSTAT_SUPPRESSION_THRESHOLDS: 'deaths=11,treatment=12', ODSTAT_PUBLIC_VIEW: 'true', ODSTAT_AUDIT_RETENTION_DAYS: '0' });
    expect(policyFor('public', 'deaths', cfg.security.policy).threshold).toBe(11);
    expect(cfg.security).toMatchObject({ publicView: true, auditRetentionDays: 0, sessionIdleMinutes: 30, sessionMaxHours: 12, cookieSecure: 'auto' });
    expect(loadConfig({}).security.publicView).toBe(false);
    expect(() => loadConfig({ ODSTAT_SUPPRESSION_THRESHOLDS: 'deaths=1' })).toThrow(/ODSTAT_SUPPRESSION_THRESHOLDS=deaths=1: .*from 2 to 1000/);
    expect(() => loadConfig({ ODSTAT_PUBLIC_VIEW: 'perhaps' })).toThrow(/ODSTAT_PUBLIC_VIEW=perhaps: expected true or false/);
    expect(() => loadConfig({ ODSTAT_TRUST_PROXY: 'everyone' })).toThrow(/ODSTAT_TRUST_PROXY/);
  });

  it('says what a role may see in words', () => {
    expect(describePolicy('commander', 'treatment', policyFor('commander', 'treatment'))).toBe(
      'the commander role may see treatment data by area or for the whole jurisdiction, by month or longer periods, in whole months, counts from 1 to 10 hidden',
    );
    expect(describePolicy('analyst', 'ems', policyFor('analyst', 'ems'))).toBe('the analyst role may see ems data by area or for the whole jurisdiction, by any period');
  });

  it('refuses ranges that cut a period', () => {
    expect(rangeProblem('2024-01-01', '2024-03-31', 'month')).toBeNull();
    expect(rangeProblem('2024-02-01', '2024-02-29', 'month')).toBeNull();
    expect(rangeProblem(undefined, undefined, 'month')).toBeNull();
    expect(rangeProblem('2024-01-15', '2024-01-15', 'day')).toBeNull();
    expect(rangeProblem('2024-01-02', '2024-03-31', 'month')).toMatch(/"from" \(2024-01-02\) must be the first day of a month/);
    expect(rangeProblem('2024-01-01', '2024-02-28', 'month')).toMatch(/"to" \(2024-02-28\) must be the last day of a month/);
    expect(rangeProblem('2024-01-01', '2024-01-07', 'week')).toBeNull(); // a Monday to a Sunday
    expect(rangeProblem('2024-01-02', '2024-01-07', 'week')).toMatch(/first day of a week/);
    expect(rangeProblem('2024-04-01', '2024-06-30', 'quarter')).toBeNull();
    expect(rangeProblem('2024-05-01', '2024-06-30', 'quarter')).toMatch(/first day of a quarter/);
  });

  it('opens each kind of endpoint to the roles it should', () => {
    const table = Object.fromEntries(
      (['open', 'token', 'data', 'members', 'admin'] as const).map((a) => [a, [null, ...ROLES].filter((r) => mayUse(r, a)).map((r) => r ?? 'nobody')]),
    );
    expect(table).toEqual({
      open: ['nobody', 'admin', 'analyst', 'commander', 'partner', 'public'],
      token: ['nobody', 'admin', 'analyst', 'commander', 'partner', 'public'],
      data: ['admin', 'analyst', 'commander', 'partner', 'public'],
      members: ['admin', 'analyst', 'commander', 'partner'],
      admin: ['admin'],
    });
  });
});

describe('the series route enforces the policy', () => {
  let app: FastifyInstance;
  const s: Record<string, TestSession> = {};
  const seen: (FeedPolicy | null)[] = [];
  const treatment = INDICATORS.find((d) => d.feed === 'treatment');

  beforeAll(async () => {
    const { duck, ops } = await openStores();
    app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: null });
    app.addHook('onResponse', async (req) => {
      if (req.url.startsWith('/api/v1/series')) seen.push(req.policy);
    });
    await app.ready();
    for (const role of ['admin', 'analyst', 'commander', 'partner'] as const) s[role] = await loginAs(app, role);
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (role: string, query: string) => app.inject({ method: 'GET', url: `/api/v1/series?${query}`, headers: { cookie: s[role]!.cookie } });

  it.each(['admin', 'commander', 'partner'])('refuses daily and weekly series to the %s role, saying what it may see', async (role) => {
    for (const interval of ['day', 'week']) {
      const r = await get(role, `indicator=deaths.opioid&interval=${interval}&from=2024-01-01&to=2024-03-31`);
      expect(r.statusCode).toBe(403);
      expect(r.json().message).toBe(
        `the ${role} role may see deaths data by area or for the whole jurisdiction, by month or longer periods, in whole months, counts from 1 to 9 hidden; asked for interval=${interval}`,
      );
    }
    for (const interval of ['month', 'quarter', 'year']) {
      expect((await get(role, `indicator=deaths.opioid&interval=${interval}&from=2024-01-01&to=2024-12-31`)).statusCode).toBe(200);
    }
  });

  it('serves the analyst by day and week', async () => {
    expect((await get('analyst', 'indicator=deaths.opioid&interval=day&from=2024-01-01&to=2024-01-31')).statusCode).toBe(200);
    expect((await get('analyst', 'indicator=deaths.opioid&interval=week&from=2024-01-03&to=2024-01-31')).statusCode).toBe(200);
  });

  it('refuses a month cut to a few days — a daily count by another name', async () => {
    for (const q of ['from=2024-01-15&to=2024-01-15', 'from=2024-01-01&to=2024-01-14', 'from=2024-01-02&to=2024-03-31']) {
      const r = await get('commander', `indicator=deaths.opioid&interval=month&${q}`);
      expect(r.statusCode).toBe(403);
      expect(r.json().message).toMatch(/must be the (first|last) day of a month: this data is served in whole months/);
    }
    // Not a date at all: a 400 naming it, before any policy arithmetic.
    expect((await get('commander', 'indicator=deaths.opioid&from=2024-02-30')).json().message).toMatch(/"from" is not a calendar date/);
    const quarter = await get('partner', 'indicator=deaths.opioid&interval=quarter&from=2024-02-01&to=2024-02-29');
    expect(quarter.statusCode).toBe(200);
    // The analyst may cut anywhere.
    expect((await get('analyst', 'indicator=deaths.opioid&interval=month&from=2024-01-15&to=2024-01-15')).statusCode).toBe(200);
  });

  it('hands the role and feed threshold to the suppression call site (req.policy)', async () => {
    seen.length = 0;
    await get('commander', 'indicator=deaths.opioid&interval=month&from=2024-01-01&to=2024-01-31');
    await get('analyst', 'indicator=deaths.opioid&interval=month&from=2024-01-01&to=2024-01-31');
    expect(seen.map((p) => p?.threshold)).toEqual([10, 0]);
  });

  it.skipIf(!treatment)('holds treatment data to threshold 11 and whole months, for every role but the analyst', async () => {
    seen.length = 0;
    const week = await get('commander', `indicator=${treatment!.id}&interval=week&from=2024-01-01&to=2024-03-31`);
    expect(week.statusCode).toBe(403);
    expect(week.json().message).toMatch(/treatment data .* counts from 1 to 10 hidden/);
    const month = await get('partner', `indicator=${treatment!.id}&interval=month&from=2024-01-01&to=2024-03-31`);
    expect(month.statusCode).toBe(200);
    expect(seen.at(-1)).toEqual({ allowed: true, minArea: 'area', minInterval: 'month', threshold: 11 });
  });

  it('treats injection strings in every parameter as invalid input, never as SQL', async () => {
    for (const q of [
      "indicator=deaths.opioid'%20OR%201=1--",
      'indicator=deaths.opioid&interval=month%3B%20DROP%20TABLE%20areas',
      "indicator=deaths.opioid&from=2024-01-01'%20--",
      "indicator=deaths.opioid&jurisdiction=nyc'%20OR%20'1'='1",
      "indicator=deaths.opioid&areas=101,102)%20OR%20(1=1",
      'indicator=deaths.opioid&geography=residence%27--',
    ]) {
      const r = await get('commander', q);
      expect({ q, status: r.statusCode }).toEqual({ q, status: 400 });
    }
  });
});

describe('a configured policy', () => {
  let app: FastifyInstance;
  let partner: TestSession;

  beforeAll(async () => {
    const table: PolicyTable = structuredClone(DEFAULT_POLICY);
    table.partner.deaths.minArea = 'jurisdiction';
    table.partner.arrests.allowed = false;
    const { duck, ops } = await openStores();
    app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: null, security: { policy: table } });
    await app.ready();
    partner = await loginAs(app, 'partner');
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (query: string) => app.inject({ method: 'GET', url: `/api/v1/series?${query}`, headers: { cookie: partner.cookie } });

  it('serves only the jurisdiction total where the smallest area is the jurisdiction', async () => {
    const byArea = await get('indicator=deaths.opioid&from=2024-01-01&to=2024-03-31');
    expect(byArea.statusCode).toBe(403);
    expect(byArea.json().message).toMatch(/may see deaths data only for the whole jurisdiction \(areas=total\)/);
    expect((await get('indicator=deaths.opioid&from=2024-01-01&to=2024-03-31&areas=101')).statusCode).toBe(403);
    const total = await get('indicator=deaths.opioid&from=2024-01-01&to=2024-03-31&areas=total&total=false');
    expect(total.statusCode).toBe(200);
    expect((total.json() as SeriesResponse).series.map((x) => x.area)).toEqual(['total']);
  });

  it('refuses a feed the role may not see at all', async () => {
    const arrests = INDICATORS.find((d) => d.feed === 'arrests');
    if (!arrests) return;
    const r = await get(`indicator=${arrests.id}&from=2024-01-01&to=2024-03-31`);
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toBe('the partner role may not see arrests data');
  });
});

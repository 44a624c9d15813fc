// The naloxone planner on the default city (seed 7, six years to 2025-12-31), through the API
// with real DuckDB and PGlite: the forecast against the naive baselines on the city's history, a
// plan by NYPD patrol borough that adds up and explains itself, who may make and read plans,
// what a commander sees of the counts, CSV export, paging, and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { backtest, FORECASTERS } from '../../server/planner/forecast.ts';
import { addMonths, coverage, loadUnits, unitMonths } from '../../server/planner/data.ts';
import type { Plan, PlanList } from '../../server/schemas/planner.ts';
import { openCity, type City } from '../helpers/city.ts';
import { openStores } from '../helpers/fixtures.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';

const PATROL_BOROUGHS = ['Bronx', 'Brooklyn North', 'Brooklyn South', 'Manhattan North', 'Manhattan South', 'Queens North', 'Queens South', 'Staten Island'];

describe('naloxone planner', () => {
  let city: City;
  let app: FastifyInstance;
  let analyst: TestSession;
  let commander: TestSession;
  let partner: TestSession;
  let admin: TestSession;

  beforeAll(async () => {
    city = await openCity();
    app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: null });
    await app.ready();
    analyst = await loginAs(app, 'analyst');
    commander = await loginAs(app, 'commander', { agency: 'NYPD' });
    partner = await loginAs(app, 'partner');
    admin = await loginAs(app, 'admin');
  }, 900_000);
  afterAll(async () => {
    await app?.close();
  });

  const post = (payload: unknown, s: TestSession = analyst) => app.inject({ method: 'POST', url: '/api/v1/plans', headers: s.headers, payload: payload as object });
  const get = (url: string, s: TestSession = analyst, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers: { ...s.headers, ...headers } });

  it('forecasts better than both naive baselines on the city’s history (one month ahead, by patrol borough)', async () => {
    const c = await city.duck.connect();
    try {
      const figures: Record<string, Record<string, number>> = {};
      for (const kind of ['police', 'areas'] as const) {
        const units = (await loadUnits(c, 'nyc', kind)).units;
        const cov = await coverage(c, 'nyc', ['ems.opioid_overdose', 'deaths.any_drug']);
        const months: string[] = [];
        for (let m = cov.first; m <= cov.last; m = addMonths(m, 1)) months.push(m);
        expect(months).toHaveLength(72);
        const ems = await unitMonths(c, { jurisdiction: 'nyc', indicator: 'ems.opioid_overdose', geography: 'event', months }, units);
        const deaths = await unitMonths(c, { jurisdiction: 'nyc', indicator: 'deaths.any_drug', geography: 'event', months }, units);
        const need = units.map((u) => ems.get(u.id)!.map((v, t) => v + 3 * deaths.get(u.id)![t]!));
        for (const [name, series] of [['ems', [...ems.values()]], ['deaths', [...deaths.values()]], ['need', need]] as const) {
          figures[`${kind} ${name}`] = Object.fromEntries(backtest(series, FORECASTERS, 12).map((s) => [s.method, Math.round(s.mae * 100) / 100]));
        }
      }
      // The figures docs/planner.md reports (mean absolute error per unit and month, 60 months × units).
      console.log('one-month-ahead MAE', JSON.stringify(figures, null, 1));
      const p = (k: string) => figures[k]!;
      // What the plan allocates on: the weighted need by patrol borough.
      expect(p('police need').holt_damped).toBeLessThan(p('police need').last_month!);
      expect(p('police need').holt_damped).toBeLessThan(p('police need').mean_12!);
      expect(p('police deaths').holt_damped).toBeLessThan(p('police deaths').last_month!);
      expect(p('police deaths').holt_damped).toBeLessThan(p('police deaths').mean_12!);
      // EMS alone: better than the 12-month mean, within 10% of last month (which wins on smooth, large counts).
      expect(p('police ems').holt_damped).toBeLessThan(p('police ems').mean_12!);
      expect(p('police ems').holt_damped).toBeLessThan(1.1 * p('police ems').last_month!);
      // By neighborhood (small counts), where last month is noisiest.
      expect(p('areas need').holt_damped).toBeLessThan(p('areas need').last_month!);
      expect(p('areas need').holt_damped).toBeLessThan(p('areas need').mean_12!);
    } finally {
      c.closeSync();
    }
  });

  let planId: number;

  it('makes a plan by NYPD patrol borough that adds up to exactly the kits, respects minimums and stock, and explains each share', async () => {
    const res = await post({ kits: 5000, minimum: 100, stock: { Bronx: 3000, 'Staten Island': 50 }, minimums: { 'Staten Island': 150 } });
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json() as Plan;
    planId = plan.id;
    expect(plan.month).toBe('2026-01');
    expect(plan.lastMonth).toBe('2025-12');
    expect(plan.firstMonth).toBe('2020-01');
    expect(plan.horizon).toBe(1);
    expect(plan.unitKind).toBe('police');
    expect(plan.unitLabel).toBe('NYPD patrol borough');
    expect(plan.crosswalkNote).toMatch(/APPROXIMATE/);
    expect(plan.synthetic).toBe(true);
    expect(plan.restricted).toBe(false);
    expect(plan.units.map((u) => u.id)).toEqual(PATROL_BOROUGHS);
    expect(plan.units.flatMap((u) => u.areas).sort()).toHaveLength(42);
    expect(plan.units.find((u) => u.id === 'Manhattan North')!.areas).toEqual(['301', '302', '303', '304', '305']);
    expect(plan.units.reduce((s, u) => s + u.kits, 0)).toBe(5000);
    for (const u of plan.units) expect(u.kits).toBeGreaterThanOrEqual(u.id === 'Staten Island' ? 150 : 100);
    // The Bronx holds 3,000 already: more than its share of the 8,050 kits, so only its minimum.
    const bronx = plan.units.find((u) => u.id === 'Bronx')!;
    expect(bronx.poolShare).toBeLessThan(3000);
    expect(bronx.kits).toBe(100);
    expect(bronx.basis).toBe('stocked');
    expect(plan.totals).toMatchObject({ kits: 5000, pool: 8050, stockTotal: 3050, minimumTotal: 850, extraKits: 4150 });
    expect(plan.createdBy.role).toBe('analyst');
    expect(plan.createdBy.email).toBe(analyst.user.email);
    expect(plan.dataVersion.files).toBeGreaterThanOrEqual(6);
    expect(plan.dataVersion.lastRun).toMatch(/^[0-9a-f-]{36}$/);
    expect(plan.dataVersion.feeds.ems!.lastRun).toMatch(/^[0-9a-f-]{36}$/);
    expect(plan.definitionVersions).toEqual({ 'ems.opioid_overdose': expect.stringMatching(/nemsis/), 'deaths.any_drug': 'nchs-icd10-v1' });
    expect(plan.sources).toEqual([
      { indicator: 'ems.opioid_overdose', label: 'EMS suspected opioid overdoses', weight: 1, geography: 'event' },
      { indicator: 'deaths.any_drug', label: 'Drug overdose deaths', weight: 3, geography: 'event' },
    ]);
    for (const u of plan.units) {
      // Each sentence states its unit's kits and how they split into minimum + extra.
      expect(u.explanation.startsWith(`${u.id}: ${u.kits.toLocaleString('en-US')} kit`)).toBe(true);
      expect(u.explanation).toContain(`${u.minimum} + ${u.extra.toLocaleString('en-US')}`);
      expect(u.explanation).toContain(`${(100 * u.needShare).toFixed(1)}% of the total`);
      // Need is the weighted sum of the two forecasts.
      const e = u.components['ems.opioid_overdose']!;
      const d = u.components['deaths.any_drug']!;
      expect(u.need).toBeCloseTo(e.forecast + 3 * d.forecast, 1);
      expect(e.lastMonthState).toBe('shown');
      expect(u.explanation).toContain(`in 2025-12 ${e.lastMonth!.toLocaleString('en-US')} EMS suspected opioid overdoses`);
    }
  });

  it('counts last month by unit as the sum of its areas (checked against /series)', async () => {
    const plan = (await get(`/api/v1/plans/${planId}`)).json() as Plan;
    const series = (await get('/api/v1/series?indicator=ems.opioid_overdose&geography=event&interval=month&from=2025-12-01&to=2025-12-31')).json() as {
      series: { area: string; points: { count: number }[] }[];
    };
    const byArea = new Map(series.series.map((s) => [s.area, s.points[0]!.count]));
    for (const u of plan.units) expect(u.components['ems.opioid_overdose']!.lastMonth).toBe(u.areas.reduce((s, a) => s + byArea.get(a)!, 0));
  });

  it('shows a commander the same kits, with counts cut to the small-cell rule and whole-number forecasts', async () => {
    const full = (await get(`/api/v1/plans/${planId}`)).json() as Plan;
    const res = await get(`/api/v1/plans/${planId}`, commander);
    expect(res.statusCode).toBe(200);
    const plan = res.json() as Plan;
    expect(plan.restricted).toBe(true);
    expect(plan.units.map((u) => u.kits)).toEqual(full.units.map((u) => u.kits));
    // What the commander may see of the areas: /series, as that role.
    const areaSeries = async (indicator: string) =>
      new Map(
        (
          (await get(`/api/v1/series?indicator=${indicator}&geography=event&interval=month&from=2025-12-01&to=2025-12-31`, commander)).json() as {
            series: { area: string; points: { state: string }[] }[];
          }
        ).series.map((s) => [s.area, s.points[0]!.state]),
      );
    let hidden = 0;
    for (const ind of ['ems.opioid_overdose', 'deaths.any_drug']) {
      const states = await areaSeries(ind);
      plan.units.forEach((u, i) => {
        const c = u.components[ind]!;
        const f = full.units[i]!.components[ind]!;
        expect(Number.isInteger(c.forecast)).toBe(true);
        if (c.lastMonthState === 'shown' || c.lastMonthState === 'zero') {
          expect(c.lastMonth).toBe(f.lastMonth);
          expect(f.lastMonth === 0 || f.lastMonth! >= 10).toBe(true);
          // A shown unit count whose areas are all shown adds nothing; one with hidden areas must not give back a lone one.
          const hiddenAreas = u.areas.filter((a) => states.get(a) === 'suppressed');
          expect(hiddenAreas.length).not.toBe(1);
        } else {
          hidden++;
          expect(c.lastMonth).toBeNull();
          expect(c.lastMonthState).toBe('suppressed');
          expect(u.explanation).not.toContain(`${f.lastMonth} ${ind === 'ems.opioid_overdose' ? 'EMS' : 'drug overdose deaths'}`);
          if (f.lastMonth! > 0 && f.lastMonth! < 10) expect(c.lastMonthText).toBe('fewer than 10');
        }
      });
    }
    // No number from 1 to 9 sits before a count's label in any sentence.
    for (const u of plan.units) expect(u.explanation).not.toMatch(/in 2025-12[^;]*\b[1-9] (EMS|drug overdose deaths)/);
    expect(plan.units.every((u) => u.trendPerMonth === null)).toBe(true);
    console.log(`commander: ${hidden} of ${plan.units.length * 2} unit counts of 2025-12 suppressed`);
  });

  it('plans by neighborhood too (units = areas), and a commander never sees a count from 1 to 9', async () => {
    const res = await post({ kits: 2000, minimum: 10, units: 'areas' }, commander);
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json() as Plan;
    expect(plan.unitKind).toBe('areas');
    expect(plan.units).toHaveLength(42);
    expect(plan.units.reduce((s, u) => s + u.kits, 0)).toBe(2000);
    expect(plan.restricted).toBe(true);
    for (const u of plan.units) {
      for (const c of Object.values(u.components)) if (c.lastMonth !== null) expect(c.lastMonth === 0 || c.lastMonth >= 10).toBe(true);
    }
    // Some neighborhoods have fewer than 10 deaths a month: said so, not shown.
    expect(plan.units.some((u) => u.components['deaths.any_drug']!.lastMonthText === 'fewer than 10')).toBe(true);
  });

  it('lets analysts, commanders and admins make plans, partners only read them, and nobody else either', async () => {
    expect((await post({ kits: 100 }, admin)).statusCode).toBe(201);
    const p = await post({ kits: 100 }, partner);
    expect(p.statusCode).toBe(403);
    expect(p.json().message).toMatch(/partner role may read plans but not make them/);
    expect((await get(`/api/v1/plans/${planId}`, partner)).statusCode).toBe(200);
    expect((await get('/api/v1/plans', partner)).statusCode).toBe(200);
    // No session: 401. The public view (no account) gets no plans at all.
    expect((await app.inject({ method: 'GET', url: `/api/v1/plans/${planId}` })).statusCode).toBe(401);
    const stores = await openStores();
    const pub = await buildApp({ duck: stores.duck, ops: stores.ops, defaultJurisdiction: 'nyc', webRoot: null, security: { publicView: true } });
    try {
      expect((await pub.inject({ method: 'GET', url: '/api/v1/plans/1' })).statusCode).toBe(403);
      expect((await pub.inject({ method: 'GET', url: '/api/v1/plans' })).statusCode).toBe(403);
      // …while the public view itself is on (published series answer).
      expect((await pub.inject({ method: 'GET', url: '/api/v1/indicators' })).statusCode).toBe(200);
    } finally {
      await pub.close();
    }
  });

  it('needs a CSRF token to make a plan', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: { cookie: analyst.cookie }, payload: { kits: 10 } });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/CSRF/);
  });

  it('refuses what it cannot plan, naming the field', async () => {
    const few = await post({ kits: 50, minimum: 10 });
    expect(few.statusCode).toBe(400);
    expect(few.json().message).toBe('kits: kits (50) is less than the sum of the minimums (80 = 8 units × 10): give more kits or lower the minimum');
    const stock = await post({ kits: 50, stock: { Brooklyn: 3 } });
    expect(stock.statusCode).toBe(400);
    expect(stock.json().message).toMatch(/^stock: unknown unit\(s\) in "stock": "Brooklyn"/);
    const far = await post({ kits: 50, month: '2026-09' });
    expect(far.statusCode).toBe(400);
    expect(far.json().message).toMatch(/9 months after the last whole month of data \(2025-12\); at most 6/);
    const early = await post({ kits: 50, month: '2020-06' });
    expect(early.statusCode).toBe(400);
    expect(early.json().message).toMatch(/at least 12 whole months/);
    expect((await post({ kits: -1 })).statusCode).toBe(400);
    expect((await post({ kits: 10, sources: [{ indicator: 'ems.nothing', weight: 1 }] })).json().message).toMatch(/unknown indicator "ems.nothing"/);
    expect((await post({ kits: 10, forecast: { alpha: 0 } })).statusCode).toBe(400);
    expect((await post({ kits: 10, jurisdiction: 'atlantis' })).statusCode).toBe(400);
  });

  it('plans for an earlier month from the data before it', async () => {
    const res = await post({ kits: 1000, month: '2025-07' });
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json() as Plan;
    expect(plan.lastMonth).toBe('2025-06');
    expect(plan.horizon).toBe(1);
    expect(plan.units.reduce((s, u) => s + u.kits, 0)).toBe(1000);
  });

  it('exports a plan as CSV, one row per unit, at /plans/:id.csv and by Accept, and audits it as an export', async () => {
    for (const res of [await get(`/api/v1/plans/${planId}.csv`, commander), await get(`/api/v1/plans/${planId}`, commander, { accept: 'text/csv' })]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const lines = res.body.trim().split('\r\n');
      expect(lines).toHaveLength(9);
      const header = lines[0]!.split(',');
      expect(header.slice(0, 4)).toEqual(['id', 'name', 'areas', 'kits']);
      expect(header).toContain('explanation');
      expect(header).toContain('components_deaths.any_drug_lastMonthText');
      const kits = lines.slice(1).map((l) => Number(l.match(/^[^,]+,[^,]+,"[^"]*(?:""[^"]*)*",(\d+),/)![1]));
      expect(kits.reduce((s, k) => s + k, 0)).toBe(5000);
    }
    await app.audit.flush();
    const rows = await app.ops.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'plans.read')
      .where('user_id', '=', commander.user.id)
      .orderBy('id')
      .execute();
    expect(rows.filter((r) => (r.params as { format?: string }).format === 'csv')).toHaveLength(2);
    const created = await app.ops.db.selectFrom('audit_log').selectAll().where('action', '=', 'plans.create').where('status', '=', 201).orderBy('id').execute();
    expect(created.length).toBeGreaterThanOrEqual(3);
    expect((created[0]!.params as { planId?: number }).planId).toBe(planId);
    expect(created[0]!.role).toBe('analyst');
  });

  it('lists plans newest first, page by page', async () => {
    const first = (await get('/api/v1/plans?limit=2')).json() as PlanList;
    expect(first.plans).toHaveLength(2);
    expect(first.plans[0]!.id).toBeGreaterThan(first.plans[1]!.id);
    expect(first.nextBefore).toBe(first.plans[1]!.id);
    const all: number[] = first.plans.map((p) => p.id);
    let before = first.nextBefore;
    while (before !== null) {
      const page = (await get(`/api/v1/plans?limit=2&before=${before}`)).json() as PlanList;
      all.push(...page.plans.map((p) => p.id));
      before = page.nextBefore;
    }
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(all).toContain(planId);
    const jan = (await get('/api/v1/plans?month=2026-01&limit=100')).json() as PlanList;
    expect(jan.plans.every((p) => p.month === '2026-01')).toBe(true);
    expect(jan.plans.find((p) => p.id === planId)).toMatchObject({ kits: 5000, units: 8, unitKind: 'police', createdBy: { role: 'analyst' } });
    expect((await get('/api/v1/plans/999999')).statusCode).toBe(404);
  });
});

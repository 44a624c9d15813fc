// The two small routes the page's views added (issue 6): /status/areas (records outside every
// area) and /drug-supply (drug checking beyond the served indicators), on the default city, as an
// analyst and as a commander: what each sees, and that small counts stay hidden.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { openCity, type City } from '../helpers/city.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';
import type { DrugSupplyResponse } from '../../server/routes/v1/drug-supply.ts';
import type { StatusAreasResponse } from '../../server/routes/v1/status-areas.ts';

describe('routes of the page’s views', () => {
  let city: City;
  let app: FastifyInstance;
  let analyst: TestSession;
  let commander: TestSession;

  beforeAll(async () => {
    city = await openCity();
    app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: null });
    analyst = await loginAs(app, 'analyst');
    commander = await loginAs(app, 'commander');
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await city?.close();
  });

  const get = async <T>(url: string, s: TestSession | null) => {
    const res = await app.inject({ url, headers: s ? s.headers : {} });
    return { status: res.statusCode, body: res.json() as T };
  };

  it('/status/areas counts every record and those with no area, by each location a feed has', async () => {
    const { status, body } = await get<StatusAreasResponse>('/api/v1/status/areas', analyst);
    expect(status).toBe(200);
    expect(body.feeds.map((f) => f.feed).sort()).toEqual(['arrests', 'drugcheck', 'ems', 'mortality', 'naloxone', 'treatment']);
    const deaths = body.feeds.find((f) => f.feed === 'mortality')!;
    expect(deaths.locations.map((l) => l.geography)).toEqual(['residence', 'event']);
    const conn = await city.duck.connect();
    try {
      const r = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE residence_area IS NULL)::INTEGER AS u FROM mortality_deaths WHERE jurisdiction_id = 'nyc'`);
      const [n, u] = r.getRows()[0] as [number, number];
      expect([deaths.records, deaths.locations[0]!.unassigned]).toEqual([n, u]);
      expect(u).toBeGreaterThan(0);
    } finally {
      conn.closeSync();
    }
    expect((await get('/api/v1/status/areas', null)).status).toBe(401);
  });

  it('/drug-supply gives the analyst every count, the day a substance was first seen, and its samples', async () => {
    const { status, body } = await get<DrugSupplyResponse>('/api/v1/drug-supply?from=2024-01-15&to=2025-12-31', analyst);
    expect(status).toBe(200);
    expect([body.from, body.to, body.threshold, body.periods.length]).toEqual(['2024-01-01', '2025-12-31', 0, 24]);
    expect(body.categories.map((c) => c.id)).toEqual(['fentanyl_analogue', 'nitazene', 'benzodiazepine']);
    expect(body.categories.every((c) => c.points.every((p) => p.state !== 'suppressed'))).toBe(true);
    const iso = body.firstSeen.find((f) => f.substance === 'isotonitazene')!;
    const planted = city.manifest.supplyChanges.find((c) => c.feed === 'drugcheck' && c.substance === 'isotonitazene')!;
    expect([iso.firstSeen, iso.category, iso.inRange]).toEqual([planted.firstSeen, 'nitazene', true]);
    expect(iso.samples).toBeGreaterThan(0);
    // Concentration quartiles are ordered where measured.
    for (const c of body.concentration) if (c.median !== null) expect(c.p25! <= c.median && c.median <= c.p75!).toBe(true);
  });

  it('/drug-supply hides counts 1–9 from a commander, gives months not days, and no sample counts', async () => {
    const [a, c] = await Promise.all([
      get<DrugSupplyResponse>('/api/v1/drug-supply?from=2024-01-01&to=2025-12-31', analyst),
      get<DrugSupplyResponse>('/api/v1/drug-supply?from=2024-01-01&to=2025-12-31', commander),
    ]);
    expect(c.status).toBe(200);
    expect(c.body.threshold).toBe(10);
    let hidden = 0;
    c.body.categories.forEach((cat, k) =>
      cat.points.forEach((p, i) => {
        const truth = a.body.categories[k]!.points[i]!;
        if (truth.count !== null && truth.count > 0 && truth.count < 10) {
          expect([p.count, p.state]).toEqual([null, 'suppressed']);
          hidden++;
        } else expect(p.count).toBe(truth.count);
      }),
    );
    expect(hidden).toBeGreaterThan(0);
    for (const x of c.body.concentration) if (a.body.concentration.find((y) => y.period === x.period)!.measured! < 10) expect([x.median, x.p25, x.p75]).toEqual([null, null, null]);
    expect(c.body.firstSeen.every((f) => /^\d{4}-\d{2}$/.test(f.firstSeen) && f.samples === null)).toBe(true);
    expect(JSON.stringify(c.body)).not.toMatch(/"share"/);
  });
});

// GET /api/v1/rates on the default city with every feed: counts against JavaScript recounts of
// the generated CSVs, rates and intervals against sql/epi/rates.ts on recounted inputs and against
// the epitools golden values, change against the exact Poisson comparison, the modeled age
// structure, and what a commander (threshold 10) is and is not shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { rows } from '../../sql/duckdb.ts';
import { ageAdjustedRate, crudeRateCI, US2000_STANDARD_11 } from '../../sql/epi/rates.ts';
import { poissonRateRatio } from '../../sql/epi/rate-compare.ts';
import { computeRates, type RateInputs, type RatesParams } from '../../sql/metrics-rates.ts';
import { PublishedCubes } from '../../server/privacy/published.ts';
import type { RatesResponse } from '../../server/schemas/metrics.ts';
import { parseCsv } from '../helpers/csv.ts';
import { NYC_DIR } from '../helpers/fixtures.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';
import { openCity, type City } from '../helpers/city.ts';
import { deathSubstances, isOpioidDeath, isOverdoseDeath, readFeed, stdAgeGroup, tally, type Row } from '../helpers/city-csv.ts';
import { readGolden } from '../unit/epi-golden.ts';

let city: City;
let app: FastifyInstance;
let analyst: TestSession;
let commander: TestSession;
let deaths: Row[];
let areaIds: Set<string>;
const timings: string[] = [];

async function get(s: TestSession, query: string): Promise<{ status: number; body: RatesResponse & { message?: string } }> {
  const t = performance.now();
  const r = await app.inject({ method: 'GET', url: `/api/v1/rates?${query}`, headers: { cookie: s.cookie } });
  timings.push(`${s.user.role} ${query}: ${Math.round(performance.now() - t)} ms`);
  return { status: r.statusCode, body: r.json() };
}
async function ok(s: TestSession, query: string): Promise<RatesResponse> {
  const r = await get(s, query);
  expect(r.status, `${query}: ${r.body.message}`).toBe(200);
  return r.body;
}
const point = (res: RatesResponse, area: string, period: string, stratum = 'all') =>
  res.series.find((x) => x.area === area && x.stratum === stratum)!.points.find((p) => p.period === period)!;

/** Population of an area for 2020 and later: the ACS 2017-21 estimate (nearest period). */
function population2017to21(): Map<string, number> {
  const [h = [], ...recs] = parseCsv(readFileSync(join(NYC_DIR, 'population.csv'), 'utf8'));
  const out = new Map<string, number>();
  for (const r of recs) if (r[h.indexOf('acs_period')] === '2017-21') out.set(r[h.indexOf('uhf42_code')]!, Number(r[h.indexOf('population')]));
  return out;
}
function ageShares(): Map<string, number> {
  const [, ...recs] = parseCsv(readFileSync(join(NYC_DIR, 'population-age-shares.csv'), 'utf8'));
  return new Map(recs.filter((r) => r.length === 2).map((r) => [r[0]!, Number(r[1])]));
}

beforeAll(async () => {
  city = await openCity();
  app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: null });
  await app.ready();
  analyst = await loginAs(app, 'analyst');
  commander = await loginAs(app, 'commander');
  deaths = readFeed(city.dir, city.manifest, 'mortality').filter(isOverdoseDeath);
  areaIds = new Set(population2017to21().keys());
}, 900_000);

afterAll(async () => {
  await app?.close();
  if (process.env.RATES_TIMINGS) console.log(timings.join('\n'));
});

describe('the events behind rates', () => {
  it('has one demographic row per indicator event, indicator by indicator (the views agree)', async () => {
    const c = await city.duck.connect();
    try {
      const diff = await rows<{ indicator: string; a: number; b: number }>(
        c,
        `SELECT indicator, coalesce(a.n, 0) AS a, coalesce(b.n, 0) AS b
           FROM (SELECT indicator, count(*)::INTEGER n FROM indicator_events GROUP BY ALL) a
           FULL JOIN (SELECT indicator, count(*)::INTEGER n FROM indicator_demographics GROUP BY ALL) b USING (indicator)
          WHERE indicator NOT LIKE 'naloxone.%' AND indicator NOT LIKE 'drugcheck.%'`,
      );
      expect(diff.length).toBeGreaterThanOrEqual(10);
      for (const d of diff) expect(d.b, d.indicator).toBe(d.a);
    } finally {
      c.closeSync();
    }
  });
});

describe('counts and breakdowns against a recount of mortality.csv', () => {
  it('counts deaths by residence area and year exactly as the CSV does', async () => {
    const res = await ok(analyst, 'indicator=deaths.any_drug&interval=year');
    const byAreaYear = tally(deaths, (r) => (areaIds.has(r.residence_area_code!) ? `${r.residence_area_code}|${r.date_of_death!.slice(0, 4)}` : null));
    const byYear = tally(deaths, (r) => r.date_of_death!.slice(0, 4));
    let checked = 0;
    for (const s of res.series) {
      for (const p of s.points) {
        const y = p.period.slice(0, 4);
        const want = s.area === 'total' ? (byYear.get(y) ?? 0) : (byAreaYear.get(`${s.area}|${y}`) ?? 0);
        expect(p.count, `${s.area} ${y}`).toBe(want);
        checked++;
      }
    }
    expect(checked).toBe(43 * 6);
    for (const [y, e] of Object.entries(city.manifest.expected.mortality.byYear)) expect(point(res, 'total', `${y}-01-01`).count).toBe(e.any_drug);
    expect(res.unassigned).toBe(deaths.filter((r) => !areaIds.has(r.residence_area_code!)).length);
  });

  it('breaks down by sex, age group, race/ethnicity and substance as the CSV does; additive breakdowns sum to the total', async () => {
    const year = '2023';
    const inYear = deaths.filter((r) => r.date_of_death!.startsWith(year));
    const total = (await ok(analyst, `indicator=deaths.any_drug&interval=year&from=${year}-01-01&to=${year}-12-31&areas=total`)).series[0]!.points[0]!.count;
    const expectations: Record<string, Map<string, number>> = {
      sex: tally(inYear, (r) => (r.sex === 'F' ? 'female' : r.sex === 'M' ? 'male' : 'unknown')),
      age_group: tally(inYear, (r) => stdAgeGroup(r.age_years === '' ? null : Number(r.age_years))),
      race_ethnicity: tally(inYear, (r) => r.race_ethnicity || 'unknown'),
    };
    const substances = new Map<string, number>();
    for (const r of inYear) for (const s of deathSubstances(r)) substances.set(s, (substances.get(s) ?? 0) + 1);
    expectations.substance = substances;
    for (const [breakdown, want] of Object.entries(expectations)) {
      const res = await ok(analyst, `indicator=deaths.any_drug&interval=year&from=${year}-01-01&to=${year}-12-31&areas=total&breakdown=${breakdown}`);
      const got = new Map(res.series.map((s) => [s.stratum, s.points[0]!.count!]));
      for (const [k, v] of want) expect(got.get(k), `${breakdown} ${k}`).toBe(v);
      for (const [k, v] of got) expect(v, `${breakdown} ${k}`).toBe(want.get(k) ?? 0);
      if (breakdown !== 'substance') expect([...got.values()].reduce((a, b) => a + b, 0)).toBe(total);
    }
    // Opioid deaths by substance: only opioid deaths, each in every category it involves.
    const op = await ok(analyst, `indicator=deaths.opioid&interval=year&from=${year}-01-01&to=${year}-12-31&areas=total&breakdown=substance`);
    const fent = op.series.find((s) => s.stratum === 'fentanyl')!.points[0]!.count;
    expect(fent).toBe(inYear.filter((r) => isOpioidDeath(r) && deathSubstances(r).includes('fentanyl')).length);
  });

  it('gives the same counts as /series', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/series?indicator=deaths.opioid&interval=month&from=2024-01-01&to=2024-12-31', headers: { cookie: analyst.cookie } });
    const series = r.json() as { series: { area: string; points: { period: string; count: number | null }[] }[] };
    const res = await ok(analyst, 'indicator=deaths.opioid&interval=month&from=2024-01-01&to=2024-12-31');
    for (const s of series.series) for (const p of s.points) expect(point(res, s.area, p.period).count, `${s.area} ${p.period}`).toBe(p.count);
  });
});

describe('rates and intervals', () => {
  it('crude: events per 100,000 person-years with the exact gamma interval, on recounted events and ACS population', async () => {
    const pop = population2017to21();
    const cityPop = [...pop.values()].reduce((a, b) => a + b, 0);
    const res = await ok(analyst, 'indicator=deaths.any_drug&interval=year&from=2023-01-01&to=2023-12-31&areas=303');
    const n = deaths.filter((r) => r.date_of_death!.startsWith('2023')).length;
    const want = crudeRateCI(n, cityPop);
    const t = point(res, 'total', '2023-01-01');
    expect(t.population).toBe(cityPop);
    expect(t.rate!).toBeCloseTo(want.rate!, 9);
    expect(t.lower!).toBeCloseTo(want.lower!, 9);
    expect(t.upper!).toBeCloseTo(want.upper!, 9);
    // A month is on the same annual scale: person-years = population × 31/365.
    const m = await ok(analyst, 'indicator=deaths.any_drug&interval=month&from=2023-03-01&to=2023-03-31&areas=303');
    const n303 = deaths.filter((r) => r.date_of_death!.startsWith('2023-03') && r.residence_area_code === '303').length;
    const pm = point(m, '303', '2023-03-01');
    expect(pm.count).toBe(n303);
    expect(pm.personYears!).toBeCloseTo((pop.get('303')! * 31) / 365, 6);
    const wm = crudeRateCI(n303, (pop.get('303')! * 31) / 365);
    expect(pm.rate!).toBeCloseTo(wm.rate!, 9);
    expect(pm.upper!).toBeCloseTo(wm.upper!, 9);
  });

  it('age-adjusted: direct method on recounted age groups and the modeled population (ACS total × city age shares), Fay–Feuer interval', async () => {
    const pop = population2017to21();
    const shares = ageShares();
    expect([...shares.keys()]).toEqual(US2000_STANDARD_11.map((g) => g.group));
    const res = await ok(analyst, 'indicator=deaths.any_drug&interval=year&from=2023-01-01&to=2023-12-31&areas=303&adjust=age');
    expect(res.population.ageModeled).toBe(true);
    expect(res.population.note).toMatch(/^MODELED/);
    for (const area of ['total', '303']) {
      const inArea = deaths.filter((r) => r.date_of_death!.startsWith('2023') && (area === 'total' || r.residence_area_code === area));
      const byGroup = tally(inArea, (r) => stdAgeGroup(r.age_years === '' ? null : Number(r.age_years)));
      const total = area === 'total' ? [...pop.values()].reduce((a, b) => a + b, 0) : pop.get(area)!;
      const want = ageAdjustedRate(
        US2000_STANDARD_11.map((g) => byGroup.get(g.group) ?? 0),
        US2000_STANDARD_11.map((g) => total * shares.get(g.group)!),
      );
      const p = point(res, area, '2023-01-01');
      expect(p.rate!, area).toBeCloseTo(want.rate!, 9);
      expect(p.lower!, area).toBeCloseTo(want.lower!, 9);
      expect(p.upper!, area).toBeCloseTo(want.upper!, 9);
      expect(p.crudeRate!, area).toBeCloseTo((inArea.length / total) * 1e5, 9);
      expect(p.ageUnknown).toBe(byGroup.get('unknown') ?? 0);
    }
  });

  it('reproduces the epitools golden values (fixtures/golden/rates.json) through computeRates', () => {
    const g = readGolden<{
      crude: { events: number; population: number; rate: number; lower: number; upper: number }[];
      adjusted: { name: string; count: number[]; pop: number[]; adjusted: number; lower: number; upper: number; crude: number }[];
    }>('rates.json');
    const groups = US2000_STANDARD_11.map((x) => x.group);
    for (const a of g.adjusted) {
      const inp: RateInputs = {
        areas: [{ id: 'A', name: 'A' }],
        periods: ['2022-01-01', '2023-01-01'],
        requested: ['2023-01-01'],
        cells: new Map([['A|all|2023-01-01', { n: a.count.reduce((s, v) => s + v, 0), byAge: a.count, unknownAge: 0, other: new Map() }]]),
        strata: ['all'],
        pop: new Map([['A', new Map([[2023, { all: a.pop.reduce((s, v) => s + v, 0), groups: new Map(groups.map((x, i) => [x, a.pop[i]!])), modeled: false }]])]]),
        days: new Map([['2022-01-01', 365], ['2023-01-01', 365]]),
      };
      const p: RatesParams = { jurisdiction: 'x', indicator: 'deaths.any_drug', feed: 'deaths', interval: 'year', from: '2023-01-01', to: '2023-12-31', areas: ['A'], geography: 'residence', breakdown: 'none', adjust: 'age', dataStart: '2022-01-01', dataEnd: '2023-12-31' };
      const pt = computeRates(inp, p).series.find((s) => s.area === 'A')!.points[0]!;
      expect(pt.rate! / a.adjusted, a.name).toBeCloseTo(1, 9);
      expect(pt.lower! / a.lower, a.name).toBeCloseTo(1, 9);
      expect(pt.upper! / a.upper, a.name).toBeCloseTo(1, 9);
      expect(pt.crudeRate! / a.crude, a.name).toBeCloseTo(1, 9);
      expect(pt.unreliable).toBe(a.count.reduce((s, v) => s + v, 0) < 20);
      const crude = computeRates(inp, { ...p, adjust: 'crude' }).series.find((s) => s.area === 'A')!.points[0]!;
      expect(crude.rate! / a.crude, a.name).toBeCloseTo(1, 9);
    }
    for (const c of g.crude.filter((x) => x.events > 0)) {
      const inp: RateInputs = {
        areas: [{ id: 'A', name: 'A' }],
        periods: ['2023-01-01'],
        requested: ['2023-01-01'],
        cells: new Map([['A|all|2023-01-01', { n: c.events, byAge: groups.map(() => 0), unknownAge: c.events, other: new Map() }]]),
        strata: ['all'],
        pop: new Map([['A', new Map([[2023, { all: c.population, groups: new Map(), modeled: false }]])]]),
        days: new Map([['2023-01-01', 365]]),
      };
      const p: RatesParams = { jurisdiction: 'x', indicator: 'deaths.any_drug', feed: 'deaths', interval: 'year', from: '2023-01-01', to: '2023-12-31', areas: ['A'], geography: 'residence', breakdown: 'none', adjust: 'crude', dataStart: '2023-01-01', dataEnd: '2023-12-31' };
      const pt = computeRates(inp, p).series.find((s) => s.area === 'A')!.points[0]!;
      expect(pt.rate! / c.rate).toBeCloseTo(1, 9);
      expect(pt.lower! / c.lower).toBeCloseTo(1, 9);
      expect(pt.upper! / c.upper).toBeCloseTo(1, 9);
    }
  });

  it('flags every rate from fewer than 20 events unreliable (CDC WONDER), and no other', async () => {
    const res = await ok(analyst, 'indicator=deaths.xylazine&interval=month&from=2024-01-01&to=2024-12-31');
    let flagged = 0;
    for (const s of res.series) {
      for (const p of s.points) {
        if (p.rate === null) continue;
        expect(p.unreliable, `${s.area} ${p.period}`).toBe(p.count! < 20);
        if (p.unreliable) flagged++;
      }
    }
    expect(flagged).toBeGreaterThan(400);
  });
});

describe('change against the previous period and the same period a year earlier', () => {
  it('compares months with the month before and twelve months before, by the exact Poisson test', async () => {
    const res = await ok(analyst, 'indicator=deaths.any_drug&interval=month&from=2024-01-01&to=2024-12-31&areas=105');
    const byMonth = tally(deaths, (r) => (r.residence_area_code === '105' ? r.date_of_death!.slice(0, 7) : null));
    const pop = population2017to21().get('105')!;
    const days = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).getUTCDate();
    const py = (m: string) => (pop * days(m)) / (Number(m.slice(0, 4)) % 4 === 0 ? 366 : 365);
    for (const p of res.series.find((s) => s.area === '105')!.points) {
      const m = p.period.slice(0, 7);
      const prev = p.period === '2024-01-01' ? '2023-12' : `2024-${String(Number(m.slice(5)) - 1).padStart(2, '0')}`;
      const ago = `2023-${m.slice(5)}`;
      expect(p.previous!.period).toBe(`${prev}-01`);
      expect(p.yearAgo!.period).toBe(`${ago}-01`);
      for (const [ch, other] of [[p.previous!, prev], [p.yearAgo!, ago]] as const) {
        const x1 = byMonth.get(m) ?? 0;
        const x0 = byMonth.get(other) ?? 0;
        expect(ch.count).toBe(x0);
        expect(ch.countChange).toBe(x1 - x0);
        const t = poissonRateRatio(x1, py(m), x0, py(other));
        expect(ch.p!).toBeCloseTo(t.p, 12);
        if (t.ratio !== null) expect(ch.rateRatio!).toBeCloseTo(t.ratio, 12);
        expect(ch.lower ?? 0).toBeCloseTo(t.lower ?? 0, 12);
        if (x0 > 0) expect(ch.percentChange!).toBeCloseTo(((x1 / py(m) - x0 / py(other)) / (x0 / py(other))) * 100, 9);
      }
    }
  });

  it('finds the planted fall from 2023 to 2024 significant, crude and age-adjusted', async () => {
    for (const adjust of ['crude', 'age']) {
      const res = await ok(analyst, `indicator=deaths.any_drug&interval=year&from=2024-01-01&to=2024-12-31&areas=total&adjust=${adjust}`);
      const ch = res.series[0]!.points[0]!.previous!;
      expect(ch.period).toBe('2023-01-01');
      expect(ch.rateRatio!).toBeLessThan(0.8);
      expect(ch.significant).toBe(true);
      expect(ch.p!).toBeLessThan(1e-9);
      if (adjust === 'crude') expect(ch.upper!).toBeLessThan(1);
    }
  });
});

describe('what a commander sees (counts 1–9 hidden, complementary cells, whole months)', () => {
  const noSmallCounts = (res: RatesResponse, threshold = 10) => {
    let hidden = 0;
    for (const s of res.series) {
      for (const p of s.points) {
        if (p.count !== null) expect(p.count === 0 || p.count >= threshold, `${s.area} ${s.stratum} ${p.period}: ${p.count}`).toBe(true);
        if (p.state === 'suppressed') {
          hidden++;
          expect([p.count, p.rate, p.lower, p.upper, p.crudeRate, p.previous, p.yearAgo, p.ageUnknown]).toEqual([null, null, null, null, null, null, null, null]);
        }
        for (const ch of [p.previous, p.yearAgo]) if (ch?.count !== null && ch?.count !== undefined) expect(ch.count === 0 || ch.count >= threshold).toBe(true);
      }
    }
    return hidden;
  };

  it('hides small counts and everything computed from them', { timeout: 300_000 }, async () => {
    const res = await ok(commander, 'indicator=deaths.xylazine&interval=month&from=2024-01-01&to=2024-12-31');
    expect(res.suppression?.threshold).toBe(10);
    expect(noSmallCounts(res)).toBeGreaterThan(100);
    const adj = await ok(commander, 'indicator=deaths.opioid&interval=quarter&from=2024-01-01&to=2024-12-31&adjust=age');
    noSmallCounts(adj);
    const tx = await ok(commander, 'indicator=treatment.opioid_admissions&interval=month&from=2024-01-01&to=2024-06-30&breakdown=sex');
    expect(tx.suppression?.threshold).toBe(11);
    expect(noSmallCounts(tx, 11)).toBeGreaterThan(0);
  });

  it('serves exactly the cells and flags of the published cube that /series slices', async () => {
    const res = await ok(commander, 'indicator=deaths.opioid&interval=month&from=2023-01-01&to=2023-12-31');
    const c = await city.duck.connect();
    try {
      const [r] = await rows<{ first: string; last: string }>(c, `SELECT min(event_date)::VARCHAR AS first, max(event_date)::VARCHAR AS last FROM indicator_events WHERE indicator = 'deaths.opioid'`);
      const slice = await new PublishedCubes().slice(
        c,
        { jurisdiction: 'nyc', indicator: 'deaths.opioid', geography: 'residence', threshold: 10, dataStart: r!.first, dataEnd: r!.last },
        { interval: 'month', from: '2023-01-01', to: '2023-12-31', areas: [], total: true },
      );
      for (const s of slice.series) for (const p of s.points) expect(point(res, s.area, p.period), `${s.area} ${p.period}`).toMatchObject({ count: p.count, state: p.state });
    } finally {
      c.closeSync();
    }
  });

  it('never leaves one hidden stratum alone beside a visible area total (sex, age group, race/ethnicity)', { timeout: 300_000 }, async () => {
    for (const b of ['sex', 'age_group', 'race_ethnicity']) {
      const total = await ok(commander, 'indicator=deaths.any_drug&interval=quarter&from=2024-01-01&to=2024-12-31');
      const res = await ok(commander, `indicator=deaths.any_drug&interval=quarter&from=2024-01-01&to=2024-12-31&breakdown=${b}`);
      noSmallCounts(res);
      for (const s of total.series) {
        for (const p of s.points) {
          const strata = res.series.filter((x) => x.area === s.area).map((x) => x.points.find((q) => q.period === p.period)!);
          const hidden = strata.filter((q) => q.state === 'suppressed').length;
          if (p.state === 'suppressed') expect(hidden, `${b} ${s.area} ${p.period}`).toBeGreaterThanOrEqual(1);
          else expect(hidden, `${b} ${s.area} ${p.period}`).not.toBe(1);
          if (hidden === 0 && p.count !== null) expect(strata.reduce((a, q) => a + q.count!, 0)).toBe(p.count);
        }
      }
    }
  });

  it('refuses what the role may not see, and what cannot be computed, saying why', async () => {
    expect((await get(commander, 'indicator=deaths.opioid&interval=week&from=2024-01-01&to=2024-01-28')).status).toBe(403);
    expect((await get(commander, 'indicator=deaths.opioid&interval=month&from=2024-01-15&to=2024-02-29')).status).toBe(403);
    const tx = await get(analyst, 'indicator=treatment.opioid_admissions&adjust=age');
    expect(tx.status).toBe(400);
    expect(tx.body.message).toMatch(/65 and older/);
    expect((await get(analyst, 'indicator=ems.opioid_overdose&breakdown=race_ethnicity')).body.message).toMatch(/allows none, sex, age_group/);
    expect((await get(analyst, 'indicator=naloxone.kits_distributed&adjust=age')).status).toBe(400);
    expect((await get(analyst, "indicator=deaths.opioid&breakdown=sex'--")).status).toBe(400);
    expect((await get(analyst, 'indicator=deaths.opioid&areas=999')).status).toBe(400);
  });
});

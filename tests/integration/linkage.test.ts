// GET /api/v1/linkage on the default city with every feed: the planted link shares of the
// generator's manifest recovered exactly, every linked count against a JavaScript join of the CSVs
// on name and date of birth, the unique-event rule (N = 24 hours), and a commander's view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import type { LinkageResponse } from '../../server/schemas/metrics.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';
import { openCity, type City } from '../helpers/city.ts';
import {
  dayNum,
  decedentIdentity,
  emsDate,
  emsIdentity,
  emsOpioidOverdose,
  identity,
  isOverdoseDeath,
  readFeed,
  type Row,
} from '../helpers/city-csv.ts';

let city: City;
let app: FastifyInstance;
let analyst: TestSession;
let commander: TestSession;
let deaths: Row[];
let ems: Row[];
let arrests: Row[];
let treatment: Row[];
const timings: string[] = [];

async function get(s: TestSession, query: string): Promise<LinkageResponse> {
  const t = performance.now();
  const r = await app.inject({ method: 'GET', url: `/api/v1/linkage?${query}`, headers: { cookie: s.cookie } });
  timings.push(`${s.user.role} ${query}: ${Math.round(performance.now() - t)} ms`);
  expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
  return r.json();
}

/** Dates of each person's events, by identity. */
function index(rows: Row[], id: (r: Row) => string | null, date: (r: Row) => string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const k = id(r);
    const d = date(r);
    if (k === null || d === '') continue;
    const l = out.get(k) ?? [];
    l.push(dayNum(d));
    out.set(k, l);
  }
  return out;
}

beforeAll(async () => {
  city = await openCity();
  app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: null });
  await app.ready();
  analyst = await loginAs(app, 'analyst');
  commander = await loginAs(app, 'commander');
  deaths = readFeed(city.dir, city.manifest, 'mortality').filter(isOverdoseDeath);
  ems = readFeed(city.dir, city.manifest, 'ems').filter(emsOpioidOverdose);
  arrests = readFeed(city.dir, city.manifest, 'arrests');
  treatment = readFeed(city.dir, city.manifest, 'treatment');
}, 900_000);

afterAll(async () => {
  await app?.close();
  if (process.env.RATES_TIMINGS) console.log(timings.join('\n'));
});

describe('deaths preceded by another agency’s record (person_key)', () => {
  it('recovers the planted link shares of the generator manifest exactly', async () => {
    const res = await get(analyst, 'interval=year&areas=total');
    const s = res.deaths[0]!.summary!;
    const L = city.manifest.links;
    expect(s.deaths.count).toBe(L.deaths);
    const pairs: [string, { deaths: number; share: number; target: number }][] = [
      ['ems_nonfatal_365', L.emsNonfatalWithin365],
      ['jail_release_30', L.jailReleaseWithin30],
      ['jail_release_90', L.jailReleaseWithin90],
      ['jail_release_365', L.jailReleaseWithin365],
      ['treatment_365', L.treatmentWithin365],
    ];
    const report: string[] = [];
    for (const [m, planted] of pairs) {
      // Tolerance: none. Identities are unique per person across feeds (links.ts), so the keyed
      // hash finds exactly the planted links.
      expect(s.linked[m]!.count, m).toBe(planted.deaths);
      expect(s.linked[m]!.share!, m).toBeCloseTo(planted.share, 12);
      expect(s.linked[m]!.lower!).toBeLessThanOrEqual(planted.share);
      expect(s.linked[m]!.upper!).toBeGreaterThanOrEqual(planted.share);
      report.push(`${m}: recovered ${s.linked[m]!.count}/${s.deaths.count} = ${(100 * s.linked[m]!.share!).toFixed(2)}% (95% CI ${(100 * s.linked[m]!.lower!).toFixed(2)}–${(100 * s.linked[m]!.upper!).toFixed(2)}), planted ${planted.deaths} = ${(100 * planted.share).toFixed(2)}%, target ${(100 * planted.target).toFixed(1)}% of linkable decedents`);
    }
    // An arrest leads to the release that follows it, so "arrest or release" is never below "release".
    for (const w of [30, 90, 365]) expect(s.linked[`arrest_or_release_${w}`]!.count!).toBeGreaterThanOrEqual(s.linked[`jail_release_${w}`]!.count!);
    if (process.env.RATES_TIMINGS) console.log(report.join('\n'));
  });

  it('counts every measure by residence area and year as a JavaScript join of the CSVs on name and date of birth does', async () => {
    const res = await get(analyst, 'interval=year');
    const emsBy = index(ems, emsIdentity, emsDate);
    const relBy = index(arrests, (r) => identity(r.last_name, r.first_name, r.date_of_birth), (r) => r.jail_release_date!);
    const arrBy = index(
      arrests.filter((r) => ['arrest', 'citation'].includes(r.event_type!.trim().toLowerCase())),
      (r) => identity(r.last_name, r.first_name, r.date_of_birth),
      (r) => r.event_date!,
    );
    const txBy = index(treatment, (r) => identity(r.last_name, r.first_name, r.date_of_birth), (r) => r.admission_date!);
    const within = (m: Map<string, number[]>, k: string | null, day: number, w: number) => k !== null && (m.get(k) ?? []).some((d) => day - d >= 1 && day - d <= w);
    const areas = new Set(res.deaths.map((d) => d.area).filter((a) => a !== 'total'));
    const want = new Map<string, Record<string, number>>();
    for (const r of deaths) {
      const k = decedentIdentity(r);
      const day = dayNum(r.date_of_death!);
      const cells = [`total|${r.date_of_death!.slice(0, 4)}`];
      if (areas.has(r.residence_area_code!)) cells.push(`${r.residence_area_code}|${r.date_of_death!.slice(0, 4)}`);
      const m: Record<string, boolean> = { deaths: true };
      for (const w of [30, 90, 365]) {
        m[`ems_nonfatal_${w}`] = within(emsBy, k, day, w);
        m[`jail_release_${w}`] = within(relBy, k, day, w);
        m[`arrest_or_release_${w}`] = m[`jail_release_${w}`]! || within(arrBy, k, day, w);
      }
      m.treatment_365 = within(txBy, k, day, 365);
      for (const c of cells) {
        const o = want.get(c) ?? {};
        for (const [key, v] of Object.entries(m)) o[key] = (o[key] ?? 0) + (v ? 1 : 0);
        want.set(c, o);
      }
    }
    let checked = 0;
    for (const s of res.deaths) {
      for (const p of s.points) {
        const w = want.get(`${s.area}|${p.period.slice(0, 4)}`) ?? {};
        expect(p.deaths.count, `${s.area} ${p.period}`).toBe(w.deaths ?? 0);
        for (const [m, v] of Object.entries(p.linked)) {
          expect(v.count, `${s.area} ${p.period} ${m}`).toBe(w[m] ?? 0);
          checked++;
        }
      }
    }
    expect(checked).toBe(43 * 6 * 10);
  });
});

describe('unique overdose events (one person, one event; N = 24 hours on calendar dates)', () => {
  it('merges an EMS overdose of the same person on the date of death, and repeated calls of one person on one date, as a JavaScript recount does', async () => {
    const res = await get(analyst, 'interval=year&areas=total');
    const deathDays = new Set(deaths.map((r) => `${decedentIdentity(r)}|${r.date_of_death}`));
    const byYear = new Map<string, { events: number; fatal: number; nonfatal: number; ems_records: number; ems_merged: number }>();
    const seen = new Set<string>();
    const yr = (y: string) => {
      let o = byYear.get(y);
      if (!o) byYear.set(y, (o = { events: 0, fatal: 0, nonfatal: 0, ems_records: 0, ems_merged: 0 }));
      return o;
    };
    for (const r of deaths) {
      const o = yr(r.date_of_death!.slice(0, 4));
      o.events++;
      o.fatal++;
    }
    for (const r of [...ems].sort((a, b) => (a['eTimes.03']! < b['eTimes.03']! ? -1 : 1))) {
      const o = yr(emsDate(r).slice(0, 4));
      o.ems_records++;
      const k = emsIdentity(r);
      const key = `${k}|${emsDate(r)}`;
      if (k !== null && (deathDays.has(key) || seen.has(key))) o.ems_merged++;
      else {
        o.events++;
        o.nonfatal++;
      }
      if (k !== null) seen.add(key);
    }
    for (const p of res.events[0]!.points) {
      const w = byYear.get(p.period.slice(0, 4))!;
      for (const [m, v] of Object.entries(w)) expect(p.counts[m]!.count, `${p.period} ${m}`).toBe(v);
      expect(p.counts.death_records!.count).toBe(w.fatal);
    }
    const merged = res.events[0]!.points.reduce((s, p) => s + p.counts.ems_merged!.count!, 0);
    // Every planted fatal overdose attended by EMS (links.ts: 35% of linkable decedents) is merged.
    expect(merged).toBeGreaterThanOrEqual(city.manifest.links.emsSameDayFatal.deaths);
  });

  it('keeps the identities area by area: events = fatal + nonfatal, EMS records = nonfatal + merged, as /series counts them', async () => {
    const res = await get(analyst, 'interval=month&from=2024-01-01&to=2024-12-31');
    const r = await app.inject({ method: 'GET', url: '/api/v1/series?indicator=ems.opioid_overdose&geography=event&interval=month&from=2024-01-01&to=2024-12-31', headers: { cookie: analyst.cookie } });
    const series = r.json() as { series: { area: string; points: { period: string; count: number }[] }[] };
    for (const s of res.events) {
      for (const p of s.points) {
        const c = Object.fromEntries(Object.entries(p.counts).map(([k, v]) => [k, v.count!]));
        expect(c.events).toBe(c.fatal! + c.nonfatal!);
        expect(c.ems_records).toBe(c.nonfatal! + c.ems_merged!);
        expect(c.ems_records).toBe(series.series.find((x) => x.area === s.area)!.points.find((x) => x.period === p.period)!.count);
      }
    }
  });
});

describe('what a commander sees', () => {
  it('hides linked counts below each feed’s threshold (treatment 11), the shares resting on them, and summaries over hidden cells', { timeout: 300_000 }, async () => {
    const res = await get(commander, 'interval=quarter&from=2024-01-01&to=2024-12-31');
    expect(res.suppression!.thresholds.treatment_365).toBe(11);
    expect(res.suppression!.thresholds.jail_release_30).toBe(10);
    let hidden = 0;
    for (const s of res.deaths) {
      for (const p of s.points) {
        for (const [m, v] of [['deaths', p.deaths] as const, ...Object.entries(p.linked)]) {
          const t = res.suppression!.thresholds[m]!;
          if (v.count !== null) expect(v.count === 0 || v.count >= t, `${s.area} ${p.period} ${m} ${v.count}`).toBe(true);
          if (v.state === 'suppressed') {
            hidden++;
            if ('share' in v) expect([v.share, v.lower, v.upper]).toEqual([null, null, null]);
          }
        }
        for (const v of Object.values(p.linked)) if (p.deaths.state === 'suppressed') expect(v.share).toBeNull();
      }
    }
    expect(hidden).toBeGreaterThan(100);
    for (const s of res.events) {
      for (const p of s.points) {
        for (const v of Object.values(p.counts)) if (v.count !== null) expect(v.count === 0 || v.count >= 10).toBe(true);
        const c = p.counts;
        // events is shown only where fatal and nonfatal both are; the identities hold where shown.
        expect(c.events!.state === 'suppressed').toBe(c.fatal!.state === 'suppressed' || c.nonfatal!.state === 'suppressed');
        if (c.events!.count !== null) expect(c.events!.count).toBe(c.fatal!.count! + c.nonfatal!.count!);
        if ([c.ems_records, c.nonfatal, c.ems_merged].every((x) => x!.count !== null)) expect(c.ems_records!.count).toBe(c.nonfatal!.count! + c.ems_merged!.count!);
        // One hidden part beside a shown total would give it away.
        const hiddenParts = [c.nonfatal, c.ems_merged].filter((x) => x!.state === 'suppressed').length;
        if (c.ems_records!.state !== 'suppressed') expect(hiddenParts).not.toBe(1);
      }
    }
    expect(res.suppression!.audited).toBe(true);
    // Whole periods only, a commander's range widened to them.
    const cut = await app.inject({ method: 'GET', url: '/api/v1/linkage?interval=month&from=2024-01-10&to=2024-02-29', headers: { cookie: commander.cookie } });
    expect(cut.statusCode).toBe(403);
    const q = await get(commander, 'interval=quarter&from=2024-02-01&to=2024-02-29&areas=total');
    expect([q.from, q.to]).toEqual(['2024-01-01', '2024-03-31']);
  });

  it('still gives the city-wide shares over the whole data, where no cell is hidden', async () => {
    const res = await get(commander, 'interval=year&areas=total');
    const s = res.deaths[0]!.summary;
    expect(s).not.toBeNull();
    expect(s!.linked.jail_release_30!.count).toBe(city.manifest.links.jailReleaseWithin30.deaths);
  });
});

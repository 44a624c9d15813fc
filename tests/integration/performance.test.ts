// GET /api/v1/performance on the default city with every feed: each count against a JavaScript
// recount of the generated CSVs (city-wide, month by month), each ratio against its counts, the
// per-area counts against /series, and what a commander is shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import type { PerformanceResponse } from '../../server/schemas/metrics.ts';
import { ratioWithInterval, shareWithInterval } from '../../sql/metrics-linkage.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';
import { openCity, type City } from '../helpers/city.ts';
import { decedentIdentity, emsDate, emsIdentity, emsNaloxone, emsOpioidOverdose, isOverdoseDeath, readFeed } from '../helpers/city-csv.ts';

let city: City;
let app: FastifyInstance;
let analyst: TestSession;
let commander: TestSession;
/** City-wide counts by month (YYYY-MM), recounted from the CSVs. */
const want = new Map<string, Record<string, number>>();
const timings: string[] = [];

async function get(s: TestSession, query: string): Promise<PerformanceResponse> {
  const t = performance.now();
  const r = await app.inject({ method: 'GET', url: `/api/v1/performance?${query}`, headers: { cookie: s.cookie } });
  timings.push(`${s.user.role} ${query}: ${Math.round(performance.now() - t)} ms`);
  expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
  return r.json();
}

beforeAll(async () => {
  city = await openCity();
  app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: null });
  await app.ready();
  analyst = await loginAs(app, 'analyst');
  commander = await loginAs(app, 'commander');
  const add = (date: string, k: string, n = 1) => {
    const m = date.slice(0, 7);
    const o = want.get(m) ?? {};
    o[k] = (o[k] ?? 0) + n;
    want.set(m, o);
  };
  for (const r of readFeed(city.dir, city.manifest, 'arrests')) {
    const type = r.event_type!.trim().toLowerCase();
    if (type === 'deflection_referral' || type === 'diversion_referral') add(r.event_date!, 'referrals');
    // NIBRS 35A/35B arrests and citations.
    if ((type === 'arrest' || type === 'citation') && ['35A', '35B'].includes(r.nibrs_offense!.trim().toUpperCase())) add(r.event_date!, 'drug_arrests');
  }
  for (const r of readFeed(city.dir, city.manifest, 'naloxone')) {
    if (r.event_kind !== 'administration') continue;
    add(r.event_date!, 'naloxone_administrations');
    add(r.event_date!, 'naloxone_doses', Number(r.doses || 0));
  }
  const deathDays = new Set(readFeed(city.dir, city.manifest, 'mortality').filter(isOverdoseDeath).map((r) => `${decedentIdentity(r)}|${r.date_of_death}`));
  for (const r of readFeed(city.dir, city.manifest, 'ems').filter(emsOpioidOverdose)) {
    add(emsDate(r), 'ems_overdoses');
    if (emsNaloxone(r)) add(emsDate(r), 'ems_naloxone');
    const k = emsIdentity(r);
    if (k === null || !deathDays.has(`${k}|${emsDate(r)}`)) add(emsDate(r), 'ems_nonfatal');
  }
  // TEDS-A SUB1 5 heroin, 6 non-prescription methadone, 7 other opiates and synthetics.
  for (const r of readFeed(city.dir, city.manifest, 'treatment')) if (['5', '6', '7'].includes(r.primary_substance!.trim())) add(r.admission_date!, 'treatment_admissions');
}, 900_000);

afterAll(async () => {
  await app?.close();
  if (process.env.RATES_TIMINGS) console.log(timings.join('\n'));
});

describe('harm-reduction performance metrics', () => {
  it('counts every input month by month as the CSVs do, city-wide', async () => {
    const res = await get(analyst, 'interval=month&areas=total');
    const total = res.series[0]!;
    expect(total.points.length).toBe(72);
    for (const p of total.points) {
      const w = want.get(p.period.slice(0, 7)) ?? {};
      for (const [k, v] of Object.entries(p.counts)) expect(v.count, `${p.period} ${k}`).toBe(w[k] ?? 0);
    }
    const years = city.manifest.expected.ems.byYear;
    const res2 = await get(analyst, 'interval=year&areas=total');
    for (const p of res2.series[0]!.points) expect(p.counts.ems_overdoses!.count).toBe(years[p.period.slice(0, 4)]!.opioid_overdose);
  });

  it('computes each ratio from its counts, with exact intervals', async () => {
    const res = await get(analyst, 'interval=quarter&from=2024-01-01&to=2025-12-31');
    let checked = 0;
    for (const s of res.series) {
      for (const p of s.points) {
        const c = (k: string) => p.counts[k]!.count!;
        const expectEst = (got: { value: number | null; lower: number | null; upper: number | null }, exp: { value: number | null; lower: number | null; upper: number | null }) => {
          expect(got.value).toBe(exp.value);
          expect(got.lower).toBe(exp.lower);
          expect(got.upper).toBe(exp.upper);
          if (got.value !== null && got.lower !== null && got.upper !== null) expect(got.lower <= got.value && got.value <= got.upper).toBe(true);
        };
        expectEst(p.ratios.deflection_ratio!, shareWithInterval(c('referrals'), c('referrals') + c('drug_arrests')));
        expectEst(p.ratios.naloxone_per_ems_overdose!, ratioWithInterval(c('naloxone_administrations'), c('ems_overdoses')));
        expectEst(p.ratios.ems_naloxone_share!, shareWithInterval(c('ems_naloxone'), c('ems_overdoses')));
        expectEst(p.ratios.treatment_per_nonfatal_overdose!, ratioWithInterval(c('treatment_admissions'), c('ems_nonfatal')));
        checked++;
      }
    }
    expect(checked).toBe(43 * 8);
    // The modelled deflection growth (arrests.ts: 150 → 1,500 deflection referrals a year) shows.
    const y = await get(analyst, 'interval=year&areas=total');
    const ratio = (i: number) => y.series[0]!.points[i]!.ratios.deflection_ratio!.value!;
    expect(ratio(5)).toBeGreaterThan(ratio(0));
  });

  it('counts by area as /series counts the same indicators', async () => {
    const res = await get(analyst, 'interval=month&from=2025-01-01&to=2025-12-31');
    const pairs: [string, string][] = [
      ['referrals', 'indicator=arrests.deflection_referral&geography=event'],
      ['drug_arrests', 'indicator=arrests.drug&geography=event'],
      ['ems_overdoses', 'indicator=ems.opioid_overdose&geography=event'],
      ['treatment_admissions', 'indicator=treatment.opioid_admissions&geography=residence'],
    ];
    for (const [k, q] of pairs) {
      const r = await app.inject({ method: 'GET', url: `/api/v1/series?${q}&interval=month&from=2025-01-01&to=2025-12-31`, headers: { cookie: analyst.cookie } });
      const series = r.json() as { series: { area: string; points: { period: string; count: number }[] }[] };
      for (const s of series.series) {
        for (const p of s.points) expect(res.series.find((x) => x.area === s.area)!.points.find((x) => x.period === p.period)!.counts[k]!.count, `${k} ${s.area} ${p.period}`).toBe(p.count);
      }
    }
  });
});

describe('what a commander sees', () => {
  it('hides counts below each feed’s threshold (treatment 11) and every ratio resting on a hidden count; never serves the merged-record count', { timeout: 300_000 }, async () => {
    const res = await get(commander, 'interval=month&from=2025-01-01&to=2025-12-31');
    const t = res.suppression!.thresholds;
    expect(t.treatment_admissions).toBe(11);
    expect(t.referrals).toBe(10);
    expect(Object.keys(t)).not.toContain('__ems_fatal');
    const needs: Record<string, string[]> = {
      deflection_ratio: ['referrals', 'drug_arrests'],
      naloxone_per_ems_overdose: ['naloxone_administrations', 'ems_overdoses'],
      ems_naloxone_share: ['ems_naloxone', 'ems_overdoses'],
      treatment_per_nonfatal_overdose: ['treatment_admissions', 'ems_nonfatal'],
    };
    let hidden = 0;
    for (const s of res.series) {
      for (const p of s.points) {
        expect(Object.keys(p.counts)).not.toContain('__ems_fatal');
        for (const [k, v] of Object.entries(p.counts)) {
          if (v.count !== null) expect(v.count === 0 || v.count >= t[k]!, `${s.area} ${p.period} ${k} ${v.count}`).toBe(true);
          if (v.state === 'suppressed') hidden++;
        }
        for (const [r, ks] of Object.entries(needs)) if (ks.some((k) => p.counts[k]!.state === 'suppressed')) expect(p.ratios[r]!.value, `${s.area} ${r}`).toBeNull();
        // EMS overdoses − nonfatal ones (the EMS records of a death) is never a small count.
        const eo = p.counts.ems_overdoses!.count;
        const nf = p.counts.ems_nonfatal!.count;
        if (eo !== null && nf !== null) expect(eo - nf === 0 || eo - nf >= 10, `${s.area} ${p.period}`).toBe(true);
      }
    }
    expect(hidden).toBeGreaterThan(50);
    expect(res.suppression!.audited).toBe(true);
    // The city-wide monthly counts are large: shown, and equal to the recount.
    for (const p of res.series.find((s) => s.area === 'total')!.points) expect(p.counts.drug_arrests!.count).toBe(want.get(p.period.slice(0, 7))!.drug_arrests);
  });
});

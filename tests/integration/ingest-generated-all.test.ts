// The synthetic default city's files (fixtures/generators/all.ts) loaded by the real adapters:
// every feed's planted malformed rows are rejected at the line and for the reason the manifest
// gives, nothing else is; the loaded tables hold the manifest's expected counts; and the planted
// linkage shares come back from the keyed person hash (person_key) the adapters compute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import type { LoadedJurisdiction } from '../../ingest/jurisdiction.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import type { IngestReport } from '../../ingest/run.ts';
import { generateAll, withGeography, writeAll, type AllManifest, type Feed } from '../../fixtures/generators/all.ts';
import { INGEST, NYC_DIR, openStores, tempDir } from '../helpers/fixtures.ts';
import { duckRows } from '../helpers/duck.ts';

describe('the generated default city, loaded by the adapters', () => {
  let duck: Duck;
  let ops: Ops;
  let nyc: LoadedJurisdiction;
  let manifest: AllManifest;
  let files: { feed: Feed; file: string }[];
  const reports = new Map<Feed, IngestReport>();

  beforeAll(async () => {
    ({ duck, ops, nyc } = await openStores());
    const areas = withGeography(
      nyc.areas.map((a) => ({ id: a.id, name: a.name, group: a.group ?? '', population: a.population ?? 0 })),
      NYC_DIR,
    );
    // One year, half the EMS background: small enough to load quickly, every feature present.
    const g = generateAll({ seed: 9, end: '2025-06-30', years: 1, areas, scale: 0.5 });
    manifest = g.manifest;
    ({ files } = writeAll(g, tempDir('odstat-gen-all-')));
    for (const { feed, file } of files) reports.set(feed, await ingestFeedFile(duck, ops.db, feed, file, INGEST));
  }, 120_000);
  afterAll(async () => {
    duck?.close();
    await ops?.close();
  });

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);

  it('rejects exactly the planted rows of every feed, at their lines, for their reasons', async () => {
    for (const { feed } of files) {
      const r = reports.get(feed)!;
      const planted = manifest.plantedRejects[feed];
      expect(r.status, feed).toBe('succeeded');
      expect(r.rowsIn, feed).toBe(manifest.files.find((f) => f.feed === feed)!.rows);
      expect(r.rowsRejected, feed).toBe(planted.length);
      expect(r.rowsAccepted, feed).toBe(r.rowsIn - planted.length);
      const got = await q<{ line: number; reason: string }>(
        `SELECT line::INTEGER AS line, reason FROM ingest_rejects WHERE feed = $feed ORDER BY line`,
        { feed },
      );
      expect(got, feed).toEqual(planted.map((p) => ({ line: p.line, reason: p.reason })).sort((a, b) => a.line - b.line));
    }
  });

  it('the tables hold the expected counts of the manifest', async () => {
    const ems = await q<{ y: string; encounters: number; od: number; naloxone: number; improved: number }>(
      `SELECT year(unit_notified_date)::VARCHAR y, count(*)::INTEGER encounters, count(*) FILTER (WHERE opioid_overdose)::INTEGER od,
              count(*) FILTER (WHERE naloxone_given)::INTEGER naloxone, count(*) FILTER (WHERE naloxone_improved)::INTEGER improved
         FROM ems_encounters GROUP BY 1 ORDER BY 1`,
    );
    expect(ems).toEqual(
      Object.entries(manifest.expected.ems.byYear).map(([y, e]) => ({
        y, encounters: e.encounters, od: e.opioid_overdose, naloxone: e.naloxone_given, improved: e.naloxone_improved,
      })),
    );
    const emsAreas = await q<{ area: string; n: number }>(
      `SELECT coalesce(scene_area, 'unassigned') area, count(*)::INTEGER n FROM ems_encounters WHERE opioid_overdose GROUP BY 1`,
    );
    const wantAreas = Object.entries(manifest.expected.ems.overdoseByArea).filter(([, n]) => n > 0);
    expect(Object.fromEntries(emsAreas.map((r) => [r.area, r.n]))).toEqual(Object.fromEntries(wantAreas));

    const arrests = await q<{ y: string; t: string; o: string | null; n: number; rel: number }>(
      `SELECT year(event_date)::VARCHAR y, event_type t, nibrs_offense o, count(*)::INTEGER n, count(jail_release_date)::INTEGER rel
         FROM arrests_events GROUP BY ALL`,
    );
    for (const [y, e] of Object.entries(manifest.expected.arrests.byYear)) {
      const n = (t: string, o: string | null) => arrests.filter((r) => r.y === y && r.t === t && (o === null || r.o === o)).reduce((s, r) => s + r.n, 0);
      expect(n('arrest', '35A'), y).toBe(e.arrest_35A);
      expect(n('citation', '35B'), y).toBe(e.citation_35B);
      expect(n('deflection_referral', null), y).toBe(e.deflection_referral);
      expect(n('diversion_referral', null), y).toBe(e.diversion_referral);
      expect(arrests.filter((r) => r.y === y).reduce((s, r) => s + r.rel, 0), y).toBe(e.jail_release);
    }

    const tx = await q<{ y: string; n: number; op: number; unassigned: number }>(
      `SELECT year(admission_date)::VARCHAR y, count(*)::INTEGER n, count(*) FILTER (WHERE teds_is_opioid(primary_substance))::INTEGER op,
              count(*) FILTER (WHERE residence_area IS NULL)::INTEGER unassigned
         FROM treatment_admissions GROUP BY 1 ORDER BY 1`,
    );
    expect(tx).toEqual(
      Object.entries(manifest.expected.treatment.byYear).map(([y, e]) => ({ y, n: e.admissions, op: e.opioid_primary, unassigned: e.unassigned })),
    );

    const nal = await q<{ y: string; kits: number; adm: number }>(
      `SELECT year(event_date)::VARCHAR y, sum(kits)::INTEGER kits, count(*) FILTER (WHERE event_kind = 'administration')::INTEGER adm
         FROM naloxone_events GROUP BY 1 ORDER BY 1`,
    );
    expect(nal).toEqual(Object.entries(manifest.expected.naloxone.byYear).map(([y, e]) => ({ y, kits: e.kits_distributed, adm: e.administrations })));

    const dc = await q<{ y: string; n: number; done: number; f: number; x: number; m: number; un: number }>(
      `SELECT year(date_collected)::VARCHAR y, count(*)::INTEGER n, count(*) FILTER (WHERE results_complete)::INTEGER done,
              count(*) FILTER (WHERE fentanyl)::INTEGER f, count(*) FILTER (WHERE xylazine)::INTEGER x,
              count(*) FILTER (WHERE medetomidine)::INTEGER m, count(*) FILTER (WHERE event_area IS NULL)::INTEGER un
         FROM drugcheck_samples GROUP BY 1 ORDER BY 1`,
    );
    expect(dc).toEqual(
      Object.entries(manifest.expected.drugcheck.byYear).map(([y, e]) => ({
        y, n: e.samples, done: e.completed, f: e.fentanyl_positive, x: e.xylazine_positive, m: e.medetomidine_positive, un: e.unassigned,
      })),
    );
  });

  it('the planted links come back from the keyed person hash (person_key) of every feed', async () => {
    const [r] = await q<Record<string, number>>(
      `WITH dk AS (SELECT date_of_death d, person_key k FROM mortality_deaths WHERE any_drug)
       SELECT count(*)::INTEGER deaths,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ems_encounters e WHERE e.person_key = dk.k AND e.opioid_overdose
                                          AND e.unit_notified_date BETWEEN dk.d - 365 AND dk.d - 1))::INTEGER ems365,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ems_encounters e WHERE e.person_key = dk.k AND e.opioid_overdose
                                          AND e.unit_notified_date = dk.d))::INTEGER same_day,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM arrests_events a WHERE a.person_key = dk.k
                                          AND a.jail_release_date BETWEEN dk.d - 30 AND dk.d - 1))::INTEGER j30,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM arrests_events a WHERE a.person_key = dk.k
                                          AND a.jail_release_date BETWEEN dk.d - 90 AND dk.d - 1))::INTEGER j90,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM arrests_events a WHERE a.person_key = dk.k
                                          AND a.jail_release_date BETWEEN dk.d - 365 AND dk.d - 1))::INTEGER j365,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM treatment_admissions t WHERE t.person_key = dk.k
                                          AND t.admission_date BETWEEN dk.d - 365 AND dk.d - 1))::INTEGER tx365
       FROM dk`,
    );
    const L = manifest.links;
    expect(r).toEqual({
      deaths: L.deaths,
      ems365: L.emsNonfatalWithin365.deaths,
      same_day: L.emsSameDayFatal.deaths,
      j30: L.jailReleaseWithin30.deaths,
      j90: L.jailReleaseWithin90.deaths,
      j365: L.jailReleaseWithin365.deaths,
      tx365: L.treatmentWithin365.deaths,
    });
    expect(L.emsNonfatalWithin365.deaths).toBeGreaterThan(20);
  });
});

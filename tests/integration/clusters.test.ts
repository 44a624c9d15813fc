// The space–time permutation scan (Kulldorff et al. 2005) through the API, on the default city's
// generated EMS feed: a planted cluster is found with p < 0.05 on a small replicate count (the
// benchmark runs 999), the scan runs on worker threads off the request thread, and being seeded
// it gives the same clusters and p-values however the replicates are split.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import type { ClusterJob } from '../../server/schemas/signals.ts';
import { loadDailyCounts } from '../../sql/signals.ts';
import { spaceTimePermutationScan } from '../../sql/epi/scan.ts';
import { ScanPool } from '../../server/workers/scan-pool.ts';
import { runScan, type ScanJobSpec } from '../../server/workers/scan-jobs.ts';
import type { AllManifest } from '../../fixtures/generators/all.ts';
import { openCity, type City } from '../helpers/city.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';

const dayAfter = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('space–time clusters over the generated default city', () => {
  let city: City;
  let app: FastifyInstance;
  let analyst: TestSession;
  let spike: AllManifest['spikes'][number];

  beforeAll(async () => {
    city = await openCity();
    app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: null });
    await app.ready();
    analyst = await loginAs(app, 'analyst');
    // A planted EMS cluster well inside the data (not at its edges).
    spike = city.manifest.spikes.find((s) => s.feed === 'ems' && s.start > '2022-01-01' && s.end < '2025-06-01')!;
  }, 900_000);
  afterAll(async () => {
    await app?.close();
  });

  const post = (payload: object, s: TestSession = analyst) => app.inject({ method: 'POST', url: '/api/v1/clusters', headers: s.headers, payload });
  const poll = async (id: string): Promise<ClusterJob> => {
    for (let i = 0; i < 1200; i++) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/clusters/${id}`, headers: analyst.headers });
      const job = res.json() as ClusterJob;
      if (job.status === 'done' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('scan did not finish');
  };

  it('finds the planted EMS cluster: its area, its days, p < 0.05 with 99 replicates', async () => {
    // Three months around the planted cluster; retrospective windows of up to 30 days.
    const from = dayAfter(spike.start, -45);
    const to = dayAfter(spike.end, 45);
    const res = await post({ indicator: 'ems.opioid_overdose', from, to, replicates: 99, seed: 3 });
    // Answered at once with the job: the scan itself runs on worker threads.
    expect(res.statusCode).toBe(202);
    const queued = res.json() as ClusterJob;
    expect(['queued', 'running']).toContain(queued.status);
    expect(queued).toMatchObject({ request: { from, to, replicates: 99, seed: 3, maxDays: 30, prospective: false }, progress: { total: 99 } });
    // The request thread stays free while the workers scan: other requests are answered meanwhile.
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const meanwhile = (await app.inject({ method: 'GET', url: `/api/v1/clusters/${queued.id}`, headers: analyst.headers })).json() as ClusterJob;
    expect(['queued', 'running']).toContain(meanwhile.status);

    const job = await poll(queued.id);
    expect(job.status).toBe('done');
    const r = job.result!;
    expect(r.replicates).toBe(99);
    expect(r.areasScanned).toBe(42);
    const top = r.clusters[0]!;
    expect(top.areas.map((a) => a.id)).toContain(spike.area);
    expect(top.areas.length).toBeLessThanOrEqual(3);
    expect(top.start <= spike.end && top.end >= spike.start).toBe(true);
    expect(top.pValue).toBeLessThan(0.05);
    expect(top.pValue).toBe(0.01); // 1/(99 + 1): no replicate came close
    expect(top.observed!).toBeGreaterThan(2 * top.expected!);
    expect(top.relativeRisk).toBeCloseTo(top.observed! / top.expected!, 12);
    expect(r.criticalValues.p05).not.toBeNull();
    expect(top.llr).toBeGreaterThan(r.criticalValues.p05!);
    console.log(
      `planted ${spike.id} in ${spike.area} ${spike.start}…${spike.end} (+${spike.extra}); found ${top.areas.map((a) => a.id).join(',')} ${top.start}…${top.end}, observed ${top.observed} vs expected ${top.expected?.toFixed(1)}, p = ${top.pValue}, scan ${r.elapsedMs} ms`,
    );
  });

  it('finds nothing significant where nothing was planted (one seeded draw)', async () => {
    // A quarter more than 60 days from every planted spike of any feed.
    const far = (d: string) => city.manifest.spikes.every((s) => Math.abs(Date.parse(s.start) - Date.parse(d)) > 150 * 86_400_000);
    const from = ['2023-04-01', '2022-04-01', '2021-07-01', '2020-07-01'].find(far)!;
    const res = await post({ indicator: 'ems.opioid_overdose', from, to: dayAfter(from, 90), replicates: 99, seed: 3 });
    const job = await poll((res.json() as ClusterJob).id);
    expect(job.status).toBe('done');
    expect(job.result!.clusters[0]!.pValue).toBeGreaterThan(0.05);
  });

  it('gives the same clusters and p-values however the replicates are split (seeded)', async () => {
    const conn = await city.duck.connect();
    const from = dayAfter(spike.start, -30);
    const to = dayAfter(spike.end, 10);
    const counts = await loadDailyCounts(conn, { jurisdiction: 'nyc', indicator: 'ems.opioid_overdose', geography: 'event', from, to });
    conn.closeSync();
    const spec: ScanJobSpec = { jurisdiction: 'nyc', indicator: 'ems.opioid_overdose', geography: 'event', from, to, maxDays: 14, prospective: false, replicates: 39, seed: 5, maxSpatialShare: 0.5 };
    const one = new ScanPool(1);
    const two = new ScanPool(2);
    try {
      const [a, b] = await Promise.all([runScan(one, counts, spec), runScan(two, counts, spec)]);
      const strip = (x: typeof a) => ({ ...x, elapsedMs: 0 });
      expect(strip(b)).toEqual(strip(a));
      // And the same as the whole scan in this thread (sql/epi/scan.ts).
      const keep = counts.areas.flatMap((x, i) => (x.lon !== null ? [i] : []));
      const here = spaceTimePermutationScan(
        { cases: keep.map((i) => counts.byArea[i]!), centroids: keep.map((i) => [counts.areas[i]!.lon!, counts.areas[i]!.lat!] as [number, number]) },
        { maxDays: 14, replicates: 39 },
        5,
      );
      expect(a.clusters.map((c) => [c.llr, c.pValue])).toEqual(here.clusters.map((c) => [c.llr, c.pValue]));
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('refuses a scan it should not run', async () => {
    const big = await post({ indicator: 'ems.opioid_overdose', from: '2020-01-01', to: '2025-12-31' });
    expect(big.statusCode).toBe(400);
    expect((big.json() as { message: string }).message).toMatch(/at most 731 days/);
    expect((await post({ indicator: 'ems.opioid_overdose', replicates: 5 })).statusCode).toBe(400);
    // Starting a scan changes state: the CSRF token is required.
    const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/clusters', headers: { cookie: analyst.cookie }, payload: {} });
    expect(noCsrf.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/clusters/00000000-0000-4000-8000-000000000000', headers: analyst.headers })).statusCode).toBe(404);
  });
});

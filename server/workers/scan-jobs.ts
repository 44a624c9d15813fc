// Scan jobs: a space–time permutation scan takes seconds to tens of seconds (999 replicates), so
// POST /clusters queues a job and GET /clusters/:id reports its progress and result. One scan runs
// at a time (it uses every worker); jobs wait in order. Jobs live in this process's memory, the
// last `keep` of them for `ttlMs`; a restart forgets them (a scan is cheap to run again and, being
// seeded, gives the same answer).
import { randomUUID } from 'node:crypto';
import { assembleScan, prepareScan, type ScanParams } from '../../sql/epi/scan.ts';
import type { Counts } from '../../sql/signals.ts';
import type { ScanPool } from './scan-pool.ts';

export interface ScanJobSpec {
  jurisdiction: string;
  indicator: string;
  geography: 'residence' | 'event';
  from: string;
  to: string;
  maxDays: number;
  prospective: boolean;
  replicates: number;
  seed: number;
  maxSpatialShare: number;
}

export interface ScanClusterOut {
  center: { id: string; name: string };
  areas: { id: string; name: string }[];
  radiusKm: number;
  start: string;
  end: string;
  days: number;
  observed: number;
  expected: number;
  relativeRisk: number;
  llr: number;
  pValue: number;
}

export interface ScanJobResult {
  totalCases: number;
  /** Events with no area, or in an area without a centroid: not in the scan. */
  casesLeftOut: number;
  areasScanned: number;
  circles: number;
  cylinders: number;
  replicates: number;
  seed: number;
  criticalValues: { p05: number | null; p01: number | null };
  clusters: ScanClusterOut[];
  elapsedMs: number;
}

export type ScanJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ScanJob {
  id: string;
  spec: ScanJobSpec;
  status: ScanJobStatus;
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { done: number; total: number };
  result: ScanJobResult | null;
  error: string | null;
}

export type CountsLoader = (spec: ScanJobSpec) => Promise<Counts>;

const isoDay = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/** A finished scan from daily counts: prepare, replicates in the pool, assemble. */
export async function runScan(pool: ScanPool, counts: Counts, spec: ScanJobSpec, onProgress?: (done: number) => void): Promise<ScanJobResult> {
  const t0 = performance.now();
  const keep = counts.areas.flatMap((a, i) => (a.lon !== null && a.lat !== null ? [i] : []));
  let inAreas = 0;
  for (const i of keep) for (const v of counts.byArea[i]!) inAreas += v;
  let total = 0;
  for (const v of counts.total) total += v;
  const params: Partial<ScanParams> = {
    maxDays: spec.maxDays,
    prospective: spec.prospective,
    replicates: spec.replicates,
    maxSpatialShare: spec.maxSpatialShare,
    coordinates: 'latlon',
  };
  const prep = prepareScan({ cases: keep.map((i) => counts.byArea[i]!), centroids: keep.map((i) => [counts.areas[i]!.lon!, counts.areas[i]!.lat!] as [number, number]) }, params);
  const maxima = prep.total > 0 ? await pool.maxima(prep, spec.seed, spec.replicates, onProgress) : new Float64Array(spec.replicates);
  const res = assembleScan(prep, maxima);
  const area = (z: number) => {
    const a = counts.areas[keep[z]!]!;
    return { id: a.id, name: a.name };
  };
  return {
    totalCases: res.totalCases,
    casesLeftOut: total - inAreas,
    areasScanned: keep.length,
    circles: res.circles,
    cylinders: res.cylinders,
    replicates: res.replicates,
    seed: spec.seed,
    criticalValues: res.criticalValues,
    clusters: res.clusters.map((c) => ({
      center: area(c.center),
      areas: c.areas.map(area),
      radiusKm: c.radius,
      start: isoDay(counts.start, c.start),
      end: isoDay(counts.start, c.end),
      days: c.end - c.start + 1,
      observed: c.observed,
      expected: c.expected,
      relativeRisk: c.relativeRisk,
      llr: c.llr,
      pValue: c.pValue,
    })),
    elapsedMs: Math.round(performance.now() - t0),
  };
}

export class ScanJobs {
  private jobs = new Map<string, ScanJob>();
  private queue: string[] = [];
  private running = false;

  constructor(
    private readonly pool: ScanPool,
    private readonly load: CountsLoader,
    private readonly opts: { maxQueued: number; keep: number; ttlMs: number } = { maxQueued: 8, keep: 100, ttlMs: 6 * 3_600_000 },
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  /** Queues a scan; null when the queue is full. */
  submit(spec: ScanJobSpec): ScanJob | null {
    this.prune();
    if (this.queue.length >= this.opts.maxQueued) return null;
    const job: ScanJob = {
      id: randomUUID(),
      spec,
      status: 'queued',
      submittedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      progress: { done: 0, total: spec.replicates },
      result: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    this.queue.push(job.id);
    void this.drain();
    return job;
  }

  get(id: string): ScanJob | undefined {
    return this.jobs.get(id);
  }

  /** Resolves when the job is done or failed (tests, the benchmark). */
  async wait(id: string, pollMs = 50): Promise<ScanJob> {
    for (;;) {
      const j = this.jobs.get(id);
      if (!j) throw new Error(`no scan job ${id}`);
      if (j.status === 'done' || j.status === 'failed') return j;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let id = this.queue.shift(); id !== undefined; id = this.queue.shift()) {
        const job = this.jobs.get(id);
        if (!job) continue;
        job.status = 'running';
        job.startedAt = new Date().toISOString();
        try {
          const counts = await this.load(job.spec);
          job.result = await runScan(this.pool, counts, job.spec, (done) => {
            job.progress.done = done;
          });
          job.progress.done = job.spec.replicates;
          job.status = 'done';
        } catch (err) {
          job.status = 'failed';
          // The message is for the person who asked; internals stay in the log.
          job.error = 'the scan failed; the server log has the details';
          this.log(`scan job ${job.id} failed`, err);
        }
        job.finishedAt = new Date().toISOString();
      }
    } finally {
      this.running = false;
    }
  }

  private prune(): void {
    const now = Date.now();
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt !== null);
    for (const j of finished) if (now - Date.parse(j.finishedAt!) > this.opts.ttlMs) this.jobs.delete(j.id);
    const left = [...this.jobs.values()].filter((j) => j.finishedAt !== null).sort((a, b) => (a.finishedAt! < b.finishedAt! ? -1 : 1));
    while (left.length > this.opts.keep) this.jobs.delete(left.shift()!.id);
  }
}

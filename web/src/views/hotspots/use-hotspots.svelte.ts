// Data access for the hotspots view. The signals of the chosen indicator and method over the
// window come first (the ranked list); then, without holding the list back, the alert episodes,
// the same detector on the other feeds (do they agree?) and, for the area being explained, what
// drug checking found there. The last answer stays on screen while a new one loads.
import { untrack } from 'svelte';
import { api, errorMessage, isAbort, type Alert, type ClusterJob, type SignalsResponse } from '../../api.ts';
import type { Catalog } from '../../shell/catalog.svelte.ts';
import type { Session } from '../../shell/session.svelte.ts';
import { companionIndicators, methodInfo, monthsAround, rankClusters, rankHotspots, scanDays, windowFrom, type SignalRow } from './hotspots.ts';
import { readHotspots, writeHotspots, type HotspotsState } from './url-state.ts';

const DRUGCHECK = ['drugcheck.samples_tested', 'drugcheck.fentanyl_positive', 'drugcheck.xylazine_positive', 'drugcheck.medetomidine_positive'] as const;

export interface DrugcheckMonth {
  period: string;
  partial: boolean;
  /** By indicator: count, or null with the state saying why. */
  cells: Record<string, { count: number | null; state: string }>;
}

export class HotspotsModel {
  view: HotspotsState = $state(readHotspots(location.search));
  signals: SignalsResponse | null = $state.raw(null);
  alerts: Alert[] = $state.raw([]);
  companions: { indicator: string; label: string; results: SignalRow[] }[] = $state.raw([]);
  drugcheck: { area: string; months: DrugcheckMonth[]; error?: string } | null = $state.raw(null);
  loading = $state(false);
  loadingAlerts = $state(false);
  loadingCompanions = $state(false);
  error: string | null = $state(null);
  alertsError: string | null = $state(null);
  ackError: string | null = $state(null);
  /** The space–time scan of this indicator for the window's last day: its job as last polled. */
  scan: { key: string; job: ClusterJob } | null = $state.raw(null);
  scanError: { key: string; message: string } | null = $state.raw(null);
  ackBusy: number | null = $state(null);

  readonly catalog: Catalog;
  readonly session: Session;

  get indicatorId(): string | null {
    const list = this.catalog.available;
    const wanted = this.view.indicator;
    return list.find((i) => i.id === wanted)?.id ?? list.find((i) => i.id === 'ems.opioid_overdose')?.id ?? list[0]?.id ?? null;
  }
  get role(): string | null {
    return this.session.me?.role ?? null;
  }
  readonly method = $derived(methodInfo(this.view.method));
  readonly ranked = $derived(this.signals ? rankHotspots(this.signals.results) : { areas: [], total: null });
  readonly selected = $derived(this.ranked.areas.find((h) => h.area === this.view.area) ?? null);
  readonly selectedAlerts = $derived(this.alerts.filter((a) => a.area === this.view.area));
  private readonly scanKey = $derived(this.signals ? `${this.signals.jurisdiction}|${this.signals.indicator}|${this.signals.to}|${scanDays(this.view.window)}` : null);
  readonly scanJob = $derived(this.scan && this.scan.key === this.scanKey ? this.scan.job : null);
  readonly scanProblem = $derived(this.scanError && this.scanError.key === this.scanKey ? this.scanError.message : null);
  readonly clusters = $derived(this.scanJob?.result ? rankClusters(this.scanJob.result.clusters) : []);
  /** Area id → rank of the first significant cluster it belongs to. */
  readonly clusterOf = $derived(new Map(this.clusters.filter((c) => c.significant).flatMap((c) => c.areas.map((a) => [a.id, c.rank] as const)).reverse()));

  constructor(catalog: Catalog, session: Session) {
    this.catalog = catalog;
    this.session = session;

    $effect(() => {
      const jurisdiction = this.catalog.jurisdiction?.id;
      const indicator = this.indicatorId;
      const { method, date, window } = this.view;
      if (!jurisdiction || !indicator) return;
      const ctrl = new AbortController();
      untrack(() => void this.loadSignals({ jurisdiction, indicator, method, date, window }, ctrl.signal));
      return () => ctrl.abort();
    });

    $effect(() => {
      const jurisdiction = this.catalog.jurisdiction?.id;
      const indicator = this.indicatorId;
      const method = this.view.method;
      if (!jurisdiction || !indicator) return;
      const ctrl = new AbortController();
      untrack(() => void this.loadAlerts({ jurisdiction, indicator, method }, ctrl.signal));
      return () => ctrl.abort();
    });

    $effect(() => {
      const s = this.signals;
      const jurisdiction = this.catalog.jurisdiction?.id;
      if (!s || !jurisdiction) return;
      const ctrl = new AbortController();
      untrack(() => void this.loadCompanions(s, jurisdiction, ctrl.signal));
      return () => ctrl.abort();
    });

    $effect(() => {
      // The scan runs on the server's worker threads once per indicator, last day and length;
      // the list of signals does not wait for it.
      const s = this.signals;
      const key = this.scanKey;
      const days = scanDays(this.view.window);
      const csrf = this.session.me?.csrfToken;
      if (!s || !key) return;
      const done = untrack(() => this.scanError?.key === key || (this.scan?.key === key && (this.scan.job.status === 'done' || this.scan.job.status === 'failed')));
      if (done) return;
      // A scan of this key already submitted (the effect re-ran): follow it, do not start another.
      const running = untrack(() => (this.scan?.key === key ? this.scan.job : null));
      const ctrl = new AbortController();
      untrack(() => void this.runScan(key, { jurisdiction: s.jurisdiction, indicator: s.indicator, to: s.to, maxDays: days }, csrf ?? '', ctrl.signal, running));
      return () => ctrl.abort();
    });

    $effect(() => {
      const area = this.view.area;
      const s = this.signals;
      const jurisdiction = this.catalog.jurisdiction?.id;
      if (!area || !s || !jurisdiction) return;
      const ctrl = new AbortController();
      untrack(() => void this.loadDrugcheck(area, s.from, s.to, jurisdiction, ctrl.signal));
      return () => ctrl.abort();
    });

    $effect(() => {
      const search = writeHotspots({ ...this.view, indicator: this.indicatorId ?? this.view.indicator }, untrack(() => location.search));
      if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}`);
    });
  }

  private async loadSignals(
    q: { jurisdiction: string; indicator: string; method: HotspotsState['method']; date: string | null; window: number },
    signal: AbortSignal,
  ): Promise<void> {
    this.loading = true;
    try {
      const cadence = methodInfo(q.method).cadence;
      let date = q.date;
      let res: SignalsResponse | null = null;
      if (date === null) {
        // The latest period with data, asked first: the window ends there.
        res = await api.signals({ jurisdiction: q.jurisdiction, indicator: q.indicator, method: q.method }, signal);
        date = res.to;
      }
      if (q.window > 1 || res === null) {
        res = await api.signals({ jurisdiction: q.jurisdiction, indicator: q.indicator, method: q.method, date, from: windowFrom(date, q.window, cadence) }, signal);
      }
      if (signal.aborted) return;
      this.signals = res;
      this.error = null;
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.error = errorMessage(err);
    } finally {
      if (!signal.aborted) this.loading = false;
    }
  }

  private async loadAlerts(q: { jurisdiction: string; indicator: string; method: HotspotsState['method'] }, signal: AbortSignal): Promise<void> {
    this.loadingAlerts = true;
    try {
      const res = await api.alerts({ ...q, limit: 300 }, signal);
      if (signal.aborted) return;
      this.alerts = res.alerts;
      this.alertsError = null;
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.alertsError = errorMessage(err);
    } finally {
      if (!signal.aborted) this.loadingAlerts = false;
    }
  }

  private async loadCompanions(s: SignalsResponse, jurisdiction: string, signal: AbortSignal): Promise<void> {
    const ids = companionIndicators(s.indicator, this.catalog.available);
    // The same detector where it applies; the ODMAP threshold is set per indicator, so others use ESSENCE.
    const method = s.method === 'threshold' ? 'essence' : s.method;
    this.loadingCompanions = true;
    try {
      const answers = await Promise.all(
        ids.map((indicator) =>
          api
            .signals({ jurisdiction, indicator, method, date: s.to, from: s.from }, signal)
            .then((r) => ({ indicator, label: this.catalog.indicator(indicator)?.label ?? indicator, results: r.results }))
            .catch((err: unknown) => {
              if (isAbort(err)) throw err;
              return null; // a feed this role may not see, or with no data in the window: left out
            }),
        ),
      );
      if (signal.aborted) return;
      this.companions = answers.filter((a) => a !== null);
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.companions = [];
    } finally {
      if (!signal.aborted) this.loadingCompanions = false;
    }
  }

  private async loadDrugcheck(area: string, from: string, to: string, jurisdiction: string, signal: AbortSignal): Promise<void> {
    const ids = DRUGCHECK.filter((id) => this.catalog.available.some((i) => i.id === id));
    if (ids.length === 0) {
      this.drugcheck = { area, months: [] };
      return;
    }
    // Whole months: every role but the analyst is served drug checking by month.
    const range = monthsAround(from, to, 2);
    try {
      const answers = await Promise.all(ids.map((indicator) => api.series({ jurisdiction, indicator, interval: 'month', areas: area, total: false, geography: 'event', ...range }, signal)));
      if (signal.aborted) return;
      const first = answers[0]!;
      const months: DrugcheckMonth[] = first.periods.map((p, i) => ({
        period: p.start,
        partial: p.partial,
        cells: Object.fromEntries(
          answers.map((a, k) => {
            const pt = a.series.find((x) => x.area === area)?.points[i];
            return [ids[k]!, { count: pt?.count ?? null, state: pt?.state ?? 'missing' }];
          }),
        ),
      }));
      this.drugcheck = { area, months };
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.drugcheck = { area, months: [], error: errorMessage(err) };
    }
  }

  private async runScan(
    key: string,
    q: { jurisdiction: string; indicator: string; to: string; maxDays: number },
    csrf: string,
    signal: AbortSignal,
    running: ClusterJob | null,
  ): Promise<void> {
    if (!csrf && !running) {
      // The public view has no session: the server runs scans for signed-in members only.
      this.scanError = { key, message: 'cluster scans are run for signed-in members only' };
      return;
    }
    try {
      // Prospective (Kulldorff 2005): only windows ending on the last day — is a cluster going on
      // now? — against the 365 days before it; 999 replicates, seeded (the same answer each time).
      let job = running ?? (await api.startClusterScan({ ...q, prospective: true, replicates: 999, seed: 1 }, csrf, signal));
      if (signal.aborted) return;
      this.scan = { key, job };
      while (job.status === 'queued' || job.status === 'running') {
        await new Promise((r) => setTimeout(r, 700));
        if (signal.aborted) return;
        job = await api.clusterJob(job.id, signal);
        if (signal.aborted) return;
        this.scan = { key, job };
      }
      if (job.status === 'failed') this.scanError = { key, message: job.error ?? 'the scan failed' };
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.scanError = { key, message: errorMessage(err) };
    }
  }

  async acknowledge(id: number, note: string | null): Promise<boolean> {
    const csrf = this.session.me?.csrfToken;
    if (!csrf) return false;
    this.ackBusy = id;
    this.ackError = null;
    try {
      const updated = await api.acknowledgeAlert(id, note && note.trim() ? note.trim() : null, csrf);
      this.alerts = this.alerts.map((a) => (a.id === id ? { ...updated, periods: undefined } : a));
      return true;
    } catch (err) {
      this.ackError = errorMessage(err);
      return false;
    } finally {
      this.ackBusy = null;
    }
  }

  select(area: string | null) {
    this.view.area = this.view.area === area ? null : area;
  }
}

// Signals, alerts, clusters and backtests (issue 4 items 2–4): which areas rose beyond
// expectation, by which method, with what p-value; the alert episodes the group follows; where
// events cluster in space and time; and how often each detector cries wolf on this city's history.
// The statistics live in sql/; this file decides who may see what and in which form.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rows } from '../../../sql/duckdb.ts';
import { findIndicator, INDICATORS, type IndicatorDef } from '../../../sql/indicators/index.ts';
import { indicatorRange } from '../../../sql/metrics.ts';
import {
  METHODS,
  computeSignals,
  dayNumber,
  isoOfDay,
  loadAreas,
  loadDailyCounts,
  periodSignals,
  runSignals,
  signalRows,
  type AreaRef,
  type Geography,
  type SignalMethod,
  type SignalOptions,
  type SignalResult,
  type SignalRunner,
} from '../../../sql/signals.ts';
import {
  acknowledgeAlert,
  alertPeriods,
  getAlert,
  listAlerts,
  listThresholds,
  recordSignalRun,
  setThreshold,
  signalCursor,
  thresholdMap,
  type AlertRow,
} from '../../../sql/postgres/alerts.ts';
import type { PeriodSignal } from '../../../sql/epi/episodes.ts';
import {
  AcknowledgeBody,
  Alert,
  AlertParams,
  AlertsQuery,
  AlertsResponse,
  BacktestRequest,
  BacktestResponse,
  ClusterJob,
  ClusterParams,
  ClusterRequest,
  SignalsQuery,
  SignalsResponse,
  ThresholdBody,
  ThresholdsQuery,
  ThresholdsResponse,
} from '../../schemas/signals.ts';
import { badRequest, errorResponses, forbidden, HttpError, notFound } from '../../http.ts';
import { describePolicy, finerThan, policyFor, type FeedPolicy, type Interval } from '../../policy.ts';
import { withConn } from '../../duck.ts';
import { ScanPool } from '../../workers/scan-pool.ts';
import { BacktestRequestError, SignalsPool } from '../../workers/signals-pool.ts';
import { ScanJobs, type ScanJob, type ScanJobSpec } from '../../workers/scan-jobs.ts';
import type { Static } from 'typebox';
import type { CellState } from '../../privacy/suppress.ts';

export interface SignalRouteOptions {
  defaultJurisdiction: string;
  /** Worker threads for the space–time scan (default: 2, or fewer cores). */
  scanWorkers?: number;
}

/** Quiet periods in a row that close an alert episode: a week of days, two weeks. */
export const QUIET_TO_CLOSE = { day: 7, week: 2 } as const;
/** On first refresh a weekly method's alert history starts this many weeks back (a fit per area and week). */
const WEEKLY_HISTORY_WEEKS = 26;
const MAX_RANGE_DAYS = 366;
const MAX_RANGE_WEEKS: Record<'negbin' | 'farrington', number> = { negbin: 26, farrington: 53 };
/** A backtest of a weekly model fits one model per area and week; beyond this, ask for fewer. */
const MAX_BACKTEST_FITS = 3000;
const MAX_SCAN_DAYS = 731;

const isDate = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const addDays = (iso: string, n: number) => isoOfDay(dayNumber(iso) + n);

interface Access {
  def: IndicatorDef;
  policy: FeedPolicy;
  /** Counts 1 … threshold − 1 are hidden; 0 = nothing hidden (the analyst). */
  threshold: number;
}

/** The feed policy of the caller for this indicator (server/policy.ts), as series.ts applies it. */
function access(app: FastifyInstance, req: FastifyRequest, indicator: string): Access {
  const def = findIndicator(indicator);
  if (!def) throw badRequest(`unknown indicator "${indicator}"; known: ${INDICATORS.map((d) => d.id).join(', ')}`);
  const role = req.auth.role;
  if (role === null) throw new HttpError(401, 'sign in first (POST /api/v1/auth/login)');
  const policy = policyFor(role, def.feed, app.security.policy);
  req.policy = policy;
  if (!policy.allowed) throw forbidden(describePolicy(role, def.feed, policy));
  return { def, policy, threshold: policy.threshold };
}

function geographyOf(def: IndicatorDef, asked: Geography | undefined): Geography {
  const g = asked ?? def.geographies[0] ?? 'event';
  if (!def.geographies.includes(g)) throw badRequest(`indicator ${def.id} has no "${g}" geography`);
  return g;
}

/** The areas asked for, checked; null = all. Roles that see only the jurisdiction get only 'total'. */
function areaFilter(asked: string | undefined, known: AreaRef[], a: Access, role: string): Set<string> | null {
  const list = asked ? [...new Set(asked.split(','))] : null;
  if (a.policy.minArea === 'jurisdiction') {
    if (list && list.some((x) => x !== 'total')) throw forbidden(`${describePolicy(role as never, a.def.feed, a.policy)}; asked for areas`);
    return new Set(['total']);
  }
  if (!list) return null;
  const ids = new Set(known.map((x) => x.id));
  const unknown = list.filter((x) => x !== 'total' && !ids.has(x));
  if (unknown.length > 0) throw badRequest(`unknown area(s) in "areas": ${unknown.slice(0, 10).join(', ')}`);
  return new Set(list);
}

async function jurisdictionAreas(c: DuckDBConnection, jurisdiction: string): Promise<AreaRef[]> {
  const areas = await loadAreas(c, jurisdiction);
  if (areas.length === 0) throw notFound(`unknown jurisdiction "${jurisdiction}"`);
  return areas;
}

// ── small cells ────────────────────────────────────────────────────────────────────────────────
// Roles with a suppression threshold T (every role but the analyst) get no count from 1 to T − 1:
// observed, expected and the alarm bound are each hidden (null) when they fall in (0, T), and the
// row is flagged `suppressed`; level, p-value and method stay. When exactly one area's observed
// cell cannot be recovered as total − the other areas (complementary suppression, as the
// published cube does it), the jurisdiction total of that period is hidden too.
//
// A role whose policy serves nothing shorter than a month (server/policy.ts: every role but the
// analyst) gets no daily or weekly count at all — a day's count of 10 or more beside the monthly
// cube could narrow a hidden day of the same month. Those roles see where and how strongly the
// detector fires (level, statistic, p-values), never the counts under it.
const small = (v: number | null, t: number) => v !== null && v > 0 && v < t;

/** Which counts of a role are hidden: those in (0, T), or every one when the cadence is finer than the policy allows. */
export interface CountRule {
  threshold: number;
  /** Every count hidden: the signal's cadence (day, week) is finer than the role's shortest period. */
  all: boolean;
}
const hides = (v: number | null, r: CountRule) => (r.all ? v !== null : small(v, r.threshold));
const ruleFor = (p: FeedPolicy, cadence: Interval): CountRule => ({ threshold: p.threshold, all: finerThan(cadence, p.minInterval) });

function suppressRows(rowsIn: SignalResult[], all: SignalResult[], rule: CountRule): NullCounts[] {
  if (rule.threshold <= 0 && !rule.all) return rowsIn.map((r) => ({ ...r, state: stateOf(r.observed, false), suppressed: false }));
  const hiddenAreas = new Map<string, number>();
  for (const r of all) if (r.area !== 'total' && hides(r.observed, rule)) hiddenAreas.set(r.date, (hiddenAreas.get(r.date) ?? 0) + 1);
  return rowsIn.map((r) => {
    const hideObserved = hides(r.observed, rule) || (r.area === 'total' && hiddenAreas.get(r.date) === 1);
    const hideExpected = hides(r.expected, rule);
    const hideThreshold = hides(r.threshold, rule);
    const hidden = hideObserved || hideExpected || hideThreshold;
    return {
      ...r,
      observed: hideObserved ? null : r.observed,
      expected: hideExpected ? null : r.expected,
      threshold: hideThreshold ? null : r.threshold,
      // threshold alerts' statistic is count / N: it would give the count back.
      statistic: hideObserved && r.method === 'threshold' ? null : r.statistic,
      state: stateOf(r.observed, hideObserved),
      suppressed: hidden,
    };
  });
}

/** A result row as served: any count may be null (hidden). */
type NullCounts = Omit<SignalResult, 'observed'> & { observed: number | null; state: CellState; suppressed: boolean };

/** The state of an observed count as served (the same four states as every count of the API). */
const stateOf = (observed: number | null, hidden: boolean): CellState =>
  hidden ? 'suppressed' : observed === null ? 'missing' : observed === 0 ? 'zero' : 'shown';

function suppressPeriod(p: PeriodSignal, rule: CountRule, method: string): Static<typeof Alert>['peak'] {
  const hideO = hides(p.observed, rule);
  const hideE = hides(p.expected, rule);
  return {
    date: p.date,
    level: p.level,
    observed: hideO ? null : p.observed,
    expected: hideE ? null : p.expected,
    statistic: hideO && method === 'threshold' ? null : p.statistic,
    pValue: p.pValue,
    pAdjusted: p.pAdjusted,
    suppressed: hideO || hideE,
  };
}

const routes: FastifyPluginAsyncTypebox<SignalRouteOptions> = async (app, opts) => {
  const pool = new ScanPool(opts.scanWorkers);
  // The weekly models (a fit per area and week) and backtests run here, off the request thread.
  const signalsPool = new SignalsPool(opts.scanWorkers);
  app.addHook('onClose', async () => {
    await Promise.all([pool.close(), signalsPool.close()]);
  });
  const runner: SignalRunner = (counts, method, options, range) =>
    METHODS[method].cadence === 'week' ? signalsPool.run(counts, method, options, range) : runSignals(counts, method, options, range);

  const synthetic = async (c: DuckDBConnection, jurisdiction: string) => {
    const [j] = await rows<{ synthetic: boolean | null }>(c, `SELECT (config->>'synthetic')::BOOLEAN AS synthetic FROM jurisdictions WHERE id = $j`, { j: jurisdiction });
    return j?.synthetic === true;
  };

  const jobs = new ScanJobs(
    pool,
    (spec) =>
      withConn(app, (c) =>
        loadDailyCounts(c, { jurisdiction: spec.jurisdiction, indicator: spec.indicator, geography: spec.geography, from: spec.from, to: spec.to }),
      ),
    { maxQueued: 8, keep: 100, ttlMs: 6 * 3_600_000 },
    (msg, err) => app.log.error({ err }, msg),
  );

  /** Options of a run: the stored ODMAP thresholds for the threshold method. */
  const optionsFor = async (jurisdiction: string, indicator: string, method: SignalMethod, areas: AreaRef[]): Promise<Partial<SignalOptions>> => {
    if (method !== 'threshold') return {};
    const list = await listThresholds(app.ops.db, jurisdiction, indicator);
    return { thresholds: thresholdMap(list, areas.map((a) => a.id)) };
  };

  // One refresh per detector at a time in this process (the cursor row serialises processes).
  const refreshing = new Map<string, Promise<{ through: string | null; opened: number; closed: number }>>();
  const refresh = (jurisdiction: string, def: IndicatorDef, geography: Geography, method: SignalMethod) => {
    const key = `${jurisdiction}|${def.id}|${geography}|${method}`;
    let p = refreshing.get(key);
    if (!p) {
      p = withConn(app, async (c) => {
        const range = await indicatorRange(c, jurisdiction, def.id);
        if (!range.first || !range.last) return { through: null, opened: 0, closed: 0 };
        const cursor = await signalCursor(app.ops.db, { jurisdiction, indicator: def.id, method, geography });
        const cadence = METHODS[method].cadence;
        // Nothing new: no day after the cursor, or no complete week after the cursor's week.
        if (cursor !== null && (cadence === 'day' ? cursor >= range.last : addDays(cursor, 13) > range.last)) return { through: cursor, opened: 0, closed: 0 };
        const areas = await loadAreas(c, jurisdiction);
        const from = cursor !== null ? addDays(cursor, 1) : cadence === 'week' ? addDays(range.last, -7 * WEEKLY_HISTORY_WEEKS) : range.first;
        const { run } = await computeSignals(
          c,
          { jurisdiction, indicator: def.id, geography, method, dataStart: range.first, dataEnd: range.last, from, through: range.last, options: await optionsFor(jurisdiction, def.id, method, areas) },
          areas,
          runner,
        );
        const periods = periodSignals(run).filter((p) => cursor === null || p.date > cursor);
        const s = await recordSignalRun(
          app.ops.db,
          { jurisdiction, indicator: def.id, method, geography, cadence },
          periods,
          { quietToClose: QUIET_TO_CLOSE[cadence], areas: ['total', ...areas.map((a) => a.id)] },
        );
        return { through: s.through, opened: s.opened, closed: s.closed };
      }).finally(() => refreshing.delete(key));
      refreshing.set(key, p);
    }
    return p;
  };

  /** The thresholds of an indicator as they stand (for the ETag of a threshold-method answer). */
  const thresholdsVersion = async (q: { jurisdiction?: string; indicator?: string; method?: string }): Promise<string> => {
    if (q.method !== 'threshold' || !q.indicator) return '';
    const list = await listThresholds(app.ops.db, q.jurisdiction ?? opts.defaultJurisdiction, q.indicator);
    return JSON.stringify(list.map((t) => [t.area, t.minCount]));
  };

  // ── GET /signals ─────────────────────────────────────────────────────────────────────────────
  app.get(
    '/signals',
    {
      config: {
        auditAction: 'signals.read',
        tabular: { name: 'signals', tables: [{ path: 'results' }] },
        // The threshold method reads the ODMAP thresholds from Postgres: a change of them is a new answer.
        cache: { extra: (req) => thresholdsVersion(req.query as { jurisdiction?: string; indicator?: string; method?: string }) },
      },
      schema: {
        tags: ['signals'],
        summary: 'Signals of one indicator by area: observed against expected, statistic, p-value, level',
        description:
          'Runs one detector over the whole history of the indicator and reports the periods asked for, for every area and the whole jurisdiction. Levels are after Benjamini–Hochberg across the areas of each period (q = 0.05). Roles with a small-cell threshold get counts below it as null, flagged suppressed.',
        querystring: SignalsQuery,
        response: { 200: SignalsResponse, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const jurisdiction = q.jurisdiction ?? opts.defaultJurisdiction;
      const a = access(app, req, q.indicator);
      const method: SignalMethod = q.method ?? 'essence';
      const geography = geographyOf(a.def, q.geography);
      for (const k of ['date', 'from'] as const) {
        const v = q[k];
        if (v !== undefined && !isDate(v)) throw badRequest(`"${k}" is not a calendar date: ${v}`);
      }
      return withConn(app, async (c) => {
        const areas = await jurisdictionAreas(c, jurisdiction);
        const filter = areaFilter(q.areas, areas, a, req.auth.role!);
        const range = await indicatorRange(c, jurisdiction, a.def.id);
        const [v] = await rows<{ v: string }>(c, `SELECT ${a.def.versionMacro}() AS v`);
        const info = METHODS[method];
        const date = q.date ?? range.last ?? new Date().toISOString().slice(0, 10);
        const from = q.from ?? date;
        if (from > date) throw badRequest(`"from" (${from}) is after "date" (${date})`);
        const span = dayNumber(date) - dayNumber(from) + 1;
        if (info.cadence === 'day' && span > MAX_RANGE_DAYS) throw badRequest(`at most ${MAX_RANGE_DAYS} days a request (asked ${span})`);
        if (method === 'negbin' || method === 'farrington') {
          const weeks = Math.ceil(span / 7);
          if (weeks > MAX_RANGE_WEEKS[method]) throw badRequest(`${method} fits one model per area and week: at most ${MAX_RANGE_WEEKS[method]} weeks a request (asked ${weeks})`);
        }
        const base = {
          jurisdiction,
          indicator: a.def.id,
          method,
          cadence: info.cadence,
          geography,
          from,
          to: date,
          dataRange: range.first && range.last ? { from: range.first, to: range.last } : null,
          definitionVersion: v?.v ?? 'unknown',
          synthetic: await synthetic(c, jurisdiction),
          alarm: info.alarm,
          fdr: { method: 'Benjamini–Hochberg' as const, q: 0.05, family: info.fdr ? 'the areas of the jurisdiction, per period' : 'none (a fixed count threshold has no p-value)' },
        };
        if (!range.first || !range.last) return { ...base, results: [] };
        // The weekly period ending on or before `date` may start before `from`: widen by 6 days.
        const { run, from: i0, to: i1 } = await computeSignals(
          c,
          {
            jurisdiction,
            indicator: a.def.id,
            geography,
            method,
            dataStart: range.first,
            dataEnd: range.last,
            from: info.cadence === 'week' && q.from === undefined ? addDays(date, -6) : from,
            through: date,
            options: await optionsFor(jurisdiction, a.def.id, method, areas),
          },
          areas,
          runner,
        );
        const all = signalRows(run, i0, i1);
        const shown = filter ? all.filter((r) => filter.has(r.area)) : all;
        const results = suppressRows(shown, all, ruleFor(a.policy, info.cadence));
        req.rowsReturned = results.length;
        return { ...base, results };
      });
    },
  );

  // ── alerts ───────────────────────────────────────────────────────────────────────────────────
  const alertOut = (r: AlertRow, names: Map<string, string>, policy: FeedPolicy, periods?: PeriodSignal[]): Static<typeof Alert> => {
    const rule = ruleFor(policy, r.cadence);
    return {
    id: r.id,
    jurisdiction: r.jurisdiction,
    indicator: r.indicator,
    method: r.method,
    geography: r.geography,
    cadence: r.cadence,
    area: r.area,
    areaName: r.area === 'total' ? 'Total' : (names.get(r.area) ?? r.area),
    status: r.status,
    openedOn: r.openedOn,
    lastSignalOn: r.lastSignalOn,
    closedOn: r.closedOn,
    redPeriods: r.redPeriods,
    yellowPeriods: r.yellowPeriods,
    quietPeriods: r.quietPeriods,
    peak: suppressPeriod(r.peak, rule, r.method),
    latest: suppressPeriod(r.latest, rule, r.method),
    acknowledgedAt: r.acknowledgedAt,
    acknowledgedBy: r.acknowledgedBy,
    note: r.note,
    ...(periods ? { periods: periods.map((p) => suppressPeriod(p, rule, r.method)) } : {}),
    };
  };

  app.get(
    '/alerts',
    {
      config: { auditAction: 'alerts.read', tabular: { name: 'alerts', tables: [{ path: 'alerts', omit: ['periods'] }] } },
      schema: {
        tags: ['signals'],
        summary: 'Alert episodes: one per detector and area while a signal lasts, opened, updated and closed',
        description: `An episode opens on a red period, stays open while periods are red or yellow, and closes after ${QUIET_TO_CLOSE.day} quiet days (${QUIET_TO_CLOSE.week} quiet weeks for weekly methods). With an indicator (and method, default essence) the episodes are first brought up to the latest data.`,
        querystring: AlertsQuery,
        response: { 200: AlertsResponse, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const jurisdiction = q.jurisdiction ?? opts.defaultJurisdiction;
      const method: SignalMethod | undefined = q.method ?? (q.indicator ? 'essence' : undefined);
      const visible = q.indicator ? [access(app, req, q.indicator)] : null;
      const role = req.auth.role;
      if (role === null) throw new HttpError(401, 'sign in first (POST /api/v1/auth/login)');
      // Checked here as on every dated route: '4974-31-19' matches the pattern, and Postgres would refuse it (a 500).
      for (const k of ['from', 'to'] as const) {
        const v = q[k];
        if (v !== undefined && !isDate(v)) throw badRequest(`"${k}" is not a calendar date: ${v}`);
      }
      return withConn(app, async (c) => {
        const areas = await jurisdictionAreas(c, jurisdiction);
        const names = new Map(areas.map((x) => [x.id, x.name]));
        let refreshed: Static<typeof AlertsResponse>['refreshed'] = null;
        let geography: Geography | undefined;
        if (visible) {
          const a = visible[0]!;
          geography = a.def.geographies[0] ?? 'event';
          if (q.refresh !== false && method) {
            const r = await refresh(jurisdiction, a.def, geography, method);
            refreshed = { indicator: a.def.id, method, through: r.through, opened: r.opened, closed: r.closed };
          }
        }
        const filterAreas = q.areas ? [...new Set(q.areas.split(','))] : undefined;
        const found = await listAlerts(app.ops.db, {
          jurisdiction,
          indicator: q.indicator,
          method,
          geography,
          status: q.status,
          areas: filterAreas,
          from: q.from,
          to: q.to,
          limit: Math.min(q.limit ?? 100, 1000) * (visible ? 1 : 2),
        });
        // Without an indicator: only the feeds this role may see, and only jurisdiction-wide
        // episodes where it sees no areas.
        const out: Static<typeof Alert>[] = [];
        for (const r of found) {
          const def = findIndicator(r.indicator);
          if (!def) continue;
          const p = policyFor(role, def.feed, app.security.policy);
          if (!p.allowed) continue;
          if (p.minArea === 'jurisdiction' && r.area !== 'total') continue;
          out.push(alertOut(r, names, p));
          if (out.length >= (q.limit ?? 100)) break;
        }
        req.rowsReturned = out.length;
        return { jurisdiction, quietToClose: { ...QUIET_TO_CLOSE }, refreshed, alerts: out };
      });
    },
  );

  app.get(
    '/alerts/:id',
    {
      config: { auditAction: 'alerts.read' },
      schema: {
        tags: ['signals'],
        summary: 'One alert episode with its red and yellow periods',
        params: AlertParams,
        response: { 200: Alert, ...errorResponses },
      },
    },
    async (req) => {
      const r = await getAlert(app.ops.db, req.params.id);
      if (!r) throw notFound(`no alert ${req.params.id}`);
      const a = access(app, req, r.indicator);
      if (a.policy.minArea === 'jurisdiction' && r.area !== 'total') throw notFound(`no alert ${req.params.id}`);
      const names = await withConn(app, async (c) => new Map((await loadAreas(c, r.jurisdiction)).map((x) => [x.id, x.name])));
      return alertOut(r, names, a.policy, await alertPeriods(app.ops.db, r.id));
    },
  );

  app.post(
    '/alerts/:id/acknowledge',
    {
      config: { access: 'members', auditAction: 'alerts.acknowledge' },
      schema: {
        tags: ['signals'],
        summary: 'Acknowledge an alert episode, with an optional note (health-department analysts)',
        params: AlertParams,
        body: AcknowledgeBody,
        response: { 200: Alert, ...errorResponses },
      },
    },
    async (req) => {
      if (req.auth.role !== 'analyst') throw forbidden('only health-department analysts acknowledge alerts');
      const before = await getAlert(app.ops.db, req.params.id);
      if (!before) throw notFound(`no alert ${req.params.id}`);
      const a = access(app, req, before.indicator);
      const r = await acknowledgeAlert(app.ops.db, before.id, req.auth.user?.id ?? null, req.body.note ?? null);
      const names = await withConn(app, async (c) => new Map((await loadAreas(c, before.jurisdiction)).map((x) => [x.id, x.name])));
      return alertOut(r!, names, a.policy, await alertPeriods(app.ops.db, before.id));
    },
  );

  app.get(
    '/alerts/thresholds',
    {
      config: { auditAction: 'alerts.thresholds.read', tabular: { name: 'alert-thresholds', tables: [{ path: 'thresholds' }] } },
      schema: {
        tags: ['signals'],
        summary: 'ODMAP-style thresholds of an indicator: N events in 24 hours per area',
        querystring: ThresholdsQuery,
        response: { 200: ThresholdsResponse, ...errorResponses },
      },
    },
    async (req) => {
      const jurisdiction = req.query.jurisdiction ?? opts.defaultJurisdiction;
      const a = access(app, req, req.query.indicator);
      const thresholds = await listThresholds(app.ops.db, jurisdiction, a.def.id);
      req.rowsReturned = thresholds.length;
      return { jurisdiction, indicator: a.def.id, thresholds };
    },
  );

  app.put(
    '/alerts/thresholds',
    {
      config: { access: 'members', auditAction: 'alerts.thresholds.write' },
      schema: {
        tags: ['signals'],
        summary: 'Set (or with minCount null remove) the threshold N of one area, "*" (the default) or "total"',
        description: 'Analysts and administrators, for the working group. Takes effect from the next period evaluated; earlier alerts stay as they were. Every change is in the audit log.',
        body: ThresholdBody,
        response: { 200: ThresholdsResponse, ...errorResponses },
      },
    },
    async (req) => {
      const role = req.auth.role;
      if (role !== 'analyst' && role !== 'admin') throw forbidden('only analysts and administrators set alert thresholds');
      const b = req.body;
      const jurisdiction = b.jurisdiction ?? opts.defaultJurisdiction;
      const a = access(app, req, b.indicator);
      await withConn(app, async (c) => {
        const areas = await jurisdictionAreas(c, jurisdiction);
        if (b.area !== '*' && b.area !== 'total' && !areas.some((x) => x.id === b.area)) throw badRequest(`unknown area "${b.area}"`);
      });
      await setThreshold(app.ops.db, { jurisdiction, indicator: a.def.id, area: b.area, minCount: b.minCount, by: req.auth.user?.email ?? role });
      return { jurisdiction, indicator: a.def.id, thresholds: await listThresholds(app.ops.db, jurisdiction, a.def.id) };
    },
  );

  // ── clusters ─────────────────────────────────────────────────────────────────────────────────
  // Clusters are windows of days: counted under the same rule as daily signals.
  const jobOut = (j: ScanJob, policy: FeedPolicy): Static<typeof ClusterJob> => {
    const rule = ruleFor(policy, 'day');
    return {
    id: j.id,
    status: j.status,
    request: { ...j.spec },
    submittedAt: j.submittedAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    progress: { ...j.progress },
    error: j.error,
    result: j.result
      ? {
          ...j.result,
          totalCases: hides(j.result.totalCases, rule) ? null : j.result.totalCases,
          casesLeftOut: hides(j.result.casesLeftOut, rule) ? null : j.result.casesLeftOut,
          clusters: j.result.clusters.map((cl) => {
            const hideO = hides(cl.observed, rule);
            const hideE = hides(cl.expected, rule);
            return { ...cl, observed: hideO ? null : cl.observed, expected: hideE ? null : cl.expected, suppressed: hideO || hideE };
          }),
        }
      : null,
    };
  };

  app.post(
    '/clusters',
    {
      config: { access: 'members', auditAction: 'clusters.run' },
      schema: {
        tags: ['signals'],
        summary: 'Start a space–time permutation scan (Kulldorff 2005) of one indicator; answers with the job',
        description:
          'Runs off the request thread on worker threads (replicates split across them, seeded: the same request gives the same clusters and p-values). Poll GET /clusters/{id}.',
        body: ClusterRequest,
        response: { 202: ClusterJob, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const jurisdiction = b.jurisdiction ?? opts.defaultJurisdiction;
      const a = access(app, req, b.indicator ?? 'ems.opioid_overdose');
      if (a.policy.minArea === 'jurisdiction') throw forbidden(`${describePolicy(req.auth.role!, a.def.feed, a.policy)}; a scan is by area`);
      const geography = geographyOf(a.def, b.geography);
      const spec = await withConn(app, async (c): Promise<ScanJobSpec> => {
        await jurisdictionAreas(c, jurisdiction);
        const range = await indicatorRange(c, jurisdiction, a.def.id);
        if (!range.first || !range.last) throw badRequest(`no ${a.def.id} data loaded for ${jurisdiction}`);
        const to = b.to ?? range.last;
        const earliest = addDays(to, -364) < range.first ? range.first : addDays(to, -364);
        const from = b.from ?? earliest;
        for (const [k, v] of [['from', from], ['to', to]] as const) if (!isDate(v)) throw badRequest(`"${k}" is not a calendar date: ${v}`);
        if (from > to) throw badRequest(`"from" (${from}) is after "to" (${to})`);
        const days = dayNumber(to) - dayNumber(from) + 1;
        if (days > MAX_SCAN_DAYS) throw badRequest(`a scan covers at most ${MAX_SCAN_DAYS} days (asked ${days})`);
        return {
          jurisdiction,
          indicator: a.def.id,
          geography,
          from,
          to,
          maxDays: b.maxDays ?? 30,
          prospective: b.prospective ?? false,
          replicates: b.replicates ?? 999,
          seed: b.seed ?? 1,
          maxSpatialShare: b.maxSpatialShare ?? 0.5,
        };
      });
      const job = jobs.submit(spec);
      if (!job) throw new HttpError(429, 'too many scans waiting; try again when one has finished');
      reply.code(202);
      return jobOut(job, a.policy);
    },
  );

  app.get(
    '/clusters/:id',
    {
      config: { access: 'members', auditAction: 'clusters.read' },
      schema: {
        tags: ['signals'],
        summary: 'A scan job: its progress, then the clusters (areas, window, observed/expected, p)',
        params: ClusterParams,
        response: { 200: ClusterJob, ...errorResponses },
      },
    },
    async (req) => {
      const job = jobs.get(req.params.id);
      if (!job) throw notFound(`no scan job ${req.params.id} (jobs are kept 6 hours)`);
      const a = access(app, req, job.spec.indicator);
      return jobOut(job, a.policy);
    },
  );

  // ── backtests ────────────────────────────────────────────────────────────────────────────────
  app.post(
    '/backtests',
    {
      config: { access: 'members', auditAction: 'backtests.run' },
      schema: {
        tags: ['signals'],
        summary: 'Backtest a detector: inject spikes into this city’s history and report sensitivity, false alarms per month and days to detection',
        description:
          'Seeded. Spikes of `extra` events over `days` days go into random areas and dates of the real daily counts; the detector runs with the parameters given; a spike counts as found if its area is red between its first day and 7 days after its last.',
        body: BacktestRequest,
        response: { 200: BacktestResponse, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const jurisdiction = b.jurisdiction ?? opts.defaultJurisdiction;
      const a = access(app, req, b.indicator);
      if (a.policy.minArea === 'jurisdiction') throw forbidden(`${describePolicy(req.auth.role!, a.def.feed, a.policy)}; a backtest is by area`);
      const geography = geographyOf(a.def, b.geography);
      for (const k of ['from', 'to'] as const) {
        const v = b[k];
        if (v !== undefined && !isDate(v)) throw badRequest(`"${k}" is not a calendar date: ${v}`);
      }
      return withConn(app, async (c) => {
        const areas = await jurisdictionAreas(c, jurisdiction);
        const chosen = b.areas ? [...new Set(b.areas.split(','))] : areas.map((x) => x.id);
        const unknown = chosen.filter((x) => !areas.some((y) => y.id === x));
        if (unknown.length > 0) throw badRequest(`unknown area(s) in "areas": ${unknown.slice(0, 10).join(', ')}`);
        const range = await indicatorRange(c, jurisdiction, a.def.id);
        if (!range.first || !range.last) throw badRequest(`no ${a.def.id} data loaded for ${jurisdiction}`);
        if (b.method === 'negbin') {
          const from = b.from && b.from > range.first ? b.from : addDays(range.first, 7 * 161);
          const to = b.to && b.to < range.last ? b.to : range.last;
          const fits = chosen.length * Math.max(0, Math.ceil((dayNumber(to) - dayNumber(from)) / 7));
          if (fits > MAX_BACKTEST_FITS) {
            throw badRequest(`negbin fits one model per area and week: this backtest needs ${fits} fits (at most ${MAX_BACKTEST_FITS}); choose fewer "areas" or a shorter "from"–"to"`);
          }
        }
        let options: Partial<SignalOptions> = {};
        if (b.method === 'threshold') {
          options = b.minCount !== undefined ? { thresholds: new Map(areas.map((x) => [x.id, b.minCount!])) } : await optionsFor(jurisdiction, a.def.id, 'threshold', areas);
          if (options.thresholds!.size === 0) throw badRequest('no thresholds are set for this indicator: give "minCount"');
        }
        if (b.minSigma !== undefined) options.earsMinSigma = b.minSigma;
        if (b.alpha !== undefined) options.earsAlpha = b.alpha;
        const daily = await loadDailyCounts(c, { jurisdiction, indicator: a.def.id, geography, from: range.first, to: range.last }, areas);
        let result;
        try {
          result = await signalsPool.backtest(daily, {
            method: b.method,
            options,
            spikes: b.spikes ?? 40,
            extra: b.extra,
            days: b.days ?? 3,
            seed: b.seed ?? 1,
            areas: chosen,
            ...(b.from ? { from: b.from } : {}),
            ...(b.to ? { to: b.to } : {}),
          });
        } catch (err) {
          if (err instanceof BacktestRequestError) throw badRequest(err.message.replace(/^backtest: /, ''));
          throw err;
        }
        req.rowsReturned = result.spikes.length;
        return { jurisdiction, indicator: a.def.id, geography, ...result };
      });
    },
  );
};

export default routes;

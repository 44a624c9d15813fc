// Metrics beyond the plain series (issue 4, items 1, 5, 6 and 10): rates with intervals,
// breakdowns and change (GET /rates), cross-agency linkage (GET /linkage), harm-reduction
// performance (GET /performance). Who may see what comes from server/policy.ts as in series.ts;
// for a role with a threshold every count is a slice of a suppressed table built once over the
// whole data (server/privacy/published.ts, metric-cubes.ts), and every rate, share, ratio or
// change that rests on a hidden count is null.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FastifyRequest } from 'fastify';
import { queryRows, rows } from '../../../sql/duckdb.ts';
import { findIndicator, INDICATORS, type Feed } from '../../../sql/indicators/index.ts';
import { indicatorRange, periodEnd, type Geography, type Interval } from '../../../sql/metrics.ts';
import {
  AGE_ADJUSTABLE_FEEDS,
  computeRates,
  FEED_BREAKDOWNS,
  periodStartOf,
  rateInputs,
  type Change,
  type RatePoint,
  type RatesParams,
} from '../../../sql/metrics-rates.ts';
import {
  EVENT_MEASURES,
  LINK_FEED,
  LINK_MEASURES,
  linkageRows,
  performanceRows,
  PERFORMANCE_COUNTS,
  PERFORMANCE_FEEDS,
  ratioWithInterval,
  shareWithInterval,
  uniqueEventRows,
  type CoarseInterval,
  type PerformanceCount,
} from '../../../sql/metrics-linkage.ts';
import { LinkageQuery, LinkageResponse, PerformanceQuery, PerformanceResponse, RatesQuery, RatesResponse } from '../../schemas/metrics.ts';
import { badRequest, errorResponses, forbidden, HttpError, notFound } from '../../http.ts';
import { describePolicy, finerThan, policyFor, rangeProblem, type FeedPolicy, type Role } from '../../policy.ts';
import { withConn } from '../../duck.ts';
import { NO_AREA_ROW, PublishedCubes } from '../../privacy/published.ts';
import { hiddenIn, measureOf, MetricCubes } from '../../privacy/metric-cubes.ts';
import { cellState, type CellState, type Level } from '../../privacy/suppress.ts';

export interface MetricsRouteOptions {
  defaultJurisdiction: string;
}

const isDate = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const MAX_DAYS = 366 * 20;
const INTERVAL_ORDER: readonly Interval[] = ['day', 'week', 'month', 'quarter', 'year'];

const SUPPRESSION_NOTE =
  'Counts from 1 to threshold − 1 are hidden, with complementary cells so that no hidden count follows from totals across areas, from months to quarters and years, or (breakdowns, linked and merged records) from the identities between the measures; every rate, share, ratio or change resting on a hidden count is null. Not protected: bounds from non-negativity and from nested measures (linked within 30 days ≤ within 90), and relations between different indicators.';

const RATE_METHOD =
  'Rates per 100,000 person-years: population of the period\'s year × days covered ÷ days in that year. Crude: exact Poisson interval in its gamma form (Garwood 1936). Age-adjusted: direct method, 2000 U.S. standard population, 11 groups (NCHS Statistical Notes 20), Fay–Feuer gamma interval (Stat Med 1997), as epitools::ageadjust.direct; events of unknown age left out. Unreliable: fewer than 20 events (CDC WONDER). Change against the previous period and the same period a year earlier (364 days, 52 weeks, 12 months, 4 quarters): crude rates by the exact conditional test of two Poisson rates with the Clopper–Pearson interval of the rate ratio (R stats::poisson.test); age-adjusted rates by the NCHS z-test when both rest on 100 or more events, else by non-overlap of the 95% intervals.';

function roleOf(req: FastifyRequest): Role {
  const role = req.auth.role;
  if (role === null) throw new HttpError(401, 'sign in first (POST /api/v1/auth/login)');
  return role;
}

function checkDates(q: { from?: string | undefined; to?: string | undefined }): void {
  for (const k of ['from', 'to'] as const) {
    const v = q[k];
    if (v !== undefined && !isDate(v)) throw badRequest(`"${k}" is not a calendar date: ${v}`);
  }
}

async function knownAreas(c: DuckDBConnection, jurisdiction: string, areasParam: string | undefined): Promise<{ names: Map<string, string>; areas: string[]; onlyTotal: boolean }> {
  const known = await queryRows<{ id: string; name: string }>(c, 'areas', { jurisdiction });
  if (known.length === 0) throw notFound(`unknown jurisdiction "${jurisdiction}"`);
  const onlyTotal = areasParam === 'total';
  const areas = areasParam && !onlyTotal ? [...new Set(areasParam.split(','))] : [];
  const names = new Map(known.map((a) => [a.id, a.name]));
  const unknown = areas.filter((a) => !names.has(a));
  if (unknown.length > 0) throw badRequest(`unknown area(s) in "areas": ${unknown.slice(0, 10).join(', ')}`);
  return { names, areas, onlyTotal };
}

async function isSynthetic(c: DuckDBConnection, jurisdiction: string): Promise<boolean> {
  const [j] = await rows<{ synthetic: boolean | null }>(c, `SELECT (config->>'synthetic')::BOOLEAN AS synthetic FROM jurisdictions WHERE id = $j`, { j: jurisdiction });
  return j?.synthetic === true;
}

async function version(c: DuckDBConnection, macro: string): Promise<string> {
  // Macro names come from this file, never from a request.
  const [v] = await rows<{ v: string }>(c, `SELECT ${macro}() AS v`);
  return v?.v ?? 'unknown';
}

/** The strictest of several feeds' policies (a metric joining feeds is as protected as its most protected feed). */
function strictest(ps: FeedPolicy[]): FeedPolicy {
  return {
    allowed: ps.every((p) => p.allowed),
    minArea: ps.some((p) => p.minArea === 'jurisdiction') ? 'jurisdiction' : 'area',
    minInterval: ps.map((p) => p.minInterval).sort((a, b) => INTERVAL_ORDER.indexOf(b) - INTERVAL_ORDER.indexOf(a))[0] ?? 'day',
    threshold: Math.max(0, ...ps.map((p) => p.threshold)),
  };
}

/** Refuses what the policy does not allow; returns the range widened to whole periods for a role with a threshold. */
function enforce(role: Role, what: string, policy: FeedPolicy, interval: Interval, onlyTotal: boolean, q: { from?: string | undefined; to?: string | undefined }): void {
  const said = describePolicy(role, what as Feed, policy);
  if (!policy.allowed) throw forbidden(said);
  if (finerThan(interval, policy.minInterval)) throw forbidden(`${said}; asked for interval=${interval}`);
  if (policy.minArea === 'jurisdiction' && !onlyTotal) throw forbidden(`${said}; asked for areas`);
  const cut = rangeProblem(q.from, q.to, policy.minInterval);
  if (cut) throw forbidden(`${cut} (${said})`);
}

/** Whole periods of `interval` covering [from, to]: what a role with a threshold is served. */
function wholePeriods(from: string, to: string, interval: Interval): { from: string; to: string } {
  return { from: periodStartOf(from, interval), to: periodEnd(periodStartOf(to, interval), interval) };
}

const routes: FastifyPluginAsyncTypebox<MetricsRouteOptions> = async (app, opts) => {
  // Deterministic: the same data and threshold give the same cube as any other PublishedCubes,
  // so /series and these routes hide the same cells even with separate caches.
  const cubes = new MetricCubes(new PublishedCubes());

  app.get(
    '/rates',
    {
      config: { tabular: { name: 'rates', tables: [{ path: 'series', points: 'points' }] }, cache: {} },
      schema: {
        tags: ['indicators'],
        summary: 'Crude or age-adjusted rates with 95% intervals, breakdowns, and change against the previous period and a year earlier',
        description: RATE_METHOD,
        querystring: RatesQuery,
        response: { 200: RatesResponse, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const jurisdiction = q.jurisdiction ?? opts.defaultJurisdiction;
      const def = findIndicator(q.indicator);
      if (!def) throw badRequest(`unknown indicator "${q.indicator}"; known: ${INDICATORS.map((d) => d.id).join(', ')}`);
      const role = roleOf(req);
      const policy = policyFor(role, def.feed, app.security.policy);
      req.policy = policy;
      if (!policy.allowed) throw forbidden(describePolicy(role, def.feed, policy));
      const geography = (q.geography ?? def.geographies[0]!) as Geography;
      if (!def.geographies.includes(geography)) throw badRequest(`indicator ${def.id} has no "${geography}" geography`);
      const breakdown = q.breakdown ?? 'none';
      if (!FEED_BREAKDOWNS[def.feed].includes(breakdown)) {
        throw badRequest(`indicator ${def.id} has no breakdown "${breakdown}"; its feed allows ${FEED_BREAKDOWNS[def.feed].join(', ')}`);
      }
      const adjust = q.adjust ?? 'crude';
      if (adjust === 'age') {
        if (!AGE_ADJUSTABLE_FEEDS.includes(def.feed)) {
          throw badRequest(`indicator ${def.id} cannot be age-adjusted: ${def.feed === 'treatment' ? 'TEDS-A age categories put everyone 65 and older in one group, which spans three standard groups' : 'its records carry no age'}`);
        }
        if (breakdown === 'age_group' || breakdown === 'sex' || breakdown === 'race_ethnicity') {
          throw badRequest(`adjust=age with breakdown=${breakdown} needs population by ${breakdown === 'age_group' ? 'age group, which the age-specific rates already are (use adjust=crude)' : `${breakdown === 'sex' ? 'sex' : 'race/ethnicity'} and age, which is not configured`}`);
        }
      }
      checkDates(q);
      const interval = q.interval ?? 'month';
      const onlyTotal = q.areas === 'total';
      enforce(role, def.feed, policy, interval, onlyTotal, q);
      return withConn(app, async (c) => {
        const { areas } = await knownAreas(c, jurisdiction, q.areas);
        const range = await indicatorRange(c, jurisdiction, def.id);
        const today = new Date().toISOString().slice(0, 10);
        let from = q.from ?? range.first ?? today;
        let to = q.to ?? range.last ?? today;
        if (from > to) throw badRequest(`"from" (${from}) is after "to" (${to})`);
        if (policy.threshold > 0) ({ from, to } = wholePeriods(from, to, interval));
        if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > MAX_DAYS) throw badRequest(`the range ${from}..${to} is longer than ${MAX_DAYS} days`);
        const params: RatesParams = {
          jurisdiction, indicator: def.id, feed: def.feed, interval, from, to, areas, geography, breakdown, adjust,
          dataStart: range.first, dataEnd: range.last,
        };
        const result = computeRates(await rateInputs(c, params), params);
        if (onlyTotal) result.series = result.series.filter((s) => s.area === 'total');
        let unassigned: number | null = result.unassigned;
        let suppression: { threshold: number; audited: boolean; note: string } | null = null;
        if (policy.threshold > 0) {
          const level = interval as Level;
          let hiddenOf: (area: string, stratum: string, period: string) => boolean;
          let audited = true;
          const cube = await cubes.indicatorCube(c, jurisdiction, def.id, geography, policy.threshold);
          const indicatorHidden = cube ? hiddenIn(cube, level) : () => false;
          if (breakdown === 'none') {
            hiddenOf = (area, _s, period) => indicatorHidden(area, period) ?? false;
          } else {
            const table = await cubes.breakdown(c, { jurisdiction, indicator: def.id, feed: def.feed, geography, breakdown, threshold: policy.threshold });
            audited = table ? table.audited && table.exposed === 0 : true;
            const per = new Map(result.strata.map((s) => [s, table && table.hidden[s] ? hiddenIn(measureOf(table, s), level) : () => true]));
            hiddenOf = (area, s, period) => per.get(s)!(area, period) ?? false;
          }
          for (const s of result.series) {
            s.points = s.points.map((pt) => hideRatePoint(pt, (period) => hiddenOf(s.area, s.stratum, period), policy.threshold));
          }
          const periods = result.periods.map((p) => p.start);
          unassigned = breakdown === 'substance' || periods.some((p) => indicatorHidden(NO_AREA_ROW, p)) ? null : unassigned;
          suppression = { threshold: policy.threshold, audited, note: SUPPRESSION_NOTE };
        }
        req.rowsReturned = result.series.reduce((n, s) => n + s.points.length, 0);
        const [jcfg] = await rows<{ note: string | null; source: string | null }>(
          c,
          `SELECT config->'populationByAge'->>'note' AS note, config->'populationByAge'->>'source' AS source FROM jurisdictions WHERE id = $j`,
          { j: jurisdiction },
        );
        return {
          jurisdiction,
          indicator: def.id,
          interval,
          geography,
          adjust,
          breakdown,
          from,
          to,
          definitionVersion: await version(c, def.versionMacro),
          ageGroupVersion: await version(c, 'age_group_definition_version'),
          synthetic: await isSynthetic(c, jurisdiction),
          method: RATE_METHOD,
          population: { ageModeled: result.ageModeled, note: result.ageModeled ? (jcfg?.note ?? null) : null, source: result.ageModeled ? (jcfg?.source ?? null) : null },
          rateNote: result.rateNote,
          periods: result.periods,
          strata: result.strata,
          series: result.series,
          unassigned,
          suppression,
        };
      });
    },
  );

  app.get(
    '/linkage',
    {
      // Deaths and unique events of one area and period are one row; the whole-range summary is JSON only.
      config: { tabular: { name: 'linkage', tables: [{ path: 'deaths', points: 'points' }, { path: 'events', points: 'points' }] }, cache: {} },
      schema: {
        tags: ['indicators'],
        summary: 'Overdose deaths preceded by an arrest or jail release, a nonfatal EMS overdose or a treatment admission; unique overdose events',
        description:
          'Deaths (deaths.any_drug) by area and period, and how many of them were preceded, 1 to W days before death, by an event of the same person (keyed hash) in another feed. Unique events: one person, one event across EMS overdose encounters and overdose deaths (N = 24 hours on calendar dates). Rules: sql/duckdb/definitions/linkage_metrics.sql.',
        querystring: LinkageQuery,
        response: { 200: LinkageResponse, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const jurisdiction = q.jurisdiction ?? opts.defaultJurisdiction;
      const role = roleOf(req);
      const pol = (f: Feed) => policyFor(role, f, app.security.policy);
      const deathsPolicy = pol('deaths');
      if (!deathsPolicy.allowed) throw forbidden(describePolicy(role, 'deaths', deathsPolicy));
      const measures = LINK_MEASURES.filter((m) => pol(LINK_FEED[m]).allowed);
      const eventsAllowed = pol('ems').allowed;
      const feeds: Feed[] = ['deaths', ...new Set(measures.map((m) => LINK_FEED[m])), ...(eventsAllowed ? (['ems'] as Feed[]) : [])];
      const policy = strictest(feeds.map(pol));
      req.policy = policy;
      checkDates(q);
      const interval: CoarseInterval = q.interval ?? 'month';
      const onlyTotal = q.areas === 'total';
      enforce(role, 'deaths', policy, interval, onlyTotal, q);
      const geography: Geography = q.geography ?? 'residence';
      const t = (f: Feed) => pol(f).threshold;
      const thresholds: Record<string, number> = { deaths: t('deaths'), death_records: t('deaths'), ems_records: t('ems') };
      for (const m of LINK_MEASURES) thresholds[m] = Math.max(t('deaths'), t(LINK_FEED[m]));
      for (const m of ['events', 'fatal', 'nonfatal', 'ems_merged']) thresholds[m] = Math.max(t('deaths'), t('ems'));
      return withConn(app, async (c) => {
        const { names, areas } = await knownAreas(c, jurisdiction, q.areas);
        const range = await indicatorRange(c, jurisdiction, 'deaths.any_drug');
        const today = new Date().toISOString().slice(0, 10);
        let from = q.from ?? range.first ?? today;
        let to = q.to ?? range.last ?? today;
        if (from > to) throw badRequest(`"from" (${from}) is after "to" (${to})`);
        const restricted = policy.threshold > 0;
        if (restricted) ({ from, to } = wholePeriods(from, to, interval));
        const periods = await periodList(c, interval, from, to, range.first, range.last);
        const rp = { jurisdiction, interval, from, to, geography };
        const link = keyed(await linkageRows(c, rp));
        const ev = keyed(await uniqueEventRows(c, rp));
        const table = restricted ? await cubes.linkage(c, { jurisdiction, geography, thresholds }) : null;
        const cell = makeCell(table, interval);
        const rowsOut = outRows(names, areas, onlyTotal);
        const value = (m: Record<string, number> | undefined, k: string) => m?.[k] ?? 0;
        const deaths = rowsOut.map(({ area, name }) => {
          const points = periods.map((p) => {
            const get = (k: string, src: Map<string, Record<string, number>>) => (area === 'total' ? sumRows(src, p.start, k) : value(src.get(`${area}|${p.start}`), k));
            const d = cell('deaths', area, p, get('deaths', link));
            const linked = Object.fromEntries(measures.map((m) => [m, share(cell(m, area, p, get(m, link)), d)]));
            return { period: p.start, deaths: d, linked };
          });
          let summary = null;
          if (area === 'total') {
            const all = points.every((pt) => pt.deaths.state !== 'suppressed' && measures.every((m) => pt.linked[m]!.state !== 'suppressed'));
            if (all) {
              const d = points.reduce((s, pt) => s + (pt.deaths.count ?? 0), 0);
              const dc = { count: d, state: (d === 0 ? 'zero' : 'shown') as CellState };
              summary = {
                deaths: dc,
                linked: Object.fromEntries(measures.map((m) => {
                  const x = points.reduce((s, pt) => s + (pt.linked[m]!.count ?? 0), 0);
                  return [m, share({ count: x, state: x === 0 ? 'zero' : 'shown' }, dc)];
                })),
              };
            }
          }
          return { area, name, points, summary };
        });
        const events = eventsAllowed
          ? rowsOut.map(({ area, name }) => ({
              area,
              name,
              points: periods.map((p) => {
                const counts = Object.fromEntries(
                  EVENT_MEASURES.filter((m) => m !== 'events').map((m) => [m, cell(m, area, p, area === 'total' ? sumRows(ev, p.start, m) : value(ev.get(`${area}|${p.start}`), m))]),
                );
                // events = fatal + nonfatal: shown only where both parts are (never a cell of its own).
                const parts = [counts.fatal!, counts.nonfatal!];
                const events: { count: number | null; state: CellState } = parts.some((x) => x.state === 'missing')
                  ? { count: null, state: 'missing' }
                  : parts.some((x) => x.state === 'suppressed')
                    ? { count: null, state: 'suppressed' }
                    : { count: parts[0]!.count! + parts[1]!.count!, state: parts[0]!.count! + parts[1]!.count! === 0 ? 'zero' : 'shown' };
                return { period: p.start, counts: { events, ...counts } };
              }),
            }))
          : [];
        req.rowsReturned = deaths.reduce((n, s) => n + s.points.length, 0) + events.reduce((n, s) => n + s.points.length, 0);
        const defs = await rows<{ d: string }>(c, `SELECT linkage_definition_version() AS d`);
        return {
          jurisdiction,
          interval,
          geography,
          from,
          to,
          definitionVersion: defs[0]?.d ?? 'unknown',
          synthetic: await isSynthetic(c, jurisdiction),
          definitions: {
            linkage:
              'Of overdose deaths (deaths.any_drug), those with an event of the same person (HMAC keyed hash of name and date of birth) 1 to W days before the date of death: a nonfatal EMS suspected opioid overdose (NEMSIS case definition; W = 30, 90, 365), a jail release (W = 30, 90, 365), an arrest or citation or a jail release (W = 30, 90, 365), a treatment admission (W = 365). Deaths whose person has no key count in the denominator and link to nothing. Share intervals: Clopper–Pearson 95%.',
            uniqueEvents:
              'One person, one event, over EMS suspected opioid overdoses and overdose deaths (no hospital feed yet). N = 24 hours, on calendar dates (a death record has a date, not a time): every death is one fatal event; EMS encounters of the same person on the date of death belong to it; the other EMS encounters of one person on one date are one nonfatal event, placed at the first; an encounter of an unidentified patient is its own event. ems_records = nonfatal + ems_merged; fatal = death_records.',
          },
          periods: periods.map(({ start, end, partial }) => ({ start, end, partial })),
          measures: [...measures],
          deaths,
          events,
          suppression: table ? { thresholds, audited: table.audited && table.exposed === 0, note: SUPPRESSION_NOTE } : null,
        };
      });
    },
  );

  app.get(
    '/performance',
    {
      config: { tabular: { name: 'performance', tables: [{ path: 'series', points: 'points' }] }, cache: {} },
      schema: {
        tags: ['indicators'],
        summary: 'Harm-reduction performance: deflection ratio, naloxone administrations per EMS overdose, treatment admissions per nonfatal overdose',
        description: 'Rules: sql/duckdb/definitions/performance_metrics.sql. Shares with Clopper–Pearson 95% intervals; ratios of counts with the exact conditional interval of a ratio of Poisson means.',
        querystring: PerformanceQuery,
        response: { 200: PerformanceResponse, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const jurisdiction = q.jurisdiction ?? opts.defaultJurisdiction;
      const role = roleOf(req);
      const pol = (f: Feed) => policyFor(role, f, app.security.policy);
      const counts = PERFORMANCE_COUNTS.filter((k) => PERFORMANCE_FEEDS[k].every((f) => pol(f).allowed));
      if (counts.length === 0) throw forbidden(`the ${role} role may not see the feeds behind the performance metrics`);
      const feeds = [...new Set(counts.flatMap((k) => PERFORMANCE_FEEDS[k]))];
      const policy = strictest(feeds.map(pol));
      req.policy = policy;
      checkDates(q);
      const interval: CoarseInterval = q.interval ?? 'month';
      const onlyTotal = q.areas === 'total';
      enforce(role, feeds[0]!, policy, interval, onlyTotal, q);
      const thresholds: Record<string, number> = {};
      for (const k of PERFORMANCE_COUNTS) thresholds[k] = Math.max(0, ...PERFORMANCE_FEEDS[k].map((f) => pol(f).threshold));
      thresholds.__ems_fatal = thresholds.ems_nonfatal!;
      return withConn(app, async (c) => {
        const { names, areas } = await knownAreas(c, jurisdiction, q.areas);
        const ranges = await Promise.all(['arrests.drug', 'ems.opioid_overdose', 'treatment.opioid_admissions', 'naloxone.kits_distributed'].map((i) => indicatorRange(c, jurisdiction, i)));
        const firsts = ranges.map((r) => r.first).filter((x): x is string => !!x).sort();
        const lasts = ranges.map((r) => r.last).filter((x): x is string => !!x).sort();
        const today = new Date().toISOString().slice(0, 10);
        let from = q.from ?? firsts[0] ?? today;
        let to = q.to ?? lasts.at(-1) ?? today;
        if (from > to) throw badRequest(`"from" (${from}) is after "to" (${to})`);
        const restricted = policy.threshold > 0;
        if (restricted) ({ from, to } = wholePeriods(from, to, interval));
        const periods = await periodList(c, interval, from, to, firsts[0] ?? null, lasts.at(-1) ?? null);
        const src = keyed(await performanceRows(c, { jurisdiction, interval, from, to }));
        const table = restricted ? await cubes.performance(c, { jurisdiction, thresholds }) : null;
        const cell = makeCell(table, interval);
        const has = new Set<string>(counts);
        const series = outRows(names, areas, onlyTotal).map(({ area, name }) => ({
          area,
          name,
          points: periods.map((p) => {
            const cs = Object.fromEntries(
              counts.map((k) => [k, cell(k, area, p, area === 'total' ? sumRows(src, p.start, k) : (src.get(`${area}|${p.start}`)?.[k] ?? 0))]),
            ) as Partial<Record<PerformanceCount, { count: number | null; state: CellState }>>;
            const v = (k: PerformanceCount) => (has.has(k) ? (cs[k]?.count ?? null) : null);
            const ratios: Record<string, { value: number | null; lower: number | null; upper: number | null }> = {};
            const none = { value: null, lower: null, upper: null };
            const both = (a: number | null, b: number | null, fn: (a: number, b: number) => typeof none | ReturnType<typeof ratioWithInterval>) =>
              a === null || b === null ? none : fn(a, b);
            if (has.has('referrals') && has.has('drug_arrests')) ratios.deflection_ratio = both(v('referrals'), v('drug_arrests'), (r, a) => shareWithInterval(r, r + a));
            if (has.has('naloxone_administrations') && has.has('ems_overdoses')) ratios.naloxone_per_ems_overdose = both(v('naloxone_administrations'), v('ems_overdoses'), ratioWithInterval);
            if (has.has('ems_naloxone') && has.has('ems_overdoses')) ratios.ems_naloxone_share = both(v('ems_naloxone'), v('ems_overdoses'), shareWithInterval);
            if (has.has('treatment_admissions') && has.has('ems_nonfatal')) ratios.treatment_per_nonfatal_overdose = both(v('treatment_admissions'), v('ems_nonfatal'), ratioWithInterval);
            return { period: p.start, counts: cs as Record<string, { count: number | null; state: CellState }>, ratios };
          }),
        }));
        req.rowsReturned = series.reduce((n, s) => n + s.points.length, 0);
        return {
          jurisdiction,
          interval,
          from,
          to,
          definitionVersion: await version(c, 'performance_definition_version'),
          synthetic: await isSynthetic(c, jurisdiction),
          definitions: {
            deflection_ratio: 'Deflection and diversion referrals ÷ (referrals + NIBRS 35A/35B drug arrests and citations), by event area; Clopper–Pearson 95% interval.',
            naloxone_per_ems_overdose: 'Naloxone administrations logged by police and community programs ÷ EMS suspected opioid overdoses (NEMSIS case definition), by event area.',
            ems_naloxone_share: 'Share of EMS suspected opioid overdoses in which EMS gave naloxone.',
            treatment_per_nonfatal_overdose:
              'Opioid treatment admissions (TEDS-A SUB1 5–7, by residence) ÷ nonfatal EMS suspected opioid overdoses (by scene; not on the date of the same person\'s overdose death). Residence and scene differ: by area this ratio is indicative only.',
          },
          periods: periods.map(({ start, end, partial }) => ({ start, end, partial })),
          series,
          suppression: table ? { thresholds: Object.fromEntries(counts.map((k) => [k, thresholds[k]!])), audited: table.audited && table.exposed === 0, note: SUPPRESSION_NOTE } : null,
        };
      });
    },
  );
};

/** The periods of `interval` covering [from, to], partial when cut by the range or by the data. */
async function periodList(c: DuckDBConnection, interval: Interval, from: string, to: string, dataStart: string | null, dataEnd: string | null) {
  const ps = await queryRows<{ period: string }>(c, 'rates_periods', { interval, from, to });
  return ps.map(({ period }) => {
    const end = periodEnd(period, interval);
    const missing = dataStart === null || dataEnd === null || end < dataStart || period > dataEnd;
    return { start: period, end, missing, partial: period < from || end > to || (dataEnd !== null && end > dataEnd) || (dataStart !== null && period < dataStart) };
  });
}

function keyed<R extends { period: string; area: string | null }>(rs: R[]): Map<string, R & Record<string, number>> {
  return new Map(rs.map((r) => [`${r.area ?? ''}|${r.period}`, r as R & Record<string, number>]));
}

/** Sum over every area and the no-area row. */
function sumRows(m: Map<string, Record<string, unknown>>, period: string, k: string): number {
  let s = 0;
  for (const [key, r] of m) if (key.endsWith(`|${period}`)) s += Number(r[k] ?? 0);
  return s;
}

function outRows(names: Map<string, string>, areas: string[], onlyTotal: boolean): { area: string; name: string }[] {
  const list = [{ area: 'total', name: 'Total' }];
  if (onlyTotal) return list;
  for (const [id, name] of names) if (areas.length === 0 || areas.includes(id)) list.push({ area: id, name });
  return list;
}

/**
 * A served count: as computed for an unrestricted role; for a restricted one, the cell of the
 * suppressed table (its value, which the SQL over whole periods equals, and its flag).
 */
function makeCell(table: import('../../privacy/tables.ts').MeasureCube | null, interval: CoarseInterval) {
  const cache = new Map<string, { hidden: (r: string, p: string) => boolean | undefined; value: (r: string, p: string) => number | null | undefined }>();
  return (measure: string, area: string, period: { start: string; missing: boolean }, computed: number): { count: number | null; state: CellState } => {
    if (period.missing) return { count: null, state: 'missing' };
    if (!table) return { count: computed, state: computed === 0 ? 'zero' : 'shown' };
    // Fatal events are the death records (one event per death): one cell, served under both names.
    if (measure === 'fatal') measure = 'death_records';
    let m = cache.get(measure);
    if (!m) {
      const t = table;
      if (!t.hidden[measure]) m = { hidden: () => true, value: () => null };
      else {
        const r = new Map(t.rows.map((x, i) => [x, i]));
        const c = new Map(t.periods[interval].map((x, i) => [x, i]));
        m = {
          hidden: hiddenIn(measureOf(t, measure), interval),
          value: (row, p) => {
            const i = r.get(row);
            const j = c.get(p);
            return i === undefined || j === undefined ? undefined : t.values[measure]![interval][i]![j];
          },
        };
      }
      cache.set(measure, m);
    }
    const v = m.value(area, period.start);
    // Outside the table: no data for the period.
    if (v === undefined || v === null) return { count: null, state: 'missing' };
    const state = cellState(v, m.hidden(area, period.start) ?? true);
    return { count: state === 'suppressed' ? null : v, state };
  };
}

function share(x: { count: number | null; state: CellState }, d: { count: number | null; state: CellState }) {
  const est = x.count === null || d.count === null ? { value: null, lower: null, upper: null } : shareWithInterval(x.count, d.count);
  return { count: x.count, state: x.state, share: est.value, lower: est.lower, upper: est.upper };
}

/** A rate point as a role with a threshold sees it. */
function hideRatePoint(pt: RatePoint, hidden: (period: string) => boolean, threshold: number): RatePoint {
  if (pt.state === 'missing') return pt;
  if (hidden(pt.period)) {
    return {
      ...pt,
      count: null,
      state: 'suppressed',
      ageUnknown: null,
      rate: null,
      lower: null,
      upper: null,
      unreliable: null,
      crudeRate: null,
      previous: null,
      yearAgo: null,
    };
  }
  const change = (ch: Change | null): Change | null => (ch === null || hidden(ch.period) ? null : ch);
  const small = pt.ageUnknown !== null && pt.ageUnknown > 0 && pt.ageUnknown < threshold;
  return { ...pt, ageUnknown: small ? null : pt.ageUnknown, previous: change(pt.previous), yearAgo: change(pt.yearAgo) };
}

export default routes;

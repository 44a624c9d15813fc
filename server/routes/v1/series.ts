import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { queryRows, rows } from '../../../sql/duckdb.ts';
import { findIndicator, INDICATORS } from '../../../sql/indicators/index.ts';
import { indicatorRange } from '../../../sql/metrics.ts';
import { cubeSeries, loadDailyCounts } from '../../../sql/series-cube.ts';
import { SeriesQuery, SeriesResponse } from '../../schemas/v1.ts';
import { badRequest, errorResponses, forbidden, HttpError, notFound } from '../../http.ts';
import { describePolicy, finerThan, policyFor, rangeProblem } from '../../policy.ts';
import { perLoad, withLazyConn } from '../../duck.ts';
import { PublishedCubes } from '../../privacy/published.ts';
import { aggregateSeries, GrainError, hasAggregates } from '../../../sql/aggregates.ts';

/** The versions of the definition that classified the rows of a feed in a jurisdiction. */
async function rowVersions(c: Parameters<typeof rows>[0], table: string, jurisdiction: string): Promise<string[]> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`bad table name in the indicator catalog: ${table}`);
  // The table name comes from the code's own catalog, never from a request.
  const r = await rows<{ v: string }>(
    c,
    `SELECT DISTINCT definition_version AS v FROM ${table} WHERE jurisdiction_id = $j AND definition_version IS NOT NULL ORDER BY 1`,
    { j: jurisdiction },
  );
  return r.map((x) => x.v);
}

export interface SeriesRouteOptions {
  defaultJurisdiction: string;
}

const isDate = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

// A daily series over more than this many days is refused rather than built (42 areas × 20 years).
const MAX_DAYS = 366 * 20;

const routes: FastifyPluginAsyncTypebox<SeriesRouteOptions> = async (app, opts) => {
  const cubes = new PublishedCubes();
  app.get(
    '/series',
    {
      config: { tabular: { name: 'series', tables: [{ path: 'series', points: 'points' }] }, cache: {} },
      schema: {
        tags: ['indicators'],
        summary: 'Counts and crude rates of one indicator by area and period',
        description:
          'One point per area and period, zero-filled. Periods cut by the requested range or by the end of the loaded data are marked partial. Rates are per 100,000 residents for the period, not annualised.',
        querystring: SeriesQuery,
        response: { 200: SeriesResponse, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const jurisdiction = q.jurisdiction ?? opts.defaultJurisdiction;
      const def = findIndicator(q.indicator);
      if (!def) {
        throw badRequest(`unknown indicator "${q.indicator}"; known: ${INDICATORS.map((d) => d.id).join(', ')}`);
      }
      // Who may see what (server/policy.ts): the feed, then (below) the smallest area and period.
      const role = req.auth.role;
      if (role === null) throw new HttpError(401, 'sign in first (POST /api/v1/auth/login)');
      const policy = policyFor(role, def.feed, app.security.policy);
      req.policy = policy;
      if (!policy.allowed) throw forbidden(describePolicy(role, def.feed, policy));
      // Default: the indicator's first geography (residence for deaths; event for feeds that
      // record only where it happened), as /signals does.
      const geography = q.geography ?? def.geographies[0] ?? 'residence';
      if (!def.geographies.includes(geography)) throw badRequest(`indicator ${def.id} has no "${geography}" geography`);
      for (const k of ['from', 'to'] as const) {
        const v = q[k];
        if (v !== undefined && !isDate(v)) throw badRequest(`"${k}" is not a calendar date: ${v}`);
      }
      const onlyTotal = q.areas === 'total';
      const asked = q.interval ?? 'month';
      if (finerThan(asked, policy.minInterval)) throw forbidden(`${describePolicy(role, def.feed, policy)}; asked for interval=${asked}`);
      if (policy.minArea === 'jurisdiction' && !onlyTotal) throw forbidden(`${describePolicy(role, def.feed, policy)}; asked for areas`);
      const cut = rangeProblem(q.from, q.to, policy.minInterval);
      if (cut) throw forbidden(`${cut} (${describePolicy(role, def.feed, policy)})`);
      // A connection is opened only if something is not yet read for this load.
      return withLazyConn(app, async (conn) => {
        const known = await perLoad(app, `areas:${jurisdiction}`, async () => queryRows<{ id: string; name: string }>(await conn(), 'areas', { jurisdiction }));
        if (known.length === 0) throw notFound(`unknown jurisdiction "${jurisdiction}"`);
        // areas=total: the jurisdiction-wide series alone.
        const areas = q.areas && !onlyTotal ? [...new Set(q.areas.split(','))] : [];
        const knownIds = new Set(known.map((a) => a.id));
        const unknown = areas.filter((a) => !knownIds.has(a));
        if (unknown.length > 0) throw badRequest(`unknown area(s) in "areas": ${unknown.slice(0, 10).join(', ')}`);

        const [j] = await perLoad(app, `synthetic:${jurisdiction}`, async () =>
          rows<{ synthetic: boolean | null }>(await conn(), `SELECT (config->>'synthetic')::BOOLEAN AS synthetic FROM jurisdictions WHERE id = $j`, { j: jurisdiction }),
        );
        const range = await perLoad(app, `range:${jurisdiction}:${def.id}`, async () => indicatorRange(await conn(), jurisdiction, def.id));
        const today = new Date().toISOString().slice(0, 10);
        const interval = q.interval ?? 'month';

        // Indicators an agency sent already aggregated (no records here): its cells, its grain.
        if (range.first === null && (await hasAggregates(await conn(), jurisdiction, def.id, geography))) {
          const names = new Map((await queryRows<{ id: string; name: string }>(await conn(), 'areas', { jurisdiction })).map((a) => [a.id, a.name]));
          const agg = await aggregateSeries(
            await conn(),
            { jurisdiction, indicator: def.id, geography, interval, from: q.from ?? '1900-01-01', to: q.to ?? today, areas, total: onlyTotal || (q.total ?? true) },
            names,
            () => null,
          ).catch((e: unknown) => {
            throw e instanceof GrainError ? badRequest(e.message) : e;
          });
          // Every sum that includes a suppressed cell is itself suppressed, so hiding the role's
          // small counts (primary suppression) leaves no relation to difference.
          for (const s of agg.series) {
            for (const pt of s.points) {
              if (pt.count !== null && pt.count > 0 && pt.count < policy.threshold) Object.assign(pt, { count: null, rate: null, state: 'suppressed' });
            }
          }
          if (onlyTotal) agg.series = agg.series.filter((s) => s.area === 'total');
          req.rowsReturned = agg.series.reduce((n, s) => n + s.points.length, 0);
          return {
            jurisdiction,
            indicator: def.id,
            interval,
            geography,
            from: agg.periods[0]?.start ?? q.from ?? today,
            to: agg.periods.at(-1)?.end ?? q.to ?? today,
            definitionVersion: 'agency-aggregates',
            synthetic: j?.synthetic === true,
            periods: agg.periods,
            series: agg.series,
            unassigned: agg.unassigned !== null && agg.unassigned > 0 && agg.unassigned < policy.threshold ? null : agg.unassigned,
          };
        }

        const from = q.from ?? range.first ?? today;
        const to = q.to ?? range.last ?? today;
        if (from > to) throw badRequest(`"from" (${from}) is after "to" (${to})`);
        const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
        if (days > MAX_DAYS) throw badRequest(`the range ${from}..${to} is longer than ${MAX_DAYS} days`);
        const [v] = await perLoad(app, `macro:${def.versionMacro}`, async () => rows<{ v: string }>(await conn(), `SELECT ${def.versionMacro}() AS v`));
        const versions = await perLoad(app, `versions:${def.table}:${jurisdiction}`, async () => rowVersions(await conn(), def.table, jurisdiction));
        const definitionVersion = versions.length > 0 ? versions.join(', ') : (v?.v ?? 'unknown');

        // Sliced from the indicator's daily counts by area, read once per load (sql/series-cube.ts):
        // the same rows as a count over the events, without a scan of them per request. The
        // suppressed cubes are built from the same counts.
        const daily = () => perLoad(app, `daily:${jurisdiction}:${def.id}:${geography}`, async () => loadDailyCounts(await conn(), jurisdiction, def.id, geography));

        // A role with a threshold gets a slice of the suppressed cube (server/privacy/): the
        // policy has already held it to whole months and month/quarter/year intervals.
        if (policy.threshold > 0 && range.first !== null && range.last !== null) {
          if (interval !== 'month' && interval !== 'quarter' && interval !== 'year') throw forbidden(describePolicy(role, def.feed, policy));
          const sliced = await cubes.slice(
            await conn(),
            { jurisdiction, indicator: def.id, geography, threshold: policy.threshold, dataStart: range.first, dataEnd: range.last },
            { interval, from, to, areas, total: onlyTotal || (q.total ?? true) },
            daily,
          );
          if (onlyTotal) sliced.series = sliced.series.filter((s) => s.area === 'total');
          req.rowsReturned = sliced.series.reduce((n, s) => n + s.points.length, 0);
          return {
            jurisdiction,
            indicator: def.id,
            interval,
            geography,
            definitionVersion,
            synthetic: j?.synthetic === true,
            ...sliced,
          };
        }

        const result = cubeSeries(await daily(), {
          jurisdiction,
          indicator: def.id,
          interval,
          from,
          to,
          areas,
          total: onlyTotal || (q.total ?? true),
          geography,
          dataStart: range.first,
          dataEnd: range.last,
        });
        if (onlyTotal) result.series = result.series.filter((s) => s.area === 'total');
        req.rowsReturned = result.series.reduce((n, s) => n + s.points.length, 0);
        return {
          jurisdiction,
          indicator: def.id,
          interval,
          geography,
          from,
          to,
          definitionVersion,
          synthetic: j?.synthetic === true,
          ...result,
        };
      });
    },
  );
};
export default routes;

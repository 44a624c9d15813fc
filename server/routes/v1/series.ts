import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { queryRows, rows } from '../../../sql/duckdb.ts';
import { findIndicator, INDICATORS } from '../../../sql/indicators/index.ts';
import { indicatorRange, series } from '../../../sql/metrics.ts';
import { SeriesQuery, SeriesResponse } from '../../schemas/v1.ts';
import { badRequest, errorResponses, notFound } from '../../http.ts';
import { withConn } from '../../duck.ts';

export interface SeriesRouteOptions {
  defaultJurisdiction: string;
}

const isDate = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

// A daily series over more than this many days is refused rather than built (42 areas × 20 years).
const MAX_DAYS = 366 * 20;

const routes: FastifyPluginAsyncTypebox<SeriesRouteOptions> = async (app, opts) => {
  app.get(
    '/series',
    {
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
      const geography = q.geography ?? 'residence';
      if (!def.geographies.includes(geography)) throw badRequest(`indicator ${def.id} has no "${geography}" geography`);
      for (const k of ['from', 'to'] as const) {
        const v = q[k];
        if (v !== undefined && !isDate(v)) throw badRequest(`"${k}" is not a calendar date: ${v}`);
      }
      return withConn(app, async (c) => {
        const known = await queryRows<{ id: string }>(c, 'areas', { jurisdiction });
        if (known.length === 0) throw notFound(`unknown jurisdiction "${jurisdiction}"`);
        const areas = q.areas ? [...new Set(q.areas.split(','))] : [];
        const knownIds = new Set(known.map((a) => a.id));
        const unknown = areas.filter((a) => !knownIds.has(a));
        if (unknown.length > 0) throw badRequest(`unknown area(s) in "areas": ${unknown.slice(0, 10).join(', ')}`);

        const range = await indicatorRange(c, jurisdiction, def.id);
        const today = new Date().toISOString().slice(0, 10);
        const from = q.from ?? range.first ?? today;
        const to = q.to ?? range.last ?? today;
        if (from > to) throw badRequest(`"from" (${from}) is after "to" (${to})`);
        const interval = q.interval ?? 'month';
        const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
        if (days > MAX_DAYS) throw badRequest(`the range ${from}..${to} is longer than ${MAX_DAYS} days`);
        const [v] = await rows<{ v: string }>(c, `SELECT ${def.versionMacro}() AS v`);
        const result = await series(c, {
          jurisdiction,
          indicator: def.id,
          interval,
          from,
          to,
          areas,
          total: q.total ?? true,
          geography,
          dataStart: range.first,
          dataEnd: range.last,
        });
        const [j] = await rows<{ synthetic: boolean | null }>(
          c,
          `SELECT (config->>'synthetic')::BOOLEAN AS synthetic FROM jurisdictions WHERE id = $j`,
          { j: jurisdiction },
        );
        return {
          jurisdiction,
          indicator: def.id,
          interval,
          geography,
          from,
          to,
          definitionVersion: v?.v ?? 'unknown',
          synthetic: j?.synthetic === true,
          ...result,
        };
      });
    },
  );
};
export default routes;

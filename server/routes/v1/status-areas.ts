// GET /api/v1/status/areas: per feed, records loaded and records that fell outside every area
// (no area found for their location, or none given), by each location the feed carries. The
// data-status view (issue 6) shows them; /status reports them per load only, from the ingest
// runs, which a copied or restored DuckDB file does not carry. Counts of records per feed, for
// members only, like /status: operational detail, no record and no person.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { rows } from '../../../sql/duckdb.ts';
import { errorResponses } from '../../http.ts';
import { withConn } from '../../duck.ts';

export interface StatusAreasOptions {
  defaultJurisdiction: string;
}

// Table and location columns from this allow-list only, never from a request.
const FEEDS: readonly { feed: string; table: string; locations: readonly { column: string; geography: 'residence' | 'event' }[] }[] = [
  { feed: 'mortality', table: 'mortality_deaths', locations: [{ column: 'residence_area', geography: 'residence' }, { column: 'injury_area', geography: 'event' }] },
  { feed: 'ems', table: 'ems_encounters', locations: [{ column: 'scene_area', geography: 'event' }] },
  { feed: 'arrests', table: 'arrests_events', locations: [{ column: 'event_area', geography: 'event' }] },
  { feed: 'treatment', table: 'treatment_admissions', locations: [{ column: 'residence_area', geography: 'residence' }] },
  { feed: 'naloxone', table: 'naloxone_events', locations: [{ column: 'event_area', geography: 'event' }] },
  { feed: 'drugcheck', table: 'drugcheck_samples', locations: [{ column: 'event_area', geography: 'event' }] },
];

const StatusAreasQuery = Type.Object({
  jurisdiction: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'Defaults to the configured default jurisdiction.' })),
});

const StatusAreasResponse = Type.Object({
  jurisdiction: Type.String(),
  feeds: Type.Array(
    Type.Object({
      feed: Type.String(),
      records: Type.Integer({ description: 'Records of this feed stored for the jurisdiction.' }),
      locations: Type.Array(
        Type.Object({
          geography: Type.Union([Type.Literal('residence'), Type.Literal('event')]),
          unassigned: Type.Integer({ description: 'Records with no area by this location: not given, or outside every area. They count in jurisdiction totals only.' }),
        }),
      ),
    }),
  ),
});
export type StatusAreasResponse = Static<typeof StatusAreasResponse>;

const routes: FastifyPluginAsyncTypebox<StatusAreasOptions> = async (app, opts) => {
  app.get(
    '/status/areas',
    {
      config: { access: 'members', tabular: { name: 'status-areas', tables: [{ path: 'feeds' }] } },
      schema: {
        tags: ['ingest'],
        summary: 'Records of each feed, and those outside every area (by residence and by where the event happened)',
        querystring: StatusAreasQuery,
        response: { 200: StatusAreasResponse, ...errorResponses },
      },
    },
    async (req) => {
      const jurisdiction = req.query.jurisdiction ?? opts.defaultJurisdiction;
      const feeds = await withConn(app, async (c) => {
        const out: StatusAreasResponse['feeds'] = [];
        for (const f of FEEDS) {
          const cols = f.locations.map((l, i) => `count(*) FILTER (WHERE ${l.column} IS NULL)::INTEGER AS u${i}`).join(', ');
          const [r] = await rows<Record<string, number>>(c, `SELECT count(*)::INTEGER AS records, ${cols} FROM ${f.table} WHERE jurisdiction_id = $j`, { j: jurisdiction });
          if (!r || r.records === 0) continue;
          out.push({ feed: f.feed, records: r.records!, locations: f.locations.map((l, i) => ({ geography: l.geography, unassigned: r[`u${i}`] ?? 0 })) });
        }
        return out;
      });
      req.rowsReturned = feeds.length;
      return { jurisdiction, feeds };
    },
  );
};
export default routes;

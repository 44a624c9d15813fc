import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { queryRows } from '../../../sql/duckdb.ts';
import { indicatorPrefixOf } from '../../../sql/indicators/index.ts';
import { recentRuns } from '../../../sql/postgres/ingest-runs.ts';
import type { IngestRun } from '../../../sql/postgres/schema.ts';
import { StatusResponse, type IngestRunSummary } from '../../schemas/v1.ts';
import { errorResponses } from '../../http.ts';
import { perLoad, withConn } from '../../duck.ts';

const DAY = 86_400_000;

function summary(r: IngestRun): IngestRunSummary {
  return {
    id: r.id,
    feed: r.feed,
    jurisdiction: r.jurisdiction_id,
    file: r.file_name,
    status: r.status,
    actor: r.actor,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
    rowsIn: r.rows_in,
    rowsAccepted: r.rows_accepted,
    rowsRejected: r.rows_rejected,
    rowsUnassigned: r.rows_unassigned,
    rejectsByReason: r.rejects_by_reason,
    definitionVersions: r.definition_versions,
    message: r.message,
  };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/status',
    {
      // Who loaded which file is operational detail for the working group, not for the public view.
      config: { access: 'members', tabular: { name: 'status', tables: [{ path: 'feeds' }] } },
      schema: {
        tags: ['ingest'],
        summary: "Data status: each feed's loads, freshness, rejected rows by reason, records with no area",
        response: { 200: StatusResponse, ...errorResponses },
      },
    },
    async (req) => {
      // Both change only with a load (committed or refused: refusals keep their rejected rows).
      const { feeds, latest } = await perLoad(app, 'status', () => withConn(app, async (c) => ({
        feeds: await queryRows<{
          jurisdiction_id: string;
          feed: string;
          files: number;
          rows_accepted: number;
          last_loaded_at: string | null;
          rows_rejected: number;
          by_reason: string | null;
        }>(c, 'feed_status'),
        latest: await queryRows<{ jurisdiction_id: string; feed_prefix: string; latest: string }>(c, 'latest_events'),
      })));
      const runs = await recentRuns(app.ops.db, 100);
      const now = Date.now();
      req.rowsReturned = feeds.length + Math.min(runs.length, 50);
      return {
        feeds: feeds.map((f) => {
          const last = runs.find((r) => r.feed === f.feed && r.jurisdiction_id === f.jurisdiction_id);
          return {
            feed: f.feed,
            jurisdiction: f.jurisdiction_id,
            files: f.files,
            rowsAccepted: f.rows_accepted,
            rowsRejected: f.rows_rejected,
            rejectsByReason: f.by_reason ? (JSON.parse(f.by_reason) as Record<string, number>) : {},
            latestEvent: latest.find((l) => l.jurisdiction_id === f.jurisdiction_id && l.feed_prefix === indicatorPrefixOf(f.feed))?.latest ?? null,
            lastLoadedAt: f.last_loaded_at,
            daysSinceLastLoad: f.last_loaded_at ? Math.floor((now - Date.parse(f.last_loaded_at)) / DAY) : null,
            lastRun: last ? summary(last) : null,
          };
        }),
        runs: runs.slice(0, 50).map(summary),
      };
    },
  );
};
export default routes;

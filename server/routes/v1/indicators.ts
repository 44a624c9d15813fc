import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rows } from '../../../sql/duckdb.ts';
import { INDICATORS } from '../../../sql/indicators/index.ts';
import { IndicatorList } from '../../schemas/v1.ts';
import { errorResponses } from '../../http.ts';
import { withConn } from '../../duck.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/indicators',
    {
      config: { tabular: { name: 'indicators', tables: [{ path: 'indicators' }] }, cache: {} },
      schema: { tags: ['indicators'], summary: 'The indicator catalog, with each definition and its version', response: { 200: IndicatorList, ...errorResponses } },
    },
    async (req) => {
      const indicators = await withConn(app, async (c) => {
        const loaded = new Set(
          (await rows<{ indicator: string }>(c, 'SELECT DISTINCT indicator FROM indicator_events')).map((r) => r.indicator),
        );
        const out = [];
        for (const d of INDICATORS) {
          // versionMacro comes from the code's own catalog, never from a request.
          const [v] = await rows<{ v: string }>(c, `SELECT ${d.versionMacro}() AS v`);
          out.push({
            id: d.id,
            feed: d.feed,
            label: d.label,
            unit: d.unit,
            definition: d.definition,
            definitionVersion: v?.v ?? 'unknown',
            geographies: d.geographies,
            available: loaded.has(d.id),
          });
        }
        return out;
      });
      req.rowsReturned = indicators.length;
      return { indicators };
    },
  );
};
export default routes;

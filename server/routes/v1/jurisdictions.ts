import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { queryRows } from '../../../sql/duckdb.ts';
import { AreaCollection, JurisdictionList, JurisdictionParams, type Jurisdiction } from '../../schemas/v1.ts';
import { errorResponses, notFound } from '../../http.ts';
import { withConn } from '../../duck.ts';

interface JurisdictionRow {
  id: string;
  name: string;
  config: string;
  area_count: number;
  first: string | null;
  last: string | null;
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/jurisdictions',
    {
      config: { tabular: { name: 'jurisdictions', tables: [{ path: 'jurisdictions' }] }, cache: {} },
      schema: { tags: ['geography'], summary: 'Jurisdictions configured on this server', response: { 200: JurisdictionList, ...errorResponses } },
    },
    async (req) => {
      const list = await withConn(app, (c) => queryRows<JurisdictionRow>(c, 'jurisdictions'));
      req.rowsReturned = list.length;
      return { jurisdictions: list.map(toJurisdiction) };
    },
  );

  app.get(
    '/jurisdictions/:id/areas',
    {
      // CSV and Arrow: the areas' properties without their boundaries. Boundaries change only
      // with the jurisdiction's configuration, so browsers may keep them an hour.
      config: { tabular: { name: 'areas', tables: [{ path: 'features', omit: ['type', 'geometry'] }] }, cache: { maxAge: 3600 } },
      schema: {
        tags: ['geography'],
        summary: 'Area boundaries (GeoJSON, RFC 7946) with names and latest population',
        params: JurisdictionParams,
        response: { 200: AreaCollection, ...errorResponses },
      },
    },
    async (req) => {
      const areas = await withConn(app, (c) =>
        queryRows<{ id: string; name: string; group: string | null; geometry: string; population: number | null }>(c, 'areas', {
          jurisdiction: req.params.id,
        }),
      );
      if (areas.length === 0) throw notFound(`unknown jurisdiction "${req.params.id}"`);
      req.rowsReturned = areas.length;
      return {
        type: 'FeatureCollection' as const,
        features: areas.map((a) => ({
          type: 'Feature' as const,
          id: a.id,
          properties: { id: a.id, name: a.name, group: a.group, population: a.population },
          geometry: JSON.parse(a.geometry) as { type: string; coordinates: unknown[] },
        })),
      };
    },
  );
};

function toJurisdiction(r: JurisdictionRow): Jurisdiction {
  const cfg = JSON.parse(r.config) as {
    areaKind: string;
    areaGroupKind?: string;
    synthetic?: boolean;
    syntheticNote?: string;
    sources?: { what: string; publisher: string }[];
  };
  return {
    id: r.id,
    name: r.name,
    areaKind: cfg.areaKind,
    areaGroupKind: cfg.areaGroupKind ?? null,
    areaCount: r.area_count,
    synthetic: cfg.synthetic === true,
    syntheticNote: cfg.synthetic ? (cfg.syntheticNote ?? 'Synthetic data.') : null,
    dataRange: r.first && r.last ? { from: r.first, to: r.last } : null,
    sources: cfg.sources ?? [],
  };
}
export default routes;

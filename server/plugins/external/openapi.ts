import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifySchema } from 'fastify';
import { ErrorBody } from '../../schemas/v1.ts';
import { documentTabular } from '../app/tabular.ts';
import { documentCaching } from '../app/caching.ts';

/** OpenAPI 3 document built from the route schemas; browsable at /api/docs, JSON at /api/docs/json. */
export default fp(
  async (app) => {
    app.addSchema(ErrorBody);
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'ODStat API',
          version: '1',
          description:
            'Aggregated overdose indicators for a multi-agency working group. Every response is an aggregate; no person-level record is served.',
        },
        tags: [
          { name: 'geography', description: 'Jurisdictions and their areas' },
          { name: 'indicators', description: 'What can be counted, and the counts' },
          { name: 'ingest', description: 'Agency uploads' },
          { name: 'health', description: 'Liveness and readiness' },
          { name: 'auth', description: 'Sign-in, sessions and CSRF tokens' },
          { name: 'admin', description: 'Administration (administrators only)' },
        ],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'odstat_session', description: 'Set by POST /api/v1/auth/login.' },
            uploadToken: { type: 'http', scheme: 'bearer', description: 'An agency upload token (odstat token add).' },
          },
        },
        security: [{ session: [] }],
      },
      // The document only (the routes' runtime schemas are untouched): tabular routes answer in
      // three media types, cached routes with 304 (server/plugins/app/tabular.ts, caching.ts).
      transform: ({ schema, url, route }) => ({
        url,
        schema: (schema ? documentCaching(route, documentTabular(route, schema as Record<string, unknown>)) : schema) as FastifySchema,
      }),
    });
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      // Swagger UI sets one inline style; only its pages may (the dashboard's CSP stays strict).
      transformStaticCSP: (csp) => csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
    });
  },
  { name: 'openapi' },
);

import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ErrorBody } from '../../schemas/v1.ts';

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
        ],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs' });
  },
  { name: 'openapi' },
);

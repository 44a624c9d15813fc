import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Health } from '../schemas/v1.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  // Liveness: the process answers. It never touches a database, so a slow one can't restart it.
  app.get('/healthz', { schema: { tags: ['health'], security: [], response: { 200: Health } } }, async () => ({ status: 'ok' as const }));

  // Readiness: both databases answer a trivial query.
  app.get('/readyz', { schema: { tags: ['health'], security: [], response: { 200: Health, 503: Health } } }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    try {
      const conn = await app.duck.connect();
      try {
        await conn.run('SELECT 1');
      } finally {
        conn.closeSync();
      }
      checks.duckdb = 'ok';
    } catch (e) {
      checks.duckdb = `unavailable: ${(e as Error).message}`;
    }
    try {
      await sql`select 1`.execute(app.ops.db);
      checks.postgres = 'ok';
    } catch (e) {
      checks.postgres = `unavailable: ${(e as Error).message}`;
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  });
};
export default routes;

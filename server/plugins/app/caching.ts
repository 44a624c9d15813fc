// Validators and cache headers for the aggregate GETs. An answer is a function of the loaded data,
// the caller's role (its policy), the URL and the representation, so its ETag is a hash of
// exactly those — computed before the handler runs, so a revalidation that matches costs one
// small query instead of a rebuilt series — plus this server process's id (a restart may bring
// new code or a reloaded jurisdiction, so no tag outlives the process that made it) and the date
// (answers without an explicit range default to "today" before any data are loaded).
//
// The data version is read from DuckDB on every request: `loaded_files` gets a row in the same
// transaction as every load's rows (ingest/run.ts), and nothing deletes from it, so its row count
// and latest load time change with every load, whichever process ran it. Jurisdiction settings
// (areas, population) are hashed in too.
//
// Cache-Control is `private` (the answers depend on the signed-in role: no shared cache may keep
// them), with `Vary: Cookie, Accept`; browsers revalidate with If-None-Match and get 304.
import { createHash, randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rows } from '../../../sql/duckdb.ts';
import { withConn } from '../../duck.ts';
import { formatOf } from './tabular.ts';

export interface CacheSpec {
  /** Seconds a browser may reuse the answer without asking (default 60). */
  maxAge?: number;
  /** What else the answer depends on, for this request (e.g. alert thresholds kept in Postgres). */
  extra?: (req: FastifyRequest) => Promise<string> | string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An aggregate GET: ETag, Cache-Control, 304 on If-None-Match (server/plugins/app/caching.ts). */
    cache?: CacheSpec;
  }
  interface FastifyRequest {
    etag: string | null;
  }
}

export const DEFAULT_MAX_AGE = 60;

/** A string that changes whenever a load commits or the jurisdictions' settings change. */
export async function dataVersion(app: FastifyInstance): Promise<string> {
  const [v] = await withConn(app, (c) =>
    rows<{ files: string; last: string | null; j: string | null }>(
      c,
      `SELECT count(*)::VARCHAR AS files, max(loaded_at)::VARCHAR AS last,
              (SELECT md5(string_agg(id || '=' || config::VARCHAR, '|' ORDER BY id)) FROM jurisdictions) AS j
         FROM loaded_files`,
    ),
  );
  return `${v?.files ?? 0}|${v?.last ?? ''}|${v?.j ?? ''}`;
}

/** If-None-Match against a tag (weak comparison, RFC 9110 §13.1.2; "*" matches anything). */
export function noneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
}

/** For the OpenAPI document: the 304 and the headers of a cached route. */
export function documentCaching(route: { config?: { cache?: CacheSpec } }, schema: Record<string, unknown>): Record<string, unknown> {
  if (!route.config?.cache) return schema;
  const response = (schema.response ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    headers: {
      type: 'object',
      properties: {
        ...((schema.headers as { properties?: object } | undefined)?.properties ?? {}),
        'if-none-match': { type: 'string', description: 'An ETag from an earlier answer: 304 when the data, role, URL and representation are unchanged.' },
      },
    },
    response: { ...response, 304: { description: 'Not Modified: the ETag still matches.', type: 'null' } },
  };
}

export default fp(
  async (app) => {
    const boot = randomBytes(12).toString('base64url');
    const settings = createHash('sha256').update(JSON.stringify({ policy: app.security.policy, publicView: app.security.publicView })).digest('base64url');
    app.decorateRequest('etag', null);

    app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      const spec = req.routeOptions.config.cache;
      if (!spec || (req.method !== 'GET' && req.method !== 'HEAD')) return;
      const parts = [
        boot,
        settings,
        await dataVersion(app),
        spec.extra ? await spec.extra(req) : '',
        req.auth.role ?? 'anonymous',
        formatOf(req),
        req.url,
        new Date().toISOString().slice(0, 10),
      ];
      req.etag = `"${createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 32)}"`;
      const header = req.headers['if-none-match'];
      if (noneMatch(typeof header === 'string' ? header : undefined, req.etag)) {
        req.rowsReturned = 0;
        return reply.code(304).send();
      }
    });

    app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (req.etag === null || (reply.statusCode !== 200 && reply.statusCode !== 304)) return payload;
      const maxAge = req.routeOptions.config.cache?.maxAge ?? DEFAULT_MAX_AGE;
      reply.header('etag', req.etag);
      reply.header('cache-control', `private, max-age=${maxAge}`);
      const vary = String(reply.getHeader('vary') ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      for (const v of ['Cookie', 'Accept']) if (!vary.some((x) => x.toLowerCase() === v.toLowerCase())) vary.push(v);
      reply.header('vary', vary.join(', '));
      return payload;
    });
  },
  { name: 'caching', dependencies: ['duckdb', 'auth', 'tabular'] },
);

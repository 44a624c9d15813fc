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
import { gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dataGeneration, rows } from '../../../sql/duckdb.ts';
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
    /** The answer was replayed from the answer cache (the handler did not run). */
    answeredFromCache: boolean;
    /** This request makes an answer others may be waiting for: called once it is kept or failed. */
    answerMade: (() => void) | null;
  }
  interface FastifyInstance {
    /** Counts since start: answers made by a handler, replayed as kept, and made once for several requests asking at once. */
    answerStats(): { made: number; replayed: number; waitedFor: number };
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

/**
 * dataVersion, read from DuckDB once per data generation of this process (sql/duckdb.ts
 * dataGeneration: bumped by every committed load and jurisdiction load here; the server holds
 * DuckDB's only write lock, so nothing else changes the data under it).
 */
function versionMemo(app: FastifyInstance): () => Promise<string> {
  let memo: { generation: number; version: Promise<string> } | null = null;
  return () => {
    const g = dataGeneration();
    if (!memo || memo.generation !== g) {
      const version = dataVersion(app);
      memo = { generation: g, version };
      version.catch(() => {
        if (memo?.version === version) memo = null;
      });
    }
    return memo.version;
  };
}

/**
 * Answers kept by ETag, so a repeated aggregate request is served without recomputing. The ETag
 * already names everything an answer depends on (data version, role, URL, representation,
 * policy, process, date), so a kept answer is exactly what the handler would produce again.
 * Least recently used answers go first past MAX_CACHED_BYTES.
 */
export const MAX_CACHED_BYTES = 64 * 1024 * 1024;

interface Kept {
  body: Buffer;
  /** The body gzip-compressed, made once when the answer is kept (most clients accept gzip). */
  gzip: Buffer | null;
  /** Every header the answer is replayed with (type, ETag, Cache-Control, Vary …), set in one call. */
  headers: Record<string, string>;
  /** The same, with Content-Encoding: gzip. */
  gzipHeaders: Record<string, string> | null;
  rowsReturned: number | null;
}

const gzipAsync = promisify(gzip);
/** Bodies this large are compressed in libuv's thread pool, off the request thread. */
const GZIP_POOL_BYTES = 64 * 1024;

/** Bodies smaller than this are sent as they are: compressing them saves little. */
const GZIP_MIN_BYTES = 1024;

/** Keys whose ETag is remembered (a bound on memory, not a cache of answers). */
const MAX_TAGS = 20_000;

const gzipAccepted = new Map<string, boolean>();
/** Whether Accept-Encoding allows gzip (RFC 9110 §12.5.3: listed without q=0, or "*"). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const v = Array.isArray(header) ? header.join(',') : (header ?? '');
  let ok = gzipAccepted.get(v);
  if (ok === undefined) {
    ok = parseAcceptsGzip(v);
    // Browsers send a handful of distinct values; anything beyond is parsed each time.
    if (gzipAccepted.size < 100) gzipAccepted.set(v, ok);
  }
  return ok;
}

function parseAcceptsGzip(v: string): boolean {
  let gzip: boolean | null = null;
  let star = false;
  for (const part of v.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const ok = !(q && Number(q.slice(2)) === 0);
    if (name === 'gzip' || name === 'x-gzip') gzip = ok;
    else if (name === '*') star = ok;
  }
  return gzip ?? star;
}

class AnswerCache {
  private readonly map = new Map<string, Kept>();
  private bytes = 0;
  constructor(private readonly max: number) {}
  get(tag: string): Kept | undefined {
    const k = this.map.get(tag);
    if (k) {
      // Most recently used last.
      this.map.delete(tag);
      this.map.set(tag, k);
    }
    return k;
  }
  set(tag: string, k: Kept): void {
    const size = k.body.length + (k.gzip?.length ?? 0);
    if (size > this.max / 8 || this.map.has(tag)) return;
    this.map.set(tag, k);
    this.bytes += size;
    for (const [t, old] of this.map) {
      if (this.bytes <= this.max) break;
      this.map.delete(t);
      this.bytes -= old.body.length + (old.gzip?.length ?? 0);
    }
  }
}

/**
 * A string's UTF-8 bytes. Buffer.from(string) took 1.2 ms for a 425 KB answer here, sizing and
 * writing into an unpooled buffer 0.4 ms (Node 20); every byte of the buffer is written.
 */
export function utf8(s: string): Buffer {
  const b = Buffer.allocUnsafeSlow(Buffer.byteLength(s, 'utf8'));
  b.write(s, 0, 'utf8');
  return b;
}

/** Headers of an answer that a kept copy is replayed with (beside its validators: see onSend). */
const KEPT_HEADERS = ['content-type', 'content-disposition', 'etag', 'cache-control', 'vary'];

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
    app.decorateRequest('answeredFromCache', false);
    const version = versionMemo(app);
    const kept = new AnswerCache(MAX_CACHED_BYTES);
    // The tag of each key seen lately: a repeated request costs a map lookup, not a SHA-256.
    const tags = new Map<string, string>();
    const tagOf = (key: string): string => {
      let tag = tags.get(key);
      if (tag === undefined) {
        tag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 32)}"`;
        if (tags.size >= MAX_TAGS) tags.clear();
        tags.set(key, tag);
      }
      return tag;
    };

    // Answers being made, by tag. Requests for the same answer at the same moment (the first
    // view of a new month by everyone in a meeting; every connection of a client after the answer
    // cache let it go) wait for the first one's answer instead of each making it again.
    const making = new Map<string, Promise<void>>();
    const stats = { made: 0, replayed: 0, waitedFor: 0 };
    app.decorate('answerStats', () => ({ ...stats }));
    app.decorateRequest('answerMade', null);
    const replay = (req: FastifyRequest, reply: FastifyReply, hit: Kept) => {
      req.rowsReturned = hit.rowsReturned;
      req.answeredFromCache = true;
      stats.replayed++;
      if (hit.gzip && hit.gzipHeaders && acceptsGzip(req.headers['accept-encoding'])) {
        return reply.code(200).headers(hit.gzipHeaders).send(hit.gzip);
      }
      return reply.code(200).headers(hit.headers).send(hit.body);
    };
    const settle = (req: FastifyRequest) => {
      const done = req.answerMade;
      req.answerMade = null;
      done?.();
    };

    app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      const spec = req.routeOptions.config.cache;
      if (!spec || (req.method !== 'GET' && req.method !== 'HEAD')) return;
      const parts = [
        boot,
        settings,
        await version(),
        spec.extra ? await spec.extra(req) : '',
        req.auth.role ?? 'anonymous',
        formatOf(req),
        req.url,
        new Date().toISOString().slice(0, 10),
      ];
      req.etag = tagOf(parts.join('\n'));
      const header = req.headers['if-none-match'];
      if (noneMatch(typeof header === 'string' ? header : undefined, req.etag)) {
        req.rowsReturned = 0;
        return reply.code(304).send();
      }
      const hit = kept.get(req.etag);
      if (hit) return replay(req, reply, hit);
      const pending = making.get(req.etag);
      if (pending) {
        await pending;
        const made = kept.get(req.etag);
        if (made) {
          stats.waitedFor++;
          return replay(req, reply, made);
        }
        // Not kept (an error, or too large to keep): this request makes its own.
        stats.made++;
        return;
      }
      const tag = req.etag;
      let resolve!: () => void;
      making.set(tag, new Promise<void>((r) => (resolve = r)));
      req.answerMade = () => {
        making.delete(tag);
        resolve();
      };
      stats.made++;
    });
    // Whatever happened to the answer, nobody keeps waiting for it.
    // (Plain callbacks, not async: they run for every request, and almost always do nothing.)
    app.addHook('onResponse', (req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
      settle(req);
      done();
    });
    app.addHook('onRequestAbort', (req: FastifyRequest, done: () => void) => {
      settle(req);
      done();
    });

    // Vary as other hooks left it, with what an answer here also varies by; worked out once per
    // distinct starting value (there are a handful).
    const varyOf = new Map<string, string>();
    const withVary = (current: string): string => {
      let v = varyOf.get(current);
      if (v === undefined) {
        const vary = current
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        for (const x of ['Cookie', 'Accept', 'Accept-Encoding']) if (!vary.some((y) => y.toLowerCase() === x.toLowerCase())) vary.push(x);
        v = vary.join(', ');
        if (varyOf.size < 100) varyOf.set(current, v);
      }
      return v;
    };

    app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      // A replayed answer was sent with every header it needs (preHandler above).
      if (req.etag === null || req.answeredFromCache || (reply.statusCode !== 200 && reply.statusCode !== 304)) return payload;
      const maxAge = req.routeOptions.config.cache?.maxAge ?? DEFAULT_MAX_AGE;
      reply.header('etag', req.etag);
      reply.header('cache-control', `private, max-age=${maxAge}`);
      reply.header('vary', withVary(String(reply.getHeader('vary') ?? '')));
      if (reply.statusCode === 200 && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
        const headers: Record<string, string> = {};
        for (const h of KEPT_HEADERS) {
          const v = reply.getHeader(h);
          if (v !== undefined) headers[h] = String(v);
        }
        const body = typeof payload === 'string' ? utf8(payload) : payload;
        // Level 1: a sixth of the JSON's size for a fraction of level 6's time, paid once per answer,
        // in libuv's thread pool: a new answer's compression (0.4 ms for a 220 KB series) would
        // otherwise take that time from every other request's thread.
        // (Below 64 KB the pool saves the request thread nothing: setting up the compressor costs
        // it as much as compressing, ~80 µs for 20 KB, so those are compressed here.)
        const gzip = body.length < GZIP_MIN_BYTES ? null : body.length < GZIP_POOL_BYTES ? gzipSync(body, { level: 1 }) : await gzipAsync(body, { level: 1 });
        kept.set(req.etag, { body, gzip, headers, gzipHeaders: gzip ? { ...headers, 'content-encoding': 'gzip' } : null, rowsReturned: req.rowsReturned });
        settle(req);
        if (gzip && acceptsGzip(req.headers['accept-encoding'])) {
          reply.header('content-encoding', 'gzip');
          payload = gzip;
        }
      }
      return payload;
    });
  },
  { name: 'caching', dependencies: ['duckdb', 'auth', 'tabular'] },
);

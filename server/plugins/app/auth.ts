import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { findSession, sessionHash, type LiveSession } from '../../../sql/postgres/sessions.ts';
import { postgresUnreachable } from '../errors.ts';
import type { SecurityOptions } from '../../auth/options.ts';
import { mayUse, type Access, type FeedPolicy, type Role } from '../../policy.ts';
import { HttpError } from '../../http.ts';
import { COOKIE_PATH, SESSION_COOKIE } from '../external/security.ts';

/** Who is asking: a signed-in user, the public view, or no one (role null). */
export interface RequestAuth {
  role: Role | null;
  user: LiveSession['user'] | null;
  /** SHA-256 of the session id (the sessions table key); CSRF tokens are bound to it. */
  sessionKey: string | null;
  expiresAt: Date | null;
}

const NOBODY: RequestAuth = Object.freeze({ role: null, user: null, sessionKey: null, expiresAt: null });
const PUBLIC: RequestAuth = Object.freeze({ role: 'public', user: null, sessionKey: null, expiresAt: null });

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
    /** What the caller may see of the feed a data route answers about (server/policy.ts). */
    policy: FeedPolicy | null;
    /** Rows (points, features, entries) a route returned, for the audit log. */
    rowsReturned: number | null;
  }
  interface FastifyInstance {
    security: SecurityOptions;
    /** onRequest hooks of /api/v1: who is asking and may they use this route; then the CSRF check. */
    authenticate: onRequestHookHandler;
    checkCsrf: onRequestHookHandler;
    cookieSecure(req: FastifyRequest): boolean;
    /** Sessions checked recently, so a data request does not query Postgres each time. */
    sessionCache: SessionCache;
  }
  interface FastifyContextConfig {
    /** What the route needs from the caller (server/policy.ts, Access); unset under /api/v1 = 'data'. */
    access?: Access;
    /** The audit action of a data or admin route; default 'data.read'. */
    auditAction?: string;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A session found in Postgres is trusted again without asking for `recheckMs`
 * (SecurityOptions.sessionRecheckMs): sign-out in this process takes effect at once (forget), a
 * disable from another process within recheckMs. Past half of recheckMs a request still uses the
 * remembered session and starts one check in the background, so a busy session is rechecked
 * before it lapses and its requests never all wait on Postgres at once. While Postgres is
 * unreachable, a session seen live within its idle limit keeps working until its absolute end, so
 * open dashboards keep their figures; a session not seen before the outage cannot be checked
 * (503), and nothing that writes works.
 */
export class SessionCache {
  private readonly seen = new Map<string, { session: LiveSession; checkedAt: number }>();
  /** Cookie value → its SHA-256 (the sessions table key), so a repeated request hashes nothing. */
  private readonly keys = new Map<string, string>();
  constructor(
    private readonly idleMs: number,
    private readonly recheckMs: number,
  ) {}
  keyOf(raw: string): string {
    let key = this.keys.get(raw);
    if (key === undefined) {
      key = sessionHash(raw);
      if (this.keys.size >= 10_000) this.keys.clear();
      this.keys.set(raw, key);
    }
    return key;
  }
  /** Changes with every forget: a check that started before one does not put its answer back. */
  generation = 0;
  fresh(key: string, now: number): LiveSession | undefined {
    const e = this.seen.get(key);
    return e && now - e.checkedAt < this.recheckMs && now < e.session.expiresAt.getTime() ? e.session : undefined;
  }
  /** A fresh session past half its recheck time: check it again now, in the background. */
  due(key: string, now: number): boolean {
    const e = this.seen.get(key);
    return !!e && now - e.checkedAt >= this.recheckMs / 2;
  }
  /** During an outage: seen live within the idle limit, and before its absolute end. */
  stale(key: string, now: number): LiveSession | undefined {
    const e = this.seen.get(key);
    return e && now - e.checkedAt < this.idleMs && now < e.session.expiresAt.getTime() ? e.session : undefined;
  }
  keep(s: LiveSession, now: number): void {
    if (this.seen.size > 10_000) this.seen.clear();
    this.seen.set(s.key, { session: s, checkedAt: now });
  }
  forget(key: string): void {
    this.generation++;
    this.seen.delete(key);
  }
  /** Every session of a user (disabled, password changed). */
  forgetUser(userId: number): void {
    this.generation++;
    for (const [k, e] of this.seen) if (e.session.user.id === userId) this.seen.delete(k);
  }
}

export const accessOf = (req: FastifyRequest): Access => req.routeOptions.config.access ?? 'data';

export default fp<{ security: SecurityOptions }>(
  async (app, opts) => {
    const s = opts.security;
    app.decorate('security', s);
    app.decorateRequest('auth', null as unknown as RequestAuth);
    app.decorateRequest('policy', null);
    app.decorateRequest('rowsReturned', null);
    app.addHook('onRequest', async (req) => {
      req.auth = NOBODY;
    });

    app.decorate('cookieSecure', (req: FastifyRequest) => s.cookieSecure === 'always' || req.protocol === 'https');

    const idleMs = s.sessionIdleMinutes * 60_000;
    const cache = new SessionCache(idleMs, s.sessionRecheckMs);
    app.decorate('sessionCache', cache);
    let outage = false;
    // One check per session at a time: requests that need the same session checked share it.
    const checking = new Map<string, Promise<LiveSession | undefined>>();
    const check = (raw: string, key: string): Promise<LiveSession | undefined> => {
      let p = checking.get(key);
      if (p === undefined) {
        const now = Date.now();
        const generation = cache.generation;
        p = (async () => {
          try {
            const found = await findSession(app.ops.db, raw, idleMs);
            if (outage) app.log.warn('Postgres is back: sessions are checked there again');
            outage = false;
            // A sign-out or disable in this process while the check ran wins over its answer.
            if (cache.generation === generation) {
              if (found) cache.keep(found, now);
              else cache.forget(key);
            }
            return found;
          } catch (err) {
            if (!postgresUnreachable(err)) throw err;
            const stale = cache.stale(key, now);
            if (!outage) app.log.error({ err }, 'Postgres unreachable: sessions seen before the outage keep working, read-only');
            outage = true;
            if (stale) return stale;
            throw err;
          }
        })().finally(() => checking.delete(key));
        checking.set(key, p);
      }
      return p;
    };
    const lookup = async (raw: string): Promise<LiveSession | undefined> => {
      const now = Date.now();
      const key = cache.keyOf(raw);
      const hit = cache.fresh(key, now);
      if (hit === undefined) return check(raw, key);
      if (cache.due(key, now) && !checking.has(key)) {
        check(raw, key).catch((err: unknown) => {
          if (!postgresUnreachable(err)) app.log.error({ err }, 'session check failed');
        });
      }
      return hit;
    };

    app.decorate('authenticate', async function authenticate(req: FastifyRequest, reply: FastifyReply) {
      const access = accessOf(req);
      if (access === 'token') return;
      const raw = req.cookies[SESSION_COOKIE];
      if (raw) {
        const found = raw.length <= 100 ? await lookup(raw) : undefined;
        if (found) {
          req.auth = { role: found.user.role, user: found.user, sessionKey: found.key, expiresAt: found.expiresAt };
        } else {
          reply.clearCookie(SESSION_COOKIE, { path: COOKIE_PATH });
        }
      }
      if (req.auth.role === null && s.publicView) req.auth = PUBLIC;
      if (!mayUse(req.auth.role, access)) {
        if (req.auth.role === null) {
          throw new HttpError(401, raw ? 'the session has ended; sign in again' : 'sign in first (POST /api/v1/auth/login)');
        }
        throw new HttpError(403, `the ${req.auth.role} role may not use ${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`);
      }
    });

    app.decorate('checkCsrf', function checkCsrf(req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
      // Uploads authenticate with a bearer token, which a browser never attaches on its own.
      if (SAFE_METHODS.has(req.method) || accessOf(req) === 'token') return done();
      const t = req.headers['x-csrf-token'];
      if (typeof t !== 'string' || t === '') {
        return done(new HttpError(403, 'a CSRF token is required: get one from GET /api/v1/auth/csrf and send it as the X-CSRF-Token header'));
      }
      app.csrfProtection(req, reply, done);
    });
  },
  { name: 'auth', dependencies: ['ops', 'security'] },
);

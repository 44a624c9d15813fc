import fp from 'fastify-plugin';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import csrf from '@fastify/csrf-protection';
import type { SecurityOptions } from '../../auth/options.ts';

export const SESSION_COOKIE = 'odstat_session';
export const CSRF_COOKIE = 'odstat_csrf';
/** Both cookies go only to the API: the page never needs them, and never sees them (HttpOnly). */
export const COOKIE_PATH = '/api';

/** The security headers' settings (helmet): see below. */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  },
  // Over TLS only (browsers ignore it on plain HTTP); not includeSubDomains: a health
  // department's other hosts are not ours to decide for.
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
} satisfies FastifyHelmetOptions;

/**
 * Security headers, cookies, rate limits and CSRF tokens, before any route.
 *
 * The Content-Security-Policy lets the page and the API browser (/api/docs) run and nothing
 * else: scripts and styles only from this server (both are built files; the page sets styles
 * through the CSSOM, which CSP allows), images from here or data: URIs (the favicon and the
 * Swagger UI's icons), requests only back to this server, no plug-ins, no framing, forms posting
 * only here. No 'upgrade-insecure-requests': a plain-HTTP deployment on a private network must
 * still load its own files.
 */
export default fp<{ security: SecurityOptions }>(
  async (app, opts) => {
    const s = opts.security;
    // The headers are the same for every response, so they are worked out once (by helmet, the
    // copy @fastify/helmet would run) and set as they are: the plugin would run helmet, re-parsing
    // the CSP, on every request. Nothing here sets per-route options or CSP nonces.
    const headers = helmetHeaders(HELMET_OPTIONS);
    app.addHook('onRequest', (_req, reply, done) => {
      for (const [k, v] of headers) reply.raw.setHeader(k, v);
      done();
    });
    await app.register(cookie);
    // Keyed by address. Generous for people (the page asks a few times per click) and for an
    // office behind one NAT address; a script scraping every combination meets 429s.
    await app.register(rateLimit, {
      global: true,
      max: s.apiPerMinute,
      timeWindow: 60_000,
      allowList: (req) => req.url === '/healthz' || req.url === '/readyz',
    });
    await app.register(csrf, {
      cookieKey: CSRF_COOKIE,
      cookieOpts: { path: COOKIE_PATH, sameSite: 'strict', httpOnly: true },
      // Only a header: a cross-site form can send a body field, never a custom header.
      getToken: (req) => {
        const t = req.headers['x-csrf-token'];
        return typeof t === 'string' ? t : '';
      },
      // Tokens are bound to the session (or to "no session" before sign-in), so a token from
      // one session is worthless in another, and a planted cookie cannot forge one.
      getUserInfo: (req) => req.auth.sessionKey ?? 'anonymous',
      csrfOpts: { hmacKey: s.csrfKey },
    });
  },
  { name: 'security' },
);

/** The headers helmet sets with these options (what it would set on every response), worked out once. */
export function helmetHeaders(options: Omit<FastifyHelmetOptions, 'global' | 'enableCSPNonces'>): [string, string | string[]][] {
  // helmet itself, the copy @fastify/helmet uses (not a dependency of ours on its own).
  const helmetOf = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as (
    o: unknown,
  ) => (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  const set = new Map<string, string | string[]>();
  const res = {
    setHeader: (k: string, v: string | number | readonly string[]) => set.set(k.toLowerCase(), typeof v === 'number' ? String(v) : (v as string | string[])),
    removeHeader: (k: string) => set.delete(k.toLowerCase()),
  } as unknown as ServerResponse;
  let failed: unknown = null;
  helmetOf(options)({} as IncomingMessage, res, (err?: unknown) => {
    if (err) failed = err;
  });
  if (failed) throw failed;
  return [...set];
}

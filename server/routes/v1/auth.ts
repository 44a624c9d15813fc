import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { burnVerify, verifyPassword } from '../../auth/passwords.ts';
import { findUserByEmail, markLoggedIn, normalizeEmail } from '../../../sql/postgres/users.ts';
import { createSession, recentFailures, recordLoginAttempt, revokeSession } from '../../../sql/postgres/sessions.ts';
import { CsrfResponse, LoginBody, Me } from '../../schemas/auth.ts';
import { HttpError } from '../../http.ts';
import { COOKIE_PATH, SESSION_COOKIE } from '../../plugins/external/security.ts';

const errors = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 429: { $ref: 'Error#' } } as const;

// Sign-in: sessions in Postgres behind an HttpOnly, SameSite=Strict cookie; a CSRF token (bound
// to the session) for every state-changing request, sign-in included (GET /auth/csrf first).
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.security;

  const csrfToken = (req: FastifyRequest, reply: FastifyReply, sessionKey: string | null) =>
    reply.generateCsrf({ userInfo: sessionKey ?? 'anonymous', secure: app.cookieSecure(req) });

  app.get(
    '/auth/csrf',
    {
      config: { access: 'open' },
      schema: {
        tags: ['auth'],
        security: [],
        summary: 'A CSRF token for this browser and session',
        description: 'Sets the CSRF cookie if needed. Send the token as X-CSRF-Token on sign-in and on every POST, PUT, PATCH and DELETE.',
        response: { 200: CsrfResponse },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { csrfToken: csrfToken(req, reply, req.auth.sessionKey) };
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'open' },
      schema: {
        tags: ['auth'],
        security: [],
        summary: 'Who is signed in, with a CSRF token for this session',
        description: '401 when no one is signed in and the public view is off.',
        response: { 200: Me, ...errors },
      },
    },
    async (req, reply) => {
      if (req.auth.role === null) throw new HttpError(401, 'no one is signed in: sign in with POST /api/v1/auth/login');
      reply.header('cache-control', 'no-store');
      const u = req.auth.user;
      return {
        user: u ? { email: u.email, name: u.display_name, role: u.role, agency: u.agency } : null,
        role: req.auth.role,
        agency: u?.agency ?? null,
        expiresAt: req.auth.expiresAt?.toISOString() ?? null,
        publicView: s.publicView,
        csrfToken: csrfToken(req, reply, req.auth.sessionKey),
      };
    },
  );

  app.post(
    '/auth/login',
    {
      bodyLimit: 8 * 1024,
      config: { access: 'open', rateLimit: { max: s.loginPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        security: [],
        summary: 'Sign in with email and password',
        description: `Needs X-CSRF-Token from GET /api/v1/auth/csrf. Sets the session cookie and answers like /auth/me, with a new CSRF token for the session. ${s.loginMaxFailures} failed attempts on one email within ${s.loginLockoutMinutes} minutes lock it for that long (429); more than ${s.loginPerMinute} attempts a minute from one address are refused (429).`,
        body: LoginBody,
        response: { 200: Me, ...errors },
      },
    },
    async (req, reply) => {
      const email = normalizeEmail(req.body.email);
      const window = s.loginLockoutMinutes * 60_000;
      const failures = await recentFailures(app.ops.db, email, new Date(Date.now() - window));
      if (failures.length >= s.loginMaxFailures) {
        // Locked: the password is not even checked, so guessing on goes nowhere. Not recorded as
        // an attempt either, so the lock ends on time however long someone keeps trying.
        const until = failures[failures.length - s.loginMaxFailures]!.getTime() + window;
        const minutes = Math.max(1, Math.ceil((until - Date.now()) / 60_000));
        app.audit.record(req, 'auth.login_locked', { email }, 429);
        reply.header('retry-after', String(minutes * 60));
        throw new HttpError(429, `too many failed sign-ins for this email; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`);
      }

      const user = await findUserByEmail(app.ops.db, email);
      let ok = false;
      if (user?.password_hash && !user.disabled_at) ok = await verifyPassword(req.body.password, user.password_hash);
      else await burnVerify(req.body.password, s.scrypt);
      await recordLoginAttempt(app.ops.db, { email, ip: req.ip, succeeded: ok });
      if (!ok || !user) {
        app.audit.record(req, 'auth.login_failed', { email, account: user ? user.id : null }, 401);
        // One answer for an unknown email, a wrong password and a disabled account.
        throw new HttpError(401, 'the email or the password is wrong');
      }

      // A fresh id at every sign-in (no session fixation); the old session, if any, ends.
      const old = req.auth.sessionKey;
      if (old) {
        await revokeSession(app.ops.db, old);
        app.sessionCache.forget(old);
      }
      const session = await createSession(app.ops.db, {
        userId: user.id,
        maxAgeMs: s.sessionMaxHours * 3_600_000,
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      await markLoggedIn(app.ops.db, user.id);
      reply.setCookie(SESSION_COOKIE, session.id, { path: COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure: app.cookieSecure(req) });
      req.auth = {
        role: user.role,
        user: { id: user.id, email: user.email, display_name: user.display_name, role: user.role, agency: user.agency },
        sessionKey: session.key,
        expiresAt: session.expiresAt,
      };
      app.audit.record(req, 'auth.login', { email }, 200);
      reply.header('cache-control', 'no-store');
      return {
        user: { email: user.email, name: user.display_name, role: user.role, agency: user.agency },
        role: user.role,
        agency: user.agency,
        expiresAt: session.expiresAt.toISOString(),
        publicView: s.publicView,
        csrfToken: csrfToken(req, reply, session.key),
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'open' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the session ends on the server, and its cookie is cleared',
        description: 'Needs X-CSRF-Token.',
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      if (req.auth.sessionKey) {
        await revokeSession(app.ops.db, req.auth.sessionKey);
        app.sessionCache.forget(req.auth.sessionKey);
        app.audit.record(req, 'auth.logout', {}, 204);
      }
      reply.clearCookie(SESSION_COOKIE, { path: COOKIE_PATH });
      return reply.code(204).send(null);
    },
  );
};
export default routes;

// Sign-in, sessions, CSRF, lockout and the audit log, tested as attacks: each role against each
// endpoint, forged and replayed requests, guessing, injection strings, stale sessions. On in-memory
// PGlite, and also on the Postgres server of DATABASE_URL when it is set (as in CI), each app in a
// database of its own (tests/helpers/pg.ts), so test files running side by side never meet.
// The apps check unknown emails against a dummy hash at the tests' cheap scrypt cost, as the test
// accounts are hashed (helpers/auth.ts); the production cost is checked on its own at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { sql, type KyselyPlugin } from 'kysely';
import { buildApp } from '../../server/app.ts';
import { DEFAULT_PARAMS, hashPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { setDisabled } from '../../sql/postgres/users.ts';
import { openStores } from '../helpers/fixtures.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';
import { addUser, csrf, login, loginAs, mergeCookies, TEST_SCRYPT, type TestSession, type TestUser } from '../helpers/auth.ts';

const SERIES = '/api/v1/series?indicator=deaths.any_drug&interval=month&from=2024-01-01&to=2024-03-31';
const DATA_ROUTES = ['/api/v1/jurisdictions', '/api/v1/jurisdictions/nyc/areas', '/api/v1/indicators', SERIES];

/** An app on a fresh operational database of `kind`; `close` also drops a server database. */
async function makeApp(kind: string, security: Parameters<typeof buildApp>[0]['security'] = {}, trustProxy = false): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const target: TestTarget = await makeTarget(kind);
  const { duck, ops } = await openStores(target.target);
  const app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: null, security: { scrypt: TEST_SCRYPT, sessionRecheckMs: 0, ...security }, trustProxy });
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      await target.drop();
    },
  };
}

const send = (app: FastifyInstance, method: InjectOptions['method'], url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}) });

describe.each(targetNames())('on %s', (kind) => {
describe('accounts, sessions and CSRF', () => {
  let app: FastifyInstance;
  let close: (() => Promise<void>) | undefined;
  const sessions: Record<string, TestSession> = {};

  beforeAll(async () => {
    // Sign-in rate limit raised here so lockout, not the per-address limit, is what is tested.
    ({ app, close } = await makeApp(kind, { loginPerMinute: 1000 }));
    for (const role of ['admin', 'analyst', 'commander', 'partner'] as const) sessions[role] = await loginAs(app, role, { agency: `${role} agency` });
  });
  afterAll(async () => {
    await close?.();
  });

  describe('each role against each endpoint', () => {
    const table: [string, Record<string, number>][] = [
      ...DATA_ROUTES.map((u): [string, Record<string, number>] => [u, { nobody: 401, admin: 200, analyst: 200, commander: 200, partner: 200 }]),
      ['/api/v1/status', { nobody: 401, admin: 200, analyst: 200, commander: 200, partner: 200 }],
      ['/api/v1/admin/audit', { nobody: 401, admin: 200, analyst: 403, commander: 403, partner: 403 }],
      ['/api/v1/auth/me', { nobody: 401, admin: 200, analyst: 200, commander: 200, partner: 200 }],
    ];
    it.each(table)('%s', async (url, expected) => {
      for (const [who, status] of Object.entries(expected)) {
        const res = await send(app, 'GET', url, who === 'nobody' ? {} : { cookie: sessions[who]!.cookie });
        expect({ who, status: res.statusCode }).toEqual({ who, status });
        if (status === 401) expect(res.json().message).toMatch(/sign in/);
        if (status === 403) expect(res.json().message).toMatch(new RegExp(`the ${who} role may not use GET /api/v1/admin/audit`));
      }
    });

    it('leaves liveness, readiness, the API document and the CSRF endpoint open', async () => {
      for (const url of ['/healthz', '/readyz', '/api/docs/json', '/api/v1/auth/csrf']) expect((await send(app, 'GET', url)).statusCode).toBe(200);
    });

    it('says who is signed in, with role and agency, and never a password hash', async () => {
      const res = await send(app, 'GET', '/api/v1/auth/me', { cookie: sessions.commander!.cookie });
      const me = res.json();
      expect(me).toMatchObject({ role: 'commander', agency: 'commander agency', publicView: false, user: { role: 'commander', email: sessions.commander!.user.email } });
      expect(res.body).not.toMatch(/scrypt|password/i);
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('cookies', () => {
    it('sets the session cookie HttpOnly, SameSite=Strict, path /api, and not Secure over plain HTTP', async () => {
      const u = await addUser(app.ops.db, { role: 'partner' });
      const pre = await csrf(app);
      // X-Forwarded-Proto is not trusted without trustProxy: this request did not come over TLS.
      const res = await send(app, 'POST', '/api/v1/auth/login', { cookie: pre.cookie, 'x-csrf-token': pre.token, 'x-forwarded-proto': 'https' }, { email: u.email, password: u.password });
      expect(res.statusCode).toBe(200);
      const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('odstat_session='))!;
      expect(set).toMatch(/; HttpOnly/);
      expect(set).toMatch(/; SameSite=Strict/);
      expect(set).toMatch(/; Path=\/api/);
      expect(set).not.toMatch(/Secure/);
      expect(set).not.toMatch(/Max-Age|Expires/);
    });

    it('keeps only a hash of the session id in the database', async () => {
      const raw = /odstat_session=([^;]+)/.exec(sessions.analyst!.cookie)![1]!;
      const rows = await sql<{ id_sha256: string }>`select id_sha256 from sessions`.execute(app.ops.db);
      expect(rows.rows.length).toBeGreaterThan(0);
      expect(rows.rows.some((r) => r.id_sha256 === raw)).toBe(false);
      expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.id_sha256))).toBe(true);
    });

    it('refuses a made-up session id', async () => {
      const res = await send(app, 'GET', SERIES, { cookie: 'odstat_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toMatch(/session has ended/);
    });
  });

  describe('CSRF', () => {
    let u: TestUser;
    beforeAll(async () => {
      u = await addUser(app.ops.db, { role: 'analyst' });
    });

    it('refuses sign-in without a token, with a token but no cookie, or with another browser\'s token', async () => {
      const body = { email: u.email, password: u.password };
      const none = await send(app, 'POST', '/api/v1/auth/login', {}, body);
      expect(none.statusCode).toBe(403);
      expect(none.json().message).toMatch(/CSRF token is required.*X-CSRF-Token/);
      const a = await csrf(app);
      const b = await csrf(app);
      expect((await send(app, 'POST', '/api/v1/auth/login', { 'x-csrf-token': a.token }, body)).statusCode).toBe(403);
      expect((await send(app, 'POST', '/api/v1/auth/login', { cookie: b.cookie, 'x-csrf-token': a.token }, body)).statusCode).toBe(403);
      expect((await send(app, 'POST', '/api/v1/auth/login', { cookie: a.cookie, 'x-csrf-token': `${a.token}x` }, body)).statusCode).toBe(403);
      // A token in the body (what a cross-site form could send) is not read.
      expect((await send(app, 'POST', '/api/v1/auth/login', { cookie: a.cookie }, { ...body, _csrf: a.token })).statusCode).toBe(403);
      expect((await send(app, 'POST', '/api/v1/auth/login', { cookie: a.cookie, 'x-csrf-token': a.token }, body)).statusCode).toBe(200);
    });

    it('refuses sign-out with only the cookie (a cross-site request), or with the token from before sign-in', async () => {
      const pre = await csrf(app);
      const res = await send(app, 'POST', '/api/v1/auth/login', { cookie: pre.cookie, 'x-csrf-token': pre.token }, { email: u.email, password: u.password });
      const cookie = mergeCookies(pre.cookie, res);
      expect((await send(app, 'POST', '/api/v1/auth/logout', { cookie })).statusCode).toBe(403);
      expect((await send(app, 'POST', '/api/v1/auth/logout', { cookie, 'x-csrf-token': pre.token })).statusCode).toBe(403);
      // Another user's valid token, with this user's cookies.
      expect((await send(app, 'POST', '/api/v1/auth/logout', { cookie, 'x-csrf-token': sessions.partner!.csrf })).statusCode).toBe(403);
      // Still signed in after all of that.
      expect((await send(app, 'GET', SERIES, { cookie })).statusCode).toBe(200);
    });

    it('needs no token to read', async () => {
      expect((await send(app, 'GET', SERIES, { cookie: sessions.analyst!.cookie })).statusCode).toBe(200);
    });
  });

  describe('sign-out and session end', () => {
    it('ends the session on the server: the old cookie is worthless afterwards', async () => {
      const s = await loginAs(app, 'commander');
      const out = await send(app, 'POST', '/api/v1/auth/logout', s.headers);
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/odstat_session=;/);
      // An attacker who copied the cookie before sign-out gets nothing.
      const replay = await send(app, 'GET', SERIES, { cookie: s.cookie });
      expect(replay.statusCode).toBe(401);
    });

    it('ends a session after 30 minutes without requests, and 12 hours after sign-in whatever the activity', async () => {
      const idle = await loginAs(app, 'partner');
      expect((await send(app, 'GET', SERIES, { cookie: idle.cookie })).statusCode).toBe(200);
      await sql`update sessions set last_seen_at = now() - interval '31 minutes' where user_id = ${idle.user.id}`.execute(app.ops.db);
      expect((await send(app, 'GET', SERIES, { cookie: idle.cookie })).statusCode).toBe(401);

      const busy = await loginAs(app, 'partner');
      await sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${busy.user.id}`.execute(app.ops.db);
      expect((await send(app, 'GET', SERIES, { cookie: busy.cookie })).statusCode).toBe(401);
    });

    it('keeps a session alive while it is used', async () => {
      const s = await loginAs(app, 'partner');
      await sql`update sessions set last_seen_at = now() - interval '29 minutes' where user_id = ${s.user.id}`.execute(app.ops.db);
      expect((await send(app, 'GET', SERIES, { cookie: s.cookie })).statusCode).toBe(200);
      const [row] = (await sql<{ age: number }>`select extract(epoch from now() - last_seen_at)::int as age from sessions where user_id = ${s.user.id}`.execute(app.ops.db)).rows;
      expect(row!.age).toBeLessThan(60);
    });

    it('ends every session of a disabled account, and refuses its sign-in like a wrong password', async () => {
      const s = await loginAs(app, 'commander');
      await setDisabled(app.ops.db, s.user.email, true);
      expect((await send(app, 'GET', SERIES, { cookie: s.cookie })).statusCode).toBe(401);
      const pre = await csrf(app);
      const res = await send(app, 'POST', '/api/v1/auth/login', { cookie: pre.cookie, 'x-csrf-token': pre.token }, { email: s.user.email, password: s.user.password });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toBe('the email or the password is wrong');
    });

    it('gives a fresh session id at each sign-in and ends the one it replaces', async () => {
      const s = await loginAs(app, 'analyst');
      const res = await send(app, 'POST', '/api/v1/auth/login', s.headers, { email: s.user.email, password: s.user.password });
      expect(res.statusCode).toBe(200);
      const next = mergeCookies(s.cookie, res);
      expect(next).not.toBe(s.cookie);
      expect((await send(app, 'GET', SERIES, { cookie: s.cookie })).statusCode).toBe(401);
      expect((await send(app, 'GET', SERIES, { cookie: next })).statusCode).toBe(200);
    });
  });

  describe('guessing passwords', () => {
    const attempt = async (email: string, password: string) => {
      const pre = await csrf(app);
      return send(app, 'POST', '/api/v1/auth/login', { cookie: pre.cookie, 'x-csrf-token': pre.token }, { email, password });
    };

    it('locks an email after 5 failures, even against the right password, and unlocks after 15 minutes', async () => {
      const u = await addUser(app.ops.db, { role: 'analyst' });
      for (let i = 0; i < 5; i++) {
        const r = await attempt(u.email, `wrong-${i}`);
        expect(r.statusCode).toBe(401);
        expect(r.json().message).toBe('the email or the password is wrong');
      }
      const locked = await attempt(u.email, u.password);
      expect(locked.statusCode).toBe(429);
      expect(locked.json().message).toMatch(/too many failed sign-ins for this email; try again in 1[45] minutes/);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
      // Another account is not affected.
      const other = await addUser(app.ops.db, { role: 'analyst' });
      expect((await attempt(other.email, other.password)).statusCode).toBe(200);
      // Upper case and spaces are the same email.
      expect((await attempt(`  ${u.email.toUpperCase()} `, u.password)).statusCode).toBe(429);
      // The lock ends when the failures are older than the window.
      await sql`update login_attempts set at = at - interval '16 minutes' where email = ${u.email}`.execute(app.ops.db);
      expect((await attempt(u.email, u.password)).statusCode).toBe(200);
    });

    it('locks an unknown email the same way, so lockout does not reveal which emails have accounts', async () => {
      const ghost = 'nobody-here@test.example';
      for (let i = 0; i < 5; i++) expect((await attempt(ghost, 'whatever-password')).statusCode).toBe(401);
      const r = await attempt(ghost, 'whatever-password');
      expect(r.statusCode).toBe(429);
      expect(r.json().message).toMatch(/too many failed sign-ins for this email/);
    });

    it('a success resets the count', async () => {
      const u = await addUser(app.ops.db, { role: 'partner' });
      for (let i = 0; i < 4; i++) await attempt(u.email, 'nope');
      expect((await attempt(u.email, u.password)).statusCode).toBe(200);
      for (let i = 0; i < 4; i++) await attempt(u.email, 'nope');
      expect((await attempt(u.email, u.password)).statusCode).toBe(200);
    });

    it.each([
      ["' OR '1'='1", "' OR '1'='1"],
      ["admin@odstat.example'--", 'x'],
      ['x"; DROP TABLE users; --', 'x'],
      ["analyst@test.example' UNION SELECT password_hash FROM users--", "') OR 1=1 --"],
      ['%', '%'],
    ])('treats injection strings as text: email %j', async (email, password) => {
      const before = (await sql<{ n: number }>`select count(*)::int as n from users`.execute(app.ops.db)).rows[0]!.n;
      const r = await attempt(email, password);
      expect(r.statusCode).toBe(401);
      expect(r.json().message).toBe('the email or the password is wrong');
      expect((await sql<{ n: number }>`select count(*)::int as n from users`.execute(app.ops.db)).rows[0]!.n).toBe(before);
    });

    it('refuses malformed sign-in bodies with a 400 naming the field, and oversized ones with 413', async () => {
      const pre = await csrf(app);
      const h = { cookie: pre.cookie, 'x-csrf-token': pre.token };
      const noPw = await send(app, 'POST', '/api/v1/auth/login', h, { email: 'a@b.c' });
      expect(noPw.statusCode).toBe(400);
      expect(noPw.json().message).toMatch(/password/);
      const obj = await send(app, 'POST', '/api/v1/auth/login', h, { email: { $ne: '' }, password: 'x' });
      expect(obj.statusCode).toBe(400);
      const big = await send(app, 'POST', '/api/v1/auth/login', { ...h, 'content-type': 'application/json' }, JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20_000) }));
      expect(big.statusCode).toBe(413);
    });
  });

  describe('audit log', () => {
    it('writes who, role, agency, endpoint, parameters, rows returned and status for every data request', async () => {
      const s = sessions.commander!;
      const res = await send(app, 'GET', `${SERIES}&areas=101,102`, { cookie: s.cookie });
      expect(res.statusCode).toBe(200);
      const denied = await send(app, 'GET', '/api/v1/series?indicator=deaths.any_drug&interval=day', { cookie: s.cookie });
      expect(denied.statusCode).toBe(403);
      await app.audit.flush();
      const rows = await app.ops.db.selectFrom('audit_log').selectAll().where('user_id', '=', s.user.id).where('action', '=', 'data.read').orderBy('id').execute();
      const ok = rows.find((r) => (r.params as { query: Record<string, string> }).query.areas === '101,102')!;
      expect(ok).toMatchObject({ role: 'commander', agency: 'commander agency', actor: s.user.email, endpoint: 'GET /api/v1/series', status: 200, rows_returned: 9 });
      expect(ok.params).toEqual({ query: { indicator: 'deaths.any_drug', interval: 'month', from: '2024-01-01', to: '2024-03-31', areas: '101,102' }, params: {} });
      expect(ok.ip).toBe('127.0.0.1');
      expect(ok.at.getTime()).toBeGreaterThan(Date.now() - 60_000);
      const no = rows.find((r) => (r.params as { query: Record<string, string> }).query.interval === 'day')!;
      expect(no).toMatchObject({ status: 403, rows_returned: null });
    });

    it('records refused anonymous requests, sign-ins, failures (never the password) and sign-outs', async () => {
      await send(app, 'GET', '/api/v1/indicators');
      const u = await addUser(app.ops.db, { role: 'partner' });
      const pre = await csrf(app);
      await send(app, 'POST', '/api/v1/auth/login', { cookie: pre.cookie, 'x-csrf-token': pre.token }, { email: u.email, password: 'Sup3r-secret-guess!' });
      const s = await login(app, u);
      await send(app, 'POST', '/api/v1/auth/logout', s.headers);
      await app.audit.flush();
      const rows = await app.ops.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(20).execute();
      expect(rows.find((r) => r.endpoint === 'GET /api/v1/indicators' && r.role === 'anonymous')).toMatchObject({ status: 401, user_id: null });
      const mine = rows.filter((r) => (r.params as { email?: string }).email === u.email || r.user_id === u.id).map((r) => [r.action, r.status]);
      expect(mine).toEqual(expect.arrayContaining([['auth.login_failed', 401], ['auth.login', 200], ['auth.logout', 204]]));
      expect(JSON.stringify(rows)).not.toMatch(/Sup3r-secret-guess!|long-enough-passphrase/);
    });

    it('serves the log to administrators only, newest first, a page at a time', async () => {
      const admin = sessions.admin!;
      const first = await send(app, 'GET', '/api/v1/admin/audit?limit=3', { cookie: admin.cookie });
      expect(first.statusCode).toBe(200);
      const p1 = first.json() as { entries: { id: number; action: string }[]; next: number | null };
      expect(p1.entries).toHaveLength(3);
      expect(p1.next).toBe(p1.entries[2]!.id);
      const second = (await send(app, 'GET', `/api/v1/admin/audit?limit=3&before=${p1.next}`, { cookie: admin.cookie })).json() as typeof p1;
      expect(second.entries[0]!.id).toBeLessThan(p1.entries[2]!.id);
      const ids = [...p1.entries, ...second.entries].map((e) => e.id);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      const logins = (await send(app, 'GET', '/api/v1/admin/audit?action=auth.login&limit=500', { cookie: admin.cookie })).json() as typeof p1;
      expect(logins.entries.length).toBeGreaterThan(4);
      expect(logins.entries.every((e) => e.action === 'auth.login')).toBe(true);
      expect((await send(app, 'GET', '/api/v1/admin/audit?action=x%27%3B%20drop%20table%20audit_log--', { cookie: admin.cookie })).statusCode).toBe(400);
      // Reading the log is itself logged.
      await app.audit.flush();
      const reads = await app.ops.db.selectFrom('audit_log').select('action').where('user_id', '=', admin.user.id).execute();
      expect(reads.some((r) => r.action === 'admin.audit.read')).toBe(true);
    });

    it('deletes rows older than the retention period', async () => {
      await sql`insert into audit_log (at, role, action, params) values (now() - interval '2200 days', 'analyst', 'data.read', '{}'), (now() - interval '2000 days', 'analyst', 'data.read', '{}')`.execute(app.ops.db);
      await app.audit.prune();
      const old = await sql<{ days: number }>`select extract(day from now() - at)::int as days from audit_log where at < now() - interval '1000 days'`.execute(app.ops.db);
      // The default keeps six years (2190 days).
      expect(old.rows.map((r) => r.days)).toEqual([2000]);
    });
  });

  describe('headers', () => {
    it('sends security headers on API answers', async () => {
      const res = await send(app, 'GET', '/api/v1/auth/csrf');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-ratelimit-limit']).toBe('600');
    });
  });
});

describe('sessions remembered for a few seconds (the server default)', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await makeApp(kind, { sessionRecheckMs: 400 }));
  });
  afterAll(async () => close());

  it('ends a signed-out session at once, and one disabled by another process within the recheck time', async () => {
    const out = await loginAs(app, 'partner');
    expect((await send(app, 'GET', SERIES, { cookie: out.cookie })).statusCode).toBe(200);
    expect((await send(app, 'POST', '/api/v1/auth/logout', out.headers)).statusCode).toBe(204);
    expect((await send(app, 'GET', SERIES, { cookie: out.cookie })).statusCode).toBe(401);

    const s = await loginAs(app, 'commander');
    expect((await send(app, 'GET', SERIES, { cookie: s.cookie })).statusCode).toBe(200);
    // As odstat user disable against the same Postgres would, behind this server's back.
    await setDisabled(app.ops.db, s.user.email, true);
    await new Promise((r) => setTimeout(r, 500));
    expect((await send(app, 'GET', SERIES, { cookie: s.cookie })).statusCode).toBe(401);
  });
});

describe('session checks under load', () => {
  // Counts the session look-ups the app sends to its (real) operational database.
  let sessionSelects = 0;
  const counter: KyselyPlugin = {
    transformQuery(args) {
      if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"sessions"')) sessionSelects++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  async function appWith(recheckMs: number) {
    const target: TestTarget = await makeTarget(kind);
    const { duck, ops } = await openStores(target.target);
    const app = await buildApp({ duck, ops: { ...ops, db: ops.db.withPlugin(counter) }, defaultJurisdiction: 'nyc', webRoot: null, security: { scrypt: TEST_SCRYPT, sessionRecheckMs: recheckMs } });
    await app.ready();
    return { app, close: async () => (await app.close(), await target.drop()) };
  }

  it('checks a session once for requests that need it checked at the same moment', async () => {
    const { app, close: done } = await appWith(0);
    try {
      const s = await loginAs(app, 'analyst');
      sessionSelects = 0;
      const answers = await Promise.all(Array.from({ length: 20 }, () => send(app, 'GET', '/api/v1/indicators', { cookie: s.cookie })));
      expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
      // Each request checks (recheck time 0), but those waiting on the same check share it.
      expect(sessionSelects).toBeGreaterThanOrEqual(1);
      expect(sessionSelects).toBeLessThan(20);
    } finally {
      await done();
    }
  });

  it('rechecks a busy session in the background before its recheck time runs out', async () => {
    const RECHECK = 3000;
    const { app, close: done } = await appWith(RECHECK);
    try {
      const s = await loginAs(app, 'commander');
      const t0 = Date.now();
      expect((await send(app, 'GET', SERIES, { cookie: s.cookie })).statusCode).toBe(200);
      await setDisabled(app.ops.db, s.user.email, true);
      // Past half the recheck time: still answered from memory, and a check starts.
      await new Promise((r) => setTimeout(r, RECHECK / 2 + 100));
      expect((await send(app, 'GET', SERIES, { cookie: s.cookie })).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      const refused = await send(app, 'GET', SERIES, { cookie: s.cookie });
      // Only meaningful inside the recheck time (after it, any version would check again).
      expect(Date.now() - t0).toBeLessThan(RECHECK);
      expect(refused.statusCode).toBe(401);
    } finally {
      await done();
    }
  });
});

describe('public view, TLS behind a proxy, and the per-address sign-in limit', () => {
  let app: FastifyInstance;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ app, close } = await makeApp(kind, { publicView: true, loginPerMinute: 3 }, true));
  });
  afterAll(async () => {
    await close?.();
  });

  it('serves data to anyone as the public role, but not operational status or the audit log', async () => {
    for (const url of DATA_ROUTES) expect((await send(app, 'GET', url)).statusCode).toBe(200);
    const status = await send(app, 'GET', '/api/v1/status');
    expect(status.statusCode).toBe(403);
    expect(status.json().message).toMatch(/the public role may not use GET \/api\/v1\/status/);
    expect((await send(app, 'GET', '/api/v1/admin/audit')).statusCode).toBe(403);
    const me = (await send(app, 'GET', '/api/v1/auth/me')).json();
    expect(me).toMatchObject({ user: null, role: 'public', agency: null, publicView: true });
    await app.audit.flush();
    const [row] = await app.ops.db.selectFrom('audit_log').selectAll().where('endpoint', '=', 'GET /api/v1/series').execute();
    expect(row).toMatchObject({ role: 'public', user_id: null, status: 200 });
  });

  it('marks cookies Secure when the proxy says the request came over TLS', async () => {
    const u = await addUser(app.ops.db, { role: 'analyst' });
    const pre = await csrf(app);
    const res = await send(app, 'POST', '/api/v1/auth/login', { cookie: pre.cookie, 'x-csrf-token': pre.token, 'x-forwarded-proto': 'https' }, { email: u.email, password: u.password });
    expect(res.statusCode).toBe(200);
    for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) expect(c).toMatch(/; Secure/);
  });

  it('refuses more than the configured sign-ins per minute from one address, whatever the email', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const pre = await csrf(app);
      codes.push((await send(app, 'POST', '/api/v1/auth/login', { cookie: pre.cookie, 'x-csrf-token': pre.token, 'x-forwarded-for': '203.0.113.9' }, { email: `x${i}@test.example`, password: 'p' })).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429]);
    // Another address is not held back.
    const pre = await csrf(app);
    const other = await send(app, 'POST', '/api/v1/auth/login', { cookie: pre.cookie, 'x-csrf-token': pre.token, 'x-forwarded-for': '203.0.113.10' }, { email: 'y@test.example', password: 'p' });
    expect(other.statusCode).toBe(401);
  });
});
});

describe('password hashes', () => {
  it('checks an unknown email at the configured cost, as long as a wrong password of an account hashed at it', async () => {
    const { app, close } = await makeApp('pglite', { loginPerMinute: 1000 });
    try {
      const u = await addUser(app.ops.db, { role: 'analyst' });
      const timed = async (email: string) => {
        const pre = await csrf(app);
        const t = performance.now();
        const r = await send(app, 'POST', '/api/v1/auth/login', { cookie: pre.cookie, 'x-csrf-token': pre.token }, { email, password: 'not the password at all' });
        expect(r.statusCode).toBe(401);
        return performance.now() - t;
      };
      await timed('warm-up@test.example');
      const known = Math.min(await timed(u.email), await timed(u.email));
      const unknown = Math.min(await timed('ghost-1@test.example'), await timed('ghost-2@test.example'));
      // At N = 2^10 both are a few milliseconds; the production cost (2^17) would take ~100 times longer.
      expect(unknown).toBeLessThan(Math.max(10 * known, 200));
    } finally {
      await close();
    }
  });

  it('uses scrypt at the OWASP cost, salted, self-describing, and verifies only the right password', async () => {
    const h = await hashPassword('correct horse battery staple');
    expect(h).toMatch(new RegExp(`^scrypt\\$${DEFAULT_PARAMS.N}\\$8\\$1\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
    expect(DEFAULT_PARAMS.N).toBe(2 ** 17);
    expect(await hashPassword('correct horse battery staple')).not.toBe(h);
    expect(await verifyPassword('correct horse battery staple', h)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', h)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1099511627776$8$1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5')).toBe(false);
  });
});

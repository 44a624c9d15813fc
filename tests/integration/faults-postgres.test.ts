// Postgres going away while the server runs (issue 8): the connection to the real Postgres server
// runs through a TCP relay that the test cuts and restores — the app sees what it would see if
// the server stopped (connections reset, new ones refused). Data requests of signed-in users keep
// being answered from DuckDB; sign-in and writes fail with a clear 503; readiness says which
// store is down; the audit rows of the outage are written when Postgres is back.
// Needs the real Postgres server (DATABASE_URL, as CI sets it); PGlite lives in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../server/app.ts';
import { openStores } from '../helpers/fixtures.ts';
import { createServerDatabase, type TestTarget } from '../helpers/pg.ts';
import { addUser, csrf, login, TEST_SCRYPT, type TestSession } from '../helpers/auth.ts';

const SERIES = '/api/v1/series?indicator=deaths.any_drug&interval=month&from=2024-01-01&to=2024-03-31';

/** A TCP relay to host:port that can be cut (every connection reset, new ones refused) and restored. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(
    private readonly host: string,
    private readonly upstreamPort: number,
  ) {}
  async open(port = 0): Promise<void> {
    const server = createServer((client) => {
      const up = connect(this.upstreamPort, this.host);
      for (const s of [client, up]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(up).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }
  async cut(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

describe.runIf(process.env.DATABASE_URL)('Postgres stopped while serving', () => {
  let target: TestTarget;
  let relay: Relay;
  let app: FastifyInstance;
  let analyst: TestSession;
  let direct: Awaited<ReturnType<typeof openStores>>['ops'];

  beforeAll(async () => {
    target = await createServerDatabase(process.env.DATABASE_URL!);
    const url = new URL((target.target as { url: string }).url);
    relay = new Relay(url.hostname, Number(url.port || 5432));
    await relay.open();
    const viaRelay = new URL(url);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    const { duck, ops } = await openStores({ kind: 'server', url: viaRelay.toString() });
    // A second connection that bypasses the relay, to read what the app wrote.
    direct = (await openStores(target.target)).ops;
    app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: null, security: { scrypt: TEST_SCRYPT } });
    await app.ready();
    analyst = await login(app, await addUser(app.ops.db, { role: 'analyst' }));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await direct?.close();
    await target?.drop();
  });

  it('keeps answering data from DuckDB, refuses sign-in and writes with 503, and catches up when Postgres is back', { timeout: 120_000 }, async () => {
    const before = await app.inject({ method: 'GET', url: SERIES, headers: { cookie: analyst.cookie } });
    expect(before.statusCode).toBe(200);
    await app.audit.flush();

    await relay.cut();

    // Signed-in data requests: answered, the same figures.
    const during = await app.inject({ method: 'GET', url: SERIES, headers: { cookie: analyst.cookie } });
    expect(during.statusCode).toBe(200);
    expect(during.json()).toEqual(before.json());
    const areas = await app.inject({ method: 'GET', url: '/api/v1/jurisdictions/nyc/areas', headers: { cookie: analyst.cookie } });
    expect(areas.statusCode).toBe(200);
    // Their audit rows wait for Postgres.
    await app.audit.flush();
    expect(app.audit.queued()).toBeGreaterThanOrEqual(2);

    // Sign-in and writes: a clear 503.
    const pre = await csrf(app).catch(() => null);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: pre ? { cookie: pre.cookie, 'x-csrf-token': pre.token } : {},
      payload: { email: analyst.user.email, password: analyst.user.password },
    });
    expect(signIn.statusCode).toBe(503);
    expect(signIn.json().message).toMatch(/Postgres\) is unreachable/);
    const write = await app.inject({ method: 'PUT', url: '/api/v1/alerts/thresholds', headers: analyst.headers, payload: { indicator: 'ems.opioid_overdose', area: '*', minCount: 5 } });
    expect(write.statusCode).toBe(503);
    // A session the server has not seen cannot be checked.
    const unknown = await app.inject({ method: 'GET', url: SERIES, headers: { cookie: 'odstat_session=not-a-session-seen-before' } });
    expect(unknown.statusCode).toBe(503);
    // Readiness names the store that is down; liveness stays up.
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks).toMatchObject({ duckdb: 'ok' });
    expect(ready.json().checks.postgres).toMatch(/^unavailable/);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    await relay.open(relay.port);

    // Everything recovers: readiness, sign-in, writes, and the outage's audit rows are written.
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) {
      ok = (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200;
      if (!ok) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ok).toBe(true);
    const again = await login(app, analyst.user);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/alerts/thresholds', headers: again.headers, payload: { indicator: 'ems.opioid_overdose', area: '*', minCount: 5 } })).statusCode).toBe(200);
    await app.audit.flush();
    expect(app.audit.queued()).toBe(0);
    // The one areas request of this test was made during the outage.
    const rows = await sql<{ n: number }>`select count(*)::int as n from audit_log where endpoint = 'GET /api/v1/jurisdictions/:id/areas'`.execute(direct.db);
    expect(rows.rows[0]!.n).toBe(1);
  });
});

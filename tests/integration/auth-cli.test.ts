// `odstat user add|list|disable|enable|password`, then signing in with what it printed; and the
// demo accounts of the embedded default's first start. The accounts go to the embedded database,
// and also (DATABASE_URL set, as in CI) to a fresh database of their own on that Postgres server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { openDuck } from '../../sql/duckdb.ts';
import { migrate, openOps } from '../../sql/postgres/db.ts';
import { listUsers } from '../../sql/postgres/users.ts';
import { createDemoAccounts, DEMO_ACCOUNTS } from '../../cli/demo-accounts.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { openMemoryOps } from '../helpers/pglite.ts';
import { runOdstat, spawnOdstat, type OdstatResult } from '../helpers/odstat.ts';
import { login, type TestUser } from '../helpers/auth.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';

/**
 * `odstat …` as user "tester": in this process (cli/main.ts's main, what bin/odstat.js runs), or,
 * with `spawn`, as the real binary. Each target spawns the binary for the commands that prove it
 * works end to end (an account added with a generated password, one from stdin, the list); the
 * other cases test the commands' logic in process, against the same databases.
 */
function odstat(args: string[], env: Record<string, string>, stdin?: string, spawn = false): Promise<OdstatResult> {
  const e = { USER: 'tester', ...env };
  return spawn ? spawnOdstat(args, e, { stdin: stdin ?? '' }) : runOdstat(args, e, { stdin: stdin ?? '' });
}

describe.each(targetNames())('odstat user (operational db: %s)', { timeout: 240_000 }, (kind) => {
  const data = tempDir('odstat-users-');
  const env: Record<string, string> = { ODSTAT_DATA_DIR: data };
  let target: TestTarget | undefined;
  let printed = '';
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    if (kind === 'server') {
      target = await makeTarget('server');
      if (target.target.kind === 'server') env.DATABASE_URL = target.target.url;
    }
  });
  afterAll(async () => {
    await app?.close();
    await target?.drop();
  });

  it('adds an account and prints a generated password once', async () => {
    const r = await odstat(['user', 'add', '--email', 'Dana@Health.example', '--name', 'Dana Analyst', '--role', 'analyst', '--agency', 'Health Department'], env, undefined, true);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/user 1 added: dana@health\.example \(analyst, Health Department\)/);
    printed = /shown only now.*\n(\S+)/.exec(r.stdout)![1]!;
    expect(printed.length).toBeGreaterThanOrEqual(20);
  });

  it('takes a password from stdin, refuses a short one, and never prints it', async () => {
    const short = await odstat(['user', 'add', '--email', 'cmd@police.example', '--name', 'C', '--role', 'commander', '--agency', 'PD', '--password-stdin'], env, 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 15 characters/);
    const ok = await odstat(['user', 'add', '--email', 'cmd@police.example', '--name', 'C', '--role', 'commander', '--agency', 'PD', '--password-stdin'], env, 'a sufficiently long passphrase\n', kind === 'pglite');
    expect(ok.code).toBe(0);
    expect(ok.stdout).not.toMatch(/sufficiently/);
    expect(ok.stdout).not.toMatch(/shown only now/);
  });

  it('refuses a second account for an email, an unknown role, and missing options', async () => {
    const again = await odstat(['user', 'add', '--email', 'dana@health.example', '--name', 'D', '--role', 'analyst', '--agency', 'H'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/dana@health\.example already has an account/);
    const role = await odstat(['user', 'add', '--email', 'x@y.example', '--name', 'X', '--role', 'superuser', '--agency', 'A'], env);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/unknown role "superuser"; roles: admin, analyst, commander, partner/);
    const missing = await odstat(['user', 'add', '--email', 'x@y.example'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing --name, --role, --agency/);
    const what = await odstat(['user', 'frobnicate'], env);
    expect(what.code).toBe(2);
  });

  it('lists, disables and re-enables accounts', async () => {
    const list = await odstat(['user', 'list'], env, undefined, kind === 'pglite');
    expect(list.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^1\tdana@health\.example\tDana Analyst\tanalyst\tHealth Department\tactive\tlast sign-in never$/),
      expect.stringMatching(/^2\tcmd@police\.example\tC\tcommander\tPD\tactive\t/),
    ]);
    const off = await odstat(['user', 'disable', 'CMD@police.example'], env);
    expect(off.stdout).toMatch(/cmd@police\.example disabled; its sessions have ended/);
    expect((await odstat(['user', 'list'], env)).stdout).toMatch(/cmd@police\.example.*\tdisabled\t/);
    expect((await odstat(['user', 'disable', 'nobody@x.example'], env)).code).toBe(1);
    expect((await odstat(['user', 'enable', 'cmd@police.example'], env)).code).toBe(0);
  });

  it('lets the new account sign in with the printed password, and wrote the actions to the audit log', async () => {
    const ops = await openOps(target ? target.target : { kind: 'embedded', dir: join(data, 'pg') });
    await migrate(ops.db);
    const audit = await ops.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor, a.endpoint])).toEqual([
      ['user.add', 'odstat user add (tester)', 'cli'],
      ['user.add', 'odstat user add (tester)', 'cli'],
      ['user.disable', 'odstat user disable (tester)', 'cli'],
      ['user.enable', 'odstat user enable (tester)', 'cli'],
    ]);
    expect(audit[0]!.params).toEqual({ email: 'dana@health.example', role: 'analyst', agency: 'Health Department' });
    app = await buildApp({ duck: await openDuck(':memory:'), ops, defaultJurisdiction: 'nyc', webRoot: null });
    await app.ready();
    const dana: TestUser = { id: 1, email: 'dana@health.example', password: printed, role: 'analyst', agency: 'Health Department' };
    const s = await login(app, dana);
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    expect(me.json()).toMatchObject({ role: 'analyst', user: { name: 'Dana Analyst', agency: 'Health Department' } });
  });
});

describe('demo accounts', () => {
  it('creates one per role when there is no account, announces them loudly, and never twice', async () => {
    const ops = await openMemoryOps();
    try {
      await migrate(ops.db);
      const lines: string[] = [];
      expect(await createDemoAccounts(ops.db, (s) => lines.push(s))).toBe(true);
      const users = await listUsers(ops.db);
      expect(users.map((u) => u.role)).toEqual(['admin', 'analyst', 'commander', 'partner']);
      expect(users.map((u) => u.email)).toEqual(DEMO_ACCOUNTS.map((a) => a.email));
      const text = lines.join('\n');
      expect(text).toMatch(/DEMO ACCOUNTS CREATED/);
      for (const a of DEMO_ACCOUNTS) expect(text).toMatch(new RegExp(`${a.email.replace('.', '\\.')}\\s+password: \\S{20}`));
      expect(text).toMatch(/DATABASE_URL never gets demo accounts/);
      expect(await createDemoAccounts(ops.db, () => {})).toBe(false);
      expect(await listUsers(ops.db)).toHaveLength(4);
    } finally {
      await ops.close();
    }
  });
});

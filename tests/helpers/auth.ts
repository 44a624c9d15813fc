// Accounts and signed-in sessions for tests: a user of a given role, signed in through the real
// routes (CSRF token, login), returned as the headers a browser would send.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { createUser } from '../../sql/postgres/users.ts';
import { hashPassword, type ScryptParams } from '../../server/auth/passwords.ts';
import type { Database, UserRole } from '../../sql/postgres/schema.ts';

/**
 * A cheap scrypt cost for test accounts. The cost is written in each hash, so signing in is as
 * cheap; auth.test.ts checks the production cost separately.
 */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

let n = 0;

export interface TestUser {
  id: number;
  email: string;
  password: string;
  role: UserRole;
  agency: string;
}

export async function addUser(
  db: Kysely<Database>,
  u: { role: UserRole; email?: string; agency?: string; password?: string; name?: string },
): Promise<TestUser> {
  const email = u.email ?? `${u.role}-${process.pid}-${++n}@test.example`;
  const password = u.password ?? `pw-${u.role}-${n}-long-enough-passphrase`;
  const agency = u.agency ?? `${u.role} agency`;
  const row = await createUser(db, { email, name: u.name ?? `Test ${u.role}`, role: u.role, agency, passwordHash: await hashPassword(password, TEST_SCRYPT) });
  return { id: row.id, email: row.email, password, role: u.role, agency };
}

/** `name=value; …` from a response's Set-Cookie headers, merged over earlier cookies. */
export function mergeCookies(previous: string, res: { cookies: { name: string; value: string }[] }): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] as [string, string]));
  for (const c of res.cookies) {
    if (c.value === '') jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export interface TestSession {
  cookie: string;
  csrf: string;
  /** What a signed-in page sends: the cookies and the CSRF header. */
  headers: { cookie: string; 'x-csrf-token': string };
  user: TestUser;
}

/** A CSRF token (and its cookie) for a browser with these cookies. */
export async function csrf(app: FastifyInstance, cookie = ''): Promise<{ token: string; cookie: string }> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/auth/csrf', headers: cookie ? { cookie } : {} });
  if (res.statusCode !== 200) throw new Error(`GET /api/v1/auth/csrf answered ${res.statusCode}: ${res.body}`);
  return { token: (res.json() as { csrfToken: string }).csrfToken, cookie: mergeCookies(cookie, res) };
}

export async function login(app: FastifyInstance, user: TestUser): Promise<TestSession> {
  const pre = await csrf(app);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { cookie: pre.cookie, 'x-csrf-token': pre.token },
    payload: { email: user.email, password: user.password },
  });
  if (res.statusCode !== 200) throw new Error(`login as ${user.email} answered ${res.statusCode}: ${res.body}`);
  const cookie = mergeCookies(pre.cookie, res);
  const token = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrf: token, headers: { cookie, 'x-csrf-token': token }, user };
}

/** A new user of `role`, signed in. */
export async function loginAs(app: FastifyInstance, role: UserRole, u: { agency?: string } = {}): Promise<TestSession> {
  return login(app, await addUser(app.ops.db, { role, ...u }));
}

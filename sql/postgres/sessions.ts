// Repository of sign-in sessions and sign-in attempts. The session id is 32 random bytes, shown
// only to the browser (an HttpOnly cookie); the table keeps its SHA-256, so a copy of the database
// cannot be replayed as a cookie.
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, User } from './schema.ts';

export const sessionHash = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

export async function createSession(
  db: Kysely<Database>,
  s: { userId: number; maxAgeMs: number; ip: string | null; userAgent: string | null },
): Promise<{ id: string; key: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const key = sessionHash(id);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + s.maxAgeMs);
  await db
    .insertInto('sessions')
    .values({ id_sha256: key, user_id: s.userId, last_seen_at: now, expires_at: expiresAt, revoked_at: null, ip: s.ip, user_agent: s.userAgent?.slice(0, 300) ?? null })
    .execute();
  return { id, key, expiresAt };
}

export interface LiveSession {
  key: string;
  user: Pick<User, 'id' | 'email' | 'display_name' | 'role' | 'agency'>;
  expiresAt: Date;
}

/**
 * The live session with this id: not revoked, before its absolute end, used within `idleMs`,
 * its user not disabled. Marks it used (at most once a minute, to spare a write per request).
 */
export async function findSession(db: Kysely<Database>, id: string, idleMs: number): Promise<LiveSession | undefined> {
  const key = sessionHash(id);
  const now = new Date();
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id_sha256', 'sessions.expires_at', 'sessions.last_seen_at', 'users.id', 'users.email', 'users.display_name', 'users.role', 'users.agency'])
    .where('sessions.id_sha256', '=', key)
    .where('sessions.revoked_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where('sessions.last_seen_at', '>', new Date(now.getTime() - idleMs))
    .executeTakeFirst();
  if (!row) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id_sha256', '=', key).execute();
  }
  return {
    key,
    user: { id: row.id, email: row.email, display_name: row.display_name, role: row.role, agency: row.agency },
    expiresAt: row.expires_at,
  };
}

export async function revokeSession(db: Kysely<Database>, key: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: new Date() }).where('id_sha256', '=', key).where('revoked_at', 'is', null).execute();
}

export async function recordLoginAttempt(db: Kysely<Database>, a: { email: string; ip: string | null; succeeded: boolean }): Promise<void> {
  await db.insertInto('login_attempts').values(a).execute();
}

/**
 * Failed attempts on `email` since `since` and after its last success, oldest first. Counted by
 * email, whether or not an account has it, so a lockout says nothing about which emails exist.
 */
export async function recentFailures(db: Kysely<Database>, email: string, since: Date): Promise<Date[]> {
  const rows = await db
    .selectFrom('login_attempts')
    .select('at')
    .where('email', '=', email)
    .where('succeeded', '=', false)
    .where('at', '>', since)
    .where(({ eb, selectFrom }) =>
      eb(
        'at',
        '>',
        selectFrom('login_attempts as s')
          .select(sql<Date>`coalesce(max(s.at), '-infinity'::timestamptz)`.as('last_ok'))
          .where('s.email', '=', email)
          .where('s.succeeded', '=', true),
      ),
    )
    .orderBy('at')
    .execute();
  return rows.map((r) => r.at);
}

/** Deletes sessions past their absolute end or revoked more than a day ago, and sign-in attempts older than `before`. */
export async function pruneSessions(db: Kysely<Database>, attemptsBefore: Date): Promise<void> {
  const dayAgo = new Date(Date.now() - 86_400_000);
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', dayAgo), eb('revoked_at', '<', dayAgo)]))
    .execute();
  await db.deleteFrom('login_attempts').where('at', '<', attemptsBefore).execute();
}

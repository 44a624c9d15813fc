// Repository of user accounts. Passwords arrive here already hashed (server/auth/passwords.ts).
import type { Kysely } from 'kysely';
import type { Database, User, UserRole } from './schema.ts';

export const USER_ROLES: readonly UserRole[] = ['admin', 'analyst', 'commander', 'partner'];

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function createUser(
  db: Kysely<Database>,
  u: { email: string; name: string; role: UserRole; agency: string; passwordHash: string },
): Promise<User> {
  return db
    .insertInto('users')
    .values({
      email: normalizeEmail(u.email),
      display_name: u.name,
      role: u.role,
      agency: u.agency,
      password_hash: u.passwordHash,
      password_changed_at: new Date(),
      disabled_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  return db.selectFrom('users').selectAll().orderBy('id').execute();
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Disables (or re-enables) an account; disabling also ends its sessions. False when no such user. */
export async function setDisabled(db: Kysely<Database>, email: string, disabled: boolean): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('users')
      .set({ disabled_at: disabled ? new Date() : null })
      .where('email', '=', normalizeEmail(email))
      .returning('id')
      .executeTakeFirst();
    if (!r) return false;
    if (disabled) await tx.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', r.id).where('revoked_at', 'is', null).execute();
    return true;
  });
}

/** Replaces the password hash and ends every session of the account. */
export async function setPassword(db: Kysely<Database>, email: string, passwordHash: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: new Date() })
      .where('email', '=', normalizeEmail(email))
      .returning('id')
      .executeTakeFirst();
    if (!r) return false;
    await tx.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', r.id).where('revoked_at', 'is', null).execute();
    return true;
  });
}

export async function markLoggedIn(db: Kysely<Database>, userId: number): Promise<void> {
  await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', userId).execute();
}

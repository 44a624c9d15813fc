// Accounts, sessions and sign-in attempts (issue 5). Session ids and passwords are never stored:
// a session row is keyed by the SHA-256 of its id (32 random bytes, so a fast hash is enough), and
// users.password_hash holds a self-describing scrypt hash (server/auth/passwords.ts).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('password_changed_at', 'timestamptz')
    .execute();
  // Emails are compared as given at sign-in, lower-cased; one spelling per account.
  await sql`alter table users add constraint users_email_lower check (email = lower(email))`.execute(db);

  await db.schema
    .createTable('sessions')
    .addColumn('id_sha256', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('succeeded', 'boolean', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_email_at').on('login_attempts').columns(['email', 'at']).execute();

  // Who did it when no user row applies (the odstat command, a failed sign-in), the outcome, and
  // where from: enough to answer "who saw what" and "who tried what".
  await db.schema
    .alterTable('audit_log')
    .addColumn('actor', 'text')
    .addColumn('status', 'integer')
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_log_user').execute();
  await db.schema.alterTable('audit_log').dropColumn('actor').dropColumn('status').dropColumn('ip').dropColumn('request_id').execute();
  await db.schema.dropTable('login_attempts').execute();
  await db.schema.dropTable('sessions').execute();
  await sql`alter table users drop constraint users_email_lower`.execute(db);
  await db.schema.alterTable('users').dropColumn('last_login_at').dropColumn('password_changed_at').execute();
}

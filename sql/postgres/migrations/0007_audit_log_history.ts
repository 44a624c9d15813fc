// The audit log is history, not a relation to keep consistent: it records who did what as it
// happened, and no change to the users table may block or rewrite it. Its foreign key to users
// guarded a deletion ODStat never makes (accounts are disabled, not deleted) and cost every
// audited request a look-up into users on insert — a quarter of the embedded Postgres's (PGlite)
// time per audit row, measured at 800-row batches: 40 → 30 µs a row (bench/README.md, load).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_user_id_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_log ADD CONSTRAINT audit_log_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)`.execute(db);
}

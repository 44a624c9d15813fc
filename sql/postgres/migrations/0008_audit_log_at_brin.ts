// audit_log.at is read only by the retention delete (sql/postgres/audit.ts pruneAudit: rows older
// than N days), and the log is append-only, written in time order, so a row's time follows its
// place in the table. That is the case a BRIN index is made for (PostgreSQL 16 docs, §71.1 "BRIN
// Indexes: Introduction": columns "with some natural correlation with their physical location
// within the table"): it keeps a summary per range of pages instead of one entry per row, so
// an audited request no longer pays a B-tree insertion for it. Measured on PGlite, 500-row COPY
// batches of audit rows: 15.6 → 12.3 µs of CPU a row (bench/README.md, "The API under load").
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_log_at').ifExists().execute();
  await sql`CREATE INDEX audit_log_at ON audit_log USING brin (at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_log_at').ifExists().execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
}

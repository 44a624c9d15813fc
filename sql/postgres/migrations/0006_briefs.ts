// Monthly briefs (issue 7, item 3; docs/brief.md). A brief is frozen the first time it is rendered:
// its figures, exactly as the reading role may see them, with the data version and definition
// versions they were computed on, who asked and when. Re-rendering returns the stored figures, so a
// past brief reads the same after new loads. A refresh adds a new version; none is ever overwritten.
// Figures are stored per suppression policy (`policy_key`): a role whose small counts are hidden
// never receives a snapshot made for a role that sees them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('briefs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull())
    // The month the brief is about (its first day).
    .addColumn('brief_month', 'date', (c) => c.notNull())
    // Hash of the reading role's policy (server/policy.ts): which feeds, how fine, which thresholds.
    .addColumn('policy_key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_by_email', 'text')
    .addColumn('created_by_role', 'text', (c) => c.notNull())
    // Why this version exists: 'first render' or 'refresh'.
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('first', 'refresh')`))
    // The role's policy in words and as JSON, as it was when the snapshot was made.
    .addColumn('policy', 'jsonb', (c) => c.notNull())
    .addColumn('figures', 'jsonb', (c) => c.notNull())
    .addColumn('data_version', 'jsonb', (c) => c.notNull())
    .addColumn('definition_versions', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('briefs_version', ['jurisdiction_id', 'brief_month', 'policy_key', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('briefs').execute();
}

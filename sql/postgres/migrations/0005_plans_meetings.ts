// Naloxone plans and working-group meetings (issue 7, items 1 and 2). A plan is kept whole as it
// was computed — who made it, when, its inputs, its result and the data and definition versions
// it was made on — and never changed. A meeting has a date, the agencies present, notes, and
// action items that stay open, meeting after meeting, until someone closes them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('naloxone_plans')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull())
    // The month the kits are for (its first day).
    .addColumn('plan_month', 'date', (c) => c.notNull())
    .addColumn('kits', 'integer', (c) => c.notNull().check(sql`kits >= 0`))
    .addColumn('unit_kind', 'text', (c) => c.notNull().check(sql`unit_kind in ('police','areas')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_by_email', 'text')
    .addColumn('created_by_role', 'text', (c) => c.notNull())
    .addColumn('created_by_agency', 'text')
    // The request with every default filled in.
    .addColumn('inputs', 'jsonb', (c) => c.notNull())
    // Unsuppressed (server/planner/plan.ts, PlanResult); served through server/planner/render.ts.
    .addColumn('result', 'jsonb', (c) => c.notNull())
    // Per set of small-cell thresholds: which unit counts of the last month such a reader may see.
    .addColumn('visibility', 'jsonb', (c) => c.notNull())
    .addColumn('data_version', 'jsonb', (c) => c.notNull())
    .addColumn('definition_versions', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('naloxone_plans_jurisdiction').on('naloxone_plans').columns(['jurisdiction_id', 'id']).execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull())
    .addColumn('meeting_date', 'date', (c) => c.notNull())
    // The period the agenda looks at (signals, supply alerts, plans).
    .addColumn('period_from', 'date', (c) => c.notNull())
    .addColumn('period_to', 'date', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('agencies', 'jsonb', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_by_email', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by_email', 'text')
    .addCheckConstraint('meetings_period', sql`period_from <= period_to`)
    .execute();
  await db.schema.createIndex('meetings_jurisdiction_date').on('meetings').columns(['jurisdiction_id', 'meeting_date']).execute();

  await db.schema
    .createTable('meeting_actions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('owner_agency', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('due_date', 'date')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open','done','dropped')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by_email', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by_email', 'text')
    // When it was closed (done or dropped), and at which meeting if one was named.
    .addColumn('closed_on', 'date')
    .addColumn('closed_in_meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
    .addCheckConstraint('meeting_actions_closed', sql`(status = 'open') = (closed_on is null)`)
    .execute();
  await db.schema.createIndex('meeting_actions_meeting').on('meeting_actions').columns(['meeting_id']).execute();
  await db.schema.createIndex('meeting_actions_status').on('meeting_actions').columns(['status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('meeting_actions').execute();
  await db.schema.dropTable('meetings').execute();
  await db.schema.dropTable('naloxone_plans').execute();
}

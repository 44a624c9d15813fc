// Alerts (issue 4): signal episodes with their red/yellow periods, how far each detector has been
// run, and the ODMAP-style count thresholds the working group sets per area. Episodes are kept
// (never deleted) so the group has its alert history; analysts acknowledge and annotate them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signal_alerts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('geography', 'text', (c) => c.notNull())
    .addColumn('cadence', 'text', (c) => c.notNull().check(sql`cadence in ('day','week')`))
    // An area id of the jurisdiction, or 'total' for the jurisdiction as a whole.
    .addColumn('area_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','closed')`))
    .addColumn('opened_on', 'date', (c) => c.notNull())
    .addColumn('last_signal_on', 'date', (c) => c.notNull())
    .addColumn('closed_on', 'date')
    .addColumn('quiet_periods', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('red_periods', 'integer', (c) => c.notNull())
    .addColumn('yellow_periods', 'integer', (c) => c.notNull())
    // The strongest and the latest period: { date, level, observed, expected, statistic, pValue, pAdjusted }.
    .addColumn('peak', 'jsonb', (c) => c.notNull())
    .addColumn('latest', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('acknowledged_by', 'integer', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .addCheckConstraint('signal_alerts_closed', sql`(status = 'closed') = (closed_on is not null)`)
    .execute();
  // One open episode per detector and area: the hysteresis rule, held by the database too.
  await sql`create unique index signal_alerts_one_open on signal_alerts (jurisdiction_id, indicator, method, geography, area_id) where status = 'open'`.execute(db);
  await db.schema.createIndex('signal_alerts_opened').on('signal_alerts').columns(['jurisdiction_id', 'indicator', 'opened_on']).execute();

  await db.schema
    .createTable('signal_alert_periods')
    .addColumn('alert_id', 'integer', (c) => c.notNull().references('signal_alerts.id').onDelete('cascade'))
    .addColumn('period', 'date', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('red','yellow')`))
    .addColumn('observed', 'double precision')
    .addColumn('expected', 'double precision')
    .addColumn('statistic', 'double precision')
    .addColumn('p_value', 'double precision')
    .addColumn('p_adjusted', 'double precision')
    .addPrimaryKeyConstraint('signal_alert_periods_pk', ['alert_id', 'period'])
    .execute();

  // The last period each detector has been run through, so re-running is a no-op.
  await db.schema
    .createTable('signal_cursors')
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('geography', 'text', (c) => c.notNull())
    .addColumn('evaluated_through', 'date')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('signal_cursors_pk', ['jurisdiction_id', 'indicator', 'method', 'geography'])
    .execute();

  // ODMAP-style alerts: N or more events in 24 hours in an area. area_id '*' is the default for
  // every area without its own row; 'total' the jurisdiction as a whole.
  await db.schema
    .createTable('alert_thresholds')
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text', (c) => c.notNull())
    .addColumn('area_id', 'text', (c) => c.notNull())
    .addColumn('min_count', 'integer', (c) => c.notNull().check(sql`min_count >= 1`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_thresholds_pk', ['jurisdiction_id', 'indicator', 'area_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_thresholds').execute();
  await db.schema.dropTable('signal_cursors').execute();
  await db.schema.dropTable('signal_alert_periods').execute();
  await db.schema.dropTable('signal_alerts').execute();
}

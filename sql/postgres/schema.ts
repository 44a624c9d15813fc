// Table types of the operational database (Postgres, or PGlite embedded). One interface per
// table; repositories take Kysely<Database> or a transaction.
import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type IngestStatus = 'running' | 'succeeded' | 'unchanged' | 'refused' | 'failed' | 'interrupted';

export interface IngestRunsTable {
  id: string;
  feed: string;
  jurisdiction_id: string;
  file_name: string;
  file_sha256: string;
  file_bytes: ColumnType<number, number, number>;
  actor: string;
  status: IngestStatus;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  rows_in: number | null;
  rows_accepted: number | null;
  rows_rejected: number | null;
  rows_unassigned: number | null;
  rejects_by_reason: JSONColumnType<Record<string, number>>;
  definition_versions: JSONColumnType<Record<string, string>>;
  message: string | null;
}

/** Roles a person can sign in with; the fifth, "public", has no account (server/policy.ts). */
export type UserRole = 'admin' | 'analyst' | 'commander' | 'partner';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UsersTable {
  id: Generated<number>;
  /** Lower-case. */
  email: string;
  display_name: string;
  role: UserRole;
  agency: string;
  /** scrypt, self-describing (server/auth/passwords.ts); null = cannot sign in. */
  password_hash: string | null;
  created_at: Generated<Date>;
  disabled_at: NullableTimestamp;
  last_login_at: NullableTimestamp;
  password_changed_at: NullableTimestamp;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the session id; the id itself lives only in the browser's cookie. */
  id_sha256: string;
  user_id: number;
  created_at: Generated<Date>;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Absolute end, whatever the activity. */
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  at: Generated<Date>;
  /** As typed, lower-cased: attempts on unknown emails count too, so lockout reveals nothing. */
  email: string;
  ip: string | null;
  succeeded: boolean;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  user_id: number | null;
  /** Email of the user, or what acted without one ("odstat user add (alice)"). */
  actor: string | null;
  role: string;
  agency: string | null;
  action: string;
  endpoint: string | null;
  params: JSONColumnType<Record<string, unknown>>;
  rows_returned: number | null;
  status: number | null;
  ip: string | null;
  request_id: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  agency: string;
  /** Feeds this token may upload; empty = none. */
  feeds: JSONColumnType<string[]>;
  token_sha256: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface Database {
  api_tokens: ApiTokensTable;
  ingest_runs: IngestRunsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  signal_alerts: SignalAlertsTable;
  signal_alert_periods: SignalAlertPeriodsTable;
  signal_cursors: SignalCursorsTable;
  alert_thresholds: AlertThresholdsTable;
}

// Alerts (migration 0004; repository sql/postgres/alerts.ts). Dates are Postgres `date`, written
// as 'YYYY-MM-DD' and read back cast to text, so no time zone ever touches them.
type DateColumn = ColumnType<string, string, string>;

export interface SignalAlertsTable {
  id: Generated<number>;
  jurisdiction_id: string;
  indicator: string;
  method: string;
  geography: string;
  cadence: 'day' | 'week';
  /** An area id, or 'total' for the jurisdiction as a whole. */
  area_id: string;
  status: 'open' | 'closed';
  opened_on: DateColumn;
  last_signal_on: DateColumn;
  closed_on: ColumnType<string | null, string | null | undefined, string | null>;
  quiet_periods: number;
  red_periods: number;
  yellow_periods: number;
  peak: JSONColumnType<Record<string, unknown>>;
  latest: JSONColumnType<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: number | null;
  note: string | null;
}

export interface SignalAlertPeriodsTable {
  alert_id: number;
  period: DateColumn;
  level: 'red' | 'yellow';
  observed: number | null;
  expected: number | null;
  statistic: number | null;
  p_value: number | null;
  p_adjusted: number | null;
}

export interface SignalCursorsTable {
  jurisdiction_id: string;
  indicator: string;
  method: string;
  geography: string;
  evaluated_through: ColumnType<string | null, string | null, string | null>;
  updated_at: Generated<Date>;
}

export interface AlertThresholdsTable {
  jurisdiction_id: string;
  indicator: string;
  /** An area id, '*' for every area without its own row, or 'total'. */
  area_id: string;
  min_count: number;
  updated_at: Generated<Date>;
  updated_by: string;
}

export type IngestRun = Selectable<IngestRunsTable>;
export type NewIngestRun = Insertable<IngestRunsTable>;
export type IngestRunUpdate = Updateable<IngestRunsTable>;
export type User = Selectable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;

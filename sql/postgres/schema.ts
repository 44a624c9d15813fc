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

export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  role: 'admin' | 'analyst' | 'commander' | 'partner';
  agency: string;
  password_hash: string | null;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  user_id: number | null;
  role: string;
  agency: string | null;
  action: string;
  endpoint: string | null;
  params: JSONColumnType<Record<string, unknown>>;
  rows_returned: number | null;
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
  audit_log: AuditLogTable;
}

export type IngestRun = Selectable<IngestRunsTable>;
export type NewIngestRun = Insertable<IngestRunsTable>;
export type IngestRunUpdate = Updateable<IngestRunsTable>;
export type User = Selectable<UsersTable>;

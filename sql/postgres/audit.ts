// Repository of the audit log: who (user, role, agency) did what (action, endpoint, parameters),
// how it ended (status, rows returned) and when. Rows are only added and, past the retention
// period, deleted; never changed.
import { sql, type Kysely } from 'kysely';
import type { AuditEntry, Database } from './schema.ts';

export interface AuditRecord {
  userId: number | null;
  actor: string | null;
  role: string;
  agency: string | null;
  action: string;
  endpoint: string | null;
  params: Record<string, unknown>;
  rowsReturned?: number | null;
  status?: number | null;
  ip?: string | null;
  requestId?: string | null;
  /** When it happened (default: when the row is written; the server batches, so it sets it). */
  at?: Date;
}

export async function writeAudit(db: Kysely<Database>, r: AuditRecord): Promise<void> {
  await writeAuditBatch(db, [r]);
}

/**
 * Several rows in one INSERT (the server batches its audit rows; see server/plugins/app/audit.ts).
 * The rows go as one bound JSON parameter expanded by jsonb_to_recordset: with a dozen columns,
 * a VALUES list of bound parameters per row cost several times more to build, send and parse
 * (in PGlite, in the server's own thread) than the insert itself.
 */
export async function writeAuditBatch(db: Kysely<Database>, batch: readonly AuditRecord[]): Promise<void> {
  if (batch.length === 0) return;
  // The records as they are: their keys name the recordset's columns (quoted, camelCase), a Date
  // becomes its ISO text (toJSON), and an absent field reads as null. Copying each record into a
  // snake_case object first cost the request thread as much again as the stringify.
  const rows = JSON.stringify(batch);
  await sql`INSERT INTO audit_log (user_id, actor, role, agency, action, endpoint, params, rows_returned, status, ip, request_id, at)
    SELECT "userId", actor, role, agency, action, endpoint, coalesce(params, '{}'::jsonb), "rowsReturned", status, ip, "requestId", coalesce(at, now())
      FROM jsonb_to_recordset(${rows}::jsonb)
        AS r("userId" integer, actor text, role text, agency text, action text, endpoint text, params jsonb,
             "rowsReturned" integer, status integer, ip text, "requestId" text, at timestamptz)`.execute(db);
}

/** Newest first; `before` is the id of the last row of the previous page. */
export async function listAudit(
  db: Kysely<Database>,
  q: { limit: number; before?: number | undefined; userId?: number | undefined; action?: string | undefined },
): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  if (q.userId !== undefined) query = query.where('user_id', '=', q.userId);
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  return query.execute();
}

export async function pruneAudit(db: Kysely<Database>, before: Date): Promise<number> {
  const r = await db.deleteFrom('audit_log').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Repository of the audit log: who (user, role, agency) did what (action, endpoint, parameters),
// how it ended (status, rows returned) and when. Rows are only added and, past the retention
// period, deleted; never changed.
import { CompiledQuery, sql, type Kysely } from 'kysely';
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
 * Postgres text and jsonb cannot hold U+0000, and a request can carry it (`?x=%00`): such a value
 * is written with U+FFFD in its place. (Unchanged, one such row made Postgres refuse its whole
 * batch, and every batch after it, for as long as the server ran.) In JSON text the character is
 * the escape \u0000 — after an even number of backslashes, so an escaped backslash followed by
 * "u0000" stays as it is.
 */
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;
const cleanJson = (json: string): string => (json.includes('\\u0000') ? json.replace(NUL_ESCAPE, '$1\\ufffd') : json);
const cleanText = (v: string): string => (v.includes('\u0000') ? v.replaceAll('\u0000', '\ufffd') : v);

/** A CSV field for COPY (FORMAT csv): unquoted empty is NULL; text is quoted, quotes doubled. */
const csvText = (v: string | null | undefined): string => (v == null ? '' : `"${cleanText(v).replaceAll('"', '""')}"`);
const csvNumber = (v: number | null | undefined): string => (v == null || !Number.isFinite(v) ? '' : String(Math.trunc(v)));

/** The audit_log columns a batch fills, in the order of its CSV fields. */
const AUDIT_COLUMNS = 'user_id, actor, role, agency, action, endpoint, params, rows_returned, status, ip, request_id, at';

/**
 * Several rows in one statement (the server batches its audit rows; see server/plugins/app/audit.ts).
 * `copyRows` (PGlite, sql/postgres/pglite-query.mjs): one COPY of a CSV text, about
 * half the WebAssembly CPU per row of the INSERT below (17 against 32 µs, 800-row batches). A
 * Postgres server: one INSERT from one bound JSON parameter expanded by jsonb_to_recordset — a
 * VALUES list of bound parameters per row cost several times more to build and parse.
 */
export async function writeAuditBatch(db: Kysely<Database>, batch: readonly AuditRecord[], copyRows = false): Promise<void> {
  if (batch.length === 0) return;
  if (copyRows) {
    const now = new Date();
    let csv = '';
    for (const r of batch) {
      csv += `${csvNumber(r.userId)},${csvText(r.actor)},${csvText(r.role)},${csvText(r.agency)},${csvText(r.action)},${csvText(r.endpoint)},${csvText(cleanJson(JSON.stringify(r.params ?? {})))},${csvNumber(r.rowsReturned)},${csvNumber(r.status)},${csvText(r.ip)},${csvText(r.requestId)},${(r.at ?? now).toISOString()}\n`;
    }
    await db.executeQuery(CompiledQuery.raw(`COPY audit_log (${AUDIT_COLUMNS}) FROM '/dev/blob' WITH (FORMAT csv)`, [csv]));
    return;
  }
  // The records as they are: their keys name the recordset's columns (quoted, camelCase), a Date
  // becomes its ISO text (toJSON), and an absent field reads as null. Copying each record into a
  // snake_case object first cost the request thread as much again as the stringify.
  const rows = cleanJson(JSON.stringify(batch));
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

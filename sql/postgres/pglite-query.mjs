// One PGlite query, taking `COPY … FROM '/dev/blob'` with its CSV input as the one parameter:
// PGlite reads a COPY's input from a blob given beside the query (`query(sql, params, { blob })`).
// A COPY sent this way goes through Kysely like any query (CompiledQuery.raw(sql, [csv])), so it
// waits its turn on the dialect's one connection and never lands inside another caller's open
// transaction. Plain JavaScript: the PGlite worker thread (pglite-worker.mjs) has no TypeScript
// loader; sql/postgres/db.ts uses it for in-process PGlite.

const BLOB_COPY = /^COPY [^;]+ FROM '\/dev\/blob'/;

/**
 * @param {{ query(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: unknown[]; affectedRows?: number }> }} lite
 * @param {string} sql
 * @param {unknown[]} params
 */
export function pgliteQuery(lite, sql, params) {
  if (params.length === 1 && typeof params[0] === 'string' && BLOB_COPY.test(sql)) return lite.query(sql, [], { blob: new Blob([params[0]]) });
  return lite.query(sql, params);
}

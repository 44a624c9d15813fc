// The embedded Postgres (PGlite, WebAssembly) in a worker thread of its own, so its queries — an
// audit batch, an admin listing — run beside the server's request thread instead of on it. The
// parent (sql/postgres/db.ts, PGliteThread) sends { id, sql, params } and gets { id, rows,
// affectedRows } or { id, error }; 'close' closes the database. Plain JavaScript: a worker does
// not inherit the parent's TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pgliteQuery } from './pglite-query.mjs';

/** An error as data (structured clone keeps only plain values): message, name and Postgres fields. */
function asData(e) {
  const out = { message: e instanceof Error ? e.message : String(e), name: e instanceof Error ? e.name : 'Error' };
  if (e && typeof e === 'object') {
    for (const [k, v] of Object.entries(e)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  }
  return out;
}

const db = workerData.dir ? new PGlite(workerData.dir) : new PGlite();
try {
  await db.waitReady;
  parentPort.postMessage({ ready: true });
} catch (e) {
  parentPort.postMessage({ ready: false, error: asData(e) });
}

parentPort.on('message', async (m) => {
  try {
    if (m.op === 'close') {
      await db.close();
      parentPort.postMessage({ id: m.id, rows: [] });
      return;
    }
    const r = await pgliteQuery(db, m.sql, m.params ?? []);
    parentPort.postMessage({ id: m.id, rows: r.rows, affectedRows: r.affectedRows });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: asData(e) });
  }
});

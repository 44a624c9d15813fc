// The operational database: a Postgres server when a URL is given, otherwise PGlite (Postgres
// compiled to WebAssembly) in a directory. Same Kysely dialect family, same migrations.
import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001_init.ts';
import * as m0002 from './migrations/0002_api_tokens.ts';
import * as m0003 from './migrations/0003_auth.ts';
import * as m0004 from './migrations/0004_alerts.ts';
import * as m0005 from './migrations/0005_plans_meetings.ts';
import * as m0006 from './migrations/0006_briefs.ts';
import * as m0007 from './migrations/0007_audit_log_history.ts';
import * as m0008 from './migrations/0008_audit_log_at_brin.ts';
import { pgliteQuery } from './pglite-query.mjs';

export type PgTarget = { kind: 'server'; url: string } | { kind: 'embedded'; dir: string } | { kind: 'memory' };

export interface Ops {
  db: Kysely<Database>;
  target: PgTarget;
  /** The store takes `COPY … FROM '/dev/blob'` with a CSV parameter (PGlite: sql/postgres/pglite-query.mjs). */
  copyRows: boolean;
  close(): Promise<void>;
}

// Listed here, not discovered on disk, so a bundled or installed copy migrates the same way.
const MIGRATIONS: Record<string, Migration> = { '0001_init': m0001, '0002_api_tokens': m0002, '0003_auth': m0003, '0004_alerts': m0004, '0005_plans_meetings': m0005, '0006_briefs': m0006, '0007_audit_log_history': m0007, '0008_audit_log_at_brin': m0008 };

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

// Postgres returns bigint (int8) as text; our bigints (byte sizes, audit ids) fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** A store on disk that exists but cannot be opened: the message names it and says what to do. */
export class StoreDamagedError extends Error {}

export function describeTarget(t: PgTarget): string {
  if (t.kind === 'server') {
    const u = new URL(t.url);
    return `Postgres at ${u.hostname}:${u.port || 5432}${u.pathname}`;
  }
  return t.kind === 'embedded' ? `embedded Postgres (PGlite) in ${t.dir}` : 'in-memory PGlite';
}

export async function openOps(target: PgTarget): Promise<Ops> {
  let dialect;
  let copyRows = false;
  if (target.kind === 'server') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5_000 });
    // An idle client whose server went away emits 'error' on the pool; unheard, that would end the
    // process. The pool drops the client, and the next query reports the outage to its caller
    // (503, server/plugins/errors.ts) until Postgres is back.
    pool.on('error', () => {});
    dialect = new PostgresDialect({ pool });
  } else if (target.kind === 'embedded') {
    mkdirSync(target.dir, { recursive: true });
    // In a worker thread: its queries (an audit batch every 100 ms under load) are WebAssembly
    // running ≈ 20 µs a row, which would otherwise take that time from every request.
    let lite: PGliteThread;
    try {
      lite = await PGliteThread.open(target.dir);
    } catch (e) {
      // PGlite says only "failed to initialize properly"; name the folder and what to do.
      const why = e instanceof Error ? e.message : String(e);
      throw new StoreDamagedError(
        `the embedded Postgres in ${target.dir} cannot be opened (${why}): it is damaged or not a PGlite data folder. Restore it from a backup, or move it aside to start with an empty one (users, sessions, audit, plans and ingest runs in it would be gone).`,
      );
    }
    // The dialect calls only query(sql, params) and close() (kysely-pglite-dialect's PGliteConnection and driver).
    dialect = new PGliteDialect(lite as unknown as PGlite);
    copyRows = true;
  } else {
    // In-memory PGlite (tests) stays in this thread.
    const lite = new PGlite();
    try {
      await lite.waitReady;
    } catch (e) {
      throw new StoreDamagedError(`in-memory PGlite cannot start (${e instanceof Error ? e.message : String(e)})`);
    }
    dialect = pgliteDialect(lite);
    copyRows = true;
  }
  const db = new Kysely<Database>({ dialect });
  return { db, target, copyRows, close: () => db.destroy() };
}

/** The Kysely dialect of an in-process PGlite, taking COPY from a blob (pglite-query.mjs; the dialect calls only query and close). */
export function pgliteDialect(lite: PGlite): PGliteDialect {
  const blobAware = { query: (q: string, params: unknown[]) => pgliteQuery(lite, q, params), close: () => lite.close() };
  return new PGliteDialect(blobAware as unknown as PGlite);
}

/** An error sent from the worker as data, made an Error again with its Postgres fields (code, detail …). */
function errorFrom(data: Record<string, unknown>): Error {
  const e = new Error(String(data.message ?? 'embedded Postgres error'));
  Object.assign(e, data);
  return e;
}

/**
 * PGlite in a worker thread (sql/postgres/pglite-worker.mjs), with the two calls the Kysely
 * dialect makes: query(sql, params) → { rows, affectedRows } and close(). Queries are answered in
 * the order sent; PGlite runs one at a time, as it does in-process. If the thread dies, every
 * waiting query and every later one fails with an error that says so.
 */
export class PGliteThread {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (r: { rows: unknown[]; affectedRows?: number }) => void; reject: (e: Error) => void }>();
  private dead: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id: number; rows?: unknown[]; affectedRows?: number; error?: Record<string, unknown> }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) worker.unref();
      if (m.error) w.reject(errorFrom(m.error));
      else w.resolve({ rows: m.rows ?? [], ...(m.affectedRows !== undefined ? { affectedRows: m.affectedRows } : {}) });
    });
    const die = (e: Error) => {
      this.dead = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', (e) => die(new Error(`the embedded Postgres thread failed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => die(new Error(`the embedded Postgres thread has stopped (exit code ${code})`)));
  }

  static async open(dir: string): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dir } });
    const first = await new Promise<{ ready: boolean; error?: Record<string, unknown> }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`exit code ${code}`)));
    });
    if (!first.ready) {
      await worker.terminate();
      throw errorFrom(first.error ?? {});
    }
    // Like PGlite in the main thread, an idle database keeps no process alive; a waiting query does.
    worker.unref();
    return new PGliteThread(worker);
  }

  private send(message: Record<string, unknown>): Promise<{ rows: unknown[]; affectedRows?: number }> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  query(sql: string, params: unknown[] = []): Promise<{ rows: unknown[]; affectedRows?: number }> {
    if (this.dead) return Promise.reject(this.dead);
    return this.send({ sql, params });
  }

  async close(): Promise<void> {
    if (!this.dead) await this.send({ op: 'close' });
    await this.worker.terminate();
  }
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${why}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

// The operational database: a Postgres server when a URL is given, otherwise PGlite (Postgres
// compiled to WebAssembly) in a directory. Same Kysely dialect family, same migrations.
import { mkdirSync } from 'node:fs';
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

export type PgTarget = { kind: 'server'; url: string } | { kind: 'embedded'; dir: string } | { kind: 'memory' };

export interface Ops {
  db: Kysely<Database>;
  target: PgTarget;
  close(): Promise<void>;
}

// Listed here, not discovered on disk, so a bundled or installed copy migrates the same way.
const MIGRATIONS: Record<string, Migration> = { '0001_init': m0001, '0002_api_tokens': m0002, '0003_auth': m0003, '0004_alerts': m0004, '0005_plans_meetings': m0005, '0006_briefs': m0006 };

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
  if (target.kind === 'server') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5_000 });
    // An idle client whose server went away emits 'error' on the pool; unheard, that would end the
    // process. The pool drops the client, and the next query reports the outage to its caller
    // (503, server/plugins/errors.ts) until Postgres is back.
    pool.on('error', () => {});
    dialect = new PostgresDialect({ pool });
  } else {
    if (target.kind === 'embedded') mkdirSync(target.dir, { recursive: true });
    const lite = target.kind === 'embedded' ? new PGlite(target.dir) : new PGlite();
    try {
      await lite.waitReady;
    } catch (e) {
      // PGlite says only "failed to initialize properly"; name the folder and what to do.
      const why = e instanceof Error ? e.message : String(e);
      throw new StoreDamagedError(
        target.kind === 'embedded'
          ? `the embedded Postgres in ${target.dir} cannot be opened (${why}): it is damaged or not a PGlite data folder. Restore it from a backup, or move it aside to start with an empty one (users, sessions, audit, plans and ingest runs in it would be gone).`
          : `in-memory PGlite cannot start (${why})`,
      );
    }
    dialect = new PGliteDialect(lite);
  }
  const db = new Kysely<Database>({ dialect });
  return { db, target, close: () => db.destroy() };
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

// Operational-database targets for tests: always an in-memory PGlite; also a fresh, uniquely
// named database on the real Postgres server when DATABASE_URL is set (as in CI).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PgTarget } from '../../sql/postgres/db.ts';

export interface TestTarget {
  name: string;
  target: PgTarget;
  drop(): Promise<void>;
}

export async function createServerDatabase(url: string): Promise<TestTarget> {
  const name = `odstat_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // The name is made here from hex digits, never from input; CREATE DATABASE takes no parameters.
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    name: `postgres server (${name})`,
    target: { kind: 'server', url: u.toString() },
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The targets every operational-database test runs against. */
export function targetNames(): string[] {
  return process.env.DATABASE_URL ? ['pglite', 'server'] : ['pglite'];
}

export async function makeTarget(kind: string): Promise<TestTarget> {
  if (kind === 'server') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    return createServerDatabase(url);
  }
  return { name: 'pglite (memory)', target: { kind: 'memory' }, drop: async () => {} };
}

// In-memory PGlite for tests, started from a snapshot of a freshly migrated database instead of
// running initdb and every migration each time. The snapshot is made once per set of migrations
// (and PGlite version) by the same code path as openOps + migrate, and kept in the system temp
// folder; each test then gets its own real PGlite, loaded from it, in a second or so less CPU
// than initdb takes. openOps({ kind: 'memory' }) and migrate themselves are still tested as such
// (tests/integration/postgres.test.ts, briefs-postgres.test.ts, the snapshot's own build).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { migrate, pgliteDialect, type Ops } from '../../sql/postgres/db.ts';
import type { Database } from '../../sql/postgres/schema.ts';

const REPO = join(import.meta.dirname, '..', '..');

function snapshotKey(): string {
  const h = createHash('sha256');
  const dir = join(REPO, 'sql', 'postgres', 'migrations');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  h.update(readFileSync(join(REPO, 'sql', 'postgres', 'db.ts')));
  h.update(readFileSync(join(REPO, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  return h.digest('hex').slice(0, 16);
}

let cached: Promise<Blob> | undefined;

/** The migrated empty database's data directory, as PGlite's tarball (made if missing). */
function snapshot(): Promise<Blob> {
  cached ??= (async () => {
    const file = join(tmpdir(), `odstat-pglite-${snapshotKey()}.tar`);
    if (existsSync(file)) return new Blob([new Uint8Array(readFileSync(file))]);
    const lite = new PGlite();
    await lite.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
    try {
      await migrate(db);
      const tar = await lite.dumpDataDir('none');
      const buf = Buffer.from(await tar.arrayBuffer());
      // Written aside and renamed: a worker reading it never sees half a file.
      const part = `${file}.${process.pid}.part`;
      writeFileSync(part, buf);
      renameSync(part, file);
      return tar;
    } finally {
      await db.destroy();
    }
  })();
  return cached;
}

/** What openOps({ kind: 'memory' }) gives, migrated: a fresh in-memory PGlite of this test's own. */
export async function openMemoryOps(): Promise<Ops> {
  const lite = new PGlite({ loadDataDir: await snapshot() });
  await lite.waitReady;
  const db = new Kysely<Database>({ dialect: pgliteDialect(lite) });
  return { db, target: { kind: 'memory' }, copyRows: true, close: () => db.destroy() };
}

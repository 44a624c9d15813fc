// Repository of ingest runs: one row per `odstat ingest` (or upload), written when it starts and
// completed when it ends, so a crash leaves a visible 'running' row that the next start marks.
import type { Kysely } from 'kysely';
import type { Database, IngestRun, IngestRunUpdate, NewIngestRun } from './schema.ts';

export async function startRun(db: Kysely<Database>, run: NewIngestRun): Promise<void> {
  await db.insertInto('ingest_runs').values(run).execute();
}

export async function finishRun(db: Kysely<Database>, id: string, update: IngestRunUpdate): Promise<void> {
  await db.updateTable('ingest_runs').set(update).where('id', '=', id).execute();
}

/** Runs left 'running' by a process that died. */
export async function markInterrupted(db: Kysely<Database>): Promise<number> {
  const res = await db
    .updateTable('ingest_runs')
    .set({ status: 'interrupted', finished_at: new Date(), message: 'the process ended before the load finished' })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function recentRuns(db: Kysely<Database>, limit = 50): Promise<IngestRun[]> {
  return db.selectFrom('ingest_runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
}

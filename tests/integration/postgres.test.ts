import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrate, openOps, type Ops } from '../../sql/postgres/db.ts';
import { finishRun, markInterrupted, recentRuns, startRun } from '../../sql/postgres/ingest-runs.ts';
import { pruneAudit, writeAuditBatch, type AuditRecord } from '../../sql/postgres/audit.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';

describe.each(targetNames())('operational database on %s', (kind) => {
  let t: TestTarget;
  let ops: Ops;

  beforeAll(async () => {
    t = await makeTarget(kind);
    ops = await openOps(t.target);
  });
  afterAll(async () => {
    await ops?.close();
    await t?.drop();
  });

  it('applies the migrations once, then has nothing to do', async () => {
    expect(await migrate(ops.db)).toEqual(['0001_init', '0002_api_tokens', '0003_auth', '0004_alerts', '0005_plans_meetings', '0006_briefs', '0007_audit_log_history', '0008_audit_log_at_brin']);
    expect(await migrate(ops.db)).toEqual([]);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(ops.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['audit_log', 'ingest_runs', 'kysely_migration', 'kysely_migration_lock', 'login_attempts', 'sessions', 'users']),
    );
    // The audit log is history: no foreign key ties it to the users table (0007).
    const fks = await sql<{ conname: string }>`
      select conname from pg_constraint where conrelid = 'audit_log'::regclass and contype = 'f'`.execute(ops.db);
    expect(fks.rows).toEqual([]);
    // The retention delete's index is a BRIN summary, not a B-tree entry per audited request (0008).
    const at = await sql<{ indexdef: string }>`select indexdef from pg_indexes where tablename = 'audit_log' and indexname = 'audit_log_at'`.execute(ops.db);
    expect(at.rows.map((r) => r.indexdef)).toEqual([expect.stringMatching(/USING brin \(at\)/)]);
  });

  it('deletes audit rows past retention through the BRIN index, in or out of time order', async () => {
    const base = Date.UTC(2020, 0, 1);
    const day = 86_400_000;
    // 3,000 rows a day apart in time order, then 10 old ones appended out of order.
    const batch: AuditRecord[] = [];
    for (let i = 0; i < 3000; i++) batch.push({ userId: null, actor: 'test', role: 'analyst', agency: null, action: 'data.read', endpoint: 'GET /x', params: {}, rowsReturned: 0, status: 200, ip: null, requestId: `r${i}`, at: new Date(base + i * day) });
    for (let i = 0; i < 10; i++) batch.push({ userId: null, actor: 'test', role: 'analyst', agency: null, action: 'data.read', endpoint: 'GET /x', params: {}, rowsReturned: 0, status: 200, ip: null, requestId: `old${i}`, at: new Date(base - (i + 1) * day) });
    await writeAuditBatch(ops.db, batch, ops.copyRows);
    const cutoff = new Date(base + 1000 * day);
    const expected = 1000 + 10;
    expect(await pruneAudit(ops.db, cutoff)).toBe(expected);
    const left = await sql<{ n: number; first: Date }>`select count(*)::int as n, min(at) as first from audit_log where request_id like 'r%' or request_id like 'old%'`.execute(ops.db);
    expect(left.rows[0]!.n).toBe(2000);
    expect(new Date(left.rows[0]!.first).getTime()).toBe(cutoff.getTime());
  });

  it('records an ingest run and reads its JSON columns back as objects', async () => {
    await startRun(ops.db, {
      id: 'run-1',
      feed: 'mortality',
      jurisdiction_id: 'nyc',
      file_name: 'a.csv',
      file_sha256: 'ab'.repeat(32),
      file_bytes: 5_000_000_000,
      actor: 'test',
      status: 'running',
      started_at: new Date('2025-01-02T03:04:05Z'),
      finished_at: null,
      rows_in: null,
      rows_accepted: null,
      rows_rejected: null,
      rows_unassigned: null,
      rejects_by_reason: JSON.stringify({}),
      definition_versions: JSON.stringify({ mortality: 'v1' }),
      message: null,
    });
    await finishRun(ops.db, 'run-1', {
      status: 'succeeded',
      rows_in: 10,
      rows_accepted: 8,
      rows_rejected: 2,
      rejects_by_reason: JSON.stringify({ invalid_date: 2 }),
    });
    const [run] = await recentRuns(ops.db);
    expect(run?.status).toBe('succeeded');
    expect(run?.rejects_by_reason).toEqual({ invalid_date: 2 });
    expect(run?.definition_versions).toEqual({ mortality: 'v1' });
    expect(run?.file_bytes).toBe(5_000_000_000);
    expect(run?.started_at.toISOString()).toBe('2025-01-02T03:04:05.000Z');
  });

  it('marks runs left running by a dead process as interrupted', async () => {
    await startRun(ops.db, {
      id: 'run-2', feed: 'mortality', jurisdiction_id: 'nyc', file_name: 'b.csv', file_sha256: 'cd'.repeat(32),
      file_bytes: 1, actor: 'test', status: 'running', started_at: new Date(), finished_at: null, rows_in: null,
      rows_accepted: null, rows_rejected: null, rows_unassigned: null, rejects_by_reason: '{}', definition_versions: '{}', message: null,
    });
    expect(await markInterrupted(ops.db)).toBe(1);
    expect(await markInterrupted(ops.db)).toBe(0);
    const runs = await recentRuns(ops.db);
    expect(runs.find((r) => r.id === 'run-2')?.status).toBe('interrupted');
  });

  it('writes audit rows exactly as given, by every path the store takes', async () => {
    const awkward = ['quote " and, comma', 'line\nbreak\r\nand CR', 'é ü 東京 🙂', 'back\\slash \\u0000 as text', '', 'NUL\u0000inside'];
    const records: AuditRecord[] = awkward.map((text, i) => ({
      userId: i % 2 ? null : 7,
      actor: text,
      role: 'analyst',
      agency: i === 4 ? null : text,
      action: 'data.read',
      endpoint: `GET /api/v1/series ${i}`,
      params: { query: { indicator: text, areas: [text, 'b'] }, params: {} },
      rowsReturned: i === 3 ? null : i * 1000,
      status: 200,
      ip: '::1',
      requestId: `req-${i}`,
      at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, i)),
    }));
    // U+0000 cannot be stored by Postgres; it is written as U+FFFD.
    const stored = (v: string) => v.replaceAll('\u0000', '\ufffd');
    for (const copyRows of ops.copyRows ? [true, false] : [false]) {
      const tag = `audit-${copyRows ? 'copy' : 'insert'}`;
      await writeAuditBatch(ops.db, records.map((r) => ({ ...r, action: tag })), copyRows);
      const back = await ops.db.selectFrom('audit_log').selectAll().where('action', '=', tag).orderBy('request_id').execute();
      expect(back.map((b) => [b.user_id, b.actor, b.agency, b.endpoint, b.params, b.rows_returned, b.status, b.ip, b.request_id, b.at.toISOString()])).toEqual(
        records.map((r) => [
          r.userId,
          stored(r.actor!),
          r.agency === null ? null : stored(r.agency),
          r.endpoint,
          { query: { indicator: stored(r.actor!), areas: [stored(r.actor!), 'b'] }, params: {} },
          r.rowsReturned,
          200,
          '::1',
          r.requestId,
          r.at!.toISOString(),
        ]),
      );
    }
  });

  it('refuses a status outside the allowed set', async () => {
    await expect(
      sql`insert into ingest_runs (id, feed, jurisdiction_id, file_name, file_sha256, file_bytes, actor, status, started_at)
          values ('x', 'f', 'j', 'n', 'h', 1, 'a', 'bogus', now())`.execute(ops.db),
    ).rejects.toThrow(/check constraint/i);
  });
});

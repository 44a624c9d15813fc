// The brief snapshots' repository (migration 0006, sql/postgres/briefs.ts) on PGlite and, when
// DATABASE_URL is set, on a real Postgres server: versions per month and policy, never overwritten,
// JSON read back as objects, and a race for the same version caught by the unique constraint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openOps, type Ops } from '../../sql/postgres/db.ts';
import { getBrief, insertBrief, isDuplicate, listBriefVersions } from '../../sql/postgres/briefs.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';

describe.each(targetNames())('brief snapshots on %s', (kind) => {
  let t: TestTarget;
  let ops: Ops;
  beforeAll(async () => {
    t = await makeTarget(kind);
    ops = await openOps(t.target);
    await migrate(ops.db);
  });
  afterAll(async () => {
    await ops?.close();
    await t?.drop();
  });

  const snap = (policyKey: string, n: number, reason: 'first' | 'refresh' = 'first') => ({
    jurisdiction: 'nyc',
    month: '2025-11',
    policyKey,
    reason,
    createdBy: { id: null, email: 'a@example.org', role: 'analyst' },
    policy: { key: policyKey },
    figures: { deaths: n, nested: { list: [1, 2, 3] } },
    dataVersion: { files: n, lastRun: `run-${n}`, lastLoadedAt: null, feeds: {} },
    definitionVersions: { 'deaths.any_drug': 'nchs-icd10-v1' },
  });

  it('numbers versions per month and policy and keeps every one', async () => {
    expect(await insertBrief(ops.db, snap('analystkey', 1))).toMatchObject({ version: 1 });
    expect(await insertBrief(ops.db, snap('commanderkey', 7))).toMatchObject({ version: 1 });
    expect(await insertBrief(ops.db, snap('analystkey', 2, 'refresh'))).toMatchObject({ version: 2 });
    const key = { jurisdiction: 'nyc', month: '2025-11', policyKey: 'analystkey' };
    const latest = await getBrief<{ deaths: number; nested: { list: number[] } }, { files: number }>(ops.db, key);
    expect([latest!.version, latest!.reason, latest!.month, latest!.figures.deaths, latest!.dataVersion.files]).toEqual([2, 'refresh', '2025-11', 2, 2]);
    expect(latest!.figures.nested.list).toEqual([1, 2, 3]);
    expect(latest!.definitionVersions).toEqual({ 'deaths.any_drug': 'nchs-icd10-v1' });
    expect((await getBrief<{ deaths: number }, unknown>(ops.db, key, 1))!.figures.deaths).toBe(1);
    expect((await getBrief<{ deaths: number }, unknown>(ops.db, { ...key, policyKey: 'commanderkey' }))!.figures.deaths).toBe(7);
    expect(await getBrief(ops.db, { ...key, month: '2025-10' })).toBeUndefined();
    expect((await listBriefVersions(ops.db, key)).map((v) => [v.version, v.reason])).toEqual([
      [2, 'refresh'],
      [1, 'first'],
    ]);
  });

  it('refuses a second row for the same version, recognisably', async () => {
    const dup = ops.db
      .withTables<{ briefs: { jurisdiction_id: string; brief_month: string; policy_key: string; version: number; created_by_role: string; reason: string; policy: string; figures: string; data_version: string; definition_versions: string } }>()
      .insertInto('briefs')
      .values({ jurisdiction_id: 'nyc', brief_month: '2025-11-01', policy_key: 'analystkey', version: 1, created_by_role: 'analyst', reason: 'first', policy: '{}', figures: '{}', data_version: '{}', definition_versions: '{}' })
      .execute();
    const err = await dup.catch((e: unknown) => e);
    expect(isDuplicate(err)).toBe(true);
  });
});

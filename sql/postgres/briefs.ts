// Repository of monthly brief snapshots (migration 0006). A snapshot is written once and never
// changed; a refresh writes the next version. The table types live here (Kysely's withTables), as
// plans.ts does, so sql/postgres/schema.ts stays as it was.
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Json<T> = ColumnType<T, string, string>;

export type BriefsTable = {
  id: Generated<number>;
  jurisdiction_id: string;
  brief_month: ColumnType<string, string, string>;
  policy_key: string;
  version: number;
  created_at: Generated<Date>;
  created_by: number | null;
  created_by_email: string | null;
  created_by_role: string;
  reason: 'first' | 'refresh';
  policy: Json<unknown>;
  figures: Json<unknown>;
  data_version: Json<unknown>;
  definition_versions: Json<unknown>;
};

export type BriefTables = { briefs: BriefsTable };

const briefsDb = (db: Kysely<Database>) => db.withTables<BriefTables>();

export interface BriefKey {
  jurisdiction: string;
  month: string; // 'YYYY-MM'
  policyKey: string;
}

export interface NewBrief<F, D> extends BriefKey {
  reason: 'first' | 'refresh';
  createdBy: { id: number | null; email: string | null; role: string };
  policy: unknown;
  figures: F;
  dataVersion: D;
  definitionVersions: Record<string, string>;
}

export interface BriefRow<F = unknown, D = unknown> extends BriefKey {
  id: number;
  version: number;
  createdAt: string;
  createdBy: { id: number | null; email: string | null; role: string };
  reason: 'first' | 'refresh';
  policy: unknown;
  figures: F;
  dataVersion: D;
  definitionVersions: Record<string, string>;
}

export interface BriefVersion {
  version: number;
  createdAt: string;
  createdBy: string | null;
  reason: 'first' | 'refresh';
}

const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** A unique-constraint violation: another request froze the same version first. */
export const isDuplicate = (e: unknown) => (e as { code?: string } | null)?.code === '23505' || /briefs_version|duplicate key/i.test(String((e as Error)?.message ?? e));

/**
 * Writes the next version for the key (1 when none exists) and returns its id and number. Two
 * writers racing for the same version: one wins, the other gets the unique violation (isDuplicate).
 */
export async function insertBrief<F, D>(db: Kysely<Database>, b: NewBrief<F, D>): Promise<{ id: number; version: number }> {
  const last = await briefsDb(db)
    .selectFrom('briefs')
    .select(sql<number>`coalesce(max(version), 0)`.as('v'))
    .where('jurisdiction_id', '=', b.jurisdiction)
    .where('brief_month', '=', `${b.month}-01`)
    .where('policy_key', '=', b.policyKey)
    .executeTakeFirstOrThrow();
  const version = Number(last.v) + 1;
  const r = await briefsDb(db)
    .insertInto('briefs')
    .values({
      jurisdiction_id: b.jurisdiction,
      brief_month: `${b.month}-01`,
      policy_key: b.policyKey,
      version,
      created_by: b.createdBy.id,
      created_by_email: b.createdBy.email,
      created_by_role: b.createdBy.role,
      reason: b.reason,
      policy: JSON.stringify(b.policy),
      figures: JSON.stringify(b.figures),
      data_version: JSON.stringify(b.dataVersion),
      definition_versions: JSON.stringify(b.definitionVersions),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: r.id, version };
}

/** One version of the key's snapshot, or the latest when `version` is undefined. */
export async function getBrief<F, D>(db: Kysely<Database>, k: BriefKey, version?: number): Promise<BriefRow<F, D> | undefined> {
  let q = briefsDb(db)
    .selectFrom('briefs')
    .selectAll()
    .select(sql<string>`to_char(brief_month, 'YYYY-MM')`.as('month'))
    .where('jurisdiction_id', '=', k.jurisdiction)
    .where('brief_month', '=', `${k.month}-01`)
    .where('policy_key', '=', k.policyKey);
  if (version !== undefined) q = q.where('version', '=', version);
  const r = await q.orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    jurisdiction: r.jurisdiction_id,
    month: r.month,
    policyKey: r.policy_key,
    version: r.version,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: { id: r.created_by, email: r.created_by_email, role: r.created_by_role },
    reason: r.reason,
    policy: parse(r.policy),
    figures: parse(r.figures) as F,
    dataVersion: parse(r.data_version) as D,
    definitionVersions: parse(r.definition_versions) as Record<string, string>,
  };
}

/** Every version of the key, newest first. */
export async function listBriefVersions(db: Kysely<Database>, k: BriefKey): Promise<BriefVersion[]> {
  const rows = await briefsDb(db)
    .selectFrom('briefs')
    .select(['version', 'created_at', 'created_by_email', 'reason'])
    .where('jurisdiction_id', '=', k.jurisdiction)
    .where('brief_month', '=', `${k.month}-01`)
    .where('policy_key', '=', k.policyKey)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, createdAt: new Date(r.created_at).toISOString(), createdBy: r.created_by_email, reason: r.reason }));
}

// Repository of naloxone plans (migration 0005). A plan is written once and never changed. The
// table types live here (Kysely's withTables), so sql/postgres/schema.ts stays as it was.
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Json<T> = ColumnType<T, string, string>;

export type NaloxonePlansTable = {
  id: Generated<number>;
  jurisdiction_id: string;
  plan_month: ColumnType<string, string, string>;
  kits: number;
  unit_kind: 'police' | 'areas';
  created_at: Generated<Date>;
  created_by: number | null;
  created_by_email: string | null;
  created_by_role: string;
  created_by_agency: string | null;
  inputs: Json<unknown>;
  result: Json<unknown>;
  visibility: Json<unknown>;
  data_version: Json<unknown>;
  definition_versions: Json<unknown>;
};

// Type aliases, not interfaces: withTables wants an index signature.
export type PlanTables = {
  naloxone_plans: NaloxonePlansTable;
};

const plansDb = (db: Kysely<Database>) => db.withTables<PlanTables>();

export interface NewPlan<I, R, V, D> {
  jurisdiction: string;
  month: string; // 'YYYY-MM'
  kits: number;
  unitKind: 'police' | 'areas';
  createdBy: { id: number | null; email: string | null; role: string; agency: string | null };
  inputs: I;
  result: R;
  visibility: V;
  dataVersion: D;
  definitionVersions: Record<string, string>;
}

export interface PlanRow<I = unknown, R = unknown, V = unknown, D = unknown> {
  id: number;
  jurisdiction: string;
  month: string; // 'YYYY-MM'
  kits: number;
  unitKind: 'police' | 'areas';
  createdAt: string;
  createdBy: { id: number | null; email: string | null; role: string; agency: string | null };
  inputs: I;
  result: R;
  visibility: V;
  dataVersion: D;
  definitionVersions: Record<string, string>;
}

export type PlanSummary = Omit<PlanRow, 'inputs' | 'result' | 'visibility'> & { units: number };

export async function insertPlan<I, R, V, D>(db: Kysely<Database>, p: NewPlan<I, R, V, D>): Promise<number> {
  const r = await plansDb(db)
    .insertInto('naloxone_plans')
    .values({
      jurisdiction_id: p.jurisdiction,
      plan_month: `${p.month}-01`,
      kits: p.kits,
      unit_kind: p.unitKind,
      created_by: p.createdBy.id,
      created_by_email: p.createdBy.email,
      created_by_role: p.createdBy.role,
      created_by_agency: p.createdBy.agency,
      inputs: JSON.stringify(p.inputs),
      result: JSON.stringify(p.result),
      visibility: JSON.stringify(p.visibility),
      data_version: JSON.stringify(p.dataVersion),
      definition_versions: JSON.stringify(p.definitionVersions),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

const COLUMNS = [
  'id',
  'jurisdiction_id',
  sql<string>`to_char(plan_month, 'YYYY-MM')`.as('month'),
  'kits',
  'unit_kind',
  'created_at',
  'created_by',
  'created_by_email',
  'created_by_role',
  'created_by_agency',
  'data_version',
  'definition_versions',
] as const;

interface BaseRow {
  id: number;
  jurisdiction_id: string;
  month: string;
  kits: number;
  unit_kind: 'police' | 'areas';
  created_at: Date;
  created_by: number | null;
  created_by_email: string | null;
  created_by_role: string;
  created_by_agency: string | null;
  data_version: unknown;
  definition_versions: unknown;
}

const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

function base(r: BaseRow) {
  return {
    id: r.id,
    jurisdiction: r.jurisdiction_id,
    month: r.month,
    kits: r.kits,
    unitKind: r.unit_kind,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: { id: r.created_by, email: r.created_by_email, role: r.created_by_role, agency: r.created_by_agency },
    dataVersion: parse(r.data_version),
    definitionVersions: parse(r.definition_versions) as Record<string, string>,
  };
}

export async function getPlan<I, R, V, D>(db: Kysely<Database>, id: number): Promise<PlanRow<I, R, V, D> | undefined> {
  const r = await plansDb(db).selectFrom('naloxone_plans').select([...COLUMNS, 'inputs', 'result', 'visibility']).where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  return { ...base(r as BaseRow), dataVersion: parse(r.data_version) as D, inputs: parse(r.inputs) as I, result: parse(r.result) as R, visibility: parse(r.visibility) as V };
}

/** Newest first; `before` an id, for the next page. */
export async function listPlans(db: Kysely<Database>, f: { jurisdiction: string; limit: number; before?: number | undefined; month?: string | undefined }): Promise<PlanSummary[]> {
  let q = plansDb(db)
    .selectFrom('naloxone_plans')
    .select([...COLUMNS, sql<number>`jsonb_array_length(result->'units')`.as('units')])
    .where('jurisdiction_id', '=', f.jurisdiction);
  if (f.before !== undefined) q = q.where('id', '<', f.before);
  if (f.month !== undefined) q = q.where('plan_month', '=', `${f.month}-01`);
  const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({ ...base(r as BaseRow), units: Number(r.units) }));
}

/** The latest plan for a month from `fromMonth` to `toMonth` ('YYYY-MM', inclusive), for a meeting's agenda. */
export async function latestPlanFor(db: Kysely<Database>, jurisdiction: string, fromMonth: string, toMonth: string): Promise<PlanSummary | undefined> {
  const r = await plansDb(db)
    .selectFrom('naloxone_plans')
    .select([...COLUMNS, sql<number>`jsonb_array_length(result->'units')`.as('units')])
    .where('jurisdiction_id', '=', jurisdiction)
    .where('plan_month', '>=', `${fromMonth}-01`)
    .where('plan_month', '<=', `${toMonth}-01`)
    .orderBy('plan_month', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? { ...base(r as BaseRow), units: Number(r.units) } : undefined;
}

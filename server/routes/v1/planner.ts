// The naloxone planner (issue 7, item 1; docs/planner.md): kits to place across police units or
// areas in proportion to forecast need, each allocation explained, plans saved with who made them,
// when, from what inputs and on which data. The forecast, allocation and sentences are pure
// (server/planner/); this file reads the data, decides who may see what, and stores the plan.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { findIndicator, INDICATORS } from '../../../sql/indicators/index.ts';
import { getPlan, insertPlan, listPlans, type PlanRow } from '../../../sql/postgres/plans.ts';
import { Plan, PlanList, PlanParams, PlanRequest, PlansQuery } from '../../schemas/planner.ts';
import { badRequest, errorResponses, forbidden, HttpError, notFound } from '../../http.ts';
import { describePolicy, policyFor, ROLES, type Role } from '../../policy.ts';
import { withConn } from '../../duck.ts';
import { PublishedCubes } from '../../privacy/published.ts';
import type { Cube } from '../../privacy/suppress.ts';
import { AllocationError } from '../../planner/allocate.ts';
import { DEFAULT_HOLT } from '../../planner/forecast.ts';
import {
  addMonths,
  coverage,
  dataVersion,
  definitionVersions,
  jurisdictionConfig,
  loadUnits,
  monthsFrom,
  PlanDataError,
  unitMonths,
  type DataVersion,
  type PlanUnit,
} from '../../planner/data.ts';
import { computePlan, DEFAULT_SOURCES, MAX_HORIZON, type PlanInputs, type PlanResult, type PlanSource } from '../../planner/plan.ts';
import { renderPlan, visibilityKey, type UnitVisibility } from '../../planner/render.ts';
import { unitCells, type UnitCells } from '../../planner/unit-cells.ts';

export interface PlannerRouteOptions {
  defaultJurisdiction: string;
}

/** Roles that may make plans; every member (analyst, commander, partner, admin) may read them. */
const CREATORS: readonly Role[] = ['analyst', 'commander', 'admin'];
/** Roles that read plans: the visibility of unit counts is stored for each of their threshold sets. */
const READERS: readonly Role[] = ROLES.filter((r) => r !== 'public');

type StoredVisibility = Record<string, UnitVisibility>;
type StoredPlan = PlanRow<PlanInputs, PlanResult, StoredVisibility, DataVersion>;

const DEFAULT_LIMIT = 20;

function role(req: FastifyRequest): Role {
  const r = req.auth.role;
  if (r === null) throw new HttpError(401, 'sign in first (POST /api/v1/auth/login)');
  return r;
}

/** The reader's small-cell threshold per source; refuses a role that may not see a source's feed by area. */
function thresholdsFor(app: FastifyInstance, r: Role, sources: readonly Pick<PlanSource, 'indicator'>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sources) {
    const def = findIndicator(s.indicator);
    if (!def) throw badRequest(`unknown indicator "${s.indicator}"; known: ${INDICATORS.map((d) => d.id).join(', ')}`);
    const p = policyFor(r, def.feed, app.security.policy);
    if (!p.allowed) throw forbidden(`${describePolicy(r, def.feed, p)}; this plan uses ${def.id}`);
    if (p.minArea !== 'area') throw forbidden(`${describePolicy(r, def.feed, p)}; a plan is by unit`);
    out[s.indicator] = p.threshold;
  }
  return out;
}

function normaliseSources(body: Static<typeof PlanRequest>): PlanSource[] {
  const asked = body.sources ?? DEFAULT_SOURCES;
  const seen = new Set<string>();
  return asked.map((s) => {
    const def = findIndicator(s.indicator);
    if (!def) throw badRequest(`unknown indicator "${s.indicator}" in "sources"; known: ${INDICATORS.map((d) => d.id).join(', ')}`);
    if (seen.has(def.id)) throw badRequest(`indicator ${def.id} appears twice in "sources"`);
    seen.add(def.id);
    const geography = s.geography ?? (def.geographies.includes('event') ? 'event' : def.geographies[0]!);
    if (!def.geographies.includes(geography)) throw badRequest(`indicator ${def.id} has no "${geography}" geography (sources)`);
    return { indicator: def.id, label: def.label, weight: s.weight, geography };
  });
}

const routes: FastifyPluginAsyncTypebox<PlannerRouteOptions> = async (app, opts) => {
  const cubes = new PublishedCubes();
  // Unit-count visibility per published cube (a new cube, a new data version: decided afresh).
  const cellCache = new WeakMap<Cube, Map<string, UnitCells>>();

  const cellsFor = async (
    c: DuckDBConnection,
    p: { jurisdiction: string; source: PlanSource; threshold: number; units: readonly PlanUnit[]; unitKind: string },
  ): Promise<UnitCells> => {
    const range = (await coverage(c, p.jurisdiction, [p.source.indicator])).ranges[p.source.indicator]!;
    const { cube } = await cubes.get(c, {
      jurisdiction: p.jurisdiction,
      indicator: p.source.indicator,
      geography: p.source.geography,
      threshold: p.threshold,
      dataStart: range.first,
      dataEnd: range.last,
    });
    const key = `${p.unitKind}|${JSON.stringify(p.units.map((u) => [u.id, u.areas]))}`;
    let byUnits = cellCache.get(cube);
    if (!byUnits) cellCache.set(cube, (byUnits = new Map()));
    let cells = byUnits.get(key);
    if (!cells) {
      cells = unitCells(cube, new Map(p.units.map((u) => [u.id, u.areas])), p.threshold);
      byUnits.set(key, cells);
    }
    return cells;
  };

  const respond = async (row: StoredPlan, r: Role) => {
    const thresholds = thresholdsFor(app, r, row.result.sources);
    const key = visibilityKey(row.result.sources, thresholds);
    const rendered = renderPlan(row.result, { thresholds, visibility: row.visibility[key] ?? null });
    const synthetic = await withConn(app, async (c) => (await jurisdictionConfig(c, row.jurisdiction))?.synthetic === true);
    return {
      id: row.id,
      jurisdiction: row.jurisdiction,
      kits: row.kits,
      createdAt: row.createdAt,
      createdBy: { email: row.createdBy.email, role: row.createdBy.role, agency: row.createdBy.agency },
      dataVersion: row.dataVersion,
      definitionVersions: row.definitionVersions,
      synthetic,
      inputs: { minimum: row.inputs.minimum, minimums: row.inputs.minimums, stock: row.inputs.stock },
      ...rendered,
    };
  };

  app.post(
    '/plans',
    {
      config: { access: 'members', auditAction: 'plans.create' },
      schema: {
        tags: ['planner'],
        summary: 'Make and save a naloxone plan: kits by police unit (or area) in proportion to forecast need, each explained',
        description:
          "Need per unit = Σ weight × the damped-Holt forecast of each source's monthly counts (default: EMS suspected opioid overdoses × 1 + overdose deaths × 3, where they happened). Every unit gets its minimum; the rest go by each unit's shortfall against its need-share of new kits plus stock, by largest remainder, adding up exactly. Analysts, commanders and administrators. 400 names the field at fault (e.g. kits below the sum of the minimums).",
        body: PlanRequest,
        response: { 201: Plan, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = role(req);
      if (!CREATORS.includes(r)) throw forbidden(`the ${r} role may read plans but not make them (analysts, commanders and administrators make plans)`);
      const b = req.body;
      const jurisdiction = b.jurisdiction ?? opts.defaultJurisdiction;
      const sources = normaliseSources(b);
      thresholdsFor(app, r, sources);
      const forecast = { ...DEFAULT_HOLT, ...(b.forecast ?? {}) };
      const made = await withConn(app, async (c) => {
        try {
          const unitSet = await loadUnits(c, jurisdiction, b.units);
          const cov = await coverage(c, jurisdiction, sources.map((s) => s.indicator));
          const month = b.month ?? addMonths(cov.last, 1);
          const lastUsed = monthsFrom(cov.last, addMonths(month, -1)) < 0 ? addMonths(month, -1) : cov.last;
          const horizon = monthsFrom(lastUsed, month);
          if (horizon > MAX_HORIZON) throw badRequest(`"month" (${month}) is ${horizon} months after the last whole month of data (${lastUsed}); at most ${MAX_HORIZON}`);
          if (lastUsed < cov.first) throw badRequest(`"month" (${month}) is before the data: whole months run from ${cov.first} to ${cov.last}`);
          const months: string[] = [];
          for (let m = cov.first; m <= lastUsed; m = addMonths(m, 1)) months.push(m);
          const counts = new Map<string, Map<string, number[]>>();
          for (const s of sources) {
            counts.set(s.indicator, await unitMonths(c, { jurisdiction, indicator: s.indicator, geography: s.geography, months }, unitSet.units));
          }
          const inputs: PlanInputs = {
            jurisdiction,
            month,
            kits: b.kits,
            minimum: b.minimum ?? 0,
            minimums: b.minimums ?? {},
            stock: b.stock ?? {},
            units: unitSet.kind,
            sources,
            forecast,
          };
          const result = computePlan(inputs, {
            unitKind: unitSet.kind,
            unitLabel: unitSet.label,
            crosswalkNote: unitSet.note,
            unmappedAreas: unitSet.unmapped,
            units: unitSet.units,
            months,
            counts,
          });
          // What a reader with a small-cell threshold may see of last month's unit counts, for
          // each set of thresholds the reading roles have now.
          const visibility: StoredVisibility = {};
          for (const reader of READERS) {
            const t = Object.fromEntries(sources.map((s) => [s.indicator, policyFor(reader, findIndicator(s.indicator)!.feed, app.security.policy).threshold]));
            if (sources.every((s) => t[s.indicator] === 0)) continue;
            const key = visibilityKey(sources, t);
            if (visibility[key]) continue;
            const v: UnitVisibility = Object.fromEntries(unitSet.units.map((u) => [u.id, {}]));
            for (const s of sources) {
              const th = t[s.indicator]!;
              if (th <= 0) {
                for (const u of result.units) {
                  const last = u.need.components.find((x) => x.indicator === s.indicator)!.lastMonth;
                  v[u.id]![s.indicator] = last === 0 ? 'zero' : 'shown';
                }
                continue;
              }
              const cells = await cellsFor(c, { jurisdiction, source: s, threshold: th, units: unitSet.units, unitKind: unitSet.kind });
              const col = cells.months.indexOf(`${result.lastMonth}-01`);
              for (const u of unitSet.units) v[u.id]![s.indicator] = col < 0 ? 'withheld' : cells.states.get(u.id)![col]!;
            }
            visibility[key] = v;
          }
          return { inputs, result, visibility, dataVersion: await dataVersion(c, jurisdiction), definitionVersions: await definitionVersions(c, sources.map((s) => s.indicator)) };
        } catch (e) {
          if (e instanceof AllocationError || e instanceof PlanDataError) throw badRequest(`${e.field}: ${e.message}`);
          throw e;
        }
      });
      const id = await insertPlan(app.ops.db, {
        jurisdiction,
        month: made.inputs.month,
        kits: made.inputs.kits,
        unitKind: made.inputs.units,
        createdBy: { id: req.auth.user?.id ?? null, email: req.auth.user?.email ?? null, role: r, agency: req.auth.user?.agency ?? null },
        inputs: made.inputs,
        result: made.result,
        visibility: made.visibility,
        dataVersion: made.dataVersion,
        definitionVersions: made.definitionVersions,
      });
      req.auditExtra = { planId: id, kits: made.inputs.kits, month: made.inputs.month };
      const row = (await getPlan<PlanInputs, PlanResult, StoredVisibility, DataVersion>(app.ops.db, id))!;
      req.rowsReturned = row.result.units.length;
      reply.code(201);
      return respond(row, r);
    },
  );

  app.get(
    '/plans',
    {
      config: { access: 'members', auditAction: 'plans.read', tabular: { name: 'plans', tables: [{ path: 'plans' }] } },
      schema: {
        tags: ['planner'],
        summary: 'Saved naloxone plans, newest first',
        querystring: PlansQuery,
        response: { 200: PlanList, ...errorResponses },
      },
    },
    async (req) => {
      role(req);
      const q = req.query;
      const jurisdiction = q.jurisdiction ?? opts.defaultJurisdiction;
      const limit = q.limit ?? DEFAULT_LIMIT;
      const found = await listPlans(app.ops.db, { jurisdiction, limit: limit + 1, before: q.before, month: q.month });
      const page = found.slice(0, limit);
      req.rowsReturned = page.length;
      return {
        jurisdiction,
        plans: page.map((p) => ({
          id: p.id,
          jurisdiction: p.jurisdiction,
          month: p.month,
          kits: p.kits,
          unitKind: p.unitKind,
          units: p.units,
          createdAt: p.createdAt,
          createdBy: { email: p.createdBy.email, role: p.createdBy.role, agency: p.createdBy.agency },
          dataVersion: p.dataVersion as DataVersion,
        })),
        nextBefore: found.length > limit ? page[page.length - 1]!.id : null,
      };
    },
  );

  const readOne = async (req: FastifyRequest, id: number) => {
    const r = role(req);
    const row = await getPlan<PlanInputs, PlanResult, StoredVisibility, DataVersion>(app.ops.db, id);
    if (!row) throw notFound(`no plan ${id}`);
    req.rowsReturned = row.result.units.length;
    return respond(row, r);
  };

  const oneSchema = {
    tags: ['planner'],
    params: PlanParams,
    response: { 200: Plan, ...errorResponses },
  };
  app.get(
    '/plans/:id',
    {
      config: { access: 'members', auditAction: 'plans.read', tabular: { name: 'plan', tables: [{ path: 'units' }] } },
      schema: {
        ...oneSchema,
        summary: 'One saved plan: kits per unit with the sentence explaining each (CSV: one row per unit)',
        description: 'Counts follow the reader’s small-cell rule (server/policy.ts): a role with a threshold sees last month’s count of a unit only where it cannot give a hidden area count back, and whole-number forecasts.',
      },
    },
    async (req) => readOne(req, req.params.id),
  );
  app.get(
    '/plans/:id.csv',
    {
      config: { access: 'members', auditAction: 'plans.read', tabular: { name: 'plan', tables: [{ path: 'units' }] } },
      schema: { ...oneSchema, summary: 'One saved plan as CSV: one row per unit, with its explanation' },
    },
    async (req) => {
      req.format = 'csv';
      return readOne(req, req.params.id);
    },
  );
};

export default routes;

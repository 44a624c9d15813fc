// Request and response schemas of the naloxone planner (/api/v1/plans; docs/planner.md). As v1.ts:
// the routes validate and serialise with them, the OpenAPI document is built from them, and web/
// may import their static types.
import { Type, type Static } from 'typebox';

const JurisdictionId = Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'Defaults to the configured default jurisdiction.' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM', examples: ['2026-01'] });
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

export const PlanSourceInput = Type.Object(
  {
    indicator: Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', examples: ['ems.opioid_overdose'] }),
    weight: Type.Number({ minimum: 0, maximum: 1000, description: 'Weight of one event of this indicator in the need.' }),
    geography: Type.Optional(Type.Union([Type.Literal('event'), Type.Literal('residence')], { description: 'Count events where they happened (default) or by residence.' })),
  },
  { additionalProperties: false },
);

export const PlanRequest = Type.Object(
  {
    jurisdiction: Type.Optional(JurisdictionId),
    month: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
        description: 'The month the kits are for, YYYY-MM. Default: the month after the last whole month of data. The forecast uses whole months before it; at most 6 months after the data.',
      }),
    ),
    kits: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Kits to place.' }),
    minimum: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Kits every unit gets whatever its need (default 0).' })),
    minimums: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 1_000_000 }), { description: 'Per-unit minimums, overriding "minimum".' })),
    stock: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 10_000_000 }), { description: 'Kits each unit holds now; a unit left out is taken as holding none.' })),
    units: Type.Optional(
      Type.Union([Type.Literal('police'), Type.Literal('areas')], {
        description: "police: the jurisdiction's police units (crosswalk in jurisdiction.json → policeUnits; NYC: the 8 NYPD patrol boroughs); areas: one unit per area. Default police where configured.",
      }),
    ),
    sources: Type.Optional(
      Type.Array(PlanSourceInput, {
        minItems: 1,
        maxItems: 4,
        description: 'What need is made of. Default: ems.opioid_overdose weight 1 and deaths.any_drug weight 3, both where they happened.',
      }),
    ),
    forecast: Type.Optional(
      Type.Object(
        {
          alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Level smoothing (default 0.3).' })),
          beta: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Trend smoothing (default 0.1).' })),
          phi: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Trend damping (default 0.9).' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PlanRequest = Static<typeof PlanRequest>;

const Who = Type.Object({
  email: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  agency: Type.Union([Type.String(), Type.Null()]),
});

const FeedVersion = Type.Object({ files: Type.Integer(), lastRun: Type.String(), lastLoadedAt: Type.String() });
export const DataVersion = Type.Object(
  {
    files: Type.Integer({ description: 'Files loaded for the jurisdiction when the plan was made.' }),
    lastRun: Type.Union([Type.String(), Type.Null()], { description: 'Ingest run id of the latest load.' }),
    lastLoadedAt: Type.Union([Type.String(), Type.Null()]),
    feeds: Type.Record(Type.String(), FeedVersion),
  },
  { description: 'The data the plan was made on (DuckDB loaded_files).' },
);

const Component = Type.Object({
  weight: Type.Number(),
  forecast: Type.Number({ description: 'Forecast events in the plan month (whole numbers for roles with a small-cell threshold).' }),
  lastMonth: Type.Union([Type.Integer(), Type.Null()], { description: 'Count of the last month of data; null when suppressed for this role.' }),
  lastMonthState: Type.Union([Type.Literal('shown'), Type.Literal('zero'), Type.Literal('suppressed'), Type.Literal('missing')]),
  lastMonthText: Type.String({ description: 'The count as words: a number, "fewer than 10", or "suppressed".' }),
});

export const PlanUnit = Type.Object({
  id: Type.String(),
  name: Type.String(),
  areas: Type.Array(Type.String(), { description: 'Area ids in the unit.' }),
  kits: Type.Integer({ description: 'Kits allocated: minimum + extra.' }),
  minimum: Type.Integer(),
  stock: Type.Union([Type.Integer(), Type.Null()], { description: 'Stock given for the unit; null when not given (taken as 0).' }),
  need: Type.Number({ description: 'Forecast need: Σ weight × forecast (whole numbers for roles with a small-cell threshold).' }),
  needShare: Type.Number({ description: 'need / total need.' }),
  poolShare: Type.Number({ description: 'needShare × (kits + total stock): what the unit would hold at its share.' }),
  gap: Type.Number({ description: 'max(0, poolShare − stock − minimum).' }),
  gapShare: Type.Number({ description: 'gap / total gap: its part of the kits above the minimums.' }),
  extra: Type.Integer({ description: 'Kits above the minimum (largest remainder).' }),
  remainderKit: Type.Boolean({ description: 'One of its extra kits came by largest remainder.' }),
  basis: Type.Union([Type.Literal('share'), Type.Literal('stocked'), Type.Literal('minimum')], {
    description: 'share: kits by its shortfall; stocked: holds its share already, so only its minimum; minimum: its share is no more than its minimum.',
  }),
  trendPct: Nullable(Type.Number({ description: 'Damped trend of the need, percent of its level per month.' })),
  trendPerMonth: Nullable(Type.Number({ description: 'The same in need units per month (analysts only).' })),
  components: Type.Record(Type.String(), Component, { description: 'By source indicator.' }),
  explanation: Type.String({ description: 'One sentence with the numbers this unit’s share rests on.' }),
});

const Totals = Type.Object({
  kits: Type.Integer(),
  pool: Type.Integer({ description: 'kits + total stock.' }),
  stockTotal: Type.Integer(),
  minimumTotal: Type.Integer(),
  extraKits: Type.Integer({ description: 'kits − Σ minimums: allocated by shortfall.' }),
  totalNeed: Type.Number(),
  totalGap: Type.Number(),
  remainderKits: Type.Integer({ description: 'Kits given one each by largest remainder.' }),
});

export const PlanSource = Type.Object({ indicator: Type.String(), label: Type.String(), weight: Type.Number(), geography: Type.String() });

export const Plan = Type.Object({
  id: Type.Integer(),
  jurisdiction: Type.String(),
  month: Month,
  kits: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Who,
  dataVersion: DataVersion,
  definitionVersions: Type.Record(Type.String(), Type.String()),
  synthetic: Type.Boolean({ description: 'The jurisdiction runs on synthetic data.' }),
  restricted: Type.Boolean({ description: 'Counts are cut to this role’s small-cell rule (server/policy.ts).' }),
  lastMonth: Month,
  firstMonth: Month,
  horizon: Type.Integer({ description: 'Months from the last month of data to the plan month.' }),
  unitKind: Type.Union([Type.Literal('police'), Type.Literal('areas')]),
  unitLabel: Type.String(),
  crosswalkNote: Type.Union([Type.String(), Type.Null()], { description: 'How the areas were assigned to police units (an approximation).' }),
  unmappedAreas: Type.Array(Type.String(), { description: 'Areas the crosswalk leaves out, each planned as its own unit.' }),
  method: Type.Object({
    forecast: Type.String(),
    allocation: Type.String(),
    params: Type.Object({ alpha: Type.Number(), beta: Type.Number(), phi: Type.Number() }),
  }),
  sources: Type.Array(PlanSource),
  inputs: Type.Object({
    minimum: Type.Integer(),
    minimums: Type.Record(Type.String(), Type.Integer()),
    stock: Type.Record(Type.String(), Type.Integer()),
  }),
  totals: Totals,
  units: Type.Array(PlanUnit),
});
export type Plan = Static<typeof Plan>;

// Serial ids (Postgres integer): a larger value is refused here, not by Postgres (a 500).
export const PlanParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const PlansQuery = Type.Object({
  jurisdiction: Type.Optional(JurisdictionId),
  month: Type.Optional(Month),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Plans per page (default 20).' })),
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Plans older than this id (the previous page’s nextBefore).' })),
});

export const PlanSummary = Type.Object({
  id: Type.Integer(),
  jurisdiction: Type.String(),
  month: Month,
  kits: Type.Integer(),
  unitKind: Type.Union([Type.Literal('police'), Type.Literal('areas')]),
  units: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Who,
  dataVersion: DataVersion,
});

export const PlanList = Type.Object({
  jurisdiction: Type.String(),
  plans: Type.Array(PlanSummary),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as "before" for the next page; null on the last page.' }),
});
export type PlanList = Static<typeof PlanList>;

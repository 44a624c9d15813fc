// Request and response schemas of the monthly brief (/api/v1/briefs; docs/brief.md). As v1.ts: the
// routes validate and serialise with them, the OpenAPI document is built from them, and web/ may
// import their static types.
import { Type, type Static } from 'typebox';
import { DataVersion } from './planner.ts';
import { DateString } from './v1.ts';
import { ALERT_EPISODE_FIELDS } from './meetings.ts';

const JurisdictionId = Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'Defaults to the configured default jurisdiction.' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const Int = Type.Union([Type.Integer(), Type.Null()]);
const Num = Type.Union([Type.Number(), Type.Null()]);
const State = Type.Union([Type.Literal('shown'), Type.Literal('zero'), Type.Literal('suppressed'), Type.Literal('missing')]);

export const Figure = Type.Object({
  month: Month,
  count: Type.Union([Type.Integer(), Type.Null()], { description: 'null when hidden for this role or not covered by the data (see state).' }),
  state: State,
  rate: Type.Union([Type.Number(), Type.Null()], { description: 'Crude rate per 100,000 residents for the month (not annualised).' }),
  partial: Type.Boolean({ description: 'The data end inside the month.' }),
});
export type Figure = Static<typeof Figure>;

export const Headline = Type.Object({
  indicator: Type.String(),
  label: Type.String(),
  geography: Type.String(),
  available: Type.Boolean({ description: 'false: this role may not see the feed (see note).' }),
  note: Type.Union([Type.String(), Type.Null()]),
  current: Type.Union([Figure, Type.Null()]),
  previous: Type.Union([Figure, Type.Null()], { description: 'The month before.' }),
  yearAgo: Type.Union([Figure, Type.Null()], { description: 'The same month a year earlier.' }),
  changePrevious: Type.Union([Type.Number(), Type.Null()], { description: 'Percent change of the count from the month before; null when either is hidden, missing or 0.' }),
  changeYearAgo: Type.Union([Type.Number(), Type.Null()], { description: 'Percent change from the same month a year earlier.' }),
  definitionVersion: Type.Union([Type.String(), Type.Null()]),
});
export type Headline = Static<typeof Headline>;

export const MapArea = Type.Object({ id: Type.String(), name: Type.String(), count: Int, state: State, rate: Num });

export const BriefMap = Type.Object({
  indicator: Type.String(),
  label: Type.String(),
  geography: Type.String(),
  areas: Type.Array(MapArea),
});

export const Hotspot = Type.Object({
  ...ALERT_EPISODE_FIELDS,
  explanation: Type.String({ description: 'Observed against expected at the peak, the statistic and its p-value, as far as this role may see them.' }),
  note: Type.Union([Type.String(), Type.Null()], { description: 'The analyst’s note on the episode.' }),
});
export type Hotspot = Static<typeof Hotspot>;

export const SupplyLine = Type.Object({
  id: Type.String(),
  label: Type.String(),
  current: Type.Union([Figure, Type.Null()]),
  previous: Type.Union([Figure, Type.Null()]),
  change: Num,
});
export type SupplyLine = Static<typeof SupplyLine>;

export const BriefSupply = Type.Object({
  available: Type.Boolean(),
  note: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(SupplyLine, { description: 'Samples tested and samples positive per substance, this month and the month before.' }),
  concentration: Type.Object({
    current: Num,
    previous: Num,
    description: Type.String(),
  }),
  firstSeen: Type.Array(Type.Object({ substance: Type.String(), category: Type.Union([Type.String(), Type.Null()]), firstSeen: Type.String() }), {
    description: 'Substances drug checking found for the first time in the jurisdiction this month.',
  }),
});

export const BriefPlan = Type.Object({
  id: Type.Integer(),
  month: Month,
  kits: Type.Integer(),
  unitLabel: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  units: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kits: Type.Integer(), explanation: Type.String() })),
});

export const BriefAction = Type.Object({
  id: Type.Integer(),
  ownerAgency: Type.String(),
  description: Type.String(),
  dueDate: Type.Union([DateString, Type.Null()]),
  status: Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('dropped')]),
  overdue: Type.Boolean(),
  closedOn: Type.Union([DateString, Type.Null()]),
  carriedOver: Type.Boolean({ description: 'Raised at an earlier meeting.' }),
});

export const BriefMeeting = Type.Object({
  id: Type.Integer(),
  date: DateString,
  title: Type.Union([Type.String(), Type.Null()]),
  agencies: Type.Array(Type.String()),
  actions: Type.Array(BriefAction),
});

export const BriefFigures = Type.Object({
  month: Month,
  jurisdiction: Type.String(),
  jurisdictionName: Type.String(),
  synthetic: Type.Boolean(),
  from: DateString,
  to: DateString,
  previousMonth: Month,
  yearAgoMonth: Month,
  headline: Type.Array(Headline),
  map: Type.Union([BriefMap, Type.Null()]),
  hotspots: Type.Object({
    new: Type.Array(Hotspot, { description: 'Alert episodes opened during the month.' }),
    continuing: Type.Array(Hotspot, { description: 'Opened before the month and open at some time in it.' }),
    note: Type.String(),
  }),
  supply: BriefSupply,
  plan: Type.Union([BriefPlan, Type.Null()]),
  planNote: Type.Union([Type.String(), Type.Null()]),
  meeting: Type.Union([BriefMeeting, Type.Null()]),
  meetingNote: Type.Union([Type.String(), Type.Null()]),
});
export type BriefFigures = Static<typeof BriefFigures>;

export const Brief = Type.Object({
  id: Type.Integer(),
  jurisdiction: Type.String(),
  month: Month,
  version: Type.Integer({ description: 'Snapshot version for this month and this reader’s suppression policy; 1 is the first render.' }),
  versions: Type.Array(
    Type.Object({ version: Type.Integer(), createdAt: Type.String(), createdBy: Type.Union([Type.String(), Type.Null()]), reason: Type.Union([Type.Literal('first'), Type.Literal('refresh')]) }),
    { description: 'Every snapshot of this month for this policy, newest first.' },
  ),
  frozenAt: Type.String({ format: 'date-time' }),
  frozenBy: Type.Object({ email: Type.Union([Type.String(), Type.Null()]), role: Type.String() }),
  reason: Type.Union([Type.Literal('first'), Type.Literal('refresh')]),
  policy: Type.Object({ key: Type.String(), description: Type.String({ description: 'What readers under this policy see (server/policy.ts).' }) }),
  dataVersion: DataVersion,
  definitionVersions: Type.Record(Type.String(), Type.String()),
  newerData: Type.Boolean({ description: 'Data were loaded after this snapshot; a refresh (analysts, administrators) would use them.' }),
  figures: BriefFigures,
});
export type Brief = Static<typeof Brief>;

export const BriefParams = Type.Object({ month: Type.String({ maxLength: 20, description: 'YYYY-MM', examples: ['2025-11'] }) });
export const BriefQuery = Type.Object({
  jurisdiction: Type.Optional(JurisdictionId),
  version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'An earlier snapshot; default the latest (made now if none exists).' })),
});
export const BriefRefresh = Type.Object({ jurisdiction: Type.Optional(JurisdictionId) }, { additionalProperties: false });

export const ServiceSessionRequest = Type.Object(
  { role: Type.Union([Type.Literal('analyst'), Type.Literal('commander'), Type.Literal('partner')], { description: 'The role the brief is printed as.' }) },
  { additionalProperties: false },
);
export const ServiceSession = Type.Object({
  cookie: Type.Object({ name: Type.String(), value: Type.String(), path: Type.String() }),
  email: Type.String(),
  role: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});

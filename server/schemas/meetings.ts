// Request and response schemas of working-group meetings (/api/v1/meetings; docs/planner.md).
import { Type, type Static } from 'typebox';
import { DateString } from './v1.ts';

const JurisdictionId = Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'Defaults to the configured default jurisdiction.' });
const Agency = Type.String({ minLength: 1, maxLength: 200 });
const Notes = Type.String({ maxLength: 20_000 });

export const MeetingCreate = Type.Object(
  {
    jurisdiction: Type.Optional(JurisdictionId),
    date: DateString,
    title: Type.Optional(Type.String({ maxLength: 200 })),
    agencies: Type.Array(Agency, { maxItems: 100, description: 'Agencies present.' }),
    notes: Type.Optional(Notes),
    periodFrom: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First day the agenda looks at. Default: the day after the previous meeting, or the first day of the month before the meeting.' })),
    periodTo: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last day the agenda looks at. Default: the meeting date.' })),
  },
  { additionalProperties: false },
);
export type MeetingCreate = Static<typeof MeetingCreate>;

export const MeetingUpdate = Type.Object(
  {
    date: Type.Optional(DateString),
    title: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    agencies: Type.Optional(Type.Array(Agency, { maxItems: 100 })),
    notes: Type.Optional(Notes),
    periodFrom: Type.Optional(DateString),
    periodTo: Type.Optional(DateString),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ActionStatus = Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('dropped')]);

export const ActionCreate = Type.Object(
  {
    ownerAgency: Agency,
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    dueDate: Type.Optional(Type.Union([DateString, Type.Null()])),
  },
  { additionalProperties: false },
);

export const ActionUpdate = Type.Object(
  {
    ownerAgency: Type.Optional(Agency),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    dueDate: Type.Optional(Type.Union([DateString, Type.Null()])),
    status: Type.Optional(ActionStatus),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ActionItem = Type.Object({
  id: Type.Integer(),
  meetingId: Type.Integer({ description: 'The meeting that raised it.' }),
  meetingDate: DateString,
  ownerAgency: Type.String(),
  description: Type.String(),
  dueDate: Type.Union([DateString, Type.Null()]),
  status: ActionStatus,
  overdue: Type.Boolean({ description: 'Open and due before the meeting viewed.' }),
  closedOn: Type.Union([DateString, Type.Null()], { description: 'Date of the meeting it was closed at.' }),
  closedInMeetingId: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

/** What every view of an alert episode says about it (the meeting's agenda, the monthly brief). */
export const ALERT_EPISODE_FIELDS = {
  alertId: Type.Integer(),
  indicator: Type.String(),
  indicatorLabel: Type.String(),
  method: Type.String(),
  cadence: Type.String(),
  area: Type.String(),
  areaName: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  openedOn: DateString,
  lastSignalOn: DateString,
  closedOn: Type.Union([DateString, Type.Null()]),
  redPeriods: Type.Integer(),
  yellowPeriods: Type.Integer(),
};

export const AgendaAlert = Type.Object({
  ...ALERT_EPISODE_FIELDS,
  peakObserved: Nullable(Type.Number({ description: 'Analysts only; null for roles with a small-cell threshold.' })),
  peakExpected: Nullable(Type.Number()),
  acknowledged: Type.Boolean(),
  note: Type.Union([Type.String(), Type.Null()]),
});

export const AgendaSupply = Type.Object({
  substance: Type.String(),
  feed: Type.String(),
  firstSeen: Type.String({ description: 'Collection date (analysts) or month YYYY-MM (roles served by month).' }),
  area: Type.Union([Type.String(), Type.Null()], { description: 'Area of the first sample (analysts only).' }),
  areaName: Type.Union([Type.String(), Type.Null()]),
  samplesInPeriod: Type.Union([Type.Integer(), Type.Null()], { description: 'null when suppressed for this role (see samplesText).' }),
  samplesText: Type.String(),
});

export const AgendaPlan = Type.Object({
  planId: Type.Integer(),
  month: Type.String(),
  kits: Type.Integer(),
  units: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const AgendaItem = Type.Object({
  kind: Type.Union([Type.Literal('signal'), Type.Literal('supply'), Type.Literal('plan'), Type.Literal('actions')]),
  title: Type.String({ description: 'One line for the agenda.' }),
});

export const Agenda = Type.Object({
  periodFrom: DateString,
  periodTo: DateString,
  items: Type.Array(AgendaItem, { description: 'The agenda in order: carried-over action items, signals, supply, naloxone plan.' }),
  signals: Type.Array(AgendaAlert, { description: 'Alert episodes open at some time in the period (as stored: GET /alerts?indicator=… brings a detector up to date).' }),
  supply: Type.Array(AgendaSupply, { description: 'Substances found by drug checking for the first time in the jurisdiction during the period.' }),
  plan: Type.Union([AgendaPlan, Type.Null()], { description: 'The latest naloxone plan for a month from the period’s first to the month after the meeting.' }),
  clusters: Type.String({ description: 'Why space–time clusters are not on the agenda yet.' }),
});

export const Meeting = Type.Object({
  id: Type.Integer(),
  jurisdiction: Type.String(),
  date: DateString,
  title: Type.Union([Type.String(), Type.Null()]),
  periodFrom: DateString,
  periodTo: DateString,
  agencies: Type.Array(Type.String()),
  notes: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  previousMeetingId: Type.Union([Type.Integer(), Type.Null()]),
  actions: Type.Array(ActionItem, { description: 'Raised at this meeting.' }),
  carriedOver: Type.Array(ActionItem, { description: 'Raised at earlier meetings and open at this one (closed here or later, or still open).' }),
  agenda: Agenda,
});
export type Meeting = Static<typeof Meeting>;

export const MeetingSummary = Type.Object({
  id: Type.Integer(),
  jurisdiction: Type.String(),
  date: DateString,
  title: Type.Union([Type.String(), Type.Null()]),
  agencies: Type.Array(Type.String()),
  openActions: Type.Integer({ description: 'Items raised at this meeting still open.' }),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
});

export const MeetingList = Type.Object({
  jurisdiction: Type.String(),
  meetings: Type.Array(MeetingSummary),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as "before" for the next page; null on the last page.' }),
});

export const MeetingsQuery = Type.Object({
  jurisdiction: Type.Optional(JurisdictionId),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Meetings per page (default 20).' })),
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Meetings before this one (the previous page’s nextBefore).' })),
});

// Serial ids (Postgres integer): a larger value is refused here, not by Postgres (a 500).
export const MeetingParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const ActionParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), actionId: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

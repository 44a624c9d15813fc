// Request and response schemas of the public HTTP API (/api/v1). The route plugins use them
// for validation and serialisation, @fastify/swagger turns them into the OpenAPI document,
// and web/ imports their static types (type-only), so the client is never typed by hand.
import { Type, type Static } from 'typebox';

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String({ description: 'What was wrong, naming the parameter where one was.' }),
  },
  { $id: 'Error' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const DateString = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'Calendar date, YYYY-MM-DD',
  examples: ['2024-01-31'],
});

export const Source = Type.Object({ what: Type.String(), publisher: Type.String() });

export const Jurisdiction = Type.Object({
  id: Type.String({ examples: ['nyc'] }),
  name: Type.String(),
  areaKind: Type.String({ description: 'What one area is, e.g. "UHF 42 neighborhood".' }),
  areaGroupKind: Type.Union([Type.String(), Type.Null()]),
  areaCount: Type.Integer(),
  synthetic: Type.Boolean({ description: 'True when the feeds are synthetic (the default city).' }),
  syntheticNote: Type.Union([Type.String(), Type.Null()]),
  dataRange: Type.Union([Type.Object({ from: DateString, to: DateString }), Type.Null()], {
    description: 'First and last event date loaded for any feed; null before any load.',
  }),
  sources: Type.Array(Source),
});
export type Jurisdiction = Static<typeof Jurisdiction>;

export const JurisdictionList = Type.Object({ jurisdictions: Type.Array(Jurisdiction) });
export type JurisdictionList = Static<typeof JurisdictionList>;

export const JurisdictionParams = Type.Object({ id: Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }) });

export const AreaProperties = Type.Object({
  id: Type.String(),
  name: Type.String(),
  group: Type.Union([Type.String(), Type.Null()]),
  population: Type.Union([Type.Integer(), Type.Null()], { description: 'Latest population estimate.' }),
});
export type AreaProperties = Static<typeof AreaProperties>;

// GeoJSON (RFC 7946). Geometry stays an open object: the page draws it, the API never edits it.
export const AreaCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.String(),
      properties: AreaProperties,
      geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }, { additionalProperties: true }),
    }),
  ),
});
export type AreaCollection = Static<typeof AreaCollection>;

export const Indicator = Type.Object({
  id: Type.String({ examples: ['deaths.opioid'] }),
  feed: Type.String(),
  label: Type.String(),
  unit: Type.String({ description: 'What one counted event is, e.g. "deaths".' }),
  definition: Type.String({ description: 'The case definition, with the standard it comes from.' }),
  definitionVersion: Type.String(),
  geographies: Type.Array(Type.String(), { description: 'Which location of the event areas can be assigned by.' }),
  available: Type.Boolean({ description: 'False until its feed has been loaded.' }),
});
export type Indicator = Static<typeof Indicator>;

export const IndicatorList = Type.Object({ indicators: Type.Array(Indicator) });
export type IndicatorList = Static<typeof IndicatorList>;

export const Interval = Type.Union(
  [Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')],
  { description: 'Period length; weeks start on Monday (ISO 8601).' },
);
export type Interval = Static<typeof Interval>;

export const SeriesQuery = Type.Object({
  jurisdiction: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'Defaults to the configured default jurisdiction.' })),
  indicator: Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', examples: ['deaths.opioid'] }),
  interval: Type.Optional(Interval),
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  areas: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{1,20}(,[A-Za-z0-9_-]{1,20}){0,499}$',
      description: 'Comma-separated area ids; omitted means every area.',
    }),
  ),
  total: Type.Optional(Type.Boolean({ description: 'Add the jurisdiction-wide series (area "total"). Default true.' })),
  geography: Type.Optional(
    Type.Union([Type.Literal('residence'), Type.Literal('event')], {
      description: "Assign events by residence of the person or by where the event happened. Default: the indicator's first geography (residence where it has one, as deaths do; event for feeds that record only where it happened).",
    }),
  ),
});
export type SeriesQuery = Static<typeof SeriesQuery>;

export const Period = Type.Object({
  start: DateString,
  end: DateString,
  partial: Type.Boolean({ description: 'The period is cut by the requested range or by the end of the loaded data.' }),
});
export type Period = Static<typeof Period>;

export const PointState = Type.Union(
  [Type.Literal('shown'), Type.Literal('suppressed'), Type.Literal('zero'), Type.Literal('missing')],
  {
    description:
      'shown: a count of 1 or more; zero: a true zero; suppressed: hidden for this role (small-cell rule, or to protect another hidden cell); missing: no data cover the period.',
  },
);
export type PointState = Static<typeof PointState>;

export const SeriesPoint = Type.Object({
  period: DateString,
  count: Type.Union([Type.Integer(), Type.Null()], { description: 'null when suppressed or missing (see state)' }),
  state: PointState,
  population: Type.Union([Type.Integer(), Type.Null()]),
  rate: Type.Union([Type.Number(), Type.Null()], {
    description: 'Crude rate per 100,000 residents for the period (not annualised); null without a population, or when the count is suppressed or missing.',
  }),
});
export type SeriesPoint = Static<typeof SeriesPoint>;

export const Series = Type.Object({
  area: Type.String({ description: 'Area id, or "total" for the whole jurisdiction.' }),
  name: Type.String(),
  points: Type.Array(SeriesPoint),
});
export type Series = Static<typeof Series>;

export const SeriesResponse = Type.Object({
  jurisdiction: Type.String(),
  indicator: Type.String(),
  interval: Interval,
  geography: Type.String(),
  from: DateString,
  to: DateString,
  definitionVersion: Type.String(),
  synthetic: Type.Boolean(),
  periods: Type.Array(Period),
  series: Type.Array(Series),
  unassigned: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'Events in the range with no area (unknown or outside every area). Counted in "total", in no area. null when hidden for this role.',
  }),
});
export type SeriesResponse = Static<typeof SeriesResponse>;

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.String()]))),
});
export type Health = Static<typeof Health>;

export const IngestRunSummary = Type.Object({
  id: Type.String(),
  feed: Type.String(),
  jurisdiction: Type.String(),
  file: Type.String(),
  status: Type.String({ description: 'running, succeeded, unchanged, refused, failed or interrupted' }),
  actor: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  rowsIn: Type.Union([Type.Integer(), Type.Null()]),
  rowsAccepted: Type.Union([Type.Integer(), Type.Null()]),
  rowsRejected: Type.Union([Type.Integer(), Type.Null()]),
  rowsUnassigned: Type.Union([Type.Integer(), Type.Null()]),
  rejectsByReason: Type.Record(Type.String(), Type.Integer()),
  definitionVersions: Type.Record(Type.String(), Type.String()),
  message: Type.Union([Type.String(), Type.Null()]),
});
export type IngestRunSummary = Static<typeof IngestRunSummary>;

export const FeedStatus = Type.Object({
  feed: Type.String(),
  jurisdiction: Type.String(),
  files: Type.Integer({ description: 'Files loaded with rows accepted.' }),
  rowsAccepted: Type.Integer({ description: 'Rows accepted, summed over the loaded files.' }),
  rowsRejected: Type.Integer({ description: 'Rows rejected, summed over every run (loaded or refused).' }),
  rejectsByReason: Type.Record(Type.String(), Type.Integer()),
  latestEvent: Type.Union([DateString, Type.Null()], { description: 'Latest event date loaded for this feed.' }),
  lastLoadedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  daysSinceLastLoad: Type.Union([Type.Integer(), Type.Null()]),
  lastRun: Type.Union([IngestRunSummary, Type.Null()]),
});
export type FeedStatus = Static<typeof FeedStatus>;

export const StatusResponse = Type.Object({
  feeds: Type.Array(FeedStatus),
  runs: Type.Array(IngestRunSummary, { description: 'The most recent runs, newest first.' }),
});
export type StatusResponse = Static<typeof StatusResponse>;

// Request and response schemas of signals, alerts, clusters and backtests (/api/v1). As v1.ts:
// the routes validate and serialise with them, the OpenAPI document is built from them, and web/
// imports their static types.
import { Type, type Static } from 'typebox';
import { DateString, PointState } from './v1.ts';

const JurisdictionId = Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'Defaults to the configured default jurisdiction.' });
const IndicatorId = Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', examples: ['ems.opioid_overdose'] });
const AreaList = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,20}(,[A-Za-z0-9_-]{1,20}){0,499}$',
  description: 'Comma-separated area ids; "total" is the whole jurisdiction. Omitted: every area and the total.',
});
const Geography = Type.Union([Type.Literal('residence'), Type.Literal('event')], {
  description: "Assign events by residence or by where they happened; default the indicator's first geography.",
});

export const SignalMethod = Type.Union(
  [
    Type.Literal('ears_c1'),
    Type.Literal('ears_c2'),
    Type.Literal('ears_c3'),
    Type.Literal('essence'),
    Type.Literal('negbin'),
    Type.Literal('farrington'),
    Type.Literal('threshold'),
  ],
  {
    description:
      'Daily: ears_c1, ears_c2, ears_c3 (EARS, surveillance::earsC; sd floor 1), essence (regression/EWMA switch), threshold (ODMAP-style: N or more in 24 h, N set per area). Weekly (complete ISO weeks): negbin (negative-binomial regression with trend and annual harmonics, 95% bound), farrington (Farrington flexible, b = 5, w = 3, alpha 0.05).',
  },
);
export type SignalMethod = Static<typeof SignalMethod>;

export const Level = Type.Union([Type.Literal('red'), Type.Literal('yellow'), Type.Literal('none')], {
  description:
    "red: the method's own alarm, surviving Benjamini–Hochberg across the areas at q = 0.05 (threshold alerts: the count reached N); yellow: not red, p < 0.05; none: otherwise.",
});

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

export const SignalsQuery = Type.Object({
  jurisdiction: Type.Optional(JurisdictionId),
  indicator: IndicatorId,
  method: Type.Optional(SignalMethod),
  date: Type.Optional(
    Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'The day (for weekly methods: the last complete week ending on or before it) to report, YYYY-MM-DD. Default: the latest day with data.',
    }),
  ),
  from: Type.Optional(
    Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'Report every period ending from this day through "date" (at most 366 days; 26 weeks for negbin), YYYY-MM-DD. Default: "date" alone.',
    }),
  ),
  areas: Type.Optional(AreaList),
  geography: Type.Optional(Geography),
});
export type SignalsQuery = Static<typeof SignalsQuery>;

export const SignalResult = Type.Object({
  area: Type.String({ description: 'Area id, or "total" for the whole jurisdiction.' }),
  name: Type.String(),
  date: DateString,
  periodEnd: DateString,
  observed: Type.Union([Type.Integer(), Type.Null()], { description: 'null when suppressed for this role (see "state").' }),
  state: PointState,
  expected: Nullable(Type.Number({ description: 'What the method expected; null when suppressed or not defined.' })),
  threshold: Nullable(Type.Number({ description: 'The count above which the period alarms, where the method has one; null when suppressed.' })),
  statistic: Nullable(Type.Number({ description: 'EARS C1/C2: (y − mean)/sd; C3: Hutwagner’s 3-day sum; essence: the t statistic of the arm used; negbin: Pearson residual; farrington: score (alarm above 1); threshold: count / N.' })),
  pValue: Nullable(Type.Number()),
  pAdjusted: Nullable(Type.Number({ description: 'Benjamini–Hochberg adjusted p-value across the areas on this period (the total is its own family).' })),
  level: Level,
  method: SignalMethod,
  model: Type.Union([Type.Literal('regression'), Type.Literal('ewma'), Type.Null()], { description: 'essence: which arm of the switch (adjusted R² ≥ 0.60: regression).' }),
  suppressed: Type.Boolean({ description: 'Counts (observed, expected, threshold) hidden: below this role’s small-cell threshold. Level, p-value and method stay.' }),
});
export type SignalResult = Static<typeof SignalResult>;

export const SignalsResponse = Type.Object({
  jurisdiction: Type.String(),
  indicator: Type.String(),
  method: SignalMethod,
  cadence: Type.Union([Type.Literal('day'), Type.Literal('week')]),
  geography: Type.String(),
  from: DateString,
  to: DateString,
  dataRange: Type.Union([Type.Object({ from: DateString, to: DateString }), Type.Null()]),
  definitionVersion: Type.String(),
  synthetic: Type.Boolean(),
  alarm: Type.String({ description: 'What red means for this method.' }),
  fdr: Type.Object({ method: Type.Literal('Benjamini–Hochberg'), q: Type.Number(), family: Type.String() }),
  results: Type.Array(SignalResult),
});
export type SignalsResponse = Static<typeof SignalsResponse>;

// ── alerts ─────────────────────────────────────────────────────────────────────────────────────

export const AlertsQuery = Type.Object({
  jurisdiction: Type.Optional(JurisdictionId),
  indicator: Type.Optional(IndicatorId),
  method: Type.Optional(SignalMethod),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
  areas: Type.Optional(AreaList),
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  refresh: Type.Optional(
    Type.Boolean({ description: 'Bring the episodes of this indicator and method up to the latest data first (default true; needs indicator).' }),
  ),
});
export type AlertsQuery = Static<typeof AlertsQuery>;

export const AlertPeriod = Type.Object({
  date: DateString,
  level: Level,
  observed: Nullable(Type.Number()),
  expected: Nullable(Type.Number()),
  statistic: Nullable(Type.Number()),
  pValue: Nullable(Type.Number()),
  pAdjusted: Nullable(Type.Number()),
  suppressed: Type.Boolean(),
});

export const Alert = Type.Object({
  id: Type.Integer(),
  jurisdiction: Type.String(),
  indicator: Type.String(),
  method: Type.String(),
  geography: Type.String(),
  cadence: Type.Union([Type.Literal('day'), Type.Literal('week')]),
  area: Type.String(),
  areaName: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  openedOn: DateString,
  lastSignalOn: DateString,
  closedOn: Type.Union([DateString, Type.Null()]),
  redPeriods: Type.Integer(),
  yellowPeriods: Type.Integer(),
  quietPeriods: Type.Integer({ description: 'Quiet periods since the last red or yellow one (it closes at the quiet limit).' }),
  peak: AlertPeriod,
  latest: AlertPeriod,
  acknowledgedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  acknowledgedBy: Type.Union([Type.Integer(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  periods: Type.Optional(Type.Array(AlertPeriod)),
});
export type Alert = Static<typeof Alert>;

export const AlertsResponse = Type.Object({
  jurisdiction: Type.String(),
  quietToClose: Type.Object({ day: Type.Integer(), week: Type.Integer() }, { description: 'Quiet periods in a row that close an episode.' }),
  refreshed: Type.Union([
    Type.Object({ indicator: Type.String(), method: Type.String(), through: Type.Union([DateString, Type.Null()]), opened: Type.Integer(), closed: Type.Integer() }),
    Type.Null(),
  ]),
  alerts: Type.Array(Alert),
});
export type AlertsResponse = Static<typeof AlertsResponse>;

// Ids and counts stored as Postgres integer: a larger value is refused here, not by Postgres (a 500).
export const AlertParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const AcknowledgeBody = Type.Object({ note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])) }, { additionalProperties: false });

export const ThresholdsQuery = Type.Object({ jurisdiction: Type.Optional(JurisdictionId), indicator: IndicatorId });
export const Threshold = Type.Object({
  area: Type.String({ description: 'Area id, "*" (every area without its own) or "total".' }),
  minCount: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
});
export const ThresholdsResponse = Type.Object({ jurisdiction: Type.String(), indicator: Type.String(), thresholds: Type.Array(Threshold) });
export type ThresholdsResponse = Static<typeof ThresholdsResponse>;
export const ThresholdBody = Type.Object(
  {
    jurisdiction: Type.Optional(JurisdictionId),
    indicator: IndicatorId,
    area: Type.String({ pattern: '^([A-Za-z0-9_-]{1,20}|\\*)$' }),
    minCount: Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()], { description: 'N; null removes the threshold.' }),
  },
  { additionalProperties: false },
);

// ── clusters ───────────────────────────────────────────────────────────────────────────────────

export const ClusterRequest = Type.Object(
  {
    jurisdiction: Type.Optional(JurisdictionId),
    indicator: Type.Optional(IndicatorId),
    geography: Type.Optional(Geography),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    maxDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, default: 30, description: 'Longest time window.' })),
    prospective: Type.Optional(Type.Boolean({ default: false, description: 'Only windows ending on "to" (is a cluster going on now?).' })),
    replicates: Type.Optional(Type.Integer({ minimum: 9, maximum: 9999, default: 999 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, default: 1 })),
    maxSpatialShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5, default: 0.5 })),
  },
  {
    additionalProperties: false,
    description:
      'Space–time permutation scan (Kulldorff et al. 2005) over area centroids. Defaults: ems.opioid_overdose, the last 365 days of data, windows up to 30 days, 999 replicates, seed 1.',
  },
);
export type ClusterRequest = Static<typeof ClusterRequest>;

const ClusterArea = Type.Object({ id: Type.String(), name: Type.String() });
export const Cluster = Type.Object({
  center: ClusterArea,
  areas: Type.Array(ClusterArea),
  radiusKm: Type.Number(),
  start: DateString,
  end: DateString,
  days: Type.Integer(),
  observed: Type.Union([Type.Integer(), Type.Null()]),
  expected: Nullable(Type.Number()),
  relativeRisk: Type.Number(),
  llr: Type.Number({ description: 'Log likelihood ratio of the cylinder.' }),
  pValue: Type.Number({ description: 'Monte Carlo p = (1 + replicates at least as large)/(R + 1); secondary clusters are judged against the same maxima (conservative).' }),
  suppressed: Type.Boolean(),
});

export const ClusterJob = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  request: Type.Object({
    jurisdiction: Type.String(),
    indicator: Type.String(),
    geography: Type.String(),
    from: DateString,
    to: DateString,
    maxDays: Type.Integer(),
    prospective: Type.Boolean(),
    replicates: Type.Integer(),
    seed: Type.Integer(),
    maxSpatialShare: Type.Number(),
  }),
  submittedAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  error: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([
    Type.Object({
      totalCases: Type.Union([Type.Integer(), Type.Null()]),
      casesLeftOut: Type.Union([Type.Integer(), Type.Null()], { description: 'Events without an area (or centroid), not scanned.' }),
      areasScanned: Type.Integer(),
      circles: Type.Integer(),
      cylinders: Type.Integer(),
      replicates: Type.Integer(),
      seed: Type.Integer(),
      criticalValues: Type.Object({ p05: Nullable(Type.Number()), p01: Nullable(Type.Number()) }),
      clusters: Type.Array(Cluster),
      elapsedMs: Type.Integer(),
    }),
    Type.Null(),
  ]),
});
export type ClusterJob = Static<typeof ClusterJob>;
export const ClusterParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

// ── backtests ──────────────────────────────────────────────────────────────────────────────────

export const BacktestRequest = Type.Object(
  {
    jurisdiction: Type.Optional(JurisdictionId),
    indicator: IndicatorId,
    method: SignalMethod,
    geography: Type.Optional(Geography),
    extra: Type.Integer({ minimum: 1, maximum: 10000, description: 'Extra events per injected spike.' }),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 28, default: 3, description: 'Length of each spike in days.' })),
    spikes: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 40 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, default: 1 })),
    areas: Type.Optional(AreaList),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    minSigma: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'EARS: floor on the baseline sd (default 1).' })),
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5, description: 'EARS alpha (default 0.001; C3 0.025).' })),
    minCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'threshold: N for every area (default: the stored thresholds).' })),
  },
  { additionalProperties: false },
);
export type BacktestRequest = Static<typeof BacktestRequest>;

export const BacktestResponse = Type.Object({
  jurisdiction: Type.String(),
  indicator: Type.String(),
  geography: Type.String(),
  method: SignalMethod,
  cadence: Type.Union([Type.Literal('day'), Type.Literal('week')]),
  seed: Type.Integer(),
  extra: Type.Integer(),
  days: Type.Integer(),
  evaluated: Type.Object({ from: DateString, to: DateString, days: Type.Integer(), areas: Type.Integer() }),
  sensitivity: Type.Number({ description: 'Share of injected spikes found (red in their area between their first day and 7 days after their last).' }),
  detected: Type.Integer(),
  daysToDetection: Type.Object({ median: Nullable(Type.Number()), mean: Nullable(Type.Number()), max: Nullable(Type.Number()) }),
  falseAlarms: Type.Integer(),
  falseAlarmsPerMonth: Type.Number({ description: 'Red area-periods outside every injected spike, in the whole jurisdiction, per month (30.44 days). Real events in the history count here too.' }),
  falseAlarmsPerAreaYear: Type.Number(),
  spikes: Type.Array(
    Type.Object({
      area: Type.String(),
      start: DateString,
      end: DateString,
      extra: Type.Integer(),
      detectedOn: Type.Union([DateString, Type.Null()]),
      daysToDetection: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
});
export type BacktestResponse = Static<typeof BacktestResponse>;

// Request and response schemas of the metrics routes (server/routes/v1/metrics.ts): rates with
// intervals and change, cross-agency linkage, harm-reduction performance. Same conventions as
// v1.ts: the routes validate and serialise with them, @fastify/swagger documents them, web/
// imports their static types.
import { Type, type Static } from 'typebox';
import { DateString, Interval, PointState } from './v1.ts';

const Num = Type.Union([Type.Number(), Type.Null()]);
const Int = Type.Union([Type.Integer(), Type.Null()]);
const JurisdictionId = Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'Defaults to the configured default jurisdiction.' });
const Areas = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,20}(,[A-Za-z0-9_-]{1,20}){0,499}$',
  description: 'Comma-separated area ids; omitted means every area; "total" only the whole jurisdiction.',
});
const Geography = Type.Union([Type.Literal('residence'), Type.Literal('event')], {
  description: 'Place deaths (and treatment admissions) by residence (default) or by where the event happened.',
});
export const CoarseInterval = Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')], {
  description: 'Period length (calendar months, quarters, years).',
});

export const RatesQuery = Type.Object({
  jurisdiction: Type.Optional(JurisdictionId),
  indicator: Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', examples: ['deaths.opioid'] }),
  interval: Type.Optional(Interval),
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  areas: Type.Optional(Areas),
  geography: Type.Optional(Geography),
  adjust: Type.Optional(
    Type.Union([Type.Literal('crude'), Type.Literal('age')], {
      description: 'crude (default): crude rates; age: age-adjusted by the direct method to the 2000 U.S. standard population, 11 groups.',
    }),
  ),
  breakdown: Type.Optional(
    Type.Union([Type.Literal('none'), Type.Literal('sex'), Type.Literal('age_group'), Type.Literal('race_ethnicity'), Type.Literal('substance')], {
      description: 'Split each area and period by sex, age group (2000 standard groups), race/ethnicity or drug category (deaths; a death counts in every category it involves). Which an indicator allows depends on its feed.',
    }),
  ),
});
export type RatesQuery = Static<typeof RatesQuery>;

export const Change = Type.Object(
  {
    period: DateString,
    count: Int,
    rate: Num,
    countChange: Int,
    rateChange: Num,
    percentChange: Type.Union([Type.Number(), Type.Null()], { description: '(rate − earlier rate) / earlier rate × 100; null when the earlier rate is 0.' }),
    rateRatio: Num,
    lower: Type.Union([Type.Number(), Type.Null()], { description: '95% interval of the rate ratio (crude rates: exact conditional, as R poisson.test).' }),
    upper: Num,
    p: Type.Union([Type.Number(), Type.Null()], { description: 'Two-sided p-value of no change; null where the method gives none.' }),
    significant: Type.Union([Type.Boolean(), Type.Null()]),
    method: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'This period against an earlier one; null when either is missing or hidden.' },
);

export const RatePoint = Type.Object({
  period: DateString,
  count: Int,
  state: PointState,
  ageUnknown: Type.Union([Type.Integer(), Type.Null()], { description: 'adjust=age: events of unknown age, left out of the adjusted rate.' }),
  population: Type.Union([Type.Number(), Type.Null()], { description: "The denominator's population for the period's year (modeled by age where the jurisdiction says so)." }),
  personYears: Num,
  rate: Type.Union([Type.Number(), Type.Null()], { description: 'Per 100,000 person-years (annualised).' }),
  lower: Type.Union([Type.Number(), Type.Null()], { description: '95% interval: exact Poisson (gamma) for crude rates, Fay–Feuer gamma for age-adjusted ones.' }),
  upper: Num,
  unreliable: Type.Union([Type.Boolean(), Type.Null()], { description: 'Fewer than 20 events (CDC WONDER).' }),
  crudeRate: Type.Union([Type.Number(), Type.Null()], { description: 'adjust=age: the crude rate of the same cell.' }),
  previous: Type.Union([Change, Type.Null()]),
  yearAgo: Type.Union([Change, Type.Null()]),
});
export type RatePoint = Static<typeof RatePoint>;

const PeriodOut = Type.Object({
  start: DateString,
  end: DateString,
  partial: Type.Boolean(),
  days: Type.Integer({ description: 'Days of the period covered by the request and the data (the person-time).' }),
});

export const RatesResponse = Type.Object({
  jurisdiction: Type.String(),
  indicator: Type.String(),
  interval: Interval,
  geography: Type.String(),
  adjust: Type.String(),
  breakdown: Type.String(),
  from: DateString,
  to: DateString,
  definitionVersion: Type.String(),
  ageGroupVersion: Type.String(),
  synthetic: Type.Boolean(),
  method: Type.String({ description: 'How rates, intervals and changes were computed, with sources.' }),
  population: Type.Object({
    ageModeled: Type.Boolean({ description: 'The age structure of the denominators is modeled, not published (see note).' }),
    note: Type.Union([Type.String(), Type.Null()]),
    source: Type.Union([Type.String(), Type.Null()]),
  }),
  rateNote: Type.Union([Type.String(), Type.Null()]),
  periods: Type.Array(PeriodOut),
  strata: Type.Array(Type.String()),
  series: Type.Array(
    Type.Object({
      area: Type.String({ description: 'Area id, or "total" for the whole jurisdiction.' }),
      name: Type.String(),
      stratum: Type.String({ description: '"all" without a breakdown.' }),
      points: Type.Array(RatePoint),
    }),
  ),
  unassigned: Type.Union([Type.Integer(), Type.Null()], { description: 'Events with no area in the range (in "total" only); null when hidden.' }),
  suppression: Type.Union([
    Type.Null(),
    Type.Object({
      threshold: Type.Integer(),
      audited: Type.Boolean({ description: 'The exact linear audit ran over the breakdown table.' }),
      note: Type.String(),
    }),
  ]),
});
export type RatesResponse = Static<typeof RatesResponse>;

const Cell = Type.Object({ count: Int, state: PointState });

const Share = Type.Object({
  count: Int,
  state: PointState,
  share: Type.Union([Type.Number(), Type.Null()], { description: 'count ÷ overdose deaths of the cell.' }),
  lower: Type.Union([Type.Number(), Type.Null()], { description: '95% Clopper–Pearson interval.' }),
  upper: Num,
});

const RangeQuery = {
  jurisdiction: Type.Optional(JurisdictionId),
  interval: Type.Optional(CoarseInterval),
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  areas: Type.Optional(Areas),
};

export const LinkageQuery = Type.Object({ ...RangeQuery, geography: Type.Optional(Geography) });
export type LinkageQuery = Static<typeof LinkageQuery>;

export const LinkageResponse = Type.Object({
  jurisdiction: Type.String(),
  interval: CoarseInterval,
  geography: Type.String(),
  from: DateString,
  to: DateString,
  definitionVersion: Type.String(),
  synthetic: Type.Boolean(),
  definitions: Type.Object({ linkage: Type.String(), uniqueEvents: Type.String() }),
  periods: Type.Array(Type.Object({ start: DateString, end: DateString, partial: Type.Boolean() })),
  measures: Type.Array(Type.String(), { description: 'Linked measures served to this role.' }),
  deaths: Type.Array(
    Type.Object({
      area: Type.String(),
      name: Type.String(),
      points: Type.Array(Type.Object({ period: DateString, deaths: Cell, linked: Type.Record(Type.String(), Share) })),
      summary: Type.Union([Type.Null(), Type.Object({ deaths: Cell, linked: Type.Record(Type.String(), Share) })], {
        description: 'The whole range (total row only; null when a period in it is hidden).',
      }),
    }),
  ),
  events: Type.Array(
    Type.Object({
      area: Type.String(),
      name: Type.String(),
      points: Type.Array(Type.Object({ period: DateString, counts: Type.Record(Type.String(), Cell) })),
    }),
    { description: 'Unique overdose events (one person, one event), with the records they were made of.' },
  ),
  suppression: Type.Union([Type.Null(), Type.Object({ thresholds: Type.Record(Type.String(), Type.Integer()), audited: Type.Boolean(), note: Type.String() })]),
});
export type LinkageResponse = Static<typeof LinkageResponse>;

export const PerformanceQuery = Type.Object(RangeQuery);
export type PerformanceQuery = Static<typeof PerformanceQuery>;

const Ratio = Type.Object({ value: Num, lower: Num, upper: Num });

export const PerformanceResponse = Type.Object({
  jurisdiction: Type.String(),
  interval: CoarseInterval,
  from: DateString,
  to: DateString,
  definitionVersion: Type.String(),
  synthetic: Type.Boolean(),
  definitions: Type.Record(Type.String(), Type.String()),
  periods: Type.Array(Type.Object({ start: DateString, end: DateString, partial: Type.Boolean() })),
  series: Type.Array(
    Type.Object({
      area: Type.String(),
      name: Type.String(),
      points: Type.Array(
        Type.Object({
          period: DateString,
          counts: Type.Record(Type.String(), Cell),
          ratios: Type.Record(Type.String(), Ratio, { description: 'null value when a count it needs is hidden, or its denominator is 0.' }),
        }),
      ),
    }),
  ),
  suppression: Type.Union([Type.Null(), Type.Object({ thresholds: Type.Record(Type.String(), Type.Integer()), audited: Type.Boolean(), note: Type.String() })]),
});
export type PerformanceResponse = Static<typeof PerformanceResponse>;

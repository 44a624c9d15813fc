// Rates of one indicator by area, period and breakdown, with their intervals and their change
// against the previous period and the same period a year earlier. Counts and denominators come
// from sql/duckdb/queries/rates_*.sql (parameters bound); the arithmetic is sql/epi/rates.ts
// (crude: exact Poisson gamma interval; age-adjusted: direct method, 2000 U.S. standard, 11
// groups, Fay–Feuer interval) and sql/epi/rate-compare.ts (the tests of change).
//
// Rates are per 100,000 person-years: a period's person-time is its population (the estimate for
// its calendar year) × the days of the period covered by the request and the data ÷ the days of
// that year. A calendar year's rate is therefore exactly events ÷ population × 100,000 (CDC
// WONDER's), and months, weeks and days are on the same annual scale, so a 28-day February is not
// "lower" than a 31-day January, and a period cut by the range or by the end of the data keeps
// an honest rate.
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './duckdb.ts';
import type { Feed } from './indicators/index.ts';
import { ageAdjustedRate, crudeRateCI, RATE_PER, US2000_STANDARD_11 } from './epi/rates.ts';
import { adjustedRateDifference, poissonRateRatio } from './epi/rate-compare.ts';
import { periodEnd, type Geography, type Interval } from './metrics.ts';

export const BREAKDOWNS = ['none', 'sex', 'age_group', 'race_ethnicity', 'substance'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];
export type Adjust = 'crude' | 'age';

/** What each feed's records say about the person or the drug: the breakdowns its indicators allow. */
export const FEED_BREAKDOWNS: Readonly<Record<Feed, readonly Breakdown[]>> = {
  deaths: ['none', 'sex', 'age_group', 'race_ethnicity', 'substance'],
  ems: ['none', 'sex', 'age_group'],
  arrests: ['none', 'sex', 'age_group'],
  // TEDS-A age categories: the top one (65+) spans three standard groups (age_groups.sql).
  treatment: ['none', 'sex', 'age_group'],
  naloxone: ['none'],
  drugcheck: ['none'],
};

/** Feeds with an age in years (or a band inside one group) for every record that has one. */
export const AGE_ADJUSTABLE_FEEDS: readonly Feed[] = ['deaths', 'ems', 'arrests'];

/** Feeds whose events are people (rates per population make sense); the others are kits or samples. */
const PERSON_FEEDS: readonly Feed[] = ['deaths', 'ems', 'arrests', 'treatment'];

export const AGE_GROUPS: readonly string[] = US2000_STANDARD_11.map((g) => g.group);
const AGE_WEIGHTS: readonly number[] = US2000_STANDARD_11.map((g) => g.weight);

/** Strata of each breakdown, in the order served. race_ethnicity: the values found in the data. */
export const SUBSTANCES = ['heroin', 'natural_semisynthetic', 'methadone', 'fentanyl', 'cocaine', 'psychostimulant', 'benzodiazepine', 'xylazine', 'other_or_unspecified'] as const;
function strataOf(breakdown: Breakdown, feed: Feed, seen: Set<string>): string[] {
  switch (breakdown) {
    case 'none':
      return ['all'];
    case 'sex':
      return ['female', 'male', 'unknown'];
    case 'age_group':
      return feed === 'treatment'
        ? [...AGE_GROUPS.filter((g) => !['<1', '1-4', '65-74', '75-84', '85+'].includes(g)), '65+', 'unknown']
        : [...AGE_GROUPS, 'unknown'];
    case 'substance':
      return [...SUBSTANCES];
    case 'race_ethnicity':
      return [...[...seen].filter((s) => s !== 'unknown').sort(), 'unknown'];
  }
}

/** Breakdowns whose strata add up to the whole (every event in exactly one stratum). */
export const additive = (b: Breakdown) => b !== 'substance';

/** The period lag of "the same period a year earlier": same weekday for days and weeks. */
export const YEAR_LAG: Readonly<Record<Interval, number>> = { day: 364, week: 52, month: 12, quarter: 4, year: 1 };

const DAY = 86_400_000;
const toDay = (s: string) => Date.parse(`${s}T00:00:00Z`) / DAY;
const iso = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);

/** Start of the period holding `date`, as DuckDB's date_trunc (ISO weeks start on Monday). */
export function periodStartOf(date: string, interval: Interval): string {
  const d = new Date(`${date}T00:00:00Z`);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (interval) {
    case 'day':
      return date;
    case 'week':
      return iso(toDay(date) - ((d.getUTCDay() + 6) % 7));
    case 'month':
      return iso(Date.UTC(y, m, 1) / DAY);
    case 'quarter':
      return iso(Date.UTC(y, m - (m % 3), 1) / DAY);
    case 'year':
      return iso(Date.UTC(y, 0, 1) / DAY);
  }
}

/** The start of the period `k` periods after (k < 0: before) the one starting at `start`. */
export function shiftPeriod(start: string, interval: Interval, k: number): string {
  if (interval === 'day') return iso(toDay(start) + k);
  if (interval === 'week') return iso(toDay(start) + 7 * k);
  const months = interval === 'month' ? k : interval === 'quarter' ? 3 * k : 12 * k;
  const d = new Date(`${start}T00:00:00Z`);
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1) / DAY);
}

const daysInYear = (y: number) => ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365);

export interface RatesParams {
  jurisdiction: string;
  indicator: string;
  feed: Feed;
  interval: Interval;
  from: string;
  to: string;
  /** Empty: every area. */
  areas: string[];
  geography: Geography;
  breakdown: Breakdown;
  adjust: Adjust;
  /** The indicator's first and last event dates: periods outside are missing, cut ones partial. */
  dataStart: string | null;
  dataEnd: string | null;
  confLevel?: number;
}

export type RateState = 'shown' | 'zero' | 'missing' | 'suppressed';

export interface Change {
  period: string;
  count: number | null;
  rate: number | null;
  countChange: number | null;
  rateChange: number | null;
  /** (rate − earlier rate) / earlier rate × 100; null when the earlier rate is 0 or unknown. */
  percentChange: number | null;
  rateRatio: number | null;
  /** Interval of the rate ratio (crude rates only). */
  lower: number | null;
  upper: number | null;
  /** Two-sided p of the test of no change; null where the method gives none. */
  p: number | null;
  significant: boolean | null;
  method: string | null;
}

export interface RatePoint {
  period: string;
  count: number | null;
  state: RateState;
  /** Events of unknown age, left out of the age-adjusted rate (NCHS practice); null for crude rates. */
  ageUnknown: number | null;
  population: number | null;
  personYears: number | null;
  rate: number | null;
  lower: number | null;
  upper: number | null;
  /** Fewer than 20 events (CDC WONDER); null without a rate. */
  unreliable: boolean | null;
  /** With adjust=age: the crude rate of the same events (unknown ages included). */
  crudeRate: number | null;
  previous: Change | null;
  yearAgo: Change | null;
}

export interface RateSeries {
  area: string;
  name: string;
  stratum: string;
  points: RatePoint[];
}

export interface RatesResult {
  periods: { start: string; end: string; partial: boolean; days: number }[];
  strata: string[];
  series: RateSeries[];
  /** Events with no area in the requested range (counted in "total"), per stratum 'all' of the total. */
  unassigned: number;
  /** Denominators: whether any age population used was modeled. */
  ageModeled: boolean;
  /** Why rates are null for a whole breakdown (no population by sex or race/ethnicity). */
  rateNote: string | null;
}

/** Per area (null: no area), stratum and period start: events in all, and by standard age group. */
interface Cell {
  n: number;
  byAge: number[];
  unknownAge: number;
  /** TEDS-A 65+ and other labels outside the 11 groups. */
  other: Map<string, number>;
}

interface Pop {
  all: number;
  groups: Map<string, number>;
  modeled: boolean;
}

export interface RateInputs {
  areas: { id: string; name: string }[];
  periods: string[]; // extended: history for comparisons, then the requested periods
  requested: string[];
  cells: Map<string, Cell>; // key area|stratum|period; area '' = no area
  strata: string[];
  pop: Map<string, Map<number, Pop>>; // area → year → population
  /** Days of each period covered by the request (history: whole periods) and the data. */
  days: Map<string, number>;
}

const key = (area: string | null, stratum: string, period: string) => `${area ?? ''}|${stratum}|${period}`;

/** Reads counts and populations for the request and its comparison periods. */
export async function rateInputs(conn: DuckDBConnection, p: RatesParams): Promise<RateInputs> {
  const firstStart = periodStartOf(p.from, p.interval);
  const extStart = shiftPeriod(firstStart, p.interval, -YEAR_LAG[p.interval]);
  const bind = {
    jurisdiction: p.jurisdiction,
    indicator: p.indicator,
    interval: p.interval,
    geography: p.geography,
  };
  const areas = await queryRows<{ id: string; name: string }>(conn, 'areas', { jurisdiction: p.jurisdiction });
  const periodRows = await queryRows<{ period: string }>(conn, 'rates_periods', { interval: p.interval, from: extStart, to: p.to });
  const periods = periodRows.map((r) => r.period);
  const requested = periods.filter((s) => periodEnd(s, p.interval) >= p.from);
  // Events from the start of the comparison history to `to`, without the days of the first
  // requested period that fall before `from` (that period is cut by the request).
  const person = PERSON_FEEDS.includes(p.feed);
  const rows = [
    ...(await eventRows(conn, person, { ...bind, from: extStart, to: iso(toDay(firstStart) - 1), breakdown: p.breakdown })),
    ...(await eventRows(conn, person, { ...bind, from: p.from, to: p.to, breakdown: p.breakdown })),
  ];
  const cells = new Map<string, Cell>();
  const seen = new Set<string>();
  const ageIndex = new Map(AGE_GROUPS.map((g, i) => [g, i]));
  for (const r of rows) {
    seen.add(r.stratum);
    const k = key(r.area, r.stratum, r.period);
    let c = cells.get(k);
    if (!c) {
      c = { n: 0, byAge: AGE_GROUPS.map(() => 0), unknownAge: 0, other: new Map() };
      cells.set(k, c);
    }
    c.n += r.n;
    const i = ageIndex.get(r.age_group);
    if (i !== undefined) c.byAge[i]! += r.n;
    else if (r.age_group === 'unknown') c.unknownAge += r.n;
    else c.other.set(r.age_group, (c.other.get(r.age_group) ?? 0) + r.n);
  }
  const popRows = await queryRows<{ area: string; year: number; age_group: string; population: number; modeled: boolean }>(conn, 'rates_population', {
    jurisdiction: p.jurisdiction,
    first_year: Number(extStart.slice(0, 4)),
    last_year: Number(p.to.slice(0, 4)),
  });
  const pop = new Map<string, Map<number, Pop>>();
  for (const r of popRows) {
    const byYear = pop.get(r.area) ?? new Map<number, Pop>();
    pop.set(r.area, byYear);
    const y = byYear.get(r.year) ?? { all: Number.NaN, groups: new Map<string, number>(), modeled: false };
    byYear.set(r.year, y);
    if (r.age_group === 'all') y.all = r.population;
    else {
      y.groups.set(r.age_group, r.population);
      y.modeled ||= r.modeled;
    }
  }
  const days = new Map<string, number>();
  const lo = p.dataStart === null ? Number.POSITIVE_INFINITY : toDay(p.dataStart);
  const hi = p.dataEnd === null ? Number.NEGATIVE_INFINITY : toDay(p.dataEnd);
  for (const s of periods) {
    const a = Math.max(toDay(s), s === requested[0] ? toDay(p.from) : toDay(s), lo);
    const b = Math.min(toDay(periodEnd(s, p.interval)), toDay(p.to), hi);
    days.set(s, Math.max(0, b - a + 1));
  }
  return { areas, periods, requested, cells, strata: strataOf(p.breakdown, p.feed, seen), pop, days };
}

async function eventRows(
  conn: DuckDBConnection,
  person: boolean,
  params: Record<string, string>,
): Promise<{ period: string; area: string | null; stratum: string; age_group: string; n: number }[]> {
  if (params.from! > params.to!) return [];
  if (person) return queryRows(conn, 'rates_events', params);
  const { breakdown: _b, ...rest } = params;
  return queryRows(conn, 'rates_events_plain', rest);
}

/** Population of `area` ('total': every area summed) for `year`, for a stratum. */
function denominator(inp: RateInputs, area: string, year: number, stratum: string, breakdown: Breakdown): { all: number | null; groups: number[] | null; modeled: boolean } {
  const pops = area === 'total' ? [...inp.pop.values()].map((m) => m.get(year)).filter((x): x is Pop => !!x) : [inp.pop.get(area)?.get(year)].filter((x): x is Pop => !!x);
  if (pops.length === 0) return { all: null, groups: null, modeled: false };
  const modeled = pops.some((x) => x.modeled);
  const groups = AGE_GROUPS.every((g) => pops.every((x) => x.groups.has(g))) ? AGE_GROUPS.map((g) => pops.reduce((s, x) => s + x.groups.get(g)!, 0)) : null;
  const all = pops.every((x) => Number.isFinite(x.all)) ? pops.reduce((s, x) => s + x.all, 0) : null;
  if (breakdown === 'age_group') {
    if (stratum === 'unknown' || groups === null) return { all: null, groups: null, modeled };
    const covers = stratum === '65+' ? ['65-74', '75-84', '85+'] : [stratum];
    return { all: covers.reduce((s, g) => s + groups[AGE_GROUPS.indexOf(g)]!, 0), groups: null, modeled };
  }
  if (breakdown === 'sex' || breakdown === 'race_ethnicity') return { all: null, groups: null, modeled: false };
  return { all, groups, modeled };
}

interface Computed extends RatePoint {
  /** Σ w² x / n² per 100,000² (age-adjusted), for the z-test. */
  variance: number | null;
  exposure: number | null;
}

/** Builds every series: points for the requested periods, each with its two comparisons. */
export function computeRates(inp: RateInputs, p: RatesParams): RatesResult {
  const conf = p.confLevel ?? 0.95;
  const wanted = p.areas.length > 0 ? new Set(p.areas) : null;
  const areaList = [{ id: 'total', name: 'Total' }, ...inp.areas.filter((a) => !wanted || wanted.has(a.id))];
  const ageAdjust = p.adjust === 'age' && (p.breakdown === 'none' || p.breakdown === 'substance');
  let ageModeled = false;
  const series: RateSeries[] = [];
  for (const area of areaList) {
    for (const stratum of inp.strata) {
      const computed = new Map<string, Computed>();
      for (const period of inp.periods) {
        const days = inp.days.get(period) ?? 0;
        const cell = area.id === 'total' ? sumCells(inp, stratum, period) : inp.cells.get(key(area.id, stratum, period));
        const n = cell?.n ?? 0;
        const year = Number(period.slice(0, 4));
        const den = denominator(inp, area.id, year, stratum, p.breakdown);
        const f = days / daysInYear(year);
        const base = {
          period,
          ageUnknown: null as number | null,
          population: den.all,
          previous: null,
          yearAgo: null,
        };
        if (days === 0) {
          computed.set(period, { ...base, count: null, state: 'missing', personYears: null, rate: null, lower: null, upper: null, unreliable: null, crudeRate: null, variance: null, exposure: null });
          continue;
        }
        const personYears = den.all === null ? null : den.all * f;
        const crude = crudeRateCI(n, personYears, conf);
        let point: Computed = {
          ...base,
          count: n,
          state: n === 0 ? 'zero' : 'shown',
          personYears,
          rate: crude.rate,
          lower: crude.lower,
          upper: crude.upper,
          unreliable: crude.rate === null ? null : crude.unreliable,
          crudeRate: null,
          variance: null,
          exposure: personYears ?? days,
        };
        if (ageAdjust) {
          const byAge = cell?.byAge ?? AGE_GROUPS.map(() => 0);
          const groups = den.groups?.map((x) => x * f) ?? null;
          ageModeled ||= den.modeled;
          if (groups === null) {
            point = { ...point, ageUnknown: cell?.unknownAge ?? 0, rate: null, lower: null, upper: null, unreliable: null, crudeRate: crude.rate };
          } else {
            const adj = ageAdjustedRate(byAge, groups, AGE_WEIGHTS, conf);
            let v = 0;
            for (let i = 0; i < AGE_GROUPS.length; i++) v += (AGE_WEIGHTS[i]! ** 2 * byAge[i]!) / groups[i]! ** 2;
            point = {
              ...point,
              ageUnknown: cell?.unknownAge ?? 0,
              rate: adj.rate,
              lower: adj.lower,
              upper: adj.upper,
              unreliable: adj.rate === null ? null : adj.unreliable,
              crudeRate: crude.rate,
              variance: v * RATE_PER * RATE_PER,
            };
          }
        } else if (p.breakdown === 'age_group' && den.all !== null) {
          ageModeled ||= den.modeled;
        }
        computed.set(period, point);
      }
      const points: RatePoint[] = inp.requested.map((period) => {
        const cur = computed.get(period)!;
        const { variance: _v, exposure: _e, ...out } = cur;
        if (cur.state === 'missing') return out;
        return {
          ...out,
          previous: compare(cur, computed.get(shiftPeriod(period, p.interval, -1)), ageAdjust, conf),
          yearAgo: compare(cur, computed.get(shiftPeriod(period, p.interval, -YEAR_LAG[p.interval])), ageAdjust, conf),
        };
      });
      series.push({ area: area.id, name: area.name, stratum, points });
    }
  }
  const rateNote =
    p.breakdown === 'sex' || p.breakdown === 'race_ethnicity'
      ? `No population by ${p.breakdown === 'sex' ? 'sex' : 'race/ethnicity'} is configured for this jurisdiction: counts only, no rates.`
      : p.adjust === 'age' && p.breakdown === 'age_group'
        ? 'Age-specific rates are not age-adjusted: each is the crude rate of its age group.'
        : null;
  return {
    periods: inp.requested.map((s) => {
      const end = periodEnd(s, p.interval);
      const whole = toDay(end) - toDay(s) + 1;
      return { start: s, end, partial: (inp.days.get(s) ?? 0) < whole, days: inp.days.get(s) ?? 0 };
    }),
    strata: inp.strata,
    series,
    unassigned: unassignedOf(inp, additive(p.breakdown)),
    ageModeled,
    rateNote,
  };
}

/**
 * Events with no area in the requested periods. A substance breakdown counts a death once per
 * category, so there the largest category's count is given: a lower bound, never a sum of
 * overlapping cells.
 */
function unassignedOf(inp: RateInputs, isAdditive: boolean): number {
  const requested = new Set(inp.requested);
  const per = new Map<string, number>();
  for (const [k, c] of inp.cells) {
    const [area, stratum, period] = k.split('|') as [string, string, string];
    if (area === '' && requested.has(period)) per.set(stratum, (per.get(stratum) ?? 0) + c.n);
  }
  return isAdditive ? [...per.values()].reduce((s, v) => s + v, 0) : Math.max(0, ...per.values());
}

function sumCells(inp: RateInputs, stratum: string, period: string): Cell {
  const out: Cell = { n: 0, byAge: AGE_GROUPS.map(() => 0), unknownAge: 0, other: new Map() };
  for (const a of [...inp.areas.map((x) => x.id), '']) {
    const c = inp.cells.get(key(a, stratum, period));
    if (!c) continue;
    out.n += c.n;
    c.byAge.forEach((v, i) => (out.byAge[i]! += v));
    out.unknownAge += c.unknownAge;
    for (const [g, v] of c.other) out.other.set(g, (out.other.get(g) ?? 0) + v);
  }
  return out;
}

function compare(cur: Computed, earlier: Computed | undefined, ageAdjusted: boolean, conf: number): Change | null {
  if (!earlier || earlier.state === 'missing' || cur.count === null || earlier.count === null) return null;
  const rateChange = cur.rate !== null && earlier.rate !== null ? cur.rate - earlier.rate : null;
  const percentChange = rateChange !== null && earlier.rate! > 0 ? (rateChange / earlier.rate!) * 100 : null;
  const base = {
    period: earlier.period,
    count: earlier.count,
    rate: earlier.rate,
    countChange: cur.count - earlier.count,
    rateChange,
    percentChange,
  };
  if (ageAdjusted) {
    if (cur.rate === null || earlier.rate === null || cur.variance === null || earlier.variance === null) {
      return { ...base, rateRatio: null, lower: null, upper: null, p: null, significant: null, method: null };
    }
    const t = adjustedRateDifference(
      { rate: cur.rate, variance: cur.variance, events: cur.count - (cur.ageUnknown ?? 0), lower: cur.lower!, upper: cur.upper! },
      { rate: earlier.rate, variance: earlier.variance, events: earlier.count - (earlier.ageUnknown ?? 0), lower: earlier.lower!, upper: earlier.upper! },
      conf,
    );
    return { ...base, rateRatio: earlier.rate > 0 ? cur.rate / earlier.rate : null, lower: null, upper: null, p: t.p, significant: t.significant, method: t.method };
  }
  if (cur.exposure === null || earlier.exposure === null) return { ...base, rateRatio: null, lower: null, upper: null, p: null, significant: null, method: null };
  const t = poissonRateRatio(cur.count, cur.exposure, earlier.count, earlier.exposure, conf);
  return {
    ...base,
    rateRatio: t.ratio,
    lower: t.lower,
    upper: t.upper,
    p: t.p,
    significant: t.p < 1 - conf,
    method: cur.personYears === null ? `${t.method}, on events per day (no population)` : t.method,
  };
}

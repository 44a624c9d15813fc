// Cross-agency linkage (issue 4, item 5) and the harm-reduction performance metrics (item 6):
// counts by area and period from sql/duckdb/queries/linkage_*.sql and performance.sql (rules and
// versions in sql/duckdb/definitions/linkage_metrics.sql and performance_metrics.sql), rolled into
// shares and ratios with exact intervals. Aggregates only; the person_key never leaves SQL.
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './duckdb.ts';
import type { Feed } from './indicators/index.ts';
import type { Geography } from './metrics.ts';
import { poissonRateRatio, qbeta } from './epi/rate-compare.ts';

export type CoarseInterval = 'month' | 'quarter' | 'year';

export const LINK_MEASURES = [
  'ems_nonfatal_30',
  'ems_nonfatal_90',
  'ems_nonfatal_365',
  'jail_release_30',
  'jail_release_90',
  'jail_release_365',
  'arrest_or_release_30',
  'arrest_or_release_90',
  'arrest_or_release_365',
  'treatment_365',
] as const;
export type LinkMeasure = (typeof LINK_MEASURES)[number];

/** The feed each linked measure joins to the deaths (its data are as protected as that feed's). */
export const LINK_FEED: Readonly<Record<LinkMeasure, Feed>> = {
  ems_nonfatal_30: 'ems',
  ems_nonfatal_90: 'ems',
  ems_nonfatal_365: 'ems',
  jail_release_30: 'arrests',
  jail_release_90: 'arrests',
  jail_release_365: 'arrests',
  arrest_or_release_30: 'arrests',
  arrest_or_release_90: 'arrests',
  arrest_or_release_365: 'arrests',
  treatment_365: 'treatment',
};

export const EVENT_MEASURES = ['events', 'fatal', 'nonfatal', 'ems_records', 'death_records', 'ems_merged'] as const;
export type EventMeasure = (typeof EVENT_MEASURES)[number];

export const PERFORMANCE_COUNTS = [
  'referrals',
  'drug_arrests',
  'naloxone_administrations',
  'naloxone_doses',
  'ems_overdoses',
  'ems_naloxone',
  'ems_nonfatal',
  'treatment_admissions',
] as const;
export type PerformanceCount = (typeof PERFORMANCE_COUNTS)[number];

/** The feeds behind each performance count (the strictest of them governs it). */
export const PERFORMANCE_FEEDS: Readonly<Record<PerformanceCount, readonly Feed[]>> = {
  referrals: ['arrests'],
  drug_arrests: ['arrests'],
  naloxone_administrations: ['naloxone'],
  naloxone_doses: ['naloxone'],
  ems_overdoses: ['ems'],
  ems_naloxone: ['ems'],
  // Nonfatal: EMS encounters not on the date of the same person's death — deaths data too.
  ems_nonfatal: ['ems', 'deaths'],
  treatment_admissions: ['treatment'],
};

export interface RangeParams {
  jurisdiction: string;
  interval: CoarseInterval;
  from: string;
  to: string;
  geography: Geography;
}

export type LinkRow = { period: string; area: string | null; deaths: number; deaths_keyed: number } & Record<LinkMeasure, number>;
export type EventRow = { period: string; area: string | null } & Record<EventMeasure, number>;
export type PerformanceRow = { period: string; area: string | null } & Record<PerformanceCount, number>;

export function linkageRows(conn: DuckDBConnection, p: RangeParams): Promise<LinkRow[]> {
  return queryRows<LinkRow>(conn, 'linkage_deaths', { ...p });
}

export function uniqueEventRows(conn: DuckDBConnection, p: RangeParams): Promise<EventRow[]> {
  return queryRows<EventRow>(conn, 'linkage_unique_events', { ...p });
}

export function performanceRows(conn: DuckDBConnection, p: Omit<RangeParams, 'geography'>): Promise<PerformanceRow[]> {
  return queryRows<PerformanceRow>(conn, 'performance', { ...p });
}

export interface Estimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
}

/** A share x/n with its exact (Clopper–Pearson) interval; null without a denominator. */
export function shareWithInterval(x: number, n: number, confLevel = 0.95): Estimate {
  if (!(n > 0)) return { value: null, lower: null, upper: null };
  const a = 1 - confLevel;
  return {
    value: x / n,
    lower: x === 0 ? 0 : qbeta(a / 2, x, n - x + 1),
    upper: x === n ? 1 : qbeta(1 - a / 2, x + 1, n - x),
  };
}

/**
 * A ratio of two counts x/y (administrations per overdose, admissions per nonfatal overdose) with
 * the exact conditional interval of a ratio of Poisson means (R poisson.test with equal exposure).
 */
export function ratioWithInterval(x: number, y: number, confLevel = 0.95): Estimate {
  if (!(y > 0)) return { value: null, lower: null, upper: null };
  const t = poissonRateRatio(x, 1, y, 1, confLevel);
  return { value: x / y, lower: t.lower, upper: t.upper };
}

/** Sums rows by (area, period); area null is the no-area row. */
export function byAreaPeriod<R extends { period: string; area: string | null }>(rows: readonly R[]): Map<string, R> {
  const out = new Map<string, R>();
  for (const r of rows) out.set(`${r.area ?? ''}|${r.period}`, r);
  return out;
}

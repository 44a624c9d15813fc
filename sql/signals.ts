// Signals: which areas rose beyond expectation, by which method, with what p-value — PRODUCT.md
// "Signals (daily counts)", "Signals (weekly counts)" and the ODMAP-style threshold alerts.
//
// Counts come out of DuckDB once per indicator (signal_counts.sql: bound parameters, non-empty
// cells only) and are zero-filled here into one daily series per area plus the jurisdiction-wide
// series (which, like series_total.sql, also counts events with no area). Weekly series are
// complete ISO weeks (Monday to Sunday) of those days. Each series goes through one detector of
// sql/epi/ (EARS C1–C3 and the ESSENCE switch on days; negative-binomial regression and Farrington
// flexible on weeks; a fixed count N per area), then, on each period, Benjamini–Hochberg across the
// areas (sql/epi/fdr.ts), then a level:
//   red    — the method's own alarm (EARS at its alpha, ESSENCE p < 0.01, NB above its 95% bound,
//            Farrington's score > 1, the ODMAP count reached) that survives BH at q = 0.05;
//   yellow — not red, p < 0.05 (ESSENCE's warning level, for every method);
//   none   — otherwise.
// Nothing here knows about HTTP or roles; server/routes/v1/signals.ts serves it.

import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlText } from './duckdb.ts';
import { earsSeries, type EarsMethod } from './epi/ears.ts';
import { ESSENCE_DEFAULTS, MODEL_REGRESSION, essence, type EssenceParams } from './epi/essence.ts';
import { NEGBIN_DEFAULTS, negbinSignal, type NegbinParams } from './epi/negbin.ts';
import { FARRINGTON_DEFAULTS, farringtonFlexible, type FarringtonParams } from './epi/farrington.ts';
import { benjaminiHochberg } from './epi/fdr.ts';
import { normalUpper } from './epi/tails.ts';
import type { Level, PeriodSignal } from './epi/episodes.ts';

export const SIGNAL_METHODS = ['ears_c1', 'ears_c2', 'ears_c3', 'essence', 'negbin', 'farrington', 'threshold'] as const;
export type SignalMethod = (typeof SIGNAL_METHODS)[number];
export type Cadence = 'day' | 'week';
export type Geography = 'residence' | 'event';

export interface MethodInfo {
  id: SignalMethod;
  cadence: Cadence;
  label: string;
  /** What red means for this method. */
  alarm: string;
  /** Whether p-values are adjusted across areas (not for a fixed count threshold, which has none). */
  fdr: boolean;
}

export const METHODS: Readonly<Record<SignalMethod, MethodInfo>> = {
  ears_c1: { id: 'ears_c1', cadence: 'day', label: 'EARS C1', alarm: 'count above mean + 3.09 sd of the 7 days before (alpha 0.001)', fdr: true },
  ears_c2: { id: 'ears_c2', cadence: 'day', label: 'EARS C2', alarm: 'count above mean + 3.09 sd of days t−9…t−3 (alpha 0.001)', fdr: true },
  ears_c3: { id: 'ears_c3', cadence: 'day', label: 'EARS C3', alarm: 'C2 excess over the two previous days above 1.96 (alpha 0.025)', fdr: true },
  essence: { id: 'essence', cadence: 'day', label: 'ESSENCE regression/EWMA switch', alarm: 'p < 0.01', fdr: true },
  negbin: { id: 'negbin', cadence: 'week', label: 'Negative-binomial seasonal regression', alarm: 'count above the 95% prediction bound', fdr: true },
  farrington: { id: 'farrington', cadence: 'week', label: 'Farrington flexible', alarm: 'count above the upper bound (alpha 0.05)', fdr: true },
  threshold: { id: 'threshold', cadence: 'day', label: 'ODMAP-style count threshold', alarm: 'N or more events in one day (24 hours) in the area', fdr: false },
};

/**
 * The floor on the EARS standard deviation for sparse series (surveillance's minSigma, default 0,
 * where any event after 7 empty days alarms). After 7 days with no event the daily rate may still
 * be as high as 3/7 ≈ 0.43 (the "rule of three", 95% upper bound); at that rate 4 or more events
 * in a day have probability 0.0012 and 3 or more 0.0099. For C1/C2's alpha = 0.001 to hold against
 * a rate the baseline cannot rule out, an empty baseline must need 4 events: z·σ ≥ 3 with
 * z = qnorm(0.999) = 3.09, so σ ≥ 0.97; we take 1. It changes nothing where the baseline's own sd
 * is above 1, i.e. in every series with more than about one event a day (the jurisdiction-wide
 * series, EMS in most areas).
 */
export const EARS_MIN_SIGMA = 1;

export interface SignalOptions {
  /** Floor on the EARS baseline sd (default EARS_MIN_SIGMA). */
  earsMinSigma: number;
  /** EARS alpha; default 0.001 (C1, C2), 0.025 (C3), as earsC. */
  earsAlpha?: number;
  essence: Partial<EssenceParams>;
  negbin: Partial<NegbinParams>;
  farrington: Partial<FarringtonParams>;
  /** Benjamini–Hochberg level across areas (default 0.05). */
  fdrQ: number;
  /** p below which a period is at least yellow (default 0.05). */
  yellowP: number;
  /** ODMAP thresholds: N by area id (and 'total'); areas without one are not evaluated. */
  thresholds: ReadonlyMap<string, number>;
}

export const SIGNAL_DEFAULTS: SignalOptions = {
  earsMinSigma: EARS_MIN_SIGMA,
  essence: {},
  negbin: {},
  farrington: {},
  fdrQ: 0.05,
  yellowP: 0.05,
  thresholds: new Map(),
};

// ── dates ──────────────────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
export const dayNumber = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
export const isoOfDay = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** ISO weekday, 0 = Monday … 6 = Sunday (1970-01-01, day 0, was a Thursday). */
export const weekdayOf = (n: number): number => (((n + 3) % 7) + 7) % 7;

// ── counts ─────────────────────────────────────────────────────────────────────────────────────

export interface AreaRef {
  id: string;
  name: string;
  lon: number | null;
  lat: number | null;
}

export interface Counts {
  cadence: Cadence;
  /** First day of the first period. */
  start: string;
  /** Periods in every series. */
  length: number;
  areas: AreaRef[];
  /** One series per area, in `areas` order. */
  byArea: Int32Array[];
  /** The whole jurisdiction, events without an area included. */
  total: Int32Array;
}

export interface CountQuery {
  jurisdiction: string;
  indicator: string;
  geography: Geography;
  from: string;
  to: string;
}

export async function loadAreas(conn: DuckDBConnection, jurisdiction: string): Promise<AreaRef[]> {
  return queryRows<AreaRef>(conn, 'signal_areas', { jurisdiction });
}

/** Daily counts from `from` to `to` (inclusive), zero-filled, per area and jurisdiction-wide. */
export async function loadDailyCounts(conn: DuckDBConnection, q: CountQuery, areas?: AreaRef[]): Promise<Counts> {
  const list = areas ?? (await loadAreas(conn, q.jurisdiction));
  const length = Math.max(0, dayNumber(q.to) - dayNumber(q.from) + 1);
  const byArea = list.map(() => new Int32Array(length));
  const total = new Int32Array(length);
  if (length > 0) {
    const reader = await conn.runAndReadAll(sqlText('signal_counts'), {
      jurisdiction: q.jurisdiction,
      indicator: q.indicator,
      geography: q.geography,
      from: q.from,
      to: q.to,
    });
    const [area, day, n] = reader.getColumns() as [(number | null)[], number[], number[]];
    for (let i = 0; i < day.length; i++) {
      const d = day[i]!;
      const v = n[i]!;
      total[d] = total[d]! + v;
      const a = area[i];
      if (a !== null && a !== undefined) byArea[a]![d] = byArea[a]![d]! + v;
    }
  }
  return { cadence: 'day', start: q.from, length, areas: list, byArea, total };
}

/** Complete ISO weeks (Monday–Sunday) of a daily series; partial weeks at either end are left out. */
export function weekly(daily: Counts): Counts {
  const d0 = dayNumber(daily.start);
  const skip = (7 - weekdayOf(d0)) % 7; // days before the first Monday
  const weeks = Math.max(0, Math.floor((daily.length - skip) / 7));
  const sum = (s: Int32Array): Int32Array => {
    const out = new Int32Array(weeks);
    for (let w = 0; w < weeks; w++) {
      let acc = 0;
      const o = skip + 7 * w;
      for (let k = 0; k < 7; k++) acc += s[o + k]!;
      out[w] = acc;
    }
    return out;
  };
  return { cadence: 'week', start: isoOfDay(d0 + skip), length: weeks, areas: daily.areas, byArea: daily.byArea.map(sum), total: sum(daily.total) };
}

/** First day of period i. */
export function periodStart(c: Pick<Counts, 'start' | 'cadence'>, i: number): string {
  return isoOfDay(dayNumber(c.start) + (c.cadence === 'week' ? 7 * i : i));
}

/** Index of the period holding `date` (may be out of range). */
export function periodIndex(c: Pick<Counts, 'start' | 'cadence'>, date: string): number {
  const d = dayNumber(date) - dayNumber(c.start);
  return c.cadence === 'week' ? Math.floor(d / 7) : d;
}

// ── detectors ──────────────────────────────────────────────────────────────────────────────────

/** One detector over one series: NaN where a period was not evaluated. */
export interface SeriesSignals {
  evaluated: Uint8Array;
  expected: Float64Array;
  /** The count above which the period alarms, where the method has one. */
  threshold: Float64Array;
  statistic: Float64Array;
  pValue: Float64Array;
  alarm: Uint8Array;
  /** ESSENCE: MODEL_REGRESSION or MODEL_EWMA. */
  model: Uint8Array | null;
}

function emptySignals(n: number): SeriesSignals {
  return {
    evaluated: new Uint8Array(n),
    expected: new Float64Array(n).fill(Number.NaN),
    threshold: new Float64Array(n).fill(Number.NaN),
    statistic: new Float64Array(n).fill(Number.NaN),
    pValue: new Float64Array(n).fill(Number.NaN),
    alarm: new Uint8Array(n),
    model: null,
  };
}

const EARS_METHOD: Record<'ears_c1' | 'ears_c2' | 'ears_c3', EarsMethod> = { ears_c1: 'C1', ears_c2: 'C2', ears_c3: 'C3' };

/**
 * The negative-binomial model (intercept, trend, one pair of harmonics, θ) is not fitted on a
 * baseline with fewer events than this: about five per parameter. A drug-checking site with two
 * positive samples in three years is no series to fit a trend to; MASS's glm.nb would run its
 * trend to ±∞ (seen on this city's data), and a forecast from it means nothing.
 */
export const NEGBIN_MIN_EVENTS = 20;

/** Weekly methods are costly (one model fit per week); `range` [from, to) limits the weeks fitted. */
export function detectSeries(
  method: SignalMethod,
  y: Int32Array,
  firstDow: number,
  opts: SignalOptions,
  range: readonly [number, number] = [0, y.length],
  thresholdN?: number,
): SeriesSignals {
  const n = y.length;
  const [lo, hi] = [Math.max(0, range[0]), Math.min(n, range[1])];
  switch (method) {
    case 'ears_c1':
    case 'ears_c2':
    case 'ears_c3': {
      const em = EARS_METHOD[method];
      const e = earsSeries(y, { method: em, minSigma: opts.earsMinSigma, ...(opts.earsAlpha !== undefined ? { alpha: opts.earsAlpha } : {}) });
      // The detector's own arrays when the whole series is asked for (the usual case), else copies.
      const whole = lo <= e.first && hi >= n;
      const out: SeriesSignals = whole
        ? { evaluated: new Uint8Array(n), expected: e.expected, threshold: e.threshold, statistic: e.statistic, pValue: new Float64Array(n).fill(Number.NaN), alarm: e.alarm, model: null }
        : emptySignals(n);
      for (let t = Math.max(lo, e.first); t < hi; t++) {
        const v = y[t]!;
        out.evaluated[t] = 1;
        if (!whole) {
          out.expected[t] = e.expected[t]!;
          out.threshold[t] = e.threshold[t]!;
          out.statistic[t] = e.statistic[t]!;
          out.alarm[t] = e.alarm[t]!;
        }
        if (em === 'C3') {
          // C3's alarm is judged on the two previous days' C2 excess (surveillance): its p-value
          // is that excess's normal tail, so that p < alpha exactly when it alarms.
          const lag = e.lagExcess[t]!;
          // (With sd 0 — only when minSigma is 0 — the bound is y itself or NA: no alarm, p 1.)
          out.pValue[t] = v > 0 && e.sd[t]! > 0 && !Number.isNaN(lag) ? normalUpper(lag) : 1;
        } else {
          const st = e.statistic[t]!;
          // sd 0 (only with minSigma 0): any count above the mean is infinitely unusual.
          out.pValue[t] = Number.isNaN(st) ? (v > e.expected[t]! ? 0 : 1) : normalUpper(st);
        }
      }
      return out;
    }
    case 'essence': {
      const params: EssenceParams = { ...ESSENCE_DEFAULTS, ...opts.essence };
      const s = essence(y, firstDow, params);
      const whole = lo <= s.first && hi >= n;
      const out: SeriesSignals = whole
        ? { evaluated: new Uint8Array(n), expected: s.expected, threshold: new Float64Array(n).fill(Number.NaN), statistic: s.statistic, pValue: s.pValue, alarm: new Uint8Array(n), model: s.model }
        : { ...emptySignals(n), model: s.model };
      for (let t = Math.max(lo, s.first); t < hi; t++) {
        out.evaluated[t] = 1;
        if (!whole) {
          out.expected[t] = s.expected[t]!;
          out.statistic[t] = s.statistic[t]!;
          out.pValue[t] = s.pValue[t]!;
        }
        out.alarm[t] = s.pValue[t]! < params.red ? 1 : 0;
      }
      return out;
    }
    case 'negbin': {
      const out = emptySignals(n);
      const params: NegbinParams = { ...NEGBIN_DEFAULTS, ...opts.negbin };
      const first = params.baselineWeeks + params.guardWeeks;
      const prefix = new Float64Array(n + 1);
      for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + y[i]!;
      const idx: number[] = [];
      const maxBase = new Map<number, number>();
      for (let t = Math.max(lo, first); t < hi; t++) {
        out.evaluated[t] = 1;
        const a = t - params.guardWeeks - params.baselineWeeks;
        const b = t - params.guardWeeks;
        // Too few events to fit four parameters: no model, no result (see NEGBIN_MIN_EVENTS).
        if (prefix[b]! - prefix[a]! < NEGBIN_MIN_EVENTS) continue;
        let m = 0;
        for (let i = a; i < b; i++) if (y[i]! > m) m = y[i]!;
        maxBase.set(t, m);
        idx.push(t);
      }
      if (idx.length === 0) return out;
      for (const p of negbinSignal(Array.from(y), { ...params, range: idx })) {
        const t = p.t;
        if (p.expected === null || p.theta === null) continue;
        // A forecast far beyond anything in the baseline is the trend extrapolating, not a
        // prediction (Farrington refuses the trend for the same reason); no result.
        if (p.expected > 10 * (maxBase.get(t)! + 1)) continue;
        out.expected[t] = p.expected;
        out.threshold[t] = p.upperbound ?? Number.NaN;
        // Pearson residual under NB(μ̂, θ̂).
        out.statistic[t] = (p.observed - p.expected) / Math.sqrt(p.expected + (p.expected * p.expected) / p.theta);
        out.pValue[t] = p.pvalue ?? Number.NaN;
        out.alarm[t] = p.alarm ? 1 : 0;
      }
      return out;
    }
    case 'farrington': {
      const out = emptySignals(n);
      const params: FarringtonParams = { ...FARRINGTON_DEFAULTS, ...opts.farrington };
      const first = params.freq * params.b + params.w;
      const idx: number[] = [];
      for (let t = Math.max(lo, first); t < hi; t++) idx.push(t);
      if (idx.length === 0) return out;
      for (const p of farringtonFlexible(Array.from(y), { ...params, range: idx })) {
        const t = p.t;
        out.evaluated[t] = 1;
        out.expected[t] = p.expected ?? Number.NaN;
        out.threshold[t] = p.upperbound ?? Number.NaN;
        out.statistic[t] = p.score ?? Number.NaN;
        // Below Farrington's "5 cases in 4 weeks" no model is judged: no p-value either.
        out.pValue[t] = p.expected === null ? Number.NaN : (p.pvalue ?? Number.NaN);
        out.alarm[t] = p.alarm ? 1 : 0;
      }
      return out;
    }
    case 'threshold': {
      const out = emptySignals(n);
      if (thresholdN === undefined) return out;
      for (let t = lo; t < hi; t++) {
        out.evaluated[t] = 1;
        out.threshold[t] = thresholdN;
        out.statistic[t] = y[t]! / thresholdN;
        out.alarm[t] = y[t]! >= thresholdN ? 1 : 0;
      }
      return out;
    }
  }
}

// ── a run over every area ──────────────────────────────────────────────────────────────────────

export const LEVEL_NONE = 0;
export const LEVEL_YELLOW = 1;
export const LEVEL_RED = 2;
const LEVEL_NAMES: readonly Level[] = ['none', 'yellow', 'red'];

export interface SignalRun {
  method: SignalMethod;
  counts: Counts;
  /** Periods [from, to) the run covers. */
  range: [number, number];
  areas: SeriesSignals[];
  total: SeriesSignals;
  /**
   * BH-adjusted p-values across the areas on period t, one per area (NaN where not evaluated, or
   * for a method without FDR). Computed on demand: the levels need BH only on periods where some
   * area alarms.
   */
  adjusted(t: number): Float64Array;
  level: Uint8Array[];
  totalLevel: Uint8Array;
  options: SignalOptions;
}

/** BH across the areas, per period, computed on first use and kept. */
function adjustedPValues(areas: readonly SeriesSignals[], fdr: boolean): (t: number) => Float64Array {
  const cache = new Map<number, Float64Array>();
  return (t: number): Float64Array => {
    let adj = cache.get(t);
    if (!adj) {
      const p = new Float64Array(areas.length);
      for (let a = 0; a < areas.length; a++) p[a] = fdr && areas[a]!.evaluated[t] ? areas[a]!.pValue[t]! : Number.NaN;
      adj = benjaminiHochberg(p);
      cache.set(t, adj);
    }
    return adj;
  };
}

/** A run as plain data (typed arrays): what a worker thread sends back. */
export type SignalRunData = Omit<SignalRun, 'adjusted'>;

/** The run again from its data (after a worker thread sent it). */
export function signalRunFrom(d: SignalRunData): SignalRun {
  return { ...d, adjusted: adjustedPValues(d.areas, METHODS[d.method].fdr) };
}

/** Every buffer of a run's data, for postMessage's transfer list. */
export function runBuffers(d: SignalRunData): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView | null) => {
    if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  };
  for (const s of [...d.areas, d.total]) {
    add(s.evaluated);
    add(s.expected);
    add(s.threshold);
    add(s.statistic);
    add(s.pValue);
    add(s.alarm);
    add(s.model);
  }
  for (const l of d.level) add(l);
  add(d.totalLevel);
  return [...out];
}

/**
 * Runs one method over every area (or only the areas in `only`: BH then runs across those) and
 * the whole jurisdiction, then FDR and levels, on periods [range[0], range[1]).
 */
export function runSignals(
  counts: Counts,
  method: SignalMethod,
  options: Partial<SignalOptions> = {},
  range?: readonly [number, number],
  only?: ReadonlySet<string>,
): SignalRun {
  const opts: SignalOptions = { ...SIGNAL_DEFAULTS, ...options };
  const r: [number, number] = [Math.max(0, range?.[0] ?? 0), Math.min(counts.length, range?.[1] ?? counts.length)];
  const firstDow = weekdayOf(dayNumber(counts.start));
  const areas = counts.byArea.map((y, i) =>
    only && !only.has(counts.areas[i]!.id) ? emptySignals(counts.length) : detectSeries(method, y, firstDow, opts, r, opts.thresholds.get(counts.areas[i]!.id)),
  );
  const total = detectSeries(method, counts.total, firstDow, opts, r, opts.thresholds.get('total'));
  const fdr = METHODS[method].fdr;
  const n = counts.length;
  const A = areas.length;
  const adjusted = adjustedPValues(areas, fdr);
  const level = areas.map(() => new Uint8Array(n));
  const totalLevel = new Uint8Array(n);
  for (let t = r[0]; t < r[1]; t++) {
    let alarms = false;
    for (let a = 0; a < A && !alarms; a++) if (areas[a]!.alarm[t]) alarms = true;
    const adj = fdr && alarms ? adjusted(t) : null;
    for (let a = 0; a < A; a++) {
      const s = areas[a]!;
      if (!s.evaluated[t]) continue;
      const p = s.pValue[t]!;
      level[a]![t] = s.alarm[t] && (!fdr || adj![a]! <= opts.fdrQ) ? LEVEL_RED : p < opts.yellowP ? LEVEL_YELLOW : LEVEL_NONE;
    }
    // The jurisdiction as a whole is a family of one: its own p-value.
    if (total.evaluated[t]) {
      const p = total.pValue[t]!;
      totalLevel[t] = total.alarm[t] && (!fdr || p <= opts.fdrQ) ? LEVEL_RED : p < opts.yellowP ? LEVEL_YELLOW : LEVEL_NONE;
    }
  }
  return { method, counts, range: r, areas, total, adjusted, level, totalLevel, options: opts };
}

export interface SignalResult {
  /** Area id, or 'total' for the whole jurisdiction. */
  area: string;
  name: string;
  /** First day of the period (the day, or the Monday of the week). */
  date: string;
  periodEnd: string;
  observed: number;
  expected: number | null;
  threshold: number | null;
  statistic: number | null;
  pValue: number | null;
  pAdjusted: number | null;
  level: Level;
  method: SignalMethod;
  /** ESSENCE only: which arm of the switch produced the result. */
  model: 'regression' | 'ewma' | null;
}

const num = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

/** Results of periods [from, to) as rows: the jurisdiction first, then areas in id order. */
export function signalRows(run: SignalRun, from: number, to: number, areaFilter?: ReadonlySet<string>): SignalResult[] {
  const c = run.counts;
  const out: SignalResult[] = [];
  const row = (id: string, name: string, y: Int32Array, s: SeriesSignals, lvl: Uint8Array, adj: number | null, t: number): SignalResult => ({
    area: id,
    name,
    date: periodStart(c, t),
    periodEnd: c.cadence === 'week' ? isoOfDay(dayNumber(periodStart(c, t)) + 6) : periodStart(c, t),
    observed: y[t]!,
    expected: num(s.expected[t]),
    threshold: num(s.threshold[t]),
    statistic: num(s.statistic[t]),
    pValue: num(s.pValue[t]),
    pAdjusted: adj !== null ? num(adj) : METHODS[run.method].fdr ? num(s.pValue[t]) : null,
    level: LEVEL_NAMES[lvl[t]!]!,
    method: run.method,
    model: s.model ? (s.model[t] === MODEL_REGRESSION ? 'regression' : s.model[t] ? 'ewma' : null) : null,
  });
  for (let t = Math.max(from, run.range[0]); t < Math.min(to, run.range[1]); t++) {
    if ((!areaFilter || areaFilter.has('total')) && run.total.evaluated[t]) out.push(row('total', 'Total', c.total, run.total, run.totalLevel, null, t));
    for (let a = 0; a < c.areas.length; a++) {
      const area = c.areas[a]!;
      if (areaFilter && !areaFilter.has(area.id)) continue;
      if (!run.areas[a]!.evaluated[t]) continue;
      out.push(row(area.id, area.name, c.byArea[a]!, run.areas[a]!, run.level[a]!, METHODS[run.method].fdr ? run.adjusted(t)[a]! : Number.NaN, t));
    }
  }
  return out;
}

/** The run as the alert history sees it: per period, the areas with a red or yellow result. */
export function periodSignals(run: SignalRun): { date: string; byArea: Map<string, PeriodSignal> }[] {
  const out: { date: string; byArea: Map<string, PeriodSignal> }[] = [];
  for (const r of signalRowsByPeriod(run)) {
    const byArea = new Map<string, PeriodSignal>();
    for (const x of r.rows) {
      if (x.level === 'none') continue;
      byArea.set(x.area, {
        date: x.date,
        level: x.level,
        observed: x.observed,
        expected: x.expected,
        statistic: x.statistic,
        pValue: x.pValue,
        pAdjusted: x.pAdjusted,
      });
    }
    out.push({ date: r.date, byArea });
  }
  return out;
}

function* signalRowsByPeriod(run: SignalRun): Generator<{ date: string; rows: SignalResult[] }> {
  for (let t = run.range[0]; t < run.range[1]; t++) {
    const evaluated = run.total.evaluated[t] || run.areas.some((s) => s.evaluated[t]);
    if (!evaluated) continue;
    yield { date: periodStart(run.counts, t), rows: signalRows(run, t, t + 1) };
  }
}

// ── one call: counts from DuckDB, then the run ─────────────────────────────────────────────────

export interface SignalRequest {
  jurisdiction: string;
  indicator: string;
  geography: Geography;
  method: SignalMethod;
  /** First and last event date of the indicator (the history every run starts from). */
  dataStart: string;
  dataEnd: string;
  /** Evaluate periods ending from `from` through `through` (clamped to the data). */
  from: string;
  through: string;
  options?: Partial<SignalOptions>;
}

export interface LoadedSignals {
  run: SignalRun;
  daily: Counts;
  /** Periods of `run.counts` evaluated: [from, to). */
  from: number;
  to: number;
}

/**
 * Loads the whole history of the indicator up to `through` (so a day's result does not depend on
 * the range asked for: EWMA and the weekly models see the same past) and evaluates the periods
 * that end between `from` and `through`.
 */
/** Where a run happens: here by default; the server sends weekly models to worker threads. */
export type SignalRunner = (counts: Counts, method: SignalMethod, options: Partial<SignalOptions>, range: [number, number]) => SignalRun | Promise<SignalRun>;

export async function computeSignals(
  conn: DuckDBConnection,
  q: SignalRequest,
  areas?: AreaRef[],
  runner: SignalRunner = (c, m, o, r) => runSignals(c, m, o, r),
): Promise<LoadedSignals> {
  const through = q.through < q.dataEnd ? q.through : q.dataEnd;
  const daily = await loadDailyCounts(conn, { jurisdiction: q.jurisdiction, indicator: q.indicator, geography: q.geography, from: q.dataStart, to: through < q.dataStart ? q.dataStart : through }, areas);
  const counts = METHODS[q.method].cadence === 'week' ? weekly(daily) : daily;
  // A period counts when it ends within [from, through].
  const span = counts.cadence === 'week' ? 6 : 0;
  let from = 0;
  while (from < counts.length && isoOfDay(dayNumber(periodStart(counts, from)) + span) < q.from) from++;
  let to = counts.length;
  while (to > from && isoOfDay(dayNumber(periodStart(counts, to - 1)) + span) > through) to--;
  const run = await runner(counts, q.method, q.options ?? {}, counts.cadence === 'week' ? [from, to] : [0, counts.length]);
  return { run, daily, from, to };
}

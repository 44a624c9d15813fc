// Backtesting a detector on the city's own history (issue 4, item 4): inject synthetic spikes of a
// chosen size into the real daily counts, run the detector with the chosen parameters, and report
// how many spikes it finds (sensitivity), how soon (days to detection) and how often it alarms
// where nothing was injected (false alarms per month) — so the group can choose its detector on
// its own data. Seeded: the same request gives the same answer.
//
// A spike adds `extra` events to one area over `days` consecutive days, each event on a day drawn
// uniformly in the window (as the default city's generator plants its spikes). Spikes in one area
// are kept a baseline apart (60 days for daily methods, 8 weeks for weekly ones), so one spike
// never sits in another's baseline. A spike is detected when its area is red on a day (or in a
// week) that overlaps [start, end + 7 days]; days to detection run from the first injected day to
// the first such red day (for a week, its last day: the week's count is known only then). A false
// alarm is any red area-period outside every injected window of its area — including whatever real
// outbreaks the history holds, which is what "how often does it cry wolf here" means.

import { randomInt, randomLcg } from 'd3';
import {
  LEVEL_RED,
  METHODS,
  dayNumber,
  isoOfDay,
  periodStart,
  runSignals,
  weekly,
  type Counts,
  type SignalMethod,
  type SignalOptions,
} from './signals.ts';

export interface BacktestSpec {
  method: SignalMethod;
  options?: Partial<SignalOptions>;
  /** Spikes to inject (default 40). */
  spikes: number;
  /** Extra events per spike. */
  extra: number;
  /** Length of each spike in days (default 3). */
  days: number;
  seed: number;
  /** Areas spikes may go into (default every area). */
  areas?: readonly string[];
  /** First and last day evaluated (default: the whole history the method can evaluate). */
  from?: string;
  to?: string;
}

export interface InjectedSpike {
  area: string;
  start: string;
  end: string;
  extra: number;
  /** First red day (or week end) in [start, end + 7 days]; null if missed. */
  detectedOn: string | null;
  daysToDetection: number | null;
}

export interface BacktestResult {
  method: SignalMethod;
  cadence: 'day' | 'week';
  seed: number;
  extra: number;
  days: number;
  evaluated: { from: string; to: string; days: number; areas: number };
  spikes: InjectedSpike[];
  detected: number;
  sensitivity: number;
  daysToDetection: { median: number | null; mean: number | null; max: number | null };
  falseAlarms: number;
  /** False alarms in the whole jurisdiction (all areas together) per 30.44 days. */
  falseAlarmsPerMonth: number;
  /** False alarms per area per year. */
  falseAlarmsPerAreaYear: number;
}

const LAG_DAYS = 7;
const DAYS_PER_MONTH = 365.25 / 12;

/** Separation between spikes in one area: a baseline and a guard band (ESSENCE: 28 + 2). */
const SEPARATION = { day: 60, week: 56 };

function median(v: number[]): number | null {
  if (v.length === 0) return null;
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Where a method can be evaluated, in days from the start of the daily series. */
function firstEvaluableDay(method: SignalMethod, options: Partial<SignalOptions>): number {
  switch (METHODS[method].cadence) {
    case 'day':
      return method === 'essence' ? (options.essence?.baseline ?? 28) + (options.essence?.guard ?? 2) : 12;
    case 'week': {
      const weeks =
        method === 'negbin'
          ? (options.negbin?.baselineWeeks ?? 156) + (options.negbin?.guardWeeks ?? 4)
          : (options.farrington?.freq ?? 52) * (options.farrington?.b ?? 5) + (options.farrington?.w ?? 3);
      return 7 * (weeks + 1);
    }
  }
}

export function backtest(daily: Counts, spec: BacktestSpec): BacktestResult {
  if (daily.cadence !== 'day') throw new Error('backtest: daily counts expected');
  if (!(Number.isInteger(spec.spikes) && spec.spikes >= 1)) throw new Error('backtest: spikes must be a whole number ≥ 1');
  if (!(Number.isInteger(spec.extra) && spec.extra >= 1)) throw new Error('backtest: extra must be a whole number ≥ 1');
  if (!(Number.isInteger(spec.days) && spec.days >= 1)) throw new Error('backtest: days must be a whole number ≥ 1');
  const options = spec.options ?? {};
  const cadence = METHODS[spec.method].cadence;
  const d0 = dayNumber(daily.start);
  const n = daily.length;
  const evalFrom = Math.max(firstEvaluableDay(spec.method, options), spec.from ? dayNumber(spec.from) - d0 : 0);
  const evalTo = Math.min(n - 1, spec.to ? dayNumber(spec.to) - d0 : n - 1);
  const latestStart = evalTo - spec.days + 1 - LAG_DAYS;
  if (latestStart < evalFrom) throw new Error(`backtest: the history from ${isoOfDay(d0 + evalFrom)} to ${isoOfDay(d0 + evalTo)} is too short for ${spec.method}`);

  const allowed = spec.areas ? new Set(spec.areas) : null;
  const candidates = daily.areas.map((a, i) => i).filter((i) => !allowed || allowed.has(daily.areas[i]!.id));
  if (candidates.length === 0) throw new Error('backtest: no area to inject spikes into');

  // Plant spikes (seeded), a separation apart within an area.
  const rng = randomLcg(spec.seed);
  const pickArea = randomInt.source(rng)(0, candidates.length);
  const pickStart = randomInt.source(rng)(evalFrom, latestStart + 1);
  const pickDay = randomInt.source(rng)(0, spec.days);
  const sep = SEPARATION[cadence];
  const planted: { area: number; start: number }[] = [];
  for (let tries = 0; planted.length < spec.spikes && tries < spec.spikes * 200; tries++) {
    const area = candidates[pickArea()]!;
    const start = pickStart();
    if (planted.some((p) => p.area === area && Math.abs(p.start - start) < sep + spec.days)) continue;
    planted.push({ area, start });
  }
  planted.sort((a, b) => a.start - b.start || a.area - b.area);

  // Inject into copies of the series.
  const byArea = daily.byArea.map((s) => s.slice());
  const total = daily.total.slice();
  for (const p of planted) {
    for (let k = 0; k < spec.extra; k++) {
      const d = p.start + pickDay();
      byArea[p.area]![d]!++;
      total[d]!++;
    }
  }
  const injected: Counts = { ...daily, byArea, total };
  const counts = cadence === 'week' ? weekly(injected) : injected;
  // Days of each period (for weeks: offset of its Monday from the daily start, 7 days).
  const firstDayOf = (t: number) => dayNumber(periodStart(counts, t)) - d0;
  const span = cadence === 'week' ? 7 : 1;
  // Only the periods inside the evaluated stretch, and only the chosen areas, are run: a weekly
  // model is one fit per area and week. BH then runs across the chosen areas.
  let r0 = 0;
  while (r0 < counts.length && firstDayOf(r0) < evalFrom) r0++;
  let r1 = counts.length;
  while (r1 > r0 && firstDayOf(r1 - 1) + span - 1 > evalTo) r1--;
  const run = runSignals(counts, spec.method, options, [r0, r1], new Set(candidates.map((i) => daily.areas[i]!.id)));
  const windows = planted.map((p) => ({ ...p, end: p.start + spec.days - 1, until: p.start + spec.days - 1 + LAG_DAYS }));

  const spikes: InjectedSpike[] = windows.map((w) => {
    let detected: number | null = null;
    for (let t = 0; t < counts.length && detected === null; t++) {
      const a = firstDayOf(t);
      const b = a + span - 1;
      if (b < w.start || a > w.until) continue;
      if (run.level[w.area]![t] === LEVEL_RED) detected = Math.max(b, w.start);
    }
    return {
      area: daily.areas[w.area]!.id,
      start: isoOfDay(d0 + w.start),
      end: isoOfDay(d0 + w.end),
      extra: spec.extra,
      detectedOn: detected === null ? null : isoOfDay(d0 + detected),
      daysToDetection: detected === null ? null : detected - w.start,
    };
  });

  let falseAlarms = 0;
  let evaluatedDays = 0;
  const evalAreas = new Set(candidates);
  for (let t = 0; t < counts.length; t++) {
    const a = firstDayOf(t);
    const b = a + span - 1;
    if (a < evalFrom || b > evalTo) continue;
    let any = false;
    for (const z of evalAreas) {
      if (!run.areas[z]!.evaluated[t]) continue;
      any = true;
      if (run.level[z]![t] !== LEVEL_RED) continue;
      if (windows.some((w) => w.area === z && b >= w.start && a <= w.until)) continue;
      falseAlarms++;
    }
    if (any) evaluatedDays += span;
  }
  const delays = spikes.flatMap((s) => (s.daysToDetection === null ? [] : [s.daysToDetection]));
  const months = evaluatedDays / DAYS_PER_MONTH;
  return {
    method: spec.method,
    cadence,
    seed: spec.seed,
    extra: spec.extra,
    days: spec.days,
    evaluated: { from: isoOfDay(d0 + evalFrom), to: isoOfDay(d0 + evalTo), days: evaluatedDays, areas: evalAreas.size },
    spikes,
    detected: delays.length,
    sensitivity: spikes.length ? delays.length / spikes.length : 0,
    daysToDetection: {
      median: median(delays),
      mean: delays.length ? delays.reduce((s, v) => s + v, 0) / delays.length : null,
      max: delays.length ? Math.max(...delays) : null,
    },
    falseAlarms,
    falseAlarmsPerMonth: months > 0 ? falseAlarms / months : 0,
    falseAlarmsPerAreaYear: months > 0 ? falseAlarms / evalAreas.size / (months / 12) : 0,
  };
}

// Hysteresis for alerts: a spike that persists is one alert that updates, not a new alert every
// day. Two thresholds, as a thermostat: an episode opens on a red period; while open, every red
// or yellow period keeps it alive and updates it; it closes after K quiet periods (level none, or
// no result) in a row. A new red period after that opens a new episode.
//
// Pure: the Postgres repository (sql/postgres/alerts.ts) stores the state between runs.

export type Level = 'red' | 'yellow' | 'none';

export interface PeriodSignal {
  /** 'YYYY-MM-DD' (the day, or the first day of the week). */
  date: string;
  level: Level;
  observed: number | null;
  expected: number | null;
  statistic: number | null;
  pValue: number | null;
  pAdjusted: number | null;
}

export interface EpisodeState {
  openedOn: string;
  lastSignalOn: string;
  /** Quiet periods in a row since the last red or yellow one. */
  quiet: number;
  redPeriods: number;
  yellowPeriods: number;
  /** The strongest period so far: smallest p-value, else (no p-value: threshold alerts) largest count. */
  peak: PeriodSignal;
  latest: PeriodSignal;
}

export type EpisodeEvent = 'opened' | 'updated' | 'quiet' | 'closed';

export interface Advance {
  /** The episode after this period; null when none is open. */
  state: EpisodeState | null;
  /** What happened: null when nothing was open and nothing opened. */
  event: EpisodeEvent | null;
  /** With 'closed': the episode as it closed (its state before the period) and the closing date. */
  closed?: { state: EpisodeState; closedOn: string };
}

function stronger(a: PeriodSignal, b: PeriodSignal): boolean {
  if (a.pValue !== null && b.pValue !== null && a.pValue !== b.pValue) return a.pValue < b.pValue;
  return (a.observed ?? -Infinity) > (b.observed ?? -Infinity);
}

/** One period through the state machine. `quietToClose` is K ≥ 1. */
export function advance(state: EpisodeState | null, s: PeriodSignal, quietToClose: number): Advance {
  if (!(Number.isInteger(quietToClose) && quietToClose >= 1)) throw new Error('episodes: quietToClose must be a whole number ≥ 1');
  if (state === null) {
    if (s.level !== 'red') return { state: null, event: null };
    return {
      state: { openedOn: s.date, lastSignalOn: s.date, quiet: 0, redPeriods: 1, yellowPeriods: 0, peak: s, latest: s },
      event: 'opened',
    };
  }
  if (s.level === 'none') {
    const quiet = state.quiet + 1;
    if (quiet >= quietToClose) return { state: null, event: 'closed', closed: { state: { ...state, quiet }, closedOn: s.date } };
    return { state: { ...state, quiet }, event: 'quiet' };
  }
  return {
    state: {
      ...state,
      lastSignalOn: s.date,
      quiet: 0,
      redPeriods: state.redPeriods + (s.level === 'red' ? 1 : 0),
      yellowPeriods: state.yellowPeriods + (s.level === 'yellow' ? 1 : 0),
      peak: stronger(s, state.peak) ? s : state.peak,
      latest: s,
    },
    event: 'updated',
  };
}

export interface Episode extends EpisodeState {
  closedOn: string | null;
  /** The red and yellow periods of the episode, in order. */
  periods: PeriodSignal[];
}

/**
 * Runs a whole sequence (oldest first; a missing period should be passed as level 'none') and
 * returns every episode, the last possibly still open (closedOn null).
 */
export function episodes(signals: readonly PeriodSignal[], quietToClose: number, initial: EpisodeState | null = null): Episode[] {
  const out: Episode[] = [];
  let state = initial;
  let periods: PeriodSignal[] = [];
  for (const s of signals) {
    const r = advance(state, s, quietToClose);
    if (r.event === 'opened' || r.event === 'updated') periods.push(s);
    if (r.event === 'closed') {
      out.push({ ...r.closed!.state, closedOn: r.closed!.closedOn, periods });
      periods = [];
    }
    state = r.state;
  }
  if (state) out.push({ ...state, closedOn: null, periods });
  return out;
}

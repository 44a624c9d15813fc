// Pure parts of the monthly brief (docs/brief.md): months, the policy key a snapshot is stored
// under, headline figures from a monthly series, hotspots split into new and continuing with their
// explanations, the last meeting and its action items. No database, no HTTP: unit-tested in
// tests/unit/brief-figures.test.ts.
import { createHash } from 'node:crypto';
import type { FeedPolicy } from '../policy.ts';
import type { Figure, Hotspot } from '../schemas/brief.ts';

export class MonthError extends Error {}

/** 'YYYY-MM' checked: a clear message for anything else. */
export function parseMonth(s: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  if (!m) throw new MonthError(`"${s}" is not a month: expected YYYY-MM, e.g. 2025-11`);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new MonthError(`"${s}" is not a month: the month part must be 01 to 12`);
  if (Number(m[1]) < 1900) throw new MonthError(`"${s}": the year must be 1900 or later`);
  return s;
}

export function addMonths(month: string, n: number): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}
export const monthStart = (month: string) => `${month}-01`;
export function monthEnd(month: string): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0));
  return d.toISOString().slice(0, 10);
}

/**
 * The key a snapshot is stored under: a hash of what the role may see of every feed. Roles with the
 * same policy (commander, partner and administrator by default) share snapshots; a role that sees
 * more (the analyst) never hands its figures to one that sees less, nor the other way round.
 */
export function policyKey(policy: Record<string, FeedPolicy>): string {
  const canon = Object.keys(policy)
    .sort()
    .map((f) => {
      const p = policy[f]!;
      return [f, p.allowed, p.minArea, p.minInterval, p.threshold];
    });
  return createHash('sha256').update(JSON.stringify(canon)).digest('hex').slice(0, 16);
}

/**
 * What a role sees, in one sentence per group of feeds with the same rule (for the brief's footer):
 * "deaths, ems: by area, by month or longer, counts 1–9 hidden; treatment: …".
 */
export function describePolicyTable(policy: Record<string, FeedPolicy>): string {
  const groups = new Map<string, string[]>();
  for (const f of Object.keys(policy).sort()) {
    const p = policy[f]!;
    const text = !p.allowed
      ? 'not shown'
      : [
          p.minArea === 'area' ? 'by area' : 'for the whole jurisdiction only',
          p.minInterval === 'day' ? 'by any period' : `by ${p.minInterval} or longer`,
          p.threshold > 0 ? `counts 1–${p.threshold - 1} hidden` : 'nothing hidden',
        ].join(', ');
    groups.set(text, [...(groups.get(text) ?? []), f]);
  }
  return [...groups].map(([text, feeds]) => `${feeds.join(', ')}: ${text}`).join('; ');
}

/** Percent change from `before` to `now`; null when either is unknown or `before` is 0. */
export function percentChange(now: number | null | undefined, before: number | null | undefined): number | null {
  if (now === null || now === undefined || before === null || before === undefined || before === 0) return null;
  return Math.round(((now - before) / before) * 1000) / 10;
}

interface SeriesLike {
  periods: { start: string; end: string; partial: boolean }[];
  series: { area: string; points: { period: string; count: number | null; state: Figure['state']; rate: number | null }[] }[];
}

/** The month's figure from the whole-jurisdiction series ("total"), or null when the month is not in it. */
export function monthFigure(res: SeriesLike, month: string, area = 'total'): Figure | null {
  const s = res.series.find((x) => x.area === area);
  const i = res.periods.findIndex((p) => p.start === monthStart(month));
  if (!s || i < 0) return null;
  const p = s.points[i];
  if (!p) return null;
  return { month, count: p.count, state: p.state, rate: p.rate === null ? null : Math.round(p.rate * 100) / 100, partial: res.periods[i]!.partial };
}

const num = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 1 });
const pText = (p: number | null) => (p === null ? null : p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** 'Drug overdose deaths' → 'drug overdose deaths'; 'EMS …' stays 'EMS …'. */
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

const METHOD_NAMES: Record<string, string> = {
  essence: 'ESSENCE regression/EWMA',
  ears_c1: 'EARS C1',
  ears_c2: 'EARS C2',
  ears_c3: 'EARS C3',
  negbin: 'negative-binomial regression',
  farrington: 'Farrington flexible',
  threshold: 'threshold alert',
};

interface AlertPeriodLike {
  date: string;
  level: string;
  observed: number | null;
  expected: number | null;
  statistic: number | null;
  pValue: number | null;
  suppressed: boolean;
}
export interface AlertLike {
  id: number;
  indicator: string;
  method: string;
  cadence: 'day' | 'week';
  area: string;
  areaName: string;
  status: 'open' | 'closed';
  openedOn: string;
  lastSignalOn: string;
  closedOn: string | null;
  redPeriods: number;
  yellowPeriods: number;
  peak: AlertPeriodLike;
  note: string | null;
}

/**
 * One sentence explaining an alert episode, from what the reader may see of it: the peak's observed
 * and expected counts only where the role is served by day without a threshold (alertOut has
 * already nulled them otherwise), and always the method, the red/yellow periods and the dates.
 */
export function explainAlert(a: AlertLike, indicatorLabel: string): string {
  const method = METHOD_NAMES[a.method] ?? a.method;
  const unit = a.cadence === 'day' ? 'day' : 'week';
  const parts: string[] = [];
  const pk = a.peak;
  if (!pk.suppressed && pk.observed !== null && pk.expected !== null) {
    parts.push(`peak ${pk.date}: ${num(pk.observed)} ${lowerFirst(indicatorLabel)} observed against ${num(pk.expected)} expected`);
    const stat = [pk.statistic !== null ? `statistic ${pk.statistic.toFixed(2)}` : null, pText(pk.pValue)].filter(Boolean).join(', ');
    if (stat) parts[parts.length - 1] += ` (${stat})`;
  } else {
    parts.push(`peak ${pk.date} (${pk.level}); daily counts are not shown for this role`);
  }
  parts.push(`${a.redPeriods} red and ${a.yellowPeriods} yellow ${unit}s by ${method}`);
  parts.push(a.status === 'open' ? `open since ${a.openedOn}, last signal ${a.lastSignalOn}` : `${a.openedOn} to ${a.closedOn}`);
  return `${parts.join('; ')}.`;
}

/** Episodes opened in the month are new; those opened before it and open at some time in it continue. */
export function splitHotspots(alerts: readonly AlertLike[], month: string, labels: ReadonlyMap<string, string>): { new: Hotspot[]; continuing: Hotspot[] } {
  const from = monthStart(month);
  const to = monthEnd(month);
  const out = { new: [] as Hotspot[], continuing: [] as Hotspot[] };
  const inMonth = alerts.filter((a) => a.openedOn <= to && (a.closedOn === null || a.closedOn >= from));
  // Most red periods first, then the earliest opened, then by area: the same order every time.
  const sorted = [...inMonth].sort((x, y) => y.redPeriods - x.redPeriods || x.openedOn.localeCompare(y.openedOn) || x.area.localeCompare(y.area) || x.id - y.id);
  for (const a of sorted) {
    const label = labels.get(a.indicator) ?? a.indicator;
    const h: Hotspot = {
      alertId: a.id,
      indicator: a.indicator,
      indicatorLabel: label,
      method: a.method,
      cadence: a.cadence,
      area: a.area,
      areaName: a.area === 'total' ? 'Whole jurisdiction' : a.areaName,
      // As of the month's end: an episode closed later was still open then.
      status: a.closedOn !== null && a.closedOn <= to ? 'closed' : 'open',
      openedOn: a.openedOn,
      lastSignalOn: a.lastSignalOn > to ? to : a.lastSignalOn,
      closedOn: a.closedOn !== null && a.closedOn <= to ? a.closedOn : null,
      redPeriods: a.redPeriods,
      yellowPeriods: a.yellowPeriods,
      explanation: explainAlert(a, label),
      note: a.note,
    };
    (a.openedOn >= from ? out.new : out.continuing).push(h);
  }
  return out;
}

/** The most recent meeting held on or before the month's last day. */
export function lastMeetingBy<M extends { id: number; date: string }>(meetings: readonly M[], month: string): M | null {
  const end = monthEnd(month);
  let best: M | null = null;
  for (const m of meetings) if (m.date <= end && (best === null || m.date > best.date || (m.date === best.date && m.id > best.id))) best = m;
  return best;
}

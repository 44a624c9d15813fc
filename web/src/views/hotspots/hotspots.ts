// Pure transforms for the hotspots view (tests/unit/web-hotspots.test.ts): rank this period's
// signals by area, say why counts are hidden for a role, find which other feeds agree, and lay
// out the observed-against-expected chart. No DOM, no fetch.
import { scaleBand, scaleLinear } from 'd3';
import type { Alert, SignalsResponse } from '../../api.ts';
import type { TableData } from '../../shell/table.ts';

export type SignalRow = SignalsResponse['results'][number];
export type Method = SignalRow['method'];
export type Level = SignalRow['level'];
export type Cadence = SignalsResponse['cadence'];

export const METHODS: readonly { id: Method; label: string; cadence: Cadence; about: string }[] = [
  {
    id: 'essence',
    label: 'ESSENCE (regression / EWMA)',
    cadence: 'day',
    about:
      'ESSENCE (CDC BioSense): a 28-day baseline after a 2-day guard band; a linear regression with day of week where it fits (adjusted R² ≥ 0.60), else an EWMA. The p-value is of the day’s count against that expectation.',
  },
  { id: 'ears_c1', label: 'EARS C1', cadence: 'day', about: 'EARS C1 (CDC): the day against the mean and standard deviation of the 7 days before it.' },
  { id: 'ears_c2', label: 'EARS C2', cadence: 'day', about: 'EARS C2 (CDC): the day against the 7 days before a 2-day guard band.' },
  { id: 'ears_c3', label: 'EARS C3', cadence: 'day', about: 'EARS C3 (CDC): C2 excesses summed over the last 3 days.' },
  {
    id: 'farrington',
    label: 'Farrington flexible (weekly)',
    cadence: 'week',
    about: 'Farrington flexible (R surveillance): the week against the same weeks of the 5 years before (w = 3), over-dispersed Poisson, alpha 0.05.',
  },
  {
    id: 'negbin',
    label: 'Negative-binomial seasonal (weekly)',
    cadence: 'week',
    about: 'Negative-binomial regression with trend and annual harmonics over at least 2 years; alarm above the 95% prediction bound.',
  },
  { id: 'threshold', label: 'Count threshold (ODMAP)', cadence: 'day', about: 'ODMAP-style: N or more events in one day in the area, N set per area by the working group. No p-value.' },
];

export function methodInfo(id: string) {
  return METHODS.find((m) => m.id === id) ?? METHODS[0]!;
}

const LEVEL_RANK: Record<Level, number> = { red: 0, yellow: 1, none: 2 };

export interface Hotspot {
  area: string;
  name: string;
  level: Level;
  /** Periods of the window at red and at yellow. */
  red: number;
  yellow: number;
  /** The row with the smallest p-value (threshold: the highest statistic) of the window. */
  peak: SignalRow;
  /** The last period of the window. */
  latest: SignalRow;
  rows: SignalRow[];
}

const pOf = (r: SignalRow) => r.pAdjusted ?? r.pValue ?? Number.POSITIVE_INFINITY;

/** The more telling of two rows: higher level, then smaller adjusted p, then larger statistic. */
function stronger(a: SignalRow, b: SignalRow): SignalRow {
  if (LEVEL_RANK[a.level] !== LEVEL_RANK[b.level]) return LEVEL_RANK[a.level] < LEVEL_RANK[b.level] ? a : b;
  if (pOf(a) !== pOf(b)) return pOf(a) < pOf(b) ? a : b;
  return (b.statistic ?? -Infinity) > (a.statistic ?? -Infinity) ? b : a;
}

/**
 * One entry per area over the window, ranked: red before yellow before none, then by the
 * smallest Benjamini–Hochberg-adjusted p-value (the p-value where there is no adjusted one), then
 * by name. The jurisdiction total is returned apart: it is not a neighborhood.
 */
export function rankHotspots(results: readonly SignalRow[]): { areas: Hotspot[]; total: Hotspot | null } {
  const by = new Map<string, SignalRow[]>();
  for (const r of results) {
    let list = by.get(r.area);
    if (!list) by.set(r.area, (list = []));
    list.push(r);
  }
  const all: Hotspot[] = [];
  for (const [area, rows] of by) {
    rows.sort((a, b) => a.date.localeCompare(b.date));
    const peak = rows.reduce(stronger);
    all.push({
      area,
      name: rows[0]!.name,
      level: peak.level,
      red: rows.filter((r) => r.level === 'red').length,
      yellow: rows.filter((r) => r.level === 'yellow').length,
      peak,
      latest: rows[rows.length - 1]!,
      rows,
    });
  }
  const total = all.find((h) => h.area === 'total') ?? null;
  const areas = all
    .filter((h) => h.area !== 'total')
    .sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || pOf(a.peak) - pOf(b.peak) || b.red - a.red || a.name.localeCompare(b.name));
  return { areas, total };
}

/**
 * Why counts are missing from the signals a role sees, in words a person can act on; null when
 * nothing is hidden. Roles other than the analyst are served counts by whole months only (the
 * suppressed monthly cube; server/policy.ts), so a daily or weekly detector shows them where and
 * how strongly it fired, never the counts under it.
 */
export function hiddenCountsNote(role: string | null, cadence: Cadence, rows: readonly SignalRow[]): string | null {
  const hidden = rows.filter((r) => r.suppressed).length;
  if (hidden === 0) return null;
  const period = cadence === 'day' ? 'daily' : 'weekly';
  if (role !== 'analyst' && hidden === rows.length) {
    return `Observed and expected counts are hidden for your role (${role ?? 'public'}): this detector works on ${period} counts, and your role is served counts only by whole months, with small counts hidden, so that no one can be recognised from them. The level, statistic and p-values — where and how strongly the detector fired — are shown. A health-department analyst sees the counts.`;
  }
  return `Some counts are hidden for your role: small counts (and counts that would reveal them) are withheld so that no one can be recognised. The level, statistic and p-values are shown for every area.`;
}

const LEVEL_TEXT: Record<Level, string> = { red: 'Red', yellow: 'Yellow', none: 'No signal' };
export const levelText = (l: Level) => LEVEL_TEXT[l];

export function formatP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—';
  if (p < 0.0001) return '< 0.0001';
  if (p < 0.001) return p.toFixed(4);
  return p.toFixed(3);
}

export function formatCount(v: number | null, digits = 1): string {
  if (v === null || !Number.isFinite(v)) return 'hidden';
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(digits);
}

/** "Observed 6 against 0.6 expected (10×)"; hidden counts said so. */
export function observedVsExpected(r: Pick<SignalRow, 'observed' | 'expected' | 'suppressed'>): string {
  if (r.observed === null) return 'observed count hidden';
  if (r.expected === null) return `observed ${formatCount(r.observed)}; expected hidden`;
  const ratio = r.expected > 0 ? ` (${(r.observed / r.expected).toFixed(1)}×)` : '';
  return `observed ${formatCount(r.observed)} against ${formatCount(r.expected)} expected${ratio}`;
}

export interface Agreement {
  indicator: string;
  label: string;
  level: Level;
  /** Periods of the window at red or yellow in that area. */
  periods: number;
}

/** For one area: the other indicators' strongest level over the same window. */
export function agreementFor(area: string, others: readonly { indicator: string; label: string; results: readonly SignalRow[] }[]): Agreement[] {
  return others.map((o) => {
    const rows = o.results.filter((r) => r.area === area);
    const level = rows.length ? rows.reduce(stronger).level : 'none';
    return { indicator: o.indicator, label: o.label, level, periods: rows.filter((r) => r.level !== 'none').length };
  });
}

/** The headline indicator of each other feed whose signals could corroborate a hotspot. */
export function companionIndicators(primary: string, available: readonly { id: string; feed: string }[]): string[] {
  const headline: Record<string, string> = {
    ems: 'ems.opioid_overdose',
    deaths: 'deaths.any_drug',
    naloxone: 'naloxone.kits_distributed',
    arrests: 'arrests.drug',
  };
  const feed = available.find((i) => i.id === primary)?.feed ?? primary.split('.')[0];
  const ids = new Set(available.map((i) => i.id));
  const out = Object.entries(headline)
    .filter(([f, id]) => f !== feed && ids.has(id))
    .map(([, id]) => id);
  // EMS naloxone given is the closest partner of EMS overdoses from the same feed.
  if (feed === 'ems' && primary !== 'ems.naloxone_given' && ids.has('ems.naloxone_given')) out.unshift('ems.naloxone_given');
  return out;
}

// ── dates ──────────────────────────────────────────────────────────────────────────────────────

export function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The first day of a window of `days` ending on `date` (weekly methods: whole weeks). */
export function windowFrom(date: string, days: number, cadence: Cadence): string {
  const span = cadence === 'week' ? Math.max(7, Math.round(days / 7) * 7) : Math.max(1, days);
  return addDays(date, -(span - 1));
}

/** Whole calendar months around a window, for series of roles served by month: [first day, last day]. */
export function monthsAround(from: string, to: string, before = 2): { from: string; to: string } {
  const f = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  f.setUTCMonth(f.getUTCMonth() - before);
  const t = new Date(`${to.slice(0, 7)}-01T00:00:00Z`);
  t.setUTCMonth(t.getUTCMonth() + 1);
  t.setUTCDate(0);
  return { from: f.toISOString().slice(0, 10), to: t.toISOString().slice(0, 10) };
}

// ── tables ─────────────────────────────────────────────────────────────────────────────────────

export function hotspotTable(list: readonly Hotspot[], caption: string): TableData {
  return {
    caption,
    columns: [
      { key: 'name', label: 'Neighborhood' },
      { key: 'area', label: 'Id' },
      { key: 'level', label: 'Level' },
      { key: 'red', label: 'Red periods', numeric: true },
      { key: 'yellow', label: 'Yellow periods', numeric: true },
      { key: 'date', label: 'Strongest on' },
      { key: 'observed', label: 'Observed', numeric: true },
      { key: 'expected', label: 'Expected', numeric: true },
      { key: 'statistic', label: 'Statistic', numeric: true },
      { key: 'p', label: 'p', numeric: true },
      { key: 'pAdjusted', label: 'p (BH-adjusted)', numeric: true },
    ],
    rows: list.map((h) => ({
      name: h.name,
      area: h.area,
      level: levelText(h.level),
      red: h.red,
      yellow: h.yellow,
      date: h.peak.date,
      observed: h.peak.observed ?? 'hidden',
      expected: h.peak.expected === null ? 'hidden' : Math.round(h.peak.expected * 100) / 100,
      statistic: h.peak.statistic === null ? null : Math.round(h.peak.statistic * 1000) / 1000,
      p: h.peak.pValue,
      pAdjusted: h.peak.pAdjusted,
    })),
    note: 'hidden: a count withheld for your role (see the note above the list).',
  };
}

export function alertTable(alerts: readonly Alert[], caption: string): TableData {
  return {
    caption,
    columns: [
      { key: 'areaName', label: 'Neighborhood' },
      { key: 'status', label: 'Status' },
      { key: 'openedOn', label: 'Opened' },
      { key: 'lastSignalOn', label: 'Last signal' },
      { key: 'closedOn', label: 'Closed' },
      { key: 'peakLevel', label: 'Peak level' },
      { key: 'peakObserved', label: 'Peak observed', numeric: true },
      { key: 'peakExpected', label: 'Peak expected', numeric: true },
      { key: 'peakP', label: 'Peak p (BH-adjusted)', numeric: true },
      { key: 'acknowledgedAt', label: 'Acknowledged' },
      { key: 'note', label: 'Note' },
    ],
    rows: alerts.map((a) => ({
      areaName: a.areaName,
      status: a.status,
      openedOn: a.openedOn,
      lastSignalOn: a.lastSignalOn,
      closedOn: a.closedOn,
      peakLevel: levelText(a.peak.level),
      peakObserved: a.peak.observed ?? 'hidden',
      peakExpected: a.peak.expected === null ? 'hidden' : Math.round(a.peak.expected * 100) / 100,
      peakP: a.peak.pAdjusted,
      acknowledgedAt: a.acknowledgedAt,
      note: a.note,
    })),
  };
}

/** Open episodes first (unacknowledged before acknowledged), then by last signal, newest first. */
export function sortAlerts(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) ||
      (a.acknowledgedAt ? 1 : 0) - (b.acknowledgedAt ? 1 : 0) ||
      b.lastSignalOn.localeCompare(a.lastSignalOn) ||
      a.areaName.localeCompare(b.areaName),
  );
}

// ── the observed-against-expected chart ───────────────────────────────────────────────────────

export interface SignalChart {
  bars: { x: number; width: number; y: number; height: number; level: Level; date: string; label: string }[];
  /** Expected (and the alarm bound) as a polyline; empty when hidden. */
  expected: string;
  bound: string;
  /** With no counts (hidden): the statistic per period as bars instead. */
  mode: 'counts' | 'statistic';
  yTicks: { y: number; label: string }[];
  xLabels: { x: number; label: string }[];
  plot: { left: number; right: number; top: number; bottom: number };
  yTitle: string;
}

export function signalChart(rows: readonly SignalRow[], width: number, height: number): SignalChart {
  const m = { top: 12, right: 12, bottom: 34, left: 48 };
  const plot = { left: m.left, right: width - m.right, top: m.top, bottom: height - m.bottom };
  const counts = rows.some((r) => r.observed !== null);
  const x = scaleBand<string>()
    .domain(rows.map((r) => r.date))
    .range([plot.left, plot.right])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const value = (r: SignalRow) => (counts ? r.observed : r.statistic);
  const top = Math.max(1, ...rows.flatMap((r) => (counts ? [r.observed ?? 0, r.expected ?? 0, r.threshold ?? 0] : [Math.abs(r.statistic ?? 0)])));
  const y = scaleLinear().domain([0, top]).nice().range([plot.bottom, plot.top]);
  const bars = rows.map((r) => {
    const v = Math.max(0, value(r) ?? 0);
    const label = counts
      ? `${r.date}: ${observedVsExpected(r)}; ${levelText(r.level)}, p ${formatP(r.pValue)}`
      : `${r.date}: statistic ${r.statistic === null ? '—' : r.statistic.toFixed(2)}; ${levelText(r.level)}, p ${formatP(r.pValue)}`;
    return { x: x(r.date) ?? 0, width: x.bandwidth(), y: y(v), height: plot.bottom - y(v), level: r.level, date: r.date, label };
  });
  const line = (f: (r: SignalRow) => number | null) => {
    if (!counts) return '';
    const pts = rows.map((r) => [r, f(r)] as const).filter(([, v]) => v !== null);
    return pts.map(([r, v], i) => `${i ? 'L' : 'M'}${((x(r.date) ?? 0) + x.bandwidth() / 2).toFixed(1)},${y(v!).toFixed(1)}`).join('');
  };
  const every = Math.max(1, Math.ceil(rows.length / Math.max(2, Math.floor((plot.right - plot.left) / 70))));
  return {
    bars,
    expected: line((r) => r.expected),
    bound: line((r) => r.threshold),
    mode: counts ? 'counts' : 'statistic',
    yTicks: y.ticks(4).map((v) => ({ y: y(v), label: String(v) })),
    xLabels: rows.filter((_, i) => i % every === 0).map((r) => ({ x: (x(r.date) ?? 0) + x.bandwidth() / 2, label: r.date.slice(5) })),
    plot,
    yTitle: counts ? 'Count' : 'Statistic',
  };
}

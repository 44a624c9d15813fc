// Pure transforms for the hotspots view (tests/unit/web-hotspots.test.ts): rank this period's
// signals by area, say why counts are hidden for a role, find which other feeds agree, and lay
// out the observed-against-expected chart. No DOM, no fetch.
import { scaleBand, scaleLinear } from 'd3';
import type { Alert, Cluster, SignalsResponse } from '../../api.ts';
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
  /** The strongest row of that feed in the area over the window (null: no row). */
  peak: SignalRow | null;
}

/** For one area: the other indicators' strongest level over the same window. */
export function agreementFor(area: string, others: readonly { indicator: string; label: string; results: readonly SignalRow[] }[]): Agreement[] {
  return others.map((o) => {
    const rows = o.results.filter((r) => r.area === area);
    const peak = rows.length ? rows.reduce(stronger) : null;
    return { indicator: o.indicator, label: o.label, level: peak?.level ?? 'none', periods: rows.filter((r) => r.level !== 'none').length, peak };
  });
}

/** One sentence: does this feed agree, and how strongly ("rose too: red on 2025-11-23, p 0.0004"). */
export function agreementText(a: Agreement, periodNoun: string): string {
  if (!a.peak) return `${a.label}: no result for this neighborhood in the period.`;
  if (a.level === 'none') return `${a.label}: no signal in the period (smallest p ${formatP(a.peak.pValue)}) — does not agree.`;
  const n = `${a.periods} ${a.periods === 1 ? periodNoun.replace(/s$/, '') : periodNoun}`;
  const counts = a.peak.observed !== null ? `, ${observedVsExpected(a.peak)}` : '';
  return `${a.label}: rose too — ${levelText(a.level).toLowerCase()} on ${a.peak.date}${counts}, p ${formatP(a.peak.pValue)}; ${n} signalling.`;
}

/** How many of the other feeds agree, in words. */
export function agreementSummary(list: readonly Agreement[]): string {
  const yes = list.filter((a) => a.level !== 'none');
  if (list.length === 0) return 'No other feed to compare with.';
  if (yes.length === 0) return `None of the ${list.length} other feeds signals here in this period.`;
  return `${yes.length} of ${list.length} other feeds signal here in this period: ${yes.map((a) => a.label).join(', ')}.`;
}

// ── clusters ───────────────────────────────────────────────────────────────────────────────────

/** Clusters with a Monte Carlo p below this are reported as clusters (Kulldorff's usual 0.05). */
export const CLUSTER_ALPHA = 0.05;

export interface RankedCluster extends Cluster {
  rank: number;
  significant: boolean;
}

/** Smallest p first, then the larger log likelihood ratio; numbered 1, 2, … */
export function rankClusters(list: readonly Cluster[]): RankedCluster[] {
  return [...list]
    .sort((a, b) => a.pValue - b.pValue || b.llr - a.llr)
    .map((c, i) => ({ ...c, rank: i + 1, significant: c.pValue < CLUSTER_ALPHA }));
}

/** The longest window a scan looks at for the hotspot window chosen: at least a week. */
export function scanDays(window: number): number {
  return Math.min(60, Math.max(7, window));
}

function shortDate(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "22 Nov 2025 to 26 Nov 2025 (5 days)" */
export function clusterWindow(c: Pick<Cluster, 'start' | 'end' | 'days'>): string {
  return c.start === c.end ? `${shortDate(c.start)} (1 day)` : `${shortDate(c.start)} to ${shortDate(c.end)} (${c.days} days)`;
}

/** Areas in words: "High Bridge - Morrisania" or "Southwest Queens and 4 neighbors within 6.5 km". */
export function clusterAreas(c: Pick<Cluster, 'center' | 'areas' | 'radiusKm'>): string {
  if (c.areas.length <= 1) return c.center.name;
  return `${c.center.name} and ${c.areas.length - 1} neighbor${c.areas.length === 2 ? '' : 's'} within ${c.radiusKm.toFixed(1)} km (${c.areas.map((a) => a.name).join(', ')})`;
}

/** Observed against expected, or why not. */
export function clusterCounts(c: Pick<Cluster, 'observed' | 'expected' | 'relativeRisk'>): string {
  const rr = `relative risk ${c.relativeRisk.toFixed(1)}`;
  if (c.observed === null || c.expected === null) return `counts hidden for your role; ${rr}`;
  return `observed ${formatCount(c.observed)} against ${formatCount(c.expected)} expected (${rr})`;
}

export function clusterTable(list: readonly RankedCluster[], caption: string): TableData {
  return {
    caption,
    columns: [
      { key: 'rank', label: 'Rank', numeric: true },
      { key: 'center', label: 'Centre' },
      { key: 'areas', label: 'Neighborhoods' },
      { key: 'radiusKm', label: 'Radius (km)', numeric: true },
      { key: 'start', label: 'From' },
      { key: 'end', label: 'To' },
      { key: 'days', label: 'Days', numeric: true },
      { key: 'observed', label: 'Observed', numeric: true },
      { key: 'expected', label: 'Expected', numeric: true },
      { key: 'relativeRisk', label: 'Relative risk', numeric: true },
      { key: 'llr', label: 'Log likelihood ratio', numeric: true },
      { key: 'p', label: 'p (Monte Carlo)', numeric: true },
      { key: 'significant', label: `p < ${CLUSTER_ALPHA}` },
    ],
    rows: list.map((c) => ({
      rank: c.rank,
      center: c.center.name,
      areas: c.areas.map((a) => a.name).join('; '),
      radiusKm: Math.round(c.radiusKm * 100) / 100,
      start: c.start,
      end: c.end,
      days: c.days,
      observed: c.observed ?? 'hidden',
      expected: c.expected === null ? 'hidden' : Math.round(c.expected * 100) / 100,
      relativeRisk: Math.round(c.relativeRisk * 100) / 100,
      llr: Math.round(c.llr * 1000) / 1000,
      p: c.pValue,
      significant: c.significant ? 'yes' : 'no',
    })),
    note: 'hidden: a count withheld for your role (clusters are windows of days; counts by day are served to analysts only).',
  };
}

// ── drug checking in the period ────────────────────────────────────────────────────────────────

/** What drug checking found in the months the window touches, in one sentence. */
export function drugcheckSummary(
  months: readonly { period: string; cells: Record<string, { count: number | null; state: string }> }[],
  from: string,
  to: string,
  labels: Record<string, string>,
): string {
  const inWindow = months.filter((m) => m.period.slice(0, 7) >= from.slice(0, 7) && m.period.slice(0, 7) <= to.slice(0, 7));
  if (inWindow.length === 0) return 'No drug-checking months cover this period.';
  const when = inWindow.length === 1 ? monthName(inWindow[0]!.period) : `${monthName(inWindow[0]!.period)} to ${monthName(inWindow[inWindow.length - 1]!.period)}`;
  const parts: string[] = [];
  let hidden = false;
  for (const [id, label] of Object.entries(labels)) {
    let sum = 0;
    let known = false;
    for (const m of inWindow) {
      const c = m.cells[id];
      if (!c || c.state === 'missing') continue;
      if (c.state === 'suppressed' || c.count === null) {
        hidden = true;
        known = false;
        sum = NaN;
        break;
      }
      known = true;
      sum += c.count;
    }
    if (Number.isNaN(sum)) parts.push(`${label} hidden`);
    else if (known) parts.push(`${label} ${sum}`);
  }
  if (parts.length === 0) return `No drug-checking data for ${when}.`;
  return `${when}: ${parts.join(', ')}${hidden ? ' (hidden: small counts withheld for your role)' : ''}.`;
}

function monthName(iso: string): string {
  return new Date(`${iso.slice(0, 7)}-01T00:00:00Z`).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
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

// Pure transforms for the drug-supply view (tests/unit/web-supply.test.ts): the share of tested
// samples in which each substance was found, with 95% intervals; fentanyl concentration; and the
// substances first seen lately, as alerts.
import { scaleLinear, scaleUtc } from 'd3';
import type { DrugSupplyResponse, SeriesResponse } from '../../api.ts';
import type { TableData } from '../../shell/table.ts';
import { utcDate } from '../overview/scales.ts';

export type State = 'shown' | 'zero' | 'suppressed' | 'missing';

/**
 * Wilson score interval of a proportion (Wilson 1927), 95%. Chosen over the exact
 * Clopper–Pearson interval for the page: closed form, and nearer its nominal coverage for the
 * monthly sample counts drug checking has (Brown, Cai & DasGupta, Stat Sci 2001).
 */
export function wilson(x: number, n: number, z = 1.959963984540054): { value: number; lower: number; upper: number } | null {
  if (!(n > 0) || x < 0 || x > n) return null;
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { value: p, lower: x === 0 ? 0 : Math.max(0, centre - half), upper: x === n ? 1 : Math.min(1, centre + half) };
}

export interface PrevalencePoint {
  period: string;
  partial: boolean;
  positive: number | null;
  tested: number | null;
  share: number | null;
  lower: number | null;
  upper: number | null;
  /** Why no share: the positive or tested count is hidden for the role, or there are no data. */
  state: State;
}

export interface Prevalence {
  id: string;
  label: string;
  points: PrevalencePoint[];
}

function point(period: { start: string; partial: boolean }, pos: { count: number | null; state: State } | undefined, tested: { count: number | null; state: State } | undefined): PrevalencePoint {
  const hidden = pos?.state === 'suppressed' || tested?.state === 'suppressed';
  const missing = !pos || !tested || pos.state === 'missing' || tested.state === 'missing' || tested.count === 0;
  const est = !hidden && !missing && pos.count !== null && tested.count !== null ? wilson(pos.count, tested.count) : null;
  return {
    period: period.start,
    partial: period.partial,
    positive: hidden ? null : (pos?.count ?? null),
    tested: tested?.state === 'suppressed' ? null : (tested?.count ?? null),
    share: est?.value ?? null,
    lower: est?.lower ?? null,
    upper: est?.upper ?? null,
    state: hidden ? 'suppressed' : missing ? 'missing' : (pos?.state ?? 'missing'),
  };
}

const totalPoints = (s: SeriesResponse) => s.series.find((x) => x.area === 'total')?.points ?? [];

/**
 * Prevalence of a served indicator (citywide /series) over the samples tested, on the months of
 * the samples tested, so every panel shares one time axis. A substance's series starts at its
 * first sample: a month with samples tested before it is a true zero.
 */
export function prevalenceFromSeries(id: string, label: string, positive: SeriesResponse, tested: SeriesResponse): Prevalence {
  const pos = new Map(totalPoints(positive).map((p) => [p.period, p]));
  const tst = totalPoints(tested);
  const zero = { count: 0, state: 'zero' as const };
  return {
    id,
    label,
    points: tested.periods.map((p, i) => {
      const t = tst[i];
      const x = pos.get(p.start) ?? (t && t.state !== 'missing' && p.start < (positive.periods[0]?.start ?? '9999') ? zero : undefined);
      return point(p, x, t);
    }),
  };
}

/** Prevalence of a /drug-supply category over the samples tested (from /series). */
export function prevalenceFromCategory(cat: DrugSupplyResponse['categories'][number], periods: DrugSupplyResponse['periods'], tested: SeriesResponse): Prevalence {
  const tst = new Map(totalPoints(tested).map((p) => [p.period, p]));
  return { id: cat.id, label: cat.label, points: periods.map((p, i) => point(p, cat.points[i], tst.get(p.start))) };
}

export function formatShare(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const pct = v * 100;
  return `${pct < 10 && pct > 0 ? pct.toFixed(1) : pct.toFixed(0)}%`;
}

/** The last complete month with a share, for the headline of each panel. */
export function latestShare(p: Prevalence): PrevalencePoint | null {
  for (let i = p.points.length - 1; i >= 0; i--) if (!p.points[i]!.partial && p.points[i]!.state !== 'missing') return p.points[i]!;
  return null;
}

export interface BandLayout {
  line: string;
  /** Months with a value but no neighbour to join: drawn as dots, or a lone month would vanish. */
  dots: { x: number; y: number }[];
  band: string;
  hidden: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  plot: { left: number; right: number; top: number; bottom: number };
}

/** A line with its interval as a band; gaps where hidden, partial or absent; hidden months marked. */
export function bandLayout(
  pts: readonly { period: string; partial: boolean; value: number | null; lower: number | null; upper: number | null; state: State }[],
  width: number,
  height: number,
  opts: { max?: number; format: (v: number) => string },
): BandLayout {
  const plot = { left: 40, right: width - 8, top: 8, bottom: height - 22 };
  const dates = pts.map((p) => utcDate(p.period));
  const first = dates[0] ?? new Date(0);
  const last = dates[dates.length - 1] ?? first;
  const x = scaleUtc()
    .domain(first.getTime() === last.getTime() ? [new Date(first.getTime() - 864e5), new Date(last.getTime() + 864e5)] : [first, last])
    .range([plot.left, plot.right]);
  const top = opts.max ?? Math.max(0, ...pts.map((p) => p.upper ?? p.value ?? 0));
  const y = scaleLinear().domain([0, top > 0 ? top : 1]).nice(4).range([plot.bottom, plot.top]);
  const runs: number[][] = [];
  let cur: number[] = [];
  pts.forEach((p, i) => {
    if (p.value === null || p.partial) {
      if (cur.length) runs.push(cur);
      cur = [];
    } else cur.push(i);
  });
  if (cur.length) runs.push(cur);
  const f = (n: number) => n.toFixed(1);
  const line = runs.map((r) => r.map((i, k) => `${k ? 'L' : 'M'}${f(x(dates[i]!))},${f(y(pts[i]!.value!))}`).join('')).join('');
  const band = runs
    .filter((r) => r.every((i) => pts[i]!.lower !== null && pts[i]!.upper !== null))
    .map((r) => {
      const up = r.map((i, k) => `${k ? 'L' : 'M'}${f(x(dates[i]!))},${f(y(pts[i]!.upper!))}`).join('');
      const down = [...r].reverse().map((i) => `L${f(x(dates[i]!))},${f(y(pts[i]!.lower!))}`).join('');
      // A single month: a thin vertical bar for its interval.
      return r.length === 1 ? `M${f(x(dates[r[0]!]!) - 2)},${f(y(pts[r[0]!]!.upper!))}h4V${f(y(pts[r[0]!]!.lower!))}h-4Z` : `${up}${down}Z`;
    })
    .join('');
  const years = [...new Set(dates.map((d) => d.getUTCFullYear()))];
  const every = Math.max(1, Math.ceil(years.length / Math.max(1, Math.floor((plot.right - plot.left) / 50))));
  return {
    line,
    dots: runs.filter((r) => r.length === 1).map((r) => ({ x: x(dates[r[0]!]!), y: y(pts[r[0]!]!.value!) })),
    band,
    hidden: pts.flatMap((p, i) => (p.state === 'suppressed' ? [{ x: x(dates[i]!), label: `${p.period.slice(0, 7)}: hidden for your role` }] : [])),
    yTicks: y.ticks(4).map((v) => ({ y: y(v), label: opts.format(v) })),
    xTicks: years
      .filter((_, i) => i % every === 0)
      .map((yr) => ({ x: x(new Date(Date.UTC(yr, 0, 1))), label: String(yr) }))
      .filter((t) => t.x >= plot.left - 1),
    plot,
  };
}

export function prevalenceTable(list: readonly Prevalence[], caption: string): TableData {
  return {
    caption,
    columns: [
      { key: 'substance', label: 'Substance' },
      { key: 'month', label: 'Month' },
      { key: 'positive', label: 'Samples positive', numeric: true },
      { key: 'tested', label: 'Samples tested', numeric: true },
      { key: 'share', label: 'Share', numeric: true },
      { key: 'lower', label: '95% lower', numeric: true },
      { key: 'upper', label: '95% upper', numeric: true },
    ],
    rows: list.flatMap((p) =>
      p.points.map((pt) => ({
        substance: p.label,
        month: `${pt.period.slice(0, 7)}${pt.partial ? ' (partial)' : ''}`,
        positive: pt.state === 'suppressed' && pt.positive === null ? 'hidden' : pt.positive,
        tested: pt.tested ?? (pt.state === 'suppressed' ? 'hidden' : null),
        share: pt.share === null ? (pt.state === 'suppressed' ? 'hidden' : null) : Math.round(pt.share * 1000) / 1000,
        lower: pt.lower === null ? null : Math.round(pt.lower * 1000) / 1000,
        upper: pt.upper === null ? null : Math.round(pt.upper * 1000) / 1000,
      })),
    ),
    note: 'Share: samples positive ÷ samples tested, with a Wilson 95% interval. hidden: a small count withheld for your role.',
  };
}

/** Substances first seen within `months` of the data's last month, newest first: the alerts. */
export function firstSeenAlerts(list: DrugSupplyResponse['firstSeen'], dataEnd: string, months = 12): DrugSupplyResponse['firstSeen'] {
  const end = new Date(`${dataEnd.slice(0, 7)}-01T00:00:00Z`);
  end.setUTCMonth(end.getUTCMonth() - months + 1);
  const since = end.toISOString().slice(0, 7);
  return list.filter((f) => f.firstSeen.slice(0, 7) >= since).sort((a, b) => b.firstSeen.localeCompare(a.firstSeen) || a.substance.localeCompare(b.substance));
}

export const CATEGORY_TEXT: Record<string, string> = {
  fentanyl: 'fentanyl',
  fentanyl_analogue: 'fentanyl analogue',
  xylazine: 'xylazine',
  nitazene: 'nitazene (potent opioid)',
  medetomidine: 'medetomidine (sedative)',
  benzodiazepine: 'benzodiazepine',
};

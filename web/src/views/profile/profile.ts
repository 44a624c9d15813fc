// Pure transforms for the neighborhood profile (tests/unit/web-profile.test.ts): every feed for
// one area against the whole city, as rates (per 100,000 residents) or shares (drug checking),
// the age-adjusted death rate and its rank, and the harm-reduction ratios.
import { scaleUtc } from 'd3';
import type { PerformanceResponse, RatesResponse, SeriesResponse } from '../../api.ts';
import type { TableData } from '../../shell/table.ts';
import { periodLabel, pointValue, utcDate } from '../overview/scales.ts';
import { formatRate } from '../../shell/format.ts';

export type ProfileInterval = 'month' | 'quarter' | 'year';

export interface Section {
  id: string;
  title: string;
  indicators: string[];
  /** rate: per 100,000 residents; share: of the samples tested (drug checking). */
  kind: 'rate' | 'share';
}

export const SECTIONS: readonly Section[] = [
  { id: 'deaths', title: 'Deaths by substance', kind: 'rate', indicators: ['deaths.any_drug', 'deaths.opioid', 'deaths.fentanyl', 'deaths.stimulant', 'deaths.xylazine'] },
  { id: 'ems', title: 'EMS overdoses and naloxone', kind: 'rate', indicators: ['ems.opioid_overdose', 'ems.naloxone_given', 'naloxone.kits_distributed'] },
  { id: 'arrests', title: 'Arrests and deflection referrals', kind: 'rate', indicators: ['arrests.drug', 'arrests.deflection_referral'] },
  { id: 'treatment', title: 'Treatment admissions', kind: 'rate', indicators: ['treatment.opioid_admissions'] },
  { id: 'drugcheck', title: 'Drug-checking findings', kind: 'share', indicators: ['drugcheck.fentanyl_positive', 'drugcheck.xylazine_positive', 'drugcheck.medetomidine_positive'] },
];
export const SAMPLES_TESTED = 'drugcheck.samples_tested';

export type CellState = 'shown' | 'zero' | 'suppressed' | 'missing';

export interface Comparison {
  indicator: string;
  periods: SeriesResponse['periods'];
  area: (number | null)[];
  city: (number | null)[];
  /** Why an area value is absent: hidden for the role, or no data. */
  areaState: CellState[];
  areaCount: (number | null)[];
  kind: Section['kind'];
}

/** Area against city, per 100,000 residents for each period (not annualised). */
export function rateComparison(res: SeriesResponse, area: string): Comparison {
  const a = res.series.find((s) => s.area === area);
  const t = res.series.find((s) => s.area === 'total');
  return {
    indicator: res.indicator,
    periods: res.periods,
    area: res.periods.map((_, i) => (a?.points[i] ? pointValue(a.points[i]!, 'rate') : null)),
    city: res.periods.map((_, i) => (t?.points[i] ? pointValue(t.points[i]!, 'rate') : null)),
    areaState: res.periods.map((_, i) => a?.points[i]?.state ?? 'missing'),
    areaCount: res.periods.map((_, i) => a?.points[i]?.count ?? null),
    kind: 'rate',
  };
}

/** Share of tested samples positive, area against city; hidden when either count is. */
export function shareComparison(positive: SeriesResponse, tested: SeriesResponse, area: string): Comparison {
  const pick = (r: SeriesResponse, id: string) => r.series.find((s) => s.area === id)?.points ?? [];
  const share = (p: ReturnType<typeof pick>, d: ReturnType<typeof pick>, i: number) => {
    const n = p[i]?.count;
    const m = d[i]?.count;
    return n === null || n === undefined || m === null || m === undefined || m === 0 ? null : n / m;
  };
  const [pa, ta, pt, tt] = [pick(positive, area), pick(tested, area), pick(positive, 'total'), pick(tested, 'total')];
  return {
    indicator: positive.indicator,
    periods: positive.periods,
    area: positive.periods.map((_, i) => share(pa, ta, i)),
    city: positive.periods.map((_, i) => share(pt, tt, i)),
    areaState: positive.periods.map((_, i) => {
      const s1 = pa[i]?.state ?? 'missing';
      const s2 = ta[i]?.state ?? 'missing';
      if (s1 === 'suppressed' || s2 === 'suppressed') return 'suppressed';
      if (s2 === 'zero' || s2 === 'missing') return 'missing';
      return s1;
    }),
    areaCount: positive.periods.map((_, i) => pa[i]?.count ?? null),
    kind: 'share',
  };
}

/** The last complete period with both values: "2.1 against 1.4 citywide (1.5×)". */
export function latestComparison(c: Comparison): { index: number; area: number | null; city: number | null; ratio: number | null; state: CellState } | null {
  for (let i = c.periods.length - 1; i >= 0; i--) {
    if (c.periods[i]!.partial) continue;
    const a = c.area[i] ?? null;
    const t = c.city[i] ?? null;
    return { index: i, area: a, city: t, ratio: a !== null && t !== null && t > 0 ? a / t : null, state: c.areaState[i]! };
  }
  return null;
}

export function formatMeasure(v: number | null, kind: Section['kind']): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (kind === 'share') return `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
  return formatRate(v);
}

export function comparisonTable(c: Comparison, opts: { label: string; areaName: string; cityName: string; interval: ProfileInterval }): TableData {
  const unit = c.kind === 'share' ? 'share of samples tested' : 'per 100,000 residents';
  return {
    caption: `${opts.label}, ${opts.areaName} against ${opts.cityName}, ${unit}, by ${opts.interval}.`,
    columns: [
      { key: 'period', label: 'Period' },
      { key: 'area', label: opts.areaName, numeric: true },
      { key: 'count', label: `${opts.areaName} count`, numeric: true },
      { key: 'city', label: opts.cityName, numeric: true },
    ],
    rows: c.periods.map((p, i) => {
      const st = c.areaState[i]!;
      const a = c.area[i] ?? null;
      const round = (v: number | null) => (v === null ? null : c.kind === 'share' ? Math.round(v * 1000) / 1000 : Math.round(v * 100) / 100);
      return {
        period: periodLabel(p, opts.interval),
        area: st === 'suppressed' ? 'hidden' : st === 'missing' && a === null ? 'no data' : round(a),
        count: st === 'suppressed' ? 'hidden' : (c.areaCount[i] ?? null),
        city: round(c.city[i] ?? null),
      };
    }),
    note: 'hidden: a small count (or one that would reveal it) withheld for your role.',
  };
}

// ── the small chart ────────────────────────────────────────────────────────────────────────────

export interface SmallTrendLayout {
  area: string;
  city: string;
  /** Values with no drawn neighbour (hidden or partial on both sides): dots, or they would vanish. */
  areaDots: { x: number; y: number }[];
  cityDots: { x: number; y: number }[];
  hidden: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  plot: { left: number; right: number; top: number; bottom: number };
}

export function smallTrend(c: Comparison, width: number, height: number, interval: ProfileInterval): SmallTrendLayout {
  const plot = { left: 44, right: width - 8, top: 8, bottom: height - 22 };
  const dates = c.periods.map((p) => utcDate(p.start));
  const first = dates[0] ?? new Date(0);
  const last = dates[dates.length - 1] ?? first;
  const x = scaleUtc()
    .domain(first.getTime() === last.getTime() ? [new Date(first.getTime() - 864e5), new Date(last.getTime() + 864e5)] : [first, last])
    .range([plot.left, plot.right]);
  const top = Math.max(...[...c.area, ...c.city].filter((v): v is number => v !== null && Number.isFinite(v)), 0);
  const y = (v: number) => plot.bottom - (top > 0 ? (v / niceTop(top)) * (plot.bottom - plot.top) : 0);
  const path = (vals: (number | null)[]) => {
    let d = '';
    let pen = false;
    vals.forEach((v, i) => {
      if (v === null || c.periods[i]!.partial) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(dates[i]!).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  const dots = (vals: (number | null)[]) => {
    const on = (i: number) => i >= 0 && i < vals.length && vals[i] !== null && !c.periods[i]!.partial;
    return vals.flatMap((v, i) => (on(i) && !on(i - 1) && !on(i + 1) ? [{ x: x(dates[i]!), y: y(v!) }] : []));
  };
  const t = niceTop(top);
  const fmt = (v: number) => (c.kind === 'share' ? `${Number((v * 100).toFixed(1))}%` : String(Number(v.toFixed(2))));
  const years = [...new Set(dates.map((d) => d.getUTCFullYear()))];
  const every = Math.max(1, Math.ceil(years.length / Math.max(1, Math.floor((plot.right - plot.left) / 50))));
  return {
    area: path(c.area),
    city: path(c.city),
    areaDots: dots(c.area),
    cityDots: dots(c.city),
    hidden: c.areaState.flatMap((s, i) => (s === 'suppressed' ? [{ x: x(dates[i]!), label: `${periodLabel(c.periods[i]!, interval)}: hidden for your role` }] : [])),
    yTicks: [0, t / 2, t].map((v) => ({ y: y(v), label: fmt(v) })),
    xTicks: years.filter((_, i) => i % every === 0).map((yr) => ({ x: x(new Date(Date.UTC(yr, 0, 1))), label: String(yr) })).filter((tk) => tk.x >= plot.left - 1),
    plot,
  };
}

function niceTop(v: number): number {
  if (!(v > 0)) return 1;
  const e = 10 ** Math.floor(Math.log10(v));
  const f = v / e;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * e;
}

// ── age-adjusted rate and rank ─────────────────────────────────────────────────────────────────

export interface RankResult {
  period: string;
  area: RatesResponse['series'][number]['points'][number] | null;
  city: RatesResponse['series'][number]['points'][number] | null;
  /** 1 = the highest rate; null when the area's rate is hidden or absent. */
  rank: number | null;
  /** Areas with a rate shown. */
  of: number;
}

export function ageAdjustedRank(res: RatesResponse, area: string): RankResult | null {
  const i = res.periods.length - 1;
  if (i < 0) return null;
  const point = (s: RatesResponse['series'][number] | undefined) => s?.points[i] ?? null;
  const rated = res.series
    .filter((s) => s.area !== 'total' && s.stratum === 'all')
    .map((s) => ({ area: s.area, rate: point(s)?.rate ?? null }))
    .filter((x): x is { area: string; rate: number } => x.rate !== null);
  const mine = rated.find((x) => x.area === area);
  return {
    period: res.periods[i]!.start,
    area: point(res.series.find((s) => s.area === area)),
    city: point(res.series.find((s) => s.area === 'total')),
    // Standard competition ranking: ties share the better rank.
    rank: mine ? 1 + rated.filter((x) => x.rate > mine.rate).length : null,
    of: rated.length,
  };
}

// ── harm-reduction ratios ──────────────────────────────────────────────────────────────────────

export const RATIO_LABELS: Record<string, { label: string; share: boolean }> = {
  deflection_ratio: { label: 'Deflection referrals among drug arrests and referrals', share: true },
  naloxone_per_ems_overdose: { label: 'Naloxone administrations per EMS overdose', share: false },
  ems_naloxone_share: { label: 'EMS overdoses given naloxone by EMS', share: true },
  treatment_per_nonfatal_overdose: { label: 'Treatment admissions per nonfatal overdose', share: false },
};

export function performanceTable(res: PerformanceResponse, area: string, areaName: string, cityName: string, interval: ProfileInterval, last = 4): TableData {
  const a = res.series.find((s) => s.area === area);
  const t = res.series.find((s) => s.area === 'total');
  const idx = res.periods.map((p, i) => ({ p, i })).filter(({ p }) => !p.partial).slice(-last);
  const keys = Object.keys(RATIO_LABELS).filter((k) => a?.points[0]?.ratios[k] !== undefined || t?.points[0]?.ratios[k] !== undefined);
  const fmt = (v: { value: number | null; lower: number | null; upper: number | null } | undefined, share: boolean) => {
    if (!v || v.value === null) return 'hidden or none';
    const f = (x: number) => (share ? `${(x * 100).toFixed(0)}%` : formatRate(x, 2));
    return v.lower !== null && v.upper !== null ? `${f(v.value)} (${f(v.lower)}–${f(v.upper)})` : f(v.value);
  };
  return {
    caption: `Harm-reduction measures, ${areaName} against ${cityName}, by ${interval}, with 95% intervals.`,
    columns: [
      { key: 'measure', label: 'Measure' },
      { key: 'period', label: 'Period' },
      { key: 'area', label: areaName },
      { key: 'city', label: cityName },
    ],
    rows: keys.flatMap((k) =>
      idx.map(({ p, i }) => ({
        measure: RATIO_LABELS[k]!.label,
        period: periodLabel(p, interval),
        area: fmt(a?.points[i]?.ratios[k], RATIO_LABELS[k]!.share),
        city: fmt(t?.points[i]?.ratios[k], RATIO_LABELS[k]!.share),
      })),
    ),
  };
}

/** The first day of the range a profile shows: 1 January, `years` calendar years back from the data's last. */
export function profileFrom(dataEnd: string, years: number): string {
  return `${Number(dataEnd.slice(0, 4)) - years + 1}-01-01`;
}

/** The last complete calendar year of the data. */
export function lastCompleteYear(dataEnd: string): number {
  const y = Number(dataEnd.slice(0, 4));
  return dataEnd.slice(5) === '12-31' ? y : y - 1;
}

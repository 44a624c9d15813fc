// Pure transforms of the monthly brief page: the month in the URL, words for figures and changes,
// the map's values and classes, action items in order. No DOM, no fetch: unit-tested in
// tests/unit/web-brief.test.ts. The .svelte files only render what these return.
import type { ApiOk } from '../../api.ts';
import { colourClasses, type AreaValue, type ColourClasses } from '../overview/scales.ts';
import { formatRate } from '../../shell/format.ts';

export type BriefResponse = ApiOk<'/api/v1/briefs/{month}'>;
export type BriefFigures = BriefResponse['figures'];
export type Headline = BriefFigures['headline'][number];
export type Figure = NonNullable<Headline['current']>;
export type Hotspot = BriefFigures['hotspots']['new'][number];
export type BriefAction = NonNullable<BriefFigures['meeting']>['actions'][number];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 'YYYY-MM' from the URL's `month`, or null when absent or not a month. */
export function monthParam(search: string): string | null {
  const m = new URLSearchParams(search).get('month');
  return m !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(m) ? m : null;
}

/** The last whole month of data: the month before the one the data end in, unless they end on its last day. */
export function defaultMonth(dataEnd: string | null | undefined): string | null {
  if (!dataEnd || !/^\d{4}-\d{2}-\d{2}$/.test(dataEnd)) return null;
  const y = Number(dataEnd.slice(0, 4));
  const m = Number(dataEnd.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (Number(dataEnd.slice(8, 10)) === last) return dataEnd.slice(0, 7);
  const d = new Date(Date.UTC(y, m - 2, 1));
  return d.toISOString().slice(0, 7);
}

/** 'November 2025'. */
export function monthLabel(month: string): string {
  const m = Number(month.slice(5, 7));
  return `${MONTHS[m - 1] ?? month} ${month.slice(0, 4)}`;
}

/** 'Nov 2025'. */
export function shortMonth(month: string): string {
  return `${monthLabel(month).slice(0, 3)} ${month.slice(0, 4)}`;
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * A figure in words: the count, "hidden" for a count this role may not see (small-cell rule, or
 * protecting one), "no data" where the feed does not cover the month. Never a number for a hidden cell.
 */
export function figureText(f: Figure | null | undefined): string {
  if (!f || f.state === 'missing') return 'no data';
  if (f.state === 'suppressed' || f.count === null) return 'hidden';
  return count.format(f.count);
}

export type Direction = 'up' | 'down' | 'flat' | 'none';

/** "+12.5%", "−3.0%", "no change", or "—" when it cannot be computed. */
export function changeText(pct: number | null | undefined): { text: string; direction: Direction } {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return { text: '—', direction: 'none' };
  if (pct === 0) return { text: 'no change', direction: 'flat' };
  return { text: `${pct > 0 ? '+' : '−'}${one.format(Math.abs(pct))}%`, direction: pct > 0 ? 'up' : 'down' };
}

/** The month's rate per 100,000 as a number in words ("2.34", "299.7", "0"), or '' where there is none to show. */
export function rateNumber(f: Figure | null | undefined): string {
  if (!f || f.rate === null || (f.state !== 'shown' && f.state !== 'zero')) return '';
  return formatRate(f.rate);
}

/** Rate per 100,000 for the month, or ''. */
export function rateText(f: Figure | null | undefined): string {
  const n = rateNumber(f);
  return n ? `${n} per 100,000` : '';
}

/** The map's values by area (count per 100,000 residents for the month) and its colour classes. */
export function mapValues(map: NonNullable<BriefFigures['map']>): { values: Map<string, AreaValue>; classes: ColourClasses; hidden: number } {
  const values = new Map<string, AreaValue>();
  const shown: number[] = [];
  let hidden = 0;
  for (const a of map.areas) {
    values.set(a.id, { value: a.state === 'shown' || a.state === 'zero' ? (a.rate ?? (a.count === 0 ? 0 : null)) : null, count: a.count, state: a.state });
    if (a.state === 'suppressed') hidden++;
    if (a.state === 'shown' && a.rate !== null) shown.push(a.rate);
  }
  return { values, classes: colourClasses(shown, 'rate', 5), hidden };
}

/** The areas with the highest rates this month, for the table beside the map (hidden ones never listed). */
export function topAreas(map: NonNullable<BriefFigures['map']>, n = 8): NonNullable<BriefFigures['map']>['areas'] {
  return map.areas
    .filter((a) => a.state === 'shown' && a.rate !== null)
    .sort((x, y) => y.rate! - x.rate! || x.id.localeCompare(y.id))
    .slice(0, n);
}

const STATUS_ORDER: Record<BriefAction['status'], number> = { open: 0, done: 1, dropped: 2 };

/** Open items first (overdue ones at the top), then done, then dropped; by due date within each. */
export function orderedActions(actions: readonly BriefAction[]): BriefAction[] {
  return [...actions].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      Number(b.overdue) - Number(a.overdue) ||
      (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') ||
      a.id - b.id,
  );
}

export function actionStatusText(a: BriefAction): string {
  if (a.status === 'open') return a.overdue ? 'Open, overdue' : 'Open';
  if (a.status === 'done') return a.closedOn ? `Done (${a.closedOn})` : 'Done';
  return a.closedOn ? `Dropped (${a.closedOn})` : 'Dropped';
}

/** Per feed, the data version line for the footer: "mortality: 2 files, last load 2026-01-02". */
export function dataVersionLines(v: BriefResponse['dataVersion']): string[] {
  return Object.entries(v.feeds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([feed, f]) => `${feed}: ${f.files} file${f.files === 1 ? '' : 's'}, last load ${f.lastLoadedAt.slice(0, 10)} (run ${f.lastRun.slice(0, 8)})`);
}

/** "deaths.any_drug 2025.1, ems.opioid_overdose nemsis-…" in a stable order. */
export function definitionLines(d: Record<string, string>): string[] {
  return Object.entries(d)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`);
}

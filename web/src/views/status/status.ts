// Pure transforms for the data-status view (tests/unit/web-status.test.ts): how fresh each
// feed is, why rows were refused, how many records fell outside every area.
import type { StatusAreasResponse, StatusResponse } from '../../api.ts';
import type { TableData } from '../../shell/table.ts';

export type FeedStatus = StatusResponse['feeds'][number];
export type RunSummary = StatusResponse['runs'][number];

export const FEED_LABELS: Record<string, string> = {
  mortality: 'Deaths (medical examiner, vital records)',
  ems: 'EMS encounters (NEMSIS)',
  arrests: 'Arrests and deflection referrals (NIBRS)',
  treatment: 'Treatment admissions (TEDS-A)',
  naloxone: 'Naloxone distribution and administration',
  drugcheck: 'Drug checking (tested samples)',
  aggregates: 'Agency aggregate tables',
};

/**
 * How late each feed's newest record may be before the feed counts as behind. Feeds arrive on
 * different clocks: death certificates wait on toxicology (NCHS provisional counts lag about six
 * months; a medical examiner's list, one to three), EMS records are near real time, treatment
 * and program logs come monthly.
 */
export const EXPECTED_LAG_DAYS: Record<string, number> = {
  mortality: 120,
  ems: 14,
  arrests: 30,
  treatment: 60,
  naloxone: 45,
  drugcheck: 45,
  aggregates: 120,
};
const DEFAULT_LAG = 60;

export type Freshness = 'current' | 'late' | 'stale' | 'empty';

const DAY = 86_400_000;

export function daysBetween(isoDate: string, now: Date): number {
  const t = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.floor((today - t) / DAY);
}

/** current: newest record within the feed's expected lag; late: within twice it; stale: older; empty: nothing loaded. */
export function freshness(feed: string, latestEvent: string | null, now: Date): { state: Freshness; ageDays: number | null; lagDays: number } {
  const lagDays = EXPECTED_LAG_DAYS[feed] ?? DEFAULT_LAG;
  if (!latestEvent) return { state: 'empty', ageDays: null, lagDays };
  const ageDays = daysBetween(latestEvent, now);
  const state = ageDays <= lagDays ? 'current' : ageDays <= 2 * lagDays ? 'late' : 'stale';
  return { state, ageDays, lagDays };
}

export const FRESHNESS_TEXT: Record<Freshness, string> = {
  current: 'Current',
  late: 'Behind',
  stale: 'Stale',
  empty: 'Nothing loaded',
};

/** "invalid_icd10" → "invalid ICD-10"; unknown codes read with spaces for underscores. */
export function reasonLabel(code: string): string {
  const words: Record<string, string> = { icd10: 'ICD-10', gps: 'GPS', pcr: 'PCR', id: 'id', nibrs: 'NIBRS', teds: 'TEDS' };
  const s = code
    .split('_')
    .map((w) => words[w] ?? w)
    .join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function reasonsOf(f: Pick<FeedStatus, 'rejectsByReason'>): { code: string; label: string; rows: number }[] {
  return Object.entries(f.rejectsByReason)
    .map(([code, rows]) => ({ code, label: reasonLabel(code), rows }))
    .sort((a, b) => b.rows - a.rows || a.code.localeCompare(b.code));
}

export interface FeedRow {
  feed: string;
  label: string;
  files: number;
  rowsAccepted: number;
  rowsRejected: number;
  rejectShare: number | null;
  latestEvent: string | null;
  lastLoadedAt: string | null;
  freshness: ReturnType<typeof freshness>;
  /**
   * Records stored with no area (location unknown, or outside every area) by the feed's first
   * location (residence for deaths and treatment, the scene for the rest); null when not reported.
   */
  unassigned: number | null;
  unassignedShare: number | null;
  /** Which location `unassigned` is by, and the other's count where the feed has two. */
  unassignedBy: 'residence' | 'event' | null;
  otherLocations: { geography: 'residence' | 'event'; unassigned: number }[];
  lastStatus: string | null;
  lastMessage: string | null;
  reasons: ReturnType<typeof reasonsOf>;
}

/**
 * One row per feed of the jurisdiction. Records with no area come from /status/areas (every
 * record stored); without it, from the feed's last load as the ingest run reported it.
 */
export function feedRows(status: StatusResponse, jurisdiction: string | null, now: Date, areas: StatusAreasResponse | null = null): FeedRow[] {
  return status.feeds
    .filter((f) => jurisdiction === null || f.jurisdiction === jurisdiction)
    .map((f) => {
      const run = f.lastRun;
      const stored = areas?.feeds.find((a) => a.feed === f.feed) ?? null;
      const first = stored?.locations[0] ?? null;
      const unassigned = first ? first.unassigned : (run?.rowsUnassigned ?? null);
      const of = stored ? stored.records : (run?.rowsIn ?? null);
      return {
        feed: f.feed,
        label: FEED_LABELS[f.feed] ?? f.feed,
        files: f.files,
        rowsAccepted: f.rowsAccepted,
        rowsRejected: f.rowsRejected,
        rejectShare: f.rowsAccepted + f.rowsRejected > 0 ? f.rowsRejected / (f.rowsAccepted + f.rowsRejected) : null,
        latestEvent: f.latestEvent,
        lastLoadedAt: f.lastLoadedAt,
        freshness: freshness(f.feed, f.latestEvent, now),
        unassigned,
        unassignedShare: unassigned !== null && of ? unassigned / of : null,
        unassignedBy: first?.geography ?? null,
        otherLocations: stored?.locations.slice(1) ?? [],
        lastStatus: run?.status ?? null,
        lastMessage: run?.message ?? null,
        reasons: reasonsOf(f),
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function runsOf(status: StatusResponse, jurisdiction: string | null): RunSummary[] {
  return status.runs.filter((r) => jurisdiction === null || r.jurisdiction === jurisdiction);
}

export function percent(x: number | null, digits = 1): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (x > 0 && x < 0.001) return '<0.1%';
  return `${(x * 100).toFixed(digits)}%`;
}

export function feedTable(rows: FeedRow[], caption: string): TableData {
  return {
    caption,
    columns: [
      { key: 'feed', label: 'Feed' },
      { key: 'freshness', label: 'Freshness' },
      { key: 'latestEvent', label: 'Newest record' },
      { key: 'ageDays', label: 'Days old', numeric: true },
      { key: 'lagDays', label: 'Expected lag (days)', numeric: true },
      { key: 'lastLoadedAt', label: 'Last load' },
      { key: 'files', label: 'Files', numeric: true },
      { key: 'rowsAccepted', label: 'Rows accepted', numeric: true },
      { key: 'rowsRejected', label: 'Rows rejected', numeric: true },
      { key: 'unassigned', label: 'Records with no area', numeric: true },
      { key: 'reasons', label: 'Rejected, by reason' },
    ],
    rows: rows.map((r) => ({
      feed: r.label,
      freshness: FRESHNESS_TEXT[r.freshness.state],
      latestEvent: r.latestEvent,
      ageDays: r.freshness.ageDays,
      lagDays: r.freshness.lagDays,
      lastLoadedAt: r.lastLoadedAt,
      files: r.files,
      rowsAccepted: r.rowsAccepted,
      rowsRejected: r.rowsRejected,
      unassigned: r.unassigned,
      reasons: r.reasons.map((x) => `${x.label}: ${x.rows}`).join('; '),
    })),
  };
}

export function rejectTable(rows: FeedRow[], caption: string): TableData {
  return {
    caption,
    columns: [
      { key: 'feed', label: 'Feed' },
      { key: 'reason', label: 'Reason' },
      { key: 'code', label: 'Code' },
      { key: 'rows', label: 'Rows', numeric: true },
    ],
    rows: rows.flatMap((r) => r.reasons.map((x) => ({ feed: r.label, reason: x.label, code: x.code, rows: x.rows }))),
  };
}

/** "4 Dec 2026, 10:40" in the page's time zone. */
export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

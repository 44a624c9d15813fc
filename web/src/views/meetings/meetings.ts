// The meetings view's pure parts: the URL, the agencies typed in, the action items of a meeting
// (its own and those carried over, told apart), the agenda grouped, and what the role leaves out.
// No DOM: tests/unit/web-meetings.test.ts.
import type { TableData } from '../../shell/table.ts';
import type { ActionItem, Meeting } from './meetings-api.ts';

export interface MeetingsState {
  /** The meeting on screen; null: the newest. */
  meeting: number | null;
}

export function readMeetings(search: string): MeetingsState {
  const v = new URLSearchParams(search).get('meeting');
  return { meeting: v !== null && /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : null };
}

export function writeMeetings(s: MeetingsState, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  q.set('view', 'meetings');
  if (s.meeting === null) q.delete('meeting');
  else q.set('meeting', String(s.meeting));
  return `?${q.toString()}`;
}

/** "Health Department, Police; EMS" or one per line → distinct, trimmed names in order. */
export function parseAgencies(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,;\n]/)) {
    const a = raw.trim().replace(/\s+/g, ' ');
    if (!a || seen.has(a.toLowerCase())) continue;
    seen.add(a.toLowerCase());
    out.push(a.slice(0, 200));
  }
  return out;
}

/** Roles the meeting routes accept (server/routes/v1/meetings.ts: access "members"). */
export function canEditMeetings(role: string | null | undefined): boolean {
  return role === 'analyst' || role === 'commander' || role === 'partner' || role === 'admin';
}

export interface ActionRow extends ActionItem {
  /** Raised at an earlier meeting and carried into this one. */
  carried: boolean;
  statusText: string;
}

export function statusText(a: Pick<ActionItem, 'status' | 'overdue' | 'closedOn' | 'dueDate'>): string {
  if (a.status === 'done') return `done${a.closedOn ? ` (${a.closedOn})` : ''}`;
  if (a.status === 'dropped') return `dropped${a.closedOn ? ` (${a.closedOn})` : ''}`;
  return a.overdue ? `open, overdue (due ${a.dueDate})` : 'open';
}

/** Carried-over items first (oldest meeting first), then this meeting's; open before closed within each. */
export function actionRows(m: Pick<Meeting, 'actions' | 'carriedOver'>): ActionRow[] {
  const rank = (a: ActionItem) => (a.status === 'open' ? 0 : 1);
  const carried = [...m.carriedOver].sort((a, b) => a.meetingDate.localeCompare(b.meetingDate) || rank(a) - rank(b) || a.id - b.id);
  const own = [...m.actions].sort((a, b) => rank(a) - rank(b) || a.id - b.id);
  return [...carried.map((a) => ({ ...a, carried: true, statusText: statusText(a) })), ...own.map((a) => ({ ...a, carried: false, statusText: statusText(a) }))];
}

export function actionTable(m: Pick<Meeting, 'date' | 'actions' | 'carriedOver'>): TableData {
  return {
    caption: `Action items of the meeting of ${m.date}: carried over from earlier meetings, then raised at this one.`,
    columns: [
      { key: 'description', label: 'Action' },
      { key: 'ownerAgency', label: 'Owner agency' },
      { key: 'dueDate', label: 'Due' },
      { key: 'status', label: 'Status' },
      { key: 'raised', label: 'Raised at' },
    ],
    rows: actionRows(m).map((a) => ({
      description: a.description,
      ownerAgency: a.ownerAgency,
      dueDate: a.dueDate,
      status: a.statusText,
      raised: a.carried ? `meeting of ${a.meetingDate} (carried over)` : 'this meeting',
    })),
  };
}

export function agendaCounts(m: Pick<Meeting, 'agenda' | 'carriedOver'>): { actions: number; signals: number; supply: number; plan: number } {
  return {
    actions: m.carriedOver.filter((a) => a.status === 'open').length,
    signals: m.agenda.signals.length,
    supply: m.agenda.supply.length,
    plan: m.agenda.plan ? 1 : 0,
  };
}

/** Said when the role's small-cell rule leaves counts off the agenda; null when nothing is left off. */
export function agendaHiddenNote(m: Pick<Meeting, 'agenda'>, role: string | null | undefined): string | null {
  const peaksHidden = m.agenda.signals.some((s) => s.peakObserved === null);
  const supplyHidden = m.agenda.supply.some((s) => s.area === null || s.samplesInPeriod === null);
  if (!peaksHidden && !supplyHidden) return null;
  const parts: string[] = [];
  if (peaksHidden) parts.push('the observed and expected counts at an alert’s peak (daily or weekly counts, below the small-cell threshold)');
  if (supplyHidden) parts.push('the day and neighborhood of a first-seen substance’s first sample (a count of one), and sample counts from 1 to 9');
  return `Hidden for your role (${role ?? 'unknown'}): ${parts.join('; ')}. Analysts see them; the server applies the rule (server/policy.ts).`;
}

/** Today in the page's time zone, YYYY-MM-DD (the default date of a new meeting). */
export function today(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

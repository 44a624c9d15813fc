// Repository of working-group meetings and their action items (migration 0005).
//
// Carry-over: an action item of an earlier meeting appears in a later meeting's view while it is
// open at that meeting — still open, or closed at that meeting or a later one. Closing an item
// records the meeting it was closed at (its date is the item's closed_on), so what each meeting
// shows never depends on the day someone looks.
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type DateCol = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export type MeetingsTable = {
  id: Generated<number>;
  jurisdiction_id: string;
  meeting_date: DateCol;
  period_from: DateCol;
  period_to: DateCol;
  title: string | null;
  agencies: ColumnType<unknown, string, string>;
  notes: ColumnType<string, string | undefined, string>;
  created_at: Generated<Date>;
  created_by: number | null;
  created_by_email: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by_email: string | null;
};

export type ActionStatus = 'open' | 'done' | 'dropped';

export type MeetingActionsTable = {
  id: Generated<number>;
  meeting_id: number;
  owner_agency: string;
  description: string;
  due_date: NullableDate;
  status: ColumnType<ActionStatus, ActionStatus | undefined, ActionStatus>;
  created_at: Generated<Date>;
  created_by_email: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by_email: string | null;
  closed_on: NullableDate;
  closed_in_meeting_id: number | null;
};

export type MeetingTables = {
  meetings: MeetingsTable;
  meeting_actions: MeetingActionsTable;
};

const mdb = (db: Kysely<Database>) => db.withTables<MeetingTables>();

export interface Meeting {
  id: number;
  jurisdiction: string;
  date: string;
  periodFrom: string;
  periodTo: string;
  title: string | null;
  agencies: string[];
  notes: string;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

export interface ActionItem {
  id: number;
  meetingId: number;
  /** The date of the meeting that raised it. */
  meetingDate: string;
  ownerAgency: string;
  description: string;
  dueDate: string | null;
  status: ActionStatus;
  closedOn: string | null;
  closedInMeetingId: number | null;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

const MEETING_COLUMNS = [
  'id',
  'jurisdiction_id',
  sql<string>`meeting_date::text`.as('meeting_date'),
  sql<string>`period_from::text`.as('period_from'),
  sql<string>`period_to::text`.as('period_to'),
  'title',
  'agencies',
  'notes',
  'created_at',
  'created_by_email',
  'updated_at',
  'updated_by_email',
] as const;

const iso = (d: Date | string) => new Date(d).toISOString();
const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

function toMeeting(r: {
  id: number;
  jurisdiction_id: string;
  meeting_date: string;
  period_from: string;
  period_to: string;
  title: string | null;
  agencies: unknown;
  notes: string;
  created_at: Date;
  created_by_email: string | null;
  updated_at: Date;
  updated_by_email: string | null;
}): Meeting {
  return {
    id: r.id,
    jurisdiction: r.jurisdiction_id,
    date: r.meeting_date,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    title: r.title,
    agencies: parse(r.agencies) as string[],
    notes: r.notes,
    createdAt: iso(r.created_at),
    createdBy: r.created_by_email,
    updatedAt: iso(r.updated_at),
    updatedBy: r.updated_by_email,
  };
}

export async function insertMeeting(
  db: Kysely<Database>,
  m: { jurisdiction: string; date: string; periodFrom: string; periodTo: string; title: string | null; agencies: string[]; notes: string; by: { id: number | null; email: string | null } },
): Promise<Meeting> {
  const r = await mdb(db)
    .insertInto('meetings')
    .values({
      jurisdiction_id: m.jurisdiction,
      meeting_date: m.date,
      period_from: m.periodFrom,
      period_to: m.periodTo,
      title: m.title,
      agencies: JSON.stringify(m.agencies),
      notes: m.notes,
      created_by: m.by.id,
      created_by_email: m.by.email,
      updated_by_email: m.by.email,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await getMeeting(db, r.id))!;
}

export async function getMeeting(db: Kysely<Database>, id: number): Promise<Meeting | undefined> {
  const r = await mdb(db).selectFrom('meetings').select(MEETING_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r ? toMeeting(r) : undefined;
}

export async function updateMeeting(
  db: Kysely<Database>,
  id: number,
  u: { date?: string | undefined; periodFrom?: string | undefined; periodTo?: string | undefined; title?: string | null | undefined; agencies?: string[] | undefined; notes?: string | undefined; by: string | null },
): Promise<Meeting | undefined> {
  const set: Record<string, unknown> = { updated_at: sql`now()`, updated_by_email: u.by };
  if (u.date !== undefined) set.meeting_date = u.date;
  if (u.periodFrom !== undefined) set.period_from = u.periodFrom;
  if (u.periodTo !== undefined) set.period_to = u.periodTo;
  if (u.title !== undefined) set.title = u.title;
  if (u.agencies !== undefined) set.agencies = JSON.stringify(u.agencies);
  if (u.notes !== undefined) set.notes = u.notes;
  await mdb(db).updateTable('meetings').set(set).where('id', '=', id).execute();
  return getMeeting(db, id);
}

/** Newest meeting first; `before` a meeting id for the next page (ordered by date, then id). */
export async function listMeetings(
  db: Kysely<Database>,
  f: { jurisdiction: string; limit: number; before?: { date: string; id: number } | undefined },
): Promise<(Meeting & { openActions: number })[]> {
  let q = mdb(db)
    .selectFrom('meetings as m')
    .select([
      'm.id',
      'm.jurisdiction_id',
      sql<string>`m.meeting_date::text`.as('meeting_date'),
      sql<string>`m.period_from::text`.as('period_from'),
      sql<string>`m.period_to::text`.as('period_to'),
      'm.title',
      'm.agencies',
      'm.notes',
      'm.created_at',
      'm.created_by_email',
      'm.updated_at',
      'm.updated_by_email',
      sql<number>`(select count(*) from meeting_actions a where a.meeting_id = m.id and a.status = 'open')::int`.as('open_actions'),
    ])
    .where('m.jurisdiction_id', '=', f.jurisdiction);
  if (f.before) {
    const b = f.before;
    q = q.where(sql<boolean>`(m.meeting_date, m.id) < (${b.date}::date, ${b.id})`);
  }
  const rows = await q.orderBy('m.meeting_date', 'desc').orderBy('m.id', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({ ...toMeeting(r), openActions: Number(r.open_actions) }));
}

/** The meeting before this one (by date, then id) in its jurisdiction. */
export async function previousMeeting(db: Kysely<Database>, jurisdiction: string, date: string, id: number | null): Promise<Meeting | undefined> {
  const r = await mdb(db)
    .selectFrom('meetings')
    .select(MEETING_COLUMNS)
    .where('jurisdiction_id', '=', jurisdiction)
    .where(id === null ? sql<boolean>`meeting_date < ${date}::date` : sql<boolean>`(meeting_date, id) < (${date}::date, ${id})`)
    .orderBy('meeting_date', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toMeeting(r) : undefined;
}

const ACTION_COLUMNS = [
  'a.id',
  'a.meeting_id',
  sql<string>`m.meeting_date::text`.as('meeting_date'),
  'a.owner_agency',
  'a.description',
  sql<string | null>`a.due_date::text`.as('due_date'),
  'a.status',
  sql<string | null>`a.closed_on::text`.as('closed_on'),
  'a.closed_in_meeting_id',
  'a.created_at',
  'a.created_by_email',
  'a.updated_at',
  'a.updated_by_email',
] as const;

function toAction(r: {
  id: number;
  meeting_id: number;
  meeting_date: string;
  owner_agency: string;
  description: string;
  due_date: string | null;
  status: ActionStatus;
  closed_on: string | null;
  closed_in_meeting_id: number | null;
  created_at: Date;
  created_by_email: string | null;
  updated_at: Date;
  updated_by_email: string | null;
}): ActionItem {
  return {
    id: r.id,
    meetingId: r.meeting_id,
    meetingDate: r.meeting_date,
    ownerAgency: r.owner_agency,
    description: r.description,
    dueDate: r.due_date,
    status: r.status,
    closedOn: r.closed_on,
    closedInMeetingId: r.closed_in_meeting_id,
    createdAt: iso(r.created_at),
    createdBy: r.created_by_email,
    updatedAt: iso(r.updated_at),
    updatedBy: r.updated_by_email,
  };
}

const actions = (db: Kysely<Database>) => mdb(db).selectFrom('meeting_actions as a').innerJoin('meetings as m', 'm.id', 'a.meeting_id').select(ACTION_COLUMNS);

/** Items raised at this meeting, oldest first. */
export async function meetingActions(db: Kysely<Database>, meetingId: number): Promise<ActionItem[]> {
  const rows = await actions(db).where('a.meeting_id', '=', meetingId).orderBy('a.id').execute();
  return rows.map(toAction);
}

/**
 * Items of earlier meetings (of the same jurisdiction, earlier by date, or the same date and a
 * lower id) that were open at this one: still open, or closed at this meeting's date or later.
 * Oldest meeting first, then by id.
 */
export async function carriedActions(db: Kysely<Database>, meeting: Pick<Meeting, 'id' | 'jurisdiction' | 'date'>): Promise<ActionItem[]> {
  const rows = await actions(db)
    .where('m.jurisdiction_id', '=', meeting.jurisdiction)
    .where(sql<boolean>`(m.meeting_date, m.id) < (${meeting.date}::date, ${meeting.id})`)
    .where((eb) => eb.or([eb('a.status', '=', 'open'), eb('a.closed_on', '>=', meeting.date)]))
    .orderBy('m.meeting_date')
    .orderBy('a.id')
    .execute();
  return rows.map(toAction);
}

export async function getAction(db: Kysely<Database>, id: number): Promise<ActionItem | undefined> {
  const r = await actions(db).where('a.id', '=', id).executeTakeFirst();
  return r ? toAction(r) : undefined;
}

export async function insertAction(
  db: Kysely<Database>,
  a: { meetingId: number; ownerAgency: string; description: string; dueDate: string | null; by: string | null },
): Promise<ActionItem> {
  const r = await mdb(db)
    .insertInto('meeting_actions')
    .values({ meeting_id: a.meetingId, owner_agency: a.ownerAgency, description: a.description, due_date: a.dueDate, created_by_email: a.by, updated_by_email: a.by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await getAction(db, r.id))!;
}

/**
 * Changes an item. A status of done or dropped closes it at `at` (the meeting whose view it was
 * changed through: closed_on is that meeting's date); open reopens it.
 */
export async function updateAction(
  db: Kysely<Database>,
  id: number,
  u: { ownerAgency?: string | undefined; description?: string | undefined; dueDate?: string | null | undefined; status?: ActionStatus | undefined; at: { id: number; date: string }; by: string | null },
): Promise<ActionItem | undefined> {
  const set: Record<string, unknown> = { updated_at: sql`now()`, updated_by_email: u.by };
  if (u.ownerAgency !== undefined) set.owner_agency = u.ownerAgency;
  if (u.description !== undefined) set.description = u.description;
  if (u.dueDate !== undefined) set.due_date = u.dueDate;
  if (u.status !== undefined) {
    set.status = u.status;
    if (u.status === 'open') {
      set.closed_on = null;
      set.closed_in_meeting_id = null;
    } else {
      // Closed at this meeting, unless it was closed already (done → dropped keeps the date).
      set.closed_on = sql`coalesce(closed_on, ${u.at.date}::date)`;
      set.closed_in_meeting_id = sql`coalesce(closed_in_meeting_id, ${u.at.id}::int)`;
    }
  }
  await mdb(db).updateTable('meeting_actions').set(set).where('id', '=', id).execute();
  return getAction(db, id);
}

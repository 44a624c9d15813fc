// Working-group meetings (issue 7, item 2; docs/planner.md): a date, the agencies present, notes,
// an agenda seeded from the period's signal alerts, first-seen drug-supply substances and the
// naloxone plan, and action items (owner agency, due date, status) that stay on every later
// meeting's view until someone closes them. Members only (analyst, commander, partner, admin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { queryRows } from '../../../sql/duckdb.ts';
import { findIndicator } from '../../../sql/indicators/index.ts';
import { listAlerts } from '../../../sql/postgres/alerts.ts';
import {
  carriedActions,
  getAction,
  getMeeting,
  insertAction,
  insertMeeting,
  listMeetings,
  meetingActions,
  previousMeeting,
  updateAction,
  updateMeeting,
  type ActionItem as ActionRow,
  type Meeting as MeetingRow,
} from '../../../sql/postgres/meetings.ts';
import { latestPlanFor } from '../../../sql/postgres/plans.ts';
import {
  ActionCreate,
  ActionItem,
  ActionParams,
  ActionUpdate,
  Meeting,
  MeetingCreate,
  MeetingList,
  MeetingParams,
  MeetingsQuery,
  MeetingUpdate,
} from '../../schemas/meetings.ts';
import { badRequest, errorResponses, HttpError, notFound } from '../../http.ts';
import { policyFor, type Role } from '../../policy.ts';
import { withConn } from '../../duck.ts';
import { addMonths } from '../../planner/data.ts';

export interface MeetingRouteOptions {
  defaultJurisdiction: string;
}

const DEFAULT_LIMIT = 20;
/** Alert episodes on one agenda at most (newest first). */
const MAX_AGENDA_ALERTS = 50;

const isDate = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const dayAfter = (s: string) => new Date(Date.parse(`${s}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function role(req: FastifyRequest): Role {
  const r = req.auth.role;
  if (r === null) throw new HttpError(401, 'sign in first (POST /api/v1/auth/login)');
  return r;
}

function checkDates(d: Record<string, string | null | undefined>): void {
  for (const [k, v] of Object.entries(d)) if (typeof v === 'string' && !isDate(v)) throw badRequest(`"${k}" is not a calendar date: ${v}`);
}

const agencyList = (xs: readonly string[]) => [...new Set(xs.map((x) => x.trim()).filter((x) => x !== ''))];

const routes: FastifyPluginAsyncTypebox<MeetingRouteOptions> = async (app, opts) => {
  const who = (req: FastifyRequest) => ({ id: req.auth.user?.id ?? null, email: req.auth.user?.email ?? null });

  const actionOut = (a: ActionRow, at: MeetingRow): Static<typeof ActionItem> => ({
    ...a,
    overdue: a.status === 'open' && a.dueDate !== null && a.dueDate < at.date,
  });

  /** The agenda of a meeting, as this role may see it. */
  const agenda = async (m: MeetingRow, r: Role, carried: number) => {
    const items: { kind: 'signal' | 'supply' | 'plan' | 'actions'; title: string }[] = [];
    if (carried > 0) items.push({ kind: 'actions', title: `${carried} action item${carried === 1 ? '' : 's'} from earlier meetings` });
    const areaNames = await withConn(app, async (c) => new Map((await queryRows<{ id: string; name: string }>(c, 'areas', { jurisdiction: m.jurisdiction })).map((a) => [a.id, a.name])));

    // Alert episodes open at some time in the period, for the feeds this role may see.
    const found = await listAlerts(app.ops.db, { jurisdiction: m.jurisdiction, from: m.periodFrom, to: m.periodTo, limit: MAX_AGENDA_ALERTS * 2 });
    const signals = [];
    for (const a of found) {
      const def = findIndicator(a.indicator);
      if (!def) continue;
      const p = policyFor(r, def.feed, app.security.policy);
      if (!p.allowed || (p.minArea === 'jurisdiction' && a.area !== 'total')) continue;
      // Counts under an alert are daily or weekly: only a role with no threshold and daily data sees them.
      const counts = p.threshold === 0 && p.minInterval === 'day';
      const areaName = a.area === 'total' ? 'the whole jurisdiction' : (areaNames.get(a.area) ?? a.area);
      signals.push({
        alertId: a.id,
        indicator: a.indicator,
        indicatorLabel: def.label,
        method: a.method,
        cadence: a.cadence,
        area: a.area,
        areaName,
        status: a.status,
        openedOn: a.openedOn,
        lastSignalOn: a.lastSignalOn,
        closedOn: a.closedOn,
        redPeriods: a.redPeriods,
        yellowPeriods: a.yellowPeriods,
        peakObserved: counts ? a.peak.observed : null,
        peakExpected: counts ? a.peak.expected : null,
        acknowledged: a.acknowledgedAt !== null,
        note: a.note,
      });
      if (signals.length >= MAX_AGENDA_ALERTS) break;
    }
    for (const s of signals) {
      items.push({
        kind: 'signal',
        title: `${s.indicatorLabel} in ${s.areaName}: ${s.method} alert opened ${s.openedOn}, ${s.status === 'open' ? 'still open' : `closed ${s.closedOn}`} (${s.redPeriods} red, ${s.yellowPeriods} yellow ${s.cadence === 'week' ? 'weeks' : 'days'})`,
      });
    }

    // Substances drug checking found for the first time in the period.
    const dc = policyFor(r, 'drugcheck', app.security.policy);
    const supply = [];
    if (dc.allowed) {
      const rows = await withConn(app, (c) =>
        queryRows<{ substance: string; first_seen: string; first_area: string | null; samples_in_period: number }>(c, 'planner_supply_first_seen', {
          jurisdiction: m.jurisdiction,
          from: m.periodFrom,
          to: m.periodTo,
        }),
      );
      for (const s of rows) {
        // A role served by month gets the month; the first sample's area is a count of one: analysts only.
        const exact = dc.minInterval === 'day' && dc.threshold === 0;
        const small = dc.threshold > 0 && s.samples_in_period > 0 && s.samples_in_period < dc.threshold;
        const area = exact && dc.minArea === 'area' ? s.first_area : null;
        supply.push({
          substance: s.substance,
          feed: 'drugcheck',
          firstSeen: exact ? s.first_seen : s.first_seen.slice(0, 7),
          area,
          areaName: area === null ? null : (areaNames.get(area) ?? area),
          samplesInPeriod: small ? null : s.samples_in_period,
          samplesText: small ? `fewer than ${dc.threshold}` : String(s.samples_in_period),
        });
      }
      for (const s of supply) {
        items.push({
          kind: 'supply',
          title: `First seen in drug checking: ${s.substance} (${s.firstSeen}${s.areaName ? `, ${s.areaName}` : ''}; ${s.samplesText} sample${s.samplesInPeriod === 1 ? '' : 's'} in the period)`,
        });
      }
    }

    // The naloxone plan for the period's months or the month after the meeting.
    const p = await latestPlanFor(app.ops.db, m.jurisdiction, m.periodFrom.slice(0, 7), addMonths(m.date.slice(0, 7), 1));
    const plan = p ? { planId: p.id, month: p.month, kits: p.kits, units: p.units, createdAt: p.createdAt } : null;
    if (plan) items.push({ kind: 'plan', title: `Naloxone plan ${plan.planId} for ${plan.month}: ${plan.kits} kits across ${plan.units} units` });

    return {
      periodFrom: m.periodFrom,
      periodTo: m.periodTo,
      items,
      signals,
      supply,
      plan,
      clusters:
        'Space–time scans (POST /api/v1/clusters) are jobs kept in memory for 6 hours and are not stored, so they cannot be put on an agenda yet; run one for the period and add what it finds to the notes.',
    };
  };

  const meetingOut = async (m: MeetingRow, r: Role): Promise<Static<typeof Meeting>> => {
    const own = await meetingActions(app.ops.db, m.id);
    const carried = await carriedActions(app.ops.db, m);
    const prev = await previousMeeting(app.ops.db, m.jurisdiction, m.date, m.id);
    return {
      id: m.id,
      jurisdiction: m.jurisdiction,
      date: m.date,
      title: m.title,
      periodFrom: m.periodFrom,
      periodTo: m.periodTo,
      agencies: m.agencies,
      notes: m.notes,
      createdAt: m.createdAt,
      createdBy: m.createdBy,
      updatedAt: m.updatedAt,
      updatedBy: m.updatedBy,
      previousMeetingId: prev?.id ?? null,
      actions: own.map((a) => actionOut(a, m)),
      carriedOver: carried.map((a) => actionOut(a, m)),
      agenda: await agenda(m, r, carried.filter((a) => a.status === 'open').length),
    };
  };

  const load = async (id: number) => {
    const m = await getMeeting(app.ops.db, id);
    if (!m) throw notFound(`no meeting ${id}`);
    return m;
  };

  app.post(
    '/meetings',
    {
      config: { access: 'members', auditAction: 'meetings.create' },
      schema: {
        tags: ['meetings'],
        summary: 'Record a working-group meeting: date, agencies present, notes',
        description: 'Members of the working group. The agenda is built from the period (default: the day after the previous meeting, or the first day of the month before, to the meeting date).',
        body: MeetingCreate,
        response: { 201: Meeting, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = role(req);
      const b = req.body;
      checkDates({ date: b.date, periodFrom: b.periodFrom, periodTo: b.periodTo });
      const jurisdiction = b.jurisdiction ?? opts.defaultJurisdiction;
      const known = await withConn(app, (c) => queryRows<{ id: string }>(c, 'areas', { jurisdiction }));
      if (known.length === 0) throw notFound(`unknown jurisdiction "${jurisdiction}"`);
      const prev = await previousMeeting(app.ops.db, jurisdiction, b.date, null);
      const periodTo = b.periodTo ?? b.date;
      const periodFrom = b.periodFrom ?? (prev && dayAfter(prev.date) <= periodTo ? dayAfter(prev.date) : `${addMonths(b.date.slice(0, 7), -1)}-01`);
      if (periodFrom > periodTo) throw badRequest(`"periodFrom" (${periodFrom}) is after "periodTo" (${periodTo})`);
      const m = await insertMeeting(app.ops.db, {
        jurisdiction,
        date: b.date,
        periodFrom,
        periodTo,
        title: b.title ?? null,
        agencies: agencyList(b.agencies),
        notes: b.notes ?? '',
        by: who(req),
      });
      req.auditExtra = { meetingId: m.id };
      reply.code(201);
      return meetingOut(m, r);
    },
  );

  app.get(
    '/meetings',
    {
      config: { access: 'members', auditAction: 'meetings.read', tabular: { name: 'meetings', tables: [{ path: 'meetings' }] } },
      schema: {
        tags: ['meetings'],
        summary: 'Meetings, newest first',
        querystring: MeetingsQuery,
        response: { 200: MeetingList, ...errorResponses },
      },
    },
    async (req) => {
      role(req);
      const q = req.query;
      const jurisdiction = q.jurisdiction ?? opts.defaultJurisdiction;
      const limit = q.limit ?? DEFAULT_LIMIT;
      let before: { date: string; id: number } | undefined;
      if (q.before !== undefined) {
        const b = await getMeeting(app.ops.db, q.before);
        if (!b || b.jurisdiction !== jurisdiction) throw badRequest(`"before": no meeting ${q.before} in ${jurisdiction}`);
        before = { date: b.date, id: b.id };
      }
      const found = await listMeetings(app.ops.db, { jurisdiction, limit: limit + 1, before });
      const page = found.slice(0, limit);
      req.rowsReturned = page.length;
      return {
        jurisdiction,
        meetings: page.map((m) => ({
          id: m.id,
          jurisdiction: m.jurisdiction,
          date: m.date,
          title: m.title,
          agencies: m.agencies,
          openActions: m.openActions,
          createdAt: m.createdAt,
          createdBy: m.createdBy,
        })),
        nextBefore: found.length > limit ? page[page.length - 1]!.id : null,
      };
    },
  );

  app.get(
    '/meetings/:id',
    {
      config: { access: 'members', auditAction: 'meetings.read' },
      schema: {
        tags: ['meetings'],
        summary: 'One meeting: its agenda (signals, supply alerts, naloxone plan), its action items and those carried over from earlier meetings',
        params: MeetingParams,
        response: { 200: Meeting, ...errorResponses },
      },
    },
    async (req) => {
      const r = role(req);
      const m = await load(req.params.id);
      const out = await meetingOut(m, r);
      req.rowsReturned = out.actions.length + out.carriedOver.length;
      return out;
    },
  );

  app.patch(
    '/meetings/:id',
    {
      config: { access: 'members', auditAction: 'meetings.update' },
      schema: {
        tags: ['meetings'],
        summary: 'Change a meeting: date, title, agencies present, notes, period',
        params: MeetingParams,
        body: MeetingUpdate,
        response: { 200: Meeting, ...errorResponses },
      },
    },
    async (req) => {
      const r = role(req);
      const before = await load(req.params.id);
      const b = req.body;
      checkDates({ date: b.date, periodFrom: b.periodFrom, periodTo: b.periodTo });
      const from = b.periodFrom ?? before.periodFrom;
      const to = b.periodTo ?? before.periodTo;
      if (from > to) throw badRequest(`"periodFrom" (${from}) is after "periodTo" (${to})`);
      const m = await updateMeeting(app.ops.db, before.id, {
        date: b.date,
        periodFrom: b.periodFrom,
        periodTo: b.periodTo,
        title: b.title,
        agencies: b.agencies ? agencyList(b.agencies) : undefined,
        notes: b.notes,
        by: who(req).email,
      });
      return meetingOut(m!, r);
    },
  );

  app.post(
    '/meetings/:id/actions',
    {
      config: { access: 'members', auditAction: 'meetings.actions.create' },
      schema: {
        tags: ['meetings'],
        summary: 'Add an action item to a meeting: owner agency, description, due date (status open)',
        params: MeetingParams,
        body: ActionCreate,
        response: { 201: ActionItem, ...errorResponses },
      },
    },
    async (req, reply) => {
      role(req);
      const m = await load(req.params.id);
      const b = req.body;
      checkDates({ dueDate: b.dueDate });
      const a = await insertAction(app.ops.db, {
        meetingId: m.id,
        ownerAgency: b.ownerAgency.trim(),
        description: b.description.trim(),
        dueDate: b.dueDate ?? null,
        by: who(req).email,
      });
      req.auditExtra = { actionId: a.id };
      reply.code(201);
      return actionOut(a, m);
    },
  );

  app.patch(
    '/meetings/:id/actions/:actionId',
    {
      config: { access: 'members', auditAction: 'meetings.actions.update' },
      schema: {
        tags: ['meetings'],
        summary: 'Change an action item, raised at this meeting or carried over into it; done or dropped closes it at this meeting',
        description: 'A closed item stays on the view of the meeting it was closed at and leaves every later one; status open reopens it.',
        params: ActionParams,
        body: ActionUpdate,
        response: { 200: ActionItem, ...errorResponses },
      },
    },
    async (req) => {
      role(req);
      const m = await load(req.params.id);
      const a = await getAction(app.ops.db, req.params.actionId);
      if (!a) throw notFound(`no action item ${req.params.actionId}`);
      const origin = await load(a.meetingId);
      const here =
        a.meetingId === m.id ||
        (origin.jurisdiction === m.jurisdiction && (origin.date < m.date || (origin.date === m.date && origin.id < m.id)) && (a.status === 'open' || (a.closedOn !== null && a.closedOn >= m.date)));
      if (!here) throw notFound(`action item ${a.id} is not on meeting ${m.id} (it belongs to meeting ${a.meetingId})`);
      const b = req.body;
      checkDates({ dueDate: b.dueDate });
      const u = await updateAction(app.ops.db, a.id, {
        ownerAgency: b.ownerAgency?.trim(),
        description: b.description?.trim(),
        dueDate: b.dueDate,
        status: b.status,
        at: { id: m.id, date: m.date },
        by: who(req).email,
      });
      req.auditExtra = { actionId: a.id, ...(b.status ? { status: b.status } : {}) };
      return actionOut(u!, m);
    },
  );
};

export default routes;

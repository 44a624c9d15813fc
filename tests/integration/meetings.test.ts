// Working-group meetings on the default city, through the API with real DuckDB and PGlite: the
// agenda seeded from the period's alert episodes, first-seen drug-supply substances (the city's
// manifest says when each appeared) and the naloxone plan; action items that carry over to every
// later meeting until closed; who may see and change meetings; CSRF; the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import type { Meeting } from '../../server/schemas/meetings.ts';
import { openCity, type City } from '../helpers/city.ts';
import { openStores } from '../helpers/fixtures.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';

interface Action {
  id: number;
  meetingId: number;
  status: string;
  closedOn: string | null;
  overdue: boolean;
  ownerAgency: string;
  description: string;
}

describe('working-group meetings', () => {
  let city: City;
  let app: FastifyInstance;
  let analyst: TestSession;
  let commander: TestSession;
  let partner: TestSession;

  beforeAll(async () => {
    city = await openCity();
    app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: null });
    await app.ready();
    analyst = await loginAs(app, 'analyst');
    commander = await loginAs(app, 'commander', { agency: 'NYPD' });
    partner = await loginAs(app, 'partner', { agency: 'FDNY EMS' });
    // The detectors' alert episodes, as the hotspot page brings them up to date.
    for (const q of ['indicator=ems.opioid_overdose&method=ears_c2', 'indicator=deaths.any_drug&method=essence']) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/alerts?${q}&limit=1`, headers: analyst.headers });
      expect(res.statusCode).toBe(200);
    }
  }, 900_000);
  afterAll(async () => {
    await app?.close();
  });

  const send = (method: 'POST' | 'PATCH', url: string, payload: unknown, s: TestSession = analyst) =>
    app.inject({ method, url, headers: s.headers, payload: payload as object });
  const get = (url: string, s: TestSession = analyst) => app.inject({ method: 'GET', url, headers: s.headers });
  const meeting = async (id: number, s: TestSession = analyst) => {
    const res = await get(`/api/v1/meetings/${id}`, s);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Meeting;
  };

  let m1: Meeting;
  let m2: Meeting;
  let m3: Meeting;

  it('records a meeting and seeds its agenda from the period’s alerts, first-seen substances and the naloxone plan', async () => {
    const plan = await send('POST', '/api/v1/plans', { kits: 1200, minimum: 20, month: '2024-10' });
    expect(plan.statusCode, plan.body).toBe(201);
    const res = await send('POST', '/api/v1/meetings', {
      date: '2024-09-20',
      title: 'RxStat September',
      agencies: ['Health Department', 'NYPD', 'FDNY EMS', ' NYPD ', 'OCME'],
      notes: 'Xylazine wound care; kits for Bronx precincts.',
    });
    expect(res.statusCode, res.body).toBe(201);
    m1 = res.json() as Meeting;
    expect(m1.agencies).toEqual(['Health Department', 'NYPD', 'FDNY EMS', 'OCME']);
    // First meeting: the agenda looks from the first day of the month before to the meeting date.
    expect([m1.periodFrom, m1.periodTo]).toEqual(['2024-08-01', '2024-09-20']);
    expect(m1.createdBy).toBe(analyst.user.email);
    const a = m1.agenda;
    // Every alert episode on the agenda was open at some time in the period.
    expect(a.signals.length).toBeGreaterThan(0);
    for (const s of a.signals) {
      expect(s.openedOn <= m1.periodTo).toBe(true);
      expect(s.closedOn === null || s.closedOn >= m1.periodFrom).toBe(true);
    }
    expect(new Set(a.signals.map((s) => s.indicator))).toEqual(new Set(['ems.opioid_overdose', 'deaths.any_drug']));
    expect(a.signals.some((s) => s.peakObserved !== null)).toBe(true);
    // Protonitazene first appeared in drug checking on 2024-09-03 (the generator's manifest).
    const proto = city.manifest.supplyChanges.find((s) => s.substance === 'protonitazene' && s.feed === 'drugcheck')!;
    expect(a.supply.map((s) => s.substance)).toEqual(['protonitazene']);
    expect(a.supply[0]).toMatchObject({ firstSeen: proto.firstSeen, feed: 'drugcheck' });
    expect(a.supply[0]!.area).toMatch(/^\d{3}$/);
    expect(a.plan).toMatchObject({ month: '2024-10', kits: 1200, units: 8, planId: (plan.json() as { id: number }).id });
    expect(a.items.map((i) => i.kind)).toEqual([...a.signals.map(() => 'signal'), 'supply', 'plan']);
    expect(a.items.find((i) => i.kind === 'supply')!.title).toMatch(/^First seen in drug checking: protonitazene \(2024-09-03, /);
    expect(a.clusters).toMatch(/not stored/);
    expect(m1.actions).toEqual([]);
    expect(m1.carriedOver).toEqual([]);
    expect(m1.previousMeetingId).toBeNull();
  });

  it('shows a commander the agenda without the counts under the alerts, and supply by month', async () => {
    const m = await meeting(m1.id, commander);
    expect(m.agenda.signals.length).toBe(m1.agenda.signals.length);
    expect(m.agenda.signals.every((s) => s.peakObserved === null && s.peakExpected === null)).toBe(true);
    expect(m.agenda.supply[0]).toMatchObject({ substance: 'protonitazene', firstSeen: '2024-09', area: null, areaName: null });
    // Samples in the period: a count, so 1–9 is "fewer than 10".
    const s = m.agenda.supply[0]!;
    if (m1.agenda.supply[0]!.samplesInPeriod! < 10) expect([s.samplesInPeriod, s.samplesText]).toEqual([null, 'fewer than 10']);
    else expect(s.samplesInPeriod).toBe(m1.agenda.supply[0]!.samplesInPeriod);
  });

  let kits: Action;
  let training: Action;
  let report: Action;

  it('adds action items with an owner agency, a description and a due date', async () => {
    const add = async (p: object, s: TestSession = analyst) => {
      const res = await send('POST', `/api/v1/meetings/${m1.id}/actions`, p, s);
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Action;
    };
    kits = await add({ ownerAgency: 'NYPD', description: 'Place 400 kits with Bronx patrol officers', dueDate: '2024-10-15' }, commander);
    training = await add({ ownerAgency: 'Health Department', description: 'Naloxone training at two Mott Haven shelters', dueDate: '2024-11-30' });
    report = await add({ ownerAgency: 'FDNY EMS', description: 'Report naloxone doses per call by station' }, partner);
    expect(kits).toMatchObject({ meetingId: m1.id, status: 'open', closedOn: null, overdue: false, ownerAgency: 'NYPD' });
    const m = await meeting(m1.id);
    expect(m.actions.map((a) => a.id)).toEqual([kits.id, training.id, report.id]);
  });

  it('carries open items over to the next meetings until they are closed', async () => {
    let res = await send('POST', '/api/v1/meetings', { date: '2024-11-20', agencies: ['Health Department', 'NYPD'] }, partner);
    expect(res.statusCode, res.body).toBe(201);
    m2 = res.json() as Meeting;
    // The period runs from the day after the previous meeting.
    expect([m2.periodFrom, m2.periodTo]).toEqual(['2024-09-21', '2024-11-20']);
    expect(m2.previousMeetingId).toBe(m1.id);
    expect(m2.carriedOver.map((a) => a.id)).toEqual([kits.id, training.id, report.id]);
    // Due 2024-10-15, still open on 2024-11-20: overdue.
    expect(m2.carriedOver.find((a) => a.id === kits.id)!.overdue).toBe(true);
    expect(m2.carriedOver.find((a) => a.id === training.id)!.overdue).toBe(false);
    expect(m2.agenda.items[0]).toEqual({ kind: 'actions', title: '3 action items from earlier meetings' });
    expect(m2.agenda.supply.map((s) => s.substance)).toContain('medetomidine');

    // Closed at the second meeting: still on its view (as done), off every later one.
    res = await send('PATCH', `/api/v1/meetings/${m2.id}/actions/${kits.id}`, { status: 'done' }, commander);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', closedOn: '2024-11-20', closedInMeetingId: m2.id, overdue: false });
    res = await send('PATCH', `/api/v1/meetings/${m2.id}/actions/${report.id}`, { status: 'dropped' });
    expect(res.json()).toMatchObject({ status: 'dropped', closedOn: '2024-11-20' });

    res = await send('POST', '/api/v1/meetings', { date: '2024-12-18', agencies: ['Health Department'] });
    m3 = res.json() as Meeting;
    expect(m3.carriedOver.map((a) => [a.id, a.status])).toEqual([[training.id, 'open']]);
    const again2 = await meeting(m2.id);
    expect(again2.carriedOver.map((a) => [a.id, a.status])).toEqual([
      [kits.id, 'done'],
      [training.id, 'open'],
      [report.id, 'dropped'],
    ]);
    // The first meeting's own list shows each item's status now.
    expect((await meeting(m1.id)).actions.map((a) => a.status)).toEqual(['done', 'open', 'dropped']);

    // An item raised at the second meeting carries to the third too.
    res = await send('POST', `/api/v1/meetings/${m2.id}/actions`, { ownerAgency: 'OCME', description: 'Share medetomidine toxicology counts', dueDate: null });
    const ocme = res.json() as Action;
    expect((await meeting(m3.id)).carriedOver.map((a) => a.id)).toEqual([training.id, ocme.id]);

    // Reopened: back on every later view.
    res = await send('PATCH', `/api/v1/meetings/${m3.id}/actions/${training.id}`, { status: 'done' });
    expect(res.json()).toMatchObject({ closedOn: '2024-12-18', closedInMeetingId: m3.id });
    expect((await meeting(m3.id)).carriedOver.find((a) => a.id === training.id)!.status).toBe('done');
    res = await send('PATCH', `/api/v1/meetings/${m3.id}/actions/${training.id}`, { status: 'open', dueDate: '2025-01-31' });
    expect(res.json()).toMatchObject({ status: 'open', closedOn: null, closedInMeetingId: null, dueDate: '2025-01-31' });
  });

  it('changes an item only through a meeting it is on', async () => {
    // The done item left the third meeting: not changeable there.
    const res = await send('PATCH', `/api/v1/meetings/${m3.id}/actions/${kits.id}`, { status: 'open' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/is not on meeting/);
    // Nor through an earlier meeting than the one that raised it.
    const later = (await send('POST', `/api/v1/meetings/${m3.id}/actions`, { ownerAgency: 'NYPD', description: 'x' })).json() as Action;
    expect((await send('PATCH', `/api/v1/meetings/${m1.id}/actions/${later.id}`, { status: 'done' })).statusCode).toBe(404);
    expect((await send('PATCH', `/api/v1/meetings/${m3.id}/actions/999999`, { status: 'done' })).statusCode).toBe(404);
    expect((await send('PATCH', `/api/v1/meetings/${m3.id}/actions/${later.id}`, { status: 'finished' })).statusCode).toBe(400);
    expect((await send('PATCH', `/api/v1/meetings/${m3.id}/actions/${later.id}`, {})).statusCode).toBe(400);
  });

  it('edits a meeting’s notes and agencies', async () => {
    const res = await send('PATCH', `/api/v1/meetings/${m1.id}`, { notes: 'Agreed: 400 kits for the Bronx.', agencies: ['Health Department', 'NYPD', 'Harm reduction programs'] }, commander);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ notes: 'Agreed: 400 kits for the Bronx.', agencies: ['Health Department', 'NYPD', 'Harm reduction programs'], updatedBy: commander.user.email });
    expect((await send('PATCH', `/api/v1/meetings/${m1.id}`, { periodFrom: '2024-10-01', periodTo: '2024-09-01' })).statusCode).toBe(400);
  });

  it('lists meetings newest first, page by page', async () => {
    const first = (await get('/api/v1/meetings?limit=2')).json() as { meetings: { id: number; date: string; openActions: number }[]; nextBefore: number | null };
    expect(first.meetings.map((m) => m.id)).toEqual([m3.id, m2.id]);
    expect(first.nextBefore).toBe(m2.id);
    const second = (await get(`/api/v1/meetings?limit=2&before=${first.nextBefore}`)).json() as typeof first;
    expect(second.meetings.map((m) => m.id)).toEqual([m1.id]);
    expect(second.nextBefore).toBeNull();
    expect(second.meetings[0]!.openActions).toBe(1);
  });

  it('is for members only, and every change needs a CSRF token', async () => {
    expect((await app.inject({ method: 'GET', url: `/api/v1/meetings/${m1.id}` })).statusCode).toBe(401);
    const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/meetings', headers: { cookie: analyst.cookie }, payload: { date: '2025-01-15', agencies: [] } });
    expect(noCsrf.statusCode).toBe(403);
    const noCsrfPatch = await app.inject({ method: 'PATCH', url: `/api/v1/meetings/${m1.id}/actions/${kits.id}`, headers: { cookie: commander.cookie }, payload: { status: 'open' } });
    expect(noCsrfPatch.statusCode).toBe(403);
    const stores = await openStores();
    const pub = await buildApp({ duck: stores.duck, ops: stores.ops, defaultJurisdiction: 'nyc', webRoot: null, security: { publicView: true } });
    try {
      expect((await pub.inject({ method: 'GET', url: '/api/v1/meetings' })).statusCode).toBe(403);
      expect((await pub.inject({ method: 'GET', url: '/api/v1/meetings/1' })).statusCode).toBe(403);
    } finally {
      await pub.close();
    }
    expect((await send('POST', '/api/v1/meetings', { date: '2025-02-30', agencies: [] })).statusCode).toBe(400);
    expect((await get('/api/v1/meetings/999999')).statusCode).toBe(404);
  });

  it('writes every read and change to the audit log', async () => {
    await app.audit.flush();
    const rows = await app.ops.db.selectFrom('audit_log').select(['action', 'role', 'status', 'params']).where('action', 'like', 'meetings.%').orderBy('id').execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['meetings.create', 'meetings.read', 'meetings.update', 'meetings.actions.create', 'meetings.actions.update']) expect(actions).toContain(a);
    const created = rows.find((r) => r.action === 'meetings.create' && r.status === 201)!;
    expect((created.params as { meetingId?: number }).meetingId).toBe(m1.id);
    expect(rows.some((r) => r.action === 'meetings.actions.update' && r.role === 'commander' && (r.params as { status?: string }).status === 'done')).toBe(true);
  });
});

// Gathers a monthly brief's figures by asking the API's own routes, as the reader (app.inject with
// the reader's session cookie and address). Every figure therefore passes through exactly the
// checks and suppression its page would: the role policy (server/policy.ts), the published cube
// with complementary suppression (server/privacy/), the alert and plan redaction, and the audit log
// records each read. Nothing here sees a person-level record or a count the reader may not see.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findIndicator } from '../../sql/indicators/index.ts';
import type { BriefFigures, Headline, SupplyLine } from '../schemas/brief.ts';
import { HttpError, notFound } from '../http.ts';
import { addMonths, lastMeetingBy, monthEnd, monthFigure, monthStart, percentChange, splitHotspots, type AlertLike } from './figures.ts';

/** Headline indicators, in the order the brief prints them. */
export const HEADLINE_INDICATORS = [
  'deaths.any_drug',
  'deaths.opioid',
  'deaths.fentanyl',
  'deaths.xylazine',
  'ems.opioid_overdose',
  'ems.naloxone_given',
  'naloxone.kits_distributed',
  'treatment.opioid_admissions',
  'arrests.deflection_referral',
] as const;

/** The map: EMS suspected opioid overdoses where they happened, the freshest feed with areas. */
export const MAP_INDICATOR = 'ems.opioid_overdose';
/** Detectors brought up to date before the hotspots are read (the hotspot page's default method). */
const DETECTORS = [{ indicator: 'ems.opioid_overdose', method: 'essence' }] as const;
export const SUPPLY_INDICATORS = ['drugcheck.samples_tested', 'drugcheck.fentanyl_positive', 'drugcheck.xylazine_positive', 'drugcheck.medetomidine_positive'] as const;

interface Answer<T> {
  status: number;
  body: T;
  message: string;
}

type SeriesBody = {
  definitionVersion: string;
  geography: string;
  periods: { start: string; end: string; partial: boolean }[];
  series: { area: string; name: string; points: { period: string; count: number | null; state: 'shown' | 'zero' | 'suppressed' | 'missing'; rate: number | null }[] }[];
};

export class NoDataError extends Error {}

export async function assembleBrief(app: FastifyInstance, req: FastifyRequest, jurisdiction: string, month: string): Promise<BriefFigures> {
  const get = async <T>(path: string, q: Record<string, string | number | boolean | undefined> = {}): Promise<Answer<T>> => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1${path}${qs ? `?${qs}` : ''}`,
      headers: { accept: 'application/json', ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}), 'user-agent': 'odstat brief (server)' },
      remoteAddress: req.ip,
    });
    let body: unknown = null;
    try {
      body = JSON.parse(res.body);
    } catch {
      body = null;
    }
    const message = (body as { message?: string } | null)?.message ?? `${res.statusCode}`;
    if (res.statusCode >= 500) throw new Error(`GET ${path} answered ${res.statusCode} while assembling the brief: ${message}`);
    if (res.statusCode === 401) throw new HttpError(401, message);
    return { status: res.statusCode, body: body as T, message };
  };

  const from = monthStart(month);
  const to = monthEnd(month);
  const previousMonth = addMonths(month, -1);
  const yearAgoMonth = addMonths(month, -12);

  const js = await get<{ jurisdictions: { id: string; name: string; synthetic: boolean; dataRange: { from: string; to: string } | null }[] }>('/jurisdictions');
  const j = js.body.jurisdictions.find((x) => x.id === jurisdiction);
  if (!j) throw notFound(`unknown jurisdiction "${jurisdiction}"`);
  if (!j.dataRange) throw new NoDataError(`no data loaded for ${j.name} yet: load feeds first (odstat ingest)`);
  if (to < j.dataRange.from || from > j.dataRange.to) {
    throw new NoDataError(`no data for ${month} in ${j.name}: the data run from ${j.dataRange.from} to ${j.dataRange.to}`);
  }

  // Headline figures: each indicator's whole-jurisdiction monthly series, a year back.
  const headline: Headline[] = [];
  for (const id of HEADLINE_INDICATORS) {
    const def = findIndicator(id);
    if (!def) continue;
    const res = await get<SeriesBody>('/series', { jurisdiction, indicator: id, interval: 'month', areas: 'total', from: monthStart(yearAgoMonth), to });
    if (res.status !== 200) {
      headline.push({ indicator: id, label: def.label, geography: def.geographies[0] ?? 'event', available: false, note: res.message, current: null, previous: null, yearAgo: null, changePrevious: null, changeYearAgo: null, definitionVersion: null });
      continue;
    }
    const cur = monthFigure(res.body, month);
    const prev = monthFigure(res.body, previousMonth);
    const ago = monthFigure(res.body, yearAgoMonth);
    headline.push({
      indicator: id,
      label: def.label,
      geography: res.body.geography,
      available: true,
      note: cur?.partial ? `the data end inside ${month}` : null,
      current: cur,
      previous: prev,
      yearAgo: ago,
      changePrevious: percentChange(cur?.count, prev?.count),
      changeYearAgo: percentChange(cur?.count, ago?.count),
      definitionVersion: res.body.definitionVersion,
    });
  }

  // The map: every area's count and rate for the month.
  let map: BriefFigures['map'] = null;
  const mapDef = findIndicator(MAP_INDICATOR)!;
  const mapRes = await get<SeriesBody>('/series', { jurisdiction, indicator: MAP_INDICATOR, interval: 'month', from, to, total: false });
  if (mapRes.status === 200) {
    map = {
      indicator: MAP_INDICATOR,
      label: mapDef.label,
      geography: mapRes.body.geography,
      areas: mapRes.body.series
        .filter((s) => s.area !== 'total')
        .map((s) => {
          const f = monthFigure(mapRes.body, month, s.area);
          return { id: s.area, name: s.name, count: f?.count ?? null, state: f?.state ?? 'missing', rate: f?.rate ?? null };
        }),
    };
  }

  // Hotspots: alert episodes open at some time in the month, detectors brought up to date first.
  for (const d of DETECTORS) await get('/alerts', { jurisdiction, indicator: d.indicator, method: d.method, limit: 1 });
  const alerts = await get<{ alerts: AlertLike[] }>('/alerts', { jurisdiction, from, to, limit: 500 });
  const labels = new Map<string, string>();
  for (const a of alerts.status === 200 ? alerts.body.alerts : []) labels.set(a.indicator, findIndicator(a.indicator)?.label ?? a.indicator);
  const split = splitHotspots(alerts.status === 200 ? alerts.body.alerts : [], month, labels);
  const hotspots = {
    ...split,
    note:
      alerts.status === 200
        ? `Alert episodes as stored when the brief was made (${DETECTORS.map((d) => `${d.indicator} by ${d.method}`).join(', ')} brought up to date first; other detectors as last run from the hotspots page). Space–time cluster scans are not stored and are not in the brief.`
        : alerts.message,
  };

  // Drug supply: samples tested and positive, this month against the month before.
  const lines: SupplyLine[] = [];
  let supplyNote: string | null = null;
  for (const id of SUPPLY_INDICATORS) {
    const def = findIndicator(id);
    if (!def) continue;
    const res = await get<SeriesBody>('/series', { jurisdiction, indicator: id, interval: 'month', areas: 'total', from: monthStart(previousMonth), to });
    if (res.status !== 200) {
      supplyNote = res.message;
      continue;
    }
    const cur = monthFigure(res.body, month);
    const prev = monthFigure(res.body, previousMonth);
    lines.push({ id, label: def.label, current: cur, previous: prev, change: percentChange(cur?.count, prev?.count) });
  }
  type SupplyBody = {
    categories: { id: string; label: string; points: { period: string; count: number | null; state: 'shown' | 'zero' | 'suppressed' | 'missing' }[] }[];
    concentration: { period: string; median: number | null }[];
    firstSeen: { substance: string; category: string | null; firstSeen: string }[];
    periods: { start: string; partial: boolean }[];
  };
  const ds = await get<SupplyBody>('/drug-supply', { jurisdiction, from: monthStart(previousMonth), to });
  let concentration = { current: null as number | null, previous: null as number | null, description: 'Median fentanyl concentration (percent by weight) of fentanyl-positive samples where measured.' };
  let firstSeen: BriefFigures['supply']['firstSeen'] = [];
  if (ds.status === 200) {
    const partial = (m: string) => ds.body.periods.find((p) => p.start === monthStart(m))?.partial ?? false;
    for (const c of ds.body.categories) {
      const fig = (m: string) => {
        const p = c.points.find((x) => x.period === monthStart(m));
        return p ? { month: m, count: p.count, state: p.state, rate: null, partial: partial(m) } : null;
      };
      const cur = fig(month);
      const prev = fig(previousMonth);
      lines.push({ id: `drugcheck.${c.id}`, label: c.label, current: cur, previous: prev, change: percentChange(cur?.count, prev?.count) });
    }
    const med = (m: string) => ds.body.concentration.find((x) => x.period === monthStart(m))?.median ?? null;
    concentration = { ...concentration, current: med(month), previous: med(previousMonth) };
    firstSeen = ds.body.firstSeen.filter((f) => f.firstSeen.startsWith(month)).map((f) => ({ substance: f.substance, category: f.category, firstSeen: f.firstSeen }));
  } else {
    supplyNote = ds.message;
  }
  const supply = { available: lines.length > 0, note: supplyNote, lines, concentration, firstSeen };

  // The naloxone plan the meeting discusses: the latest for the month after, else for the month.
  let plan: BriefFigures['plan'] = null;
  let planNote: string | null = null;
  type PlanListBody = { plans: { id: number }[] };
  let planId: number | null = null;
  for (const m of [addMonths(month, 1), month]) {
    const list = await get<PlanListBody>('/plans', { jurisdiction, month: m, limit: 1 });
    if (list.status !== 200) {
      planNote = list.message;
      break;
    }
    if (list.body.plans[0]) {
      planId = list.body.plans[0].id;
      break;
    }
  }
  if (planId !== null) {
    type PlanBody = { id: number; month: string; kits: number; unitLabel: string; createdAt: string; createdBy: { email: string | null }; units: { id: string; name: string; kits: number; explanation: string }[] };
    const p = await get<PlanBody>(`/plans/${planId}`);
    if (p.status === 200) {
      plan = {
        id: p.body.id,
        month: p.body.month,
        kits: p.body.kits,
        unitLabel: p.body.unitLabel,
        createdAt: p.body.createdAt,
        createdBy: p.body.createdBy.email,
        units: p.body.units.map((u) => ({ id: u.id, name: u.name, kits: u.kits, explanation: u.explanation })),
      };
    } else planNote = p.message;
  } else if (planNote === null) planNote = `no naloxone plan saved for ${addMonths(month, 1)} or ${month}`;

  // Last meeting's action items: the latest meeting on or before the month's end.
  let meeting: BriefFigures['meeting'] = null;
  let meetingNote: string | null = null;
  type MeetingList = { meetings: { id: number; date: string }[] };
  const ml = await get<MeetingList>('/meetings', { jurisdiction, limit: 100 });
  if (ml.status === 200) {
    const last = lastMeetingBy(ml.body.meetings, month);
    if (last) {
      type Item = { id: number; ownerAgency: string; description: string; dueDate: string | null; status: 'open' | 'done' | 'dropped'; overdue: boolean; closedOn: string | null };
      type MeetingBody = { id: number; date: string; title: string | null; agencies: string[]; actions: Item[]; carriedOver: Item[] };
      const mv = await get<MeetingBody>(`/meetings/${last.id}`);
      if (mv.status === 200) {
        const item = (carried: boolean) => (a: Item) => ({ id: a.id, ownerAgency: a.ownerAgency, description: a.description, dueDate: a.dueDate, status: a.status, overdue: a.overdue, closedOn: a.closedOn, carriedOver: carried });
        meeting = { id: mv.body.id, date: mv.body.date, title: mv.body.title, agencies: mv.body.agencies, actions: [...mv.body.carriedOver.map(item(true)), ...mv.body.actions.map(item(false))] };
      } else meetingNote = mv.message;
    } else meetingNote = `no meeting recorded on or before ${to}`;
  } else meetingNote = ml.message;

  if (headline.every((h) => !h.current || h.current.state === 'missing')) {
    throw new NoDataError(`no data for ${month} in ${j.name}: no feed this role may see covers the month`);
  }

  return {
    month,
    jurisdiction,
    jurisdictionName: j.name,
    synthetic: j.synthetic,
    from,
    to,
    previousMonth,
    yearAgoMonth,
    headline,
    map,
    hotspots,
    supply,
    plan,
    planNote,
    meeting,
    meetingNote,
  };
}

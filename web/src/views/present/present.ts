// Presentation mode's pure parts: the URL (?view=present&month=&meeting=&slide=), which meeting a
// month means, the slides (one finding each) from the meeting's agenda, its action items, the
// naloxone plan and — without a meeting — the month's alert episodes, and the keys that move
// between them. No DOM: tests/unit/web-present.test.ts.
import type { Meeting, MeetingSummary } from '../meetings/meetings-api.ts';
import type { Plan } from '../planner/planner-api.ts';

export interface PresentState {
  /** YYYY-MM. */
  month: string | null;
  meeting: number | null;
  /** 1-based. */
  slide: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const ID = /^\d{1,9}$/;

export function readPresent(search: string): PresentState {
  const q = new URLSearchParams(search);
  const month = q.get('month');
  const meeting = q.get('meeting');
  const slide = q.get('slide');
  return {
    month: month !== null && MONTH.test(month) ? month : null,
    meeting: meeting !== null && ID.test(meeting) && Number(meeting) > 0 ? Number(meeting) : null,
    slide: slide !== null && ID.test(slide) && Number(slide) >= 1 ? Number(slide) : 1,
  };
}

export function writePresent(s: PresentState, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  q.set('view', 'present');
  const set = (k: string, v: string | null) => (v === null ? q.delete(k) : q.set(k, v));
  set('month', s.month);
  set('meeting', s.meeting === null ? null : String(s.meeting));
  set('slide', s.slide > 1 ? String(s.slide) : null);
  return `?${q.toString()}`;
}

/** The meeting to present for a month: the latest held in it; no month: the newest meeting. */
export function meetingForMonth(meetings: readonly Pick<MeetingSummary, 'id' | 'date'>[], month: string | null): number | null {
  const inMonth = month === null ? [...meetings] : meetings.filter((m) => m.date.startsWith(month));
  inMonth.sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
  return inMonth[0]?.id ?? null;
}

export interface Slide {
  kind: 'title' | 'actions' | 'signal' | 'supply' | 'plan' | 'clusters' | 'empty';
  /** Small line above the finding. */
  eyebrow: string;
  /** The finding, in one sentence. */
  headline: string;
  /** Up to a handful of supporting lines. */
  lines: string[];
  /** Where it comes from (the API route, the meeting). */
  source: string;
}

/** An alert episode, from a meeting's agenda or from /alerts. */
export interface SignalFinding {
  indicatorLabel: string;
  areaName: string;
  method: string;
  cadence: string;
  status: 'open' | 'closed';
  openedOn: string;
  lastSignalOn: string;
  closedOn: string | null;
  redPeriods: number;
  yellowPeriods: number;
  peakObserved: number | null;
  peakExpected: number | null;
  note: string | null;
}

export interface SlideInput {
  month: string | null;
  jurisdictionName: string;
  synthetic: boolean;
  meeting: Meeting | null;
  /** Without a meeting: the month's alert episodes. */
  signals: SignalFinding[];
  plan: Plan | null;
  /** At most this many signal slides (the strongest). */
  maxSignals?: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;
const METHOD: Record<string, string> = { essence: 'ESSENCE', ears_c1: 'EARS C1', ears_c2: 'EARS C2', ears_c3: 'EARS C3', negbin: 'negative-binomial', farrington: 'Farrington flexible', threshold: 'threshold' };

export function signalSlide(s: SignalFinding): Slide {
  const unit = s.cadence === 'week' ? 'week' : 'day';
  const lines = [
    `${METHOD[s.method] ?? s.method} alert opened ${s.openedOn}; ${s.status === 'open' ? `still open (last signal ${s.lastSignalOn})` : `closed ${s.closedOn}`}.`,
    `${plural(s.redPeriods, `red ${unit}`)}, ${plural(s.yellowPeriods, `yellow ${unit}`)}.`,
  ];
  lines.push(
    s.peakObserved !== null && s.peakExpected !== null
      ? `At its peak: ${fmt(s.peakObserved)} observed against ${s.peakExpected.toFixed(1)} expected.`
      : 'Peak counts hidden for your role (small-cell rule).',
  );
  if (s.note) lines.push(`Analyst’s note: ${s.note}`);
  return { kind: 'signal', eyebrow: 'Signal', headline: `${s.indicatorLabel} ${s.status === 'open' ? 'rising' : 'rose'} in ${s.areaName}`, lines, source: 'Alert episodes (/api/v1/alerts)' };
}

export function planSlide(p: Plan): Slide {
  const top = [...p.units].sort((a, b) => b.kits - a.kits).slice(0, 4);
  return {
    kind: 'plan',
    eyebrow: `Naloxone plan ${p.id}`,
    headline: `${fmt(p.kits)} kits for ${p.month} across ${plural(p.units.length, p.unitLabel)}`,
    lines: [...top.map((u) => `${u.name}: ${fmt(u.kits)} kits (${(u.needShare * 100).toFixed(1)}% of forecast need)`), `By forecast need (${p.sources.map((s) => `${s.label} × ${s.weight}`).join(' + ')}); minimum ${fmt(p.inputs.minimum)} each.`],
    source: `Plan ${p.id}, made ${p.createdAt.slice(0, 10)} (/api/v1/plans/${p.id})`,
  };
}

export function buildSlides(inp: SlideInput): Slide[] {
  const m = inp.meeting;
  const slides: Slide[] = [];
  const when = m ? `meeting of ${m.date}` : (inp.month ?? 'this month');
  slides.push({
    kind: 'title',
    eyebrow: inp.jurisdictionName,
    headline: `Overdose working group — ${m ? m.date : (inp.month ?? '')}`.replace(/ — $/, ''),
    lines: [
      ...(m ? [`Agenda period ${m.agenda.periodFrom} to ${m.agenda.periodTo}.`, m.agencies.length ? `Present: ${m.agencies.join(', ')}.` : 'No agencies recorded yet.'] : ['No meeting recorded for this month: the month’s alerts and plan.']),
      ...(inp.synthetic ? ['Synthetic data: generated for testing, not real records.'] : []),
    ],
    source: m ? `Meeting ${m.id}` : 'ODStat',
  });

  if (m) {
    const open = m.carriedOver.filter((a) => a.status === 'open');
    if (open.length) {
      const overdue = open.filter((a) => a.overdue).length;
      slides.push({
        kind: 'actions',
        eyebrow: 'From earlier meetings',
        headline: `${plural(open.length, 'action item')} still open${overdue ? `, ${fmt(overdue)} overdue` : ''}`,
        lines: open.slice(0, 6).map((a) => `${a.ownerAgency}: ${a.description}${a.dueDate ? ` (due ${a.dueDate}${a.overdue ? ', overdue' : ''})` : ''}`).concat(open.length > 6 ? [`… and ${open.length - 6} more`] : []),
        source: `Carried over into the ${when}`,
      });
    }
  }

  const signals: SignalFinding[] = m ? m.agenda.signals : inp.signals;
  const ranked = [...signals].sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1) || b.redPeriods - a.redPeriods || b.yellowPeriods - a.yellowPeriods || b.lastSignalOn.localeCompare(a.lastSignalOn));
  const max = inp.maxSignals ?? 8;
  for (const s of ranked.slice(0, max)) slides.push(signalSlide(s));
  if (ranked.length > max) {
    slides.push({ kind: 'signal', eyebrow: 'Signals', headline: `${plural(ranked.length - max, 'more alert episode')} in the period`, lines: ['Listed on the meeting’s agenda and in Hotspots.'], source: 'Alert episodes' });
  }

  if (m) {
    for (const s of m.agenda.supply) {
      slides.push({
        kind: 'supply',
        eyebrow: 'Drug supply',
        headline: `${s.substance} found by drug checking for the first time`,
        lines: [`First seen ${s.firstSeen}${s.areaName ? ` in ${s.areaName}` : ''}.`, `${s.samplesText} sample${s.samplesInPeriod === 1 ? '' : 's'} in the period.`],
        source: 'Drug checking, first sightings in the jurisdiction',
      });
    }
  }

  if (inp.plan) slides.push(planSlide(inp.plan));

  if (m) {
    slides.push({ kind: 'clusters', eyebrow: 'Space–time clusters', headline: 'Cluster scans are not on the agenda yet', lines: [m.agenda.clusters], source: 'Meeting agenda' });
    const own = m.actions;
    slides.push({
      kind: 'actions',
      eyebrow: 'This meeting',
      headline: own.length ? `${plural(own.length, 'action item')} raised` : 'Action items: to be agreed',
      lines: own.slice(0, 8).map((a) => `${a.ownerAgency}: ${a.description}${a.dueDate ? ` (due ${a.dueDate})` : ''} — ${a.status}`),
      source: `Meeting ${m.id}`,
    });
  }

  if (slides.length === 1) {
    slides.push({ kind: 'empty', eyebrow: 'Findings', headline: 'Nothing to present for this period', lines: ['No alert episode, first-seen substance or naloxone plan.'], source: 'ODStat' });
  }
  return slides;
}

/** The slide a key leads to (1-based), 'exit' for Escape, or null when the key is not ours. */
export function slideForKey(key: string, current: number, count: number): number | 'exit' | null {
  const clamp = (n: number) => Math.max(1, Math.min(count, n));
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
    case ' ':
    case 'Enter':
      return clamp(current + 1);
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
    case 'Backspace':
      return clamp(current - 1);
    case 'Home':
      return 1;
    case 'End':
      return Math.max(1, count);
    case 'Escape':
      return 'exit';
    default:
      return null;
  }
}

/** What the live region says on each slide. */
export function announce(s: Slide, i: number, n: number): string {
  return `Slide ${i} of ${n}. ${s.eyebrow}: ${s.headline}.`;
}

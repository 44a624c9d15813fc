// Data access for presentation mode: the meeting (by id, or the one held in the month), its plan,
// and — with no meeting that month — the month's alert episodes and plan. Read-only; every route
// applies the viewer's role, as it does everywhere else.
import { untrack } from 'svelte';
import { api, errorMessage, isAbort } from '../../api.ts';
import type { Catalog } from '../../shell/catalog.svelte.ts';
import type { Session } from '../../shell/session.svelte.ts';
import { isMember, MEMBERS_ONLY_NOTE } from '../planner/planner.ts';
import { meetingsApi, type Meeting } from '../meetings/meetings-api.ts';
import { plannerApi, type Plan } from '../planner/planner-api.ts';
import { buildSlides, meetingForMonth, readPresent, writePresent, type PresentState, type SignalFinding, type Slide } from './present.ts';

const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

export class PresentModel {
  view: PresentState = $state(readPresent(location.search));
  meeting: Meeting | null = $state.raw(null);
  plan: Plan | null = $state.raw(null);
  signals: SignalFinding[] = $state.raw([]);
  /** The month shown (from the URL, the meeting, or the data). */
  month: string | null = $state(null);
  loading = $state(true);
  error: string | null = $state(null);

  readonly catalog: Catalog;
  readonly session: Session;
  readonly slides: Slide[] = $derived.by(() =>
    buildSlides({
      month: this.month,
      jurisdictionName: this.catalog.jurisdiction?.name ?? '',
      synthetic: this.catalog.jurisdiction?.synthetic ?? false,
      meeting: this.meeting,
      signals: this.signals,
      plan: this.plan,
    }),
  );
  readonly index: number = $derived(Math.min(this.view.slide, this.slides.length));

  constructor(catalog: Catalog, session: Session) {
    this.catalog = catalog;
    this.session = session;

    $effect(() => {
      const j = this.catalog.jurisdiction;
      const { month, meeting } = this.view;
      if (!j) return;
      if (!isMember(this.session.me?.role)) {
        this.loading = false;
        this.error = MEMBERS_ONLY_NOTE;
        return;
      }
      const ctrl = new AbortController();
      untrack(() => void this.load(j.id, j.dataRange?.to.slice(0, 7) ?? null, month, meeting, ctrl.signal));
      return () => ctrl.abort();
    });

    $effect(() => {
      const search = writePresent(this.view, untrack(() => location.search));
      if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}`);
    });
  }

  private async load(jurisdiction: string, dataMonth: string | null, month: string | null, meetingId: number | null, signal: AbortSignal): Promise<void> {
    this.loading = true;
    try {
      let id = meetingId;
      if (id === null) {
        const list = await meetingsApi.list({ jurisdiction, limit: 100 }, signal);
        id = meetingForMonth(list.meetings, month);
      }
      const meeting = id === null ? null : await meetingsApi.get(id, signal);
      const shownMonth = month ?? meeting?.date.slice(0, 7) ?? dataMonth;
      let planId = meeting?.agenda.plan?.planId ?? null;
      if (planId === null && shownMonth) planId = (await plannerApi.list({ jurisdiction, month: shownMonth, limit: 1 }, signal)).plans[0]?.id ?? null;
      const plan = planId === null ? null : await plannerApi.get(planId, signal);
      let signals: SignalFinding[] = [];
      if (!meeting && shownMonth) {
        const res = await api.alerts({ jurisdiction, from: `${shownMonth}-01`, to: lastDay(shownMonth), refresh: false, limit: 200 }, signal);
        signals = res.alerts.map((a) => ({
          indicatorLabel: this.catalog.indicator(a.indicator)?.label ?? a.indicator,
          areaName: a.area === 'total' ? 'the whole jurisdiction' : a.areaName,
          method: a.method,
          cadence: a.cadence,
          status: a.status,
          openedOn: a.openedOn,
          lastSignalOn: a.lastSignalOn,
          closedOn: a.closedOn,
          redPeriods: a.redPeriods,
          yellowPeriods: a.yellowPeriods,
          peakObserved: a.peak.observed,
          peakExpected: a.peak.expected,
          note: a.note,
        }));
      }
      if (signal.aborted) return;
      this.meeting = meeting;
      this.plan = plan;
      this.signals = signals;
      this.month = shownMonth;
      this.error = null;
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.error = errorMessage(err);
    } finally {
      if (!signal.aborted) this.loading = false;
    }
  }

  go(n: number) {
    this.view.slide = Math.max(1, Math.min(this.slides.length, n));
  }
}

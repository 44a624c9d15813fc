// Data access for the meetings view: the list (newest first), the meeting on screen with its
// agenda and action items, and every change (each a PATCH/POST with the CSRF token, after which
// the meeting is read again so carried-over items and the agenda stay as the server says).
import { errorMessage, isAbort } from '../../api.ts';
import type { Catalog } from '../../shell/catalog.svelte.ts';
import type { Session } from '../../shell/session.svelte.ts';
import { listAndDetail } from '../../shell/list-and-detail.svelte.ts';
import { meetingsApi, type ActionCreate, type ActionUpdate, type Meeting, type MeetingCreate, type MeetingSummary, type MeetingUpdate } from './meetings-api.ts';
import { canEditMeetings, readMeetings, writeMeetings, type MeetingsState } from './meetings.ts';

export class MeetingsModel {
  view: MeetingsState = $state(readMeetings(location.search));
  meetings: MeetingSummary[] = $state.raw([]);
  meeting: Meeting | null = $state.raw(null);
  listLoading = $state(true);
  loading = $state(false);
  busy = $state(false);
  listError: string | null = $state(null);
  error: string | null = $state(null);
  saveError: string | null = $state(null);
  /** What the last change did, for the live region. */
  saved: string = $state('');

  readonly catalog: Catalog;
  readonly session: Session;

  constructor(catalog: Catalog, session: Session) {
    this.catalog = catalog;
    this.session = session;

    listAndDetail({
      jurisdiction: () => this.catalog.jurisdiction?.id ?? null,
      allowed: () => canEditMeetings(this.session.me?.role),
      notAllowed: () => (this.listLoading = false),
      loadList: (j, signal) => this.loadList(j, signal),
      selected: () => this.view.meeting,
      loadOne: (id, signal) => this.load(id, signal),
      search: (current) => writeMeetings(this.view, current),
    });
  }

  private async loadList(jurisdiction: string, signal?: AbortSignal): Promise<void> {
    this.listLoading = true;
    try {
      const res = await meetingsApi.list({ jurisdiction, limit: 50 }, signal);
      if (signal?.aborted) return;
      this.meetings = res.meetings;
      this.listError = null;
      if (this.view.meeting === null && res.meetings[0]) this.view.meeting = res.meetings[0].id;
    } catch (err) {
      if (isAbort(err) || signal?.aborted) return;
      this.listError = errorMessage(err);
    } finally {
      if (!signal?.aborted) this.listLoading = false;
    }
  }

  private async load(id: number, signal?: AbortSignal): Promise<void> {
    // Just made here (the POST answers with the whole meeting): nothing to fetch.
    if (signal && this.meeting?.id === id) return;
    this.loading = true;
    try {
      const m = await meetingsApi.get(id, signal);
      if (signal?.aborted) return;
      this.meeting = m;
      this.error = null;
    } catch (err) {
      if (isAbort(err) || signal?.aborted) return;
      this.error = errorMessage(err);
    } finally {
      if (!signal?.aborted) this.loading = false;
    }
  }

  private async change(what: string, f: (csrf: string) => Promise<unknown>, reloadList = false): Promise<boolean> {
    const csrf = this.session.me?.csrfToken;
    if (!csrf) {
      this.saveError = 'Sign in again to change the meeting.';
      return false;
    }
    this.busy = true;
    this.saveError = null;
    try {
      await f(csrf);
      if (this.view.meeting !== null) await this.load(this.view.meeting);
      if (reloadList && this.catalog.jurisdiction) await this.loadList(this.catalog.jurisdiction.id);
      this.saved = `${what} saved.`;
      return true;
    } catch (err) {
      this.saveError = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async create(body: MeetingCreate): Promise<boolean> {
    const csrf = this.session.me?.csrfToken;
    if (!csrf) return false;
    this.busy = true;
    this.saveError = null;
    try {
      const m = await meetingsApi.create({ ...body, jurisdiction: this.catalog.jurisdiction?.id }, csrf);
      this.meeting = m;
      this.view.meeting = m.id;
      if (this.catalog.jurisdiction) await this.loadList(this.catalog.jurisdiction.id);
      this.saved = `Meeting of ${m.date} recorded.`;
      return true;
    } catch (err) {
      this.saveError = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  update(body: MeetingUpdate, what = 'Meeting'): Promise<boolean> {
    const id = this.view.meeting;
    if (id === null) return Promise.resolve(false);
    return this.change(what, (csrf) => meetingsApi.update(id, body, csrf), body.date !== undefined || body.agencies !== undefined || body.title !== undefined);
  }

  addAction(body: ActionCreate): Promise<boolean> {
    const id = this.view.meeting;
    if (id === null) return Promise.resolve(false);
    return this.change('Action item', (csrf) => meetingsApi.addAction(id, body, csrf), true);
  }

  updateAction(actionId: number, body: ActionUpdate): Promise<boolean> {
    const id = this.view.meeting;
    if (id === null) return Promise.resolve(false);
    return this.change('Action item', (csrf) => meetingsApi.updateAction(id, actionId, body, csrf), true);
  }
}

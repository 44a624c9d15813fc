// Data access for the monthly brief: one request for the month's frozen snapshot (the server makes it
// on the first request and returns it unchanged afterwards), an earlier version on demand, and the
// refresh analysts and administrators may ask for. The month lives in the URL (?view=brief&month=…).
import { untrack } from 'svelte';
import { errorMessage, getJson, isAbort, withQuery } from '../../api.ts';
import type { Catalog } from '../../shell/catalog.svelte.ts';
import { defaultMonth, monthParam, type BriefResponse } from './brief.ts';

export class BriefModel {
  month: string | null = $state(monthParam(location.search));
  version: number | null = $state(null);
  brief: BriefResponse | null = $state.raw(null);
  loading = $state(false);
  refreshing = $state(false);
  error: string | null = $state(null);
  private ctrl: AbortController | null = null;

  constructor(private readonly catalog: Catalog) {
    $effect(() => {
      const j = this.catalog.jurisdiction;
      if (!j) return;
      if (this.month === null) untrack(() => (this.month = defaultMonth(j.dataRange?.to)));
      const month = this.month;
      const version = this.version;
      if (!month) return;
      untrack(() => void this.load(j.id, month, version));
      return () => this.ctrl?.abort();
    });
  }

  /** Another month: written to the URL (replacing the entry, as a view's own changes do). */
  setMonth(month: string): void {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || month === this.month) return;
    const q = new URLSearchParams(location.search);
    q.set('month', month);
    history.replaceState(null, '', `${location.pathname}?${q}`);
    this.version = null;
    this.month = month;
  }

  private async load(jurisdiction: string, month: string, version: number | null): Promise<void> {
    this.ctrl?.abort();
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    this.loading = true;
    try {
      this.brief = await getJson<BriefResponse>(withQuery(`/api/v1/briefs/${month}`, { jurisdiction, version: version ?? undefined }), ctrl.signal);
      this.error = null;
    } catch (err) {
      if (isAbort(err) || ctrl.signal.aborted) return;
      this.brief = null;
      this.error = errorMessage(err);
    } finally {
      if (!ctrl.signal.aborted) this.loading = false;
    }
  }

  async refresh(csrf: string): Promise<void> {
    const j = this.catalog.jurisdiction;
    if (!j || !this.month) return;
    this.refreshing = true;
    try {
      this.brief = await getJson<BriefResponse>(`/api/v1/briefs/${this.month}/refresh`, undefined, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ jurisdiction: j.id }),
      });
      this.version = null;
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.refreshing = false;
    }
  }
}

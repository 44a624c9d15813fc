// Data access for the data-status view: one request, refreshed on demand.
import { untrack } from 'svelte';
import { api, errorMessage, isAbort, type StatusAreasResponse, type StatusResponse } from '../../api.ts';

export class StatusState {
  status: StatusResponse | null = $state.raw(null);
  areas: StatusAreasResponse | null = $state.raw(null);
  loading = $state(true);
  error: string | null = $state(null);
  /** When the answer on screen was fetched (freshness is judged against it). */
  fetchedAt: Date = $state.raw(new Date());
  private ctrl: AbortController | null = null;

  constructor(private readonly jurisdiction: () => string | null) {
    $effect(() => {
      if (!this.jurisdiction()) return;
      untrack(() => void this.load());
      return () => this.ctrl?.abort();
    });
  }

  async load(): Promise<void> {
    this.ctrl?.abort();
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    this.loading = true;
    try {
      const j = this.jurisdiction();
      const [s, areas] = await Promise.all([
        api.status(ctrl.signal),
        // Older servers have no /status/areas: the view falls back to the last load's figures.
        api.statusAreas(j ? { jurisdiction: j } : {}, ctrl.signal).catch((err: unknown) => {
          if (isAbort(err)) throw err;
          return null;
        }),
      ]);
      this.status = s;
      this.areas = areas;
      this.fetchedAt = new Date();
      this.error = null;
    } catch (err) {
      if (isAbort(err) || ctrl.signal.aborted) return;
      this.error = errorMessage(err);
    } finally {
      if (!ctrl.signal.aborted) this.loading = false;
    }
  }
}

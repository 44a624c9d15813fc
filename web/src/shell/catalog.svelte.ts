// What every view needs first: the jurisdiction shown (the URL's `j`, else the first with data),
// its areas and the indicator list. Loaded once for the page, shared by the views, so moving
// between views costs no repeat requests and the header (with its synthetic-data banner) is the
// same on every screen.
import { api, errorMessage } from '../api.ts';
import type { AreaCollection, Indicator, Jurisdiction } from '../api.ts';

const JURISDICTION = /^[a-z0-9_-]{1,40}$/;

export class Catalog {
  jurisdiction: Jurisdiction | null = $state.raw(null);
  jurisdictions: Jurisdiction[] = $state.raw([]);
  areas: AreaCollection | null = $state.raw(null);
  indicators: Indicator[] = $state.raw([]);
  loading = $state(true);
  error: string | null = $state(null);

  readonly available = $derived(this.indicators.filter((i) => i.available));
  /** Area id → name, for every view's labels. */
  readonly areaNames = $derived(new Map((this.areas?.features ?? []).map((f) => [f.properties.id, f.properties.name])));

  private started: Promise<void> | null = null;
  private early: Promise<[Awaited<ReturnType<typeof api.jurisdictions>>, Awaited<ReturnType<typeof api.indicators>>]> | null = null;

  /**
   * Asks for the jurisdictions and indicators at once, before the session is known: index.html
   * preloads both, and this takes those answers whatever they are. Called at start on every
   * page load, so a preloaded 401 (signed out) is used up here and never handed to load() after
   * signing in.
   */
  prefetch(): void {
    this.early ??= Promise.all([api.jurisdictions(), api.indicators()]);
    this.early.catch(() => {});
  }

  load(): Promise<void> {
    this.started ??= this.fetch();
    return this.started;
  }

  private async fetch(): Promise<void> {
    this.loading = true;
    try {
      const wanted = new URLSearchParams(location.search).get('j');
      const early = this.early;
      this.early = null;
      // The early answers when they were not refused (a 401 before signing in is asked again).
      const [{ jurisdictions }, { indicators }] =
        (early && (await early.catch(() => null))) ?? (await Promise.all([api.jurisdictions(), api.indicators()]));
      // The one in the URL, else the first with data loaded (a configured jurisdiction without
      // data would open on an empty map), else the first.
      const j =
        jurisdictions.find((x) => wanted !== null && JURISDICTION.test(wanted) && x.id === wanted) ??
        jurisdictions.find((x) => x.dataRange !== null) ??
        jurisdictions[0] ??
        null;
      if (!j) throw new Error('The server has no jurisdiction configured.');
      this.jurisdictions = jurisdictions;
      this.indicators = indicators;
      this.jurisdiction = j;
      this.areas = await api.areas(j.id);
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = false;
    }
  }

  indicator(id: string | null): Indicator | null {
    return this.indicators.find((i) => i.id === id) ?? null;
  }
}

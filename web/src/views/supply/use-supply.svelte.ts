// Data access for the drug-supply view: the citywide monthly series of samples tested and of the
// three served substances (/series, from the suppressed cube for roles with a threshold), and
// /drug-supply for the other substances, fentanyl concentration and first-seen substances.
import { untrack } from 'svelte';
import { api, errorMessage, isAbort, type DrugSupplyResponse, type SeriesResponse } from '../../api.ts';
import type { Catalog } from '../../shell/catalog.svelte.ts';
import { readSupply, writeSupply, type SupplyState } from './url-state.ts';

export const SERVED = [
  { id: 'drugcheck.fentanyl_positive', label: 'Fentanyl' },
  { id: 'drugcheck.xylazine_positive', label: 'Xylazine' },
  { id: 'drugcheck.medetomidine_positive', label: 'Medetomidine' },
] as const;
export const TESTED = 'drugcheck.samples_tested';

export function supplyFrom(dataEnd: string, years: number): string {
  const d = new Date(`${dataEnd.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 12 * years + 1);
  return d.toISOString().slice(0, 10);
}

export class SupplyModel {
  view: SupplyState = $state(readSupply(location.search));
  series: Record<string, SeriesResponse> = $state.raw({});
  extra: DrugSupplyResponse | null = $state.raw(null);
  loading = $state(false);
  error: string | null = $state(null);
  extraError: string | null = $state(null);
  readonly catalog: Catalog;

  get available(): boolean {
    return this.catalog.available.some((i) => i.id === TESTED);
  }

  constructor(catalog: Catalog) {
    this.catalog = catalog;
    $effect(() => {
      const j = this.catalog.jurisdiction?.id;
      const end = this.catalog.jurisdiction?.dataRange?.to;
      const years = this.view.years;
      if (!j || !end || !this.available) return;
      const ctrl = new AbortController();
      untrack(() => void this.load(j, supplyFrom(end, years), ctrl.signal));
      return () => ctrl.abort();
    });
    $effect(() => {
      const search = writeSupply(this.view, untrack(() => location.search));
      if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}`);
    });
  }

  private async load(jurisdiction: string, from: string, signal: AbortSignal) {
    this.loading = true;
    const ids = [TESTED, ...SERVED.map((s) => s.id)].filter((id) => this.catalog.available.some((i) => i.id === id));
    const extra = api.drugSupply({ jurisdiction, from }, signal).then(
      (r) => {
        if (!signal.aborted) {
          this.extra = r;
          this.extraError = null;
        }
      },
      (err: unknown) => {
        if (!isAbort(err) && !signal.aborted) this.extraError = errorMessage(err);
      },
    );
    try {
      const answers = await Promise.all(
        ids.map((indicator) => api.series({ jurisdiction, indicator, interval: 'month', from, areas: 'total', geography: 'event' }, signal)),
      );
      if (signal.aborted) return;
      this.series = Object.fromEntries(answers.map((a) => [a.indicator, a]));
      this.error = null;
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.error = errorMessage(err);
    } finally {
      await extra;
      if (!signal.aborted) this.loading = false;
    }
  }
}

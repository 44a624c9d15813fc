// Data access for the neighborhood profile: one series per indicator for the area and the city
// (only the area asked for: the map's all-area series is not needed here), the age-adjusted
// death rate of every area for the rank, and the harm-reduction ratios. Each answer lands on its
// own, so the profile fills in as the server answers; a failed one says so in its panel.
import { untrack } from 'svelte';
import { api, errorMessage, geographyOf, isAbort, type PerformanceResponse, type RatesResponse, type SeriesResponse } from '../../api.ts';
import type { Catalog } from '../../shell/catalog.svelte.ts';
import { lastCompleteYear, profileFrom, SAMPLES_TESTED, SECTIONS } from './profile.ts';
import { readProfile, writeProfile, type ProfileState } from './url-state.ts';

type Slot<T> = { data: T | null; error: string | null; loading: boolean };

export class ProfileModel {
  view: ProfileState = $state(readProfile(location.search));
  series: Record<string, Slot<SeriesResponse>> = $state({});
  rates: Slot<RatesResponse> = $state({ data: null, error: null, loading: false });
  performance: Slot<PerformanceResponse> = $state({ data: null, error: null, loading: false });
  readonly catalog: Catalog;

  get dataEnd(): string | null {
    return this.catalog.jurisdiction?.dataRange?.to ?? null;
  }
  readonly area = $derived.by(() => {
    const f = this.catalog.areas?.features.find((x) => x.properties.id === this.view.area);
    return f ? f.properties : null;
  });
  /** The indicators of the profile that have data, and drug checking's denominator. */
  readonly wanted = $derived.by(() => {
    const ids = new Set(this.catalog.available.map((i) => i.id));
    const list = SECTIONS.flatMap((s) => s.indicators).filter((id) => ids.has(id));
    if (ids.has(SAMPLES_TESTED)) list.push(SAMPLES_TESTED);
    return list;
  });

  constructor(catalog: Catalog) {
    this.catalog = catalog;

    $effect(() => {
      const j = this.catalog.jurisdiction?.id;
      const area = this.area?.id;
      const end = this.dataEnd;
      const { interval, years } = this.view;
      const wanted = this.wanted;
      if (!j || !area || !end) return;
      const ctrl = new AbortController();
      untrack(() => {
        const from = profileFrom(end, years);
        for (const indicator of wanted) void this.loadSeries(indicator, { jurisdiction: j, area, interval, from }, ctrl.signal);
        void this.loadPerformance({ jurisdiction: j, area, interval, from }, ctrl.signal);
      });
      return () => ctrl.abort();
    });

    $effect(() => {
      const j = this.catalog.jurisdiction?.id;
      const end = this.dataEnd;
      if (!j || !end || !this.catalog.available.some((i) => i.id === 'deaths.any_drug')) return;
      const ctrl = new AbortController();
      untrack(() => void this.loadRates(j, lastCompleteYear(end), ctrl.signal));
      return () => ctrl.abort();
    });

    $effect(() => {
      const search = writeProfile(this.view, untrack(() => location.search));
      if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}`);
    });
  }

  private async loadSeries(indicator: string, q: { jurisdiction: string; area: string; interval: ProfileState['interval']; from: string }, signal: AbortSignal) {
    const prev = this.series[indicator];
    this.series[indicator] = { data: prev?.data ?? null, error: null, loading: true };
    try {
      const data = await api.series(
        { jurisdiction: q.jurisdiction, indicator, interval: q.interval, from: q.from, areas: q.area, total: true, geography: geographyOf(this.catalog.indicator(indicator)) },
        signal,
      );
      if (!signal.aborted) this.series[indicator] = { data, error: null, loading: false };
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.series[indicator] = { data: null, error: errorMessage(err), loading: false };
    }
  }

  private async loadRates(jurisdiction: string, year: number, signal: AbortSignal) {
    this.rates = { ...this.rates, loading: true };
    try {
      const data = await api.rates(
        { jurisdiction, indicator: 'deaths.any_drug', interval: 'year', adjust: 'age', from: `${year}-01-01`, to: `${year}-12-31` },
        signal,
      );
      if (!signal.aborted) this.rates = { data, error: null, loading: false };
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.rates = { data: null, error: errorMessage(err), loading: false };
    }
  }

  private async loadPerformance(q: { jurisdiction: string; area: string; interval: ProfileState['interval']; from: string }, signal: AbortSignal) {
    this.performance = { ...this.performance, loading: true };
    try {
      const data = await api.performance({ jurisdiction: q.jurisdiction, interval: q.interval, from: q.from, areas: q.area }, signal);
      if (!signal.aborted) this.performance = { data, error: null, loading: false };
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.performance = { data: null, error: errorMessage(err), loading: false };
    }
  }
}

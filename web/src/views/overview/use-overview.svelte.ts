// Data access for the overview: what to fetch, when, and which view state it answers.
// One series request (every area plus the total) per indicator and interval feeds both the
// map (one period) and the trend (all periods); measure, period and area change nothing on the
// wire. The last answer stays on screen until the next one arrives.
import { untrack } from 'svelte';
import { api, errorMessage, geographyOf, isAbort } from '../../api.ts';
import type { AreaCollection, Indicator, Jurisdiction, SeriesResponse } from '../../api.ts';
import {
  allAreaValues,
  colourClasses,
  periodValues,
  resolvePeriodIndex,
  rewindForD3,
  shownCountFloor,
  type MapInterval,
  type Measure,
} from './scales.ts';
import { readViewState, writeViewState, type ViewState } from './url-state.ts';
import type { Catalog } from '../../shell/catalog.svelte.ts';

export class OverviewState {
  view: ViewState = $state(readViewState(location.search));

  /** The series on screen; replaced only when a newer request succeeds. */
  series: SeriesResponse | null = $state.raw(null);

  loadingSeries = $state(false);
  seriesError: string | null = $state(null);

  readonly catalog: Catalog;
  // Getters over the shared catalog's state: as reactive as fields, and no copy to keep in step.
  get jurisdiction(): Jurisdiction | null {
    return this.catalog.jurisdiction;
  }
  get areas(): AreaCollection | null {
    return this.catalog.areas;
  }
  get indicators(): Indicator[] {
    return this.catalog.indicators;
  }
  get loadingCatalog(): boolean {
    return this.catalog.loading;
  }
  get error(): string | null {
    return this.catalog.error ?? this.seriesError;
  }

  readonly availableIndicators = $derived(this.indicators.filter((i) => i.available));

  /** The indicator asked for: the URL's if it has data, else the first that has. */
  readonly indicatorId = $derived.by(() => {
    const wanted = this.view.indicator;
    const list = this.availableIndicators;
    return list.find((i) => i.id === wanted)?.id ?? list[0]?.id ?? null;
  });
  readonly indicator = $derived(this.indicators.find((i) => i.id === this.indicatorId) ?? null);
  /** The indicator of the series on screen (differs from `indicator` while a new one loads). */
  readonly shownIndicator = $derived(this.indicators.find((i) => i.id === this.series?.indicator) ?? this.indicator);
  readonly shownInterval = $derived(this.series?.interval ?? this.view.interval);

  readonly features = $derived(this.areas ? rewindForD3(this.areas) : null);
  readonly periods = $derived(this.series?.periods ?? []);
  readonly periodIndex = $derived(resolvePeriodIndex(this.periods, this.view.period));
  readonly period = $derived(this.periods[this.periodIndex] ?? null);

  readonly mapValues = $derived(
    this.series && this.periodIndex >= 0 ? periodValues(this.series, this.periodIndex, this.view.measure) : new Map(),
  );
  /** Fixed over every period shown, so moving the slider shows change, not a rescaled map. */
  readonly classes = $derived(
    colourClasses(
      this.series ? allAreaValues(this.series, this.view.measure) : [],
      this.view.measure,
      5,
      this.series && this.view.measure === 'count' ? shownCountFloor(this.series) : 0,
    ),
  );

  readonly selectedArea = $derived.by(() => {
    const id = this.view.area;
    const f = id ? this.areas?.features.find((a) => a.properties.id === id) : undefined;
    return f ? { id: f.properties.id, name: f.properties.name } : null;
  });
  readonly totalSeries = $derived(this.series?.series.find((s) => s.area === 'total') ?? null);
  readonly areaSeries = $derived(
    this.selectedArea ? (this.series?.series.find((s) => s.area === this.selectedArea!.id) ?? null) : null,
  );

  readonly loading = $derived(this.loadingCatalog || this.loadingSeries);
  readonly state = $derived(this.error ? 'error' : this.loading || !this.series ? 'loading' : 'ready');

  constructor(catalog: Catalog) {
    this.catalog = catalog;
    $effect(() => {
      const jurisdiction = this.jurisdiction?.id;
      const indicator = this.indicatorId;
      const interval = this.view.interval;
      if (!jurisdiction || !indicator) return;
      const ctrl = new AbortController();
      untrack(() => this.loadSeries({ jurisdiction, indicator, interval }, ctrl.signal));
      return () => ctrl.abort();
    });

    $effect(() => {
      // The URL names what is on screen: the resolved indicator and period, not the raw request.
      const search = writeViewState(
        {
          ...this.view,
          indicator: this.indicatorId ?? this.view.indicator,
          period: this.period?.start ?? this.view.period,
          area: this.selectedArea?.id ?? this.view.area,
        },
        untrack(() => location.search),
      );
      if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
    });
  }

  private async loadSeries(q: { jurisdiction: string; indicator: string; interval: MapInterval }, signal: AbortSignal) {
    this.loadingSeries = true;
    try {
      const res = await api.series({ ...q, total: true, geography: geographyOf(this.catalog.indicator(q.indicator)) }, signal);
      if (signal.aborted) return;
      this.series = res;
      this.seriesError = null;
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.seriesError = errorMessage(err);
    } finally {
      if (!signal.aborted) this.loadingSeries = false;
    }
  }

  setIndicator(id: string) {
    this.view.indicator = id;
  }
  setMeasure(m: Measure) {
    this.view.measure = m;
  }
  setInterval(i: MapInterval) {
    this.view.interval = i;
  }
  setPeriodIndex(i: number) {
    const p = this.periods[i];
    if (p) this.view.period = p.start;
  }
  /** Selecting the selected area again clears the selection. */
  toggleArea(id: string) {
    this.view.area = this.view.area === id ? null : id;
  }
  clearArea() {
    this.view.area = null;
  }
}

/** Call during a component's initialisation (the effects belong to it). */
export function useOverview(catalog: Catalog): OverviewState {
  return new OverviewState(catalog);
}

// Data access for the overview: what to fetch, when, and which view state it answers.
// One series request (every area plus the total) per indicator and interval feeds the map (one
// period), the trend and the small multiples (all periods); counts and crude rates need nothing
// more, so period and area change nothing on the wire. The age-adjusted rate is asked of
// /api/v1/rates once per indicator and interval, when first chosen. The last answer stays on
// screen until the next one arrives.
import { untrack } from 'svelte';
import { api, errorMessage, geographyOf, isAbort } from '../../api.ts';
import type { AreaCollection, Indicator, Jurisdiction, RatesResponse, SeriesResponse } from '../../api.ts';
import {
  colourClasses,
  finiteValues,
  measureValues,
  resolvePeriodIndex,
  sliceValues,
  rewindForD3,
  shownCountFloor,
  type AreaValue,
  type MapInterval,
  type Measure,
} from './scales.ts';
import { onlyPeriodDiffers, readViewState, writeViewState, type ViewState } from './url-state.ts';
import type { Catalog } from '../../shell/catalog.svelte.ts';

export class OverviewState {
  view: ViewState = $state(readViewState(location.search));

  /** The series on screen; replaced only when a newer request succeeds. */
  series: SeriesResponse | null = $state.raw(null);

  loadingSeries = $state(false);
  seriesError: string | null = $state(null);

  /** Age-adjusted rates, for the indicator and interval of `key`. */
  adjusted: { key: string; res: RatesResponse } | null = $state.raw(null);
  loadingAdjusted = $state(false);
  /** Why the age-adjusted rate cannot be shown (the API's own words), for `key`. */
  adjustedError: { key: string; message: string } | null = $state.raw(null);

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

  private readonly seriesKey = $derived(this.series ? `${this.series.jurisdiction}|${this.series.indicator}|${this.series.interval}` : null);
  /** The age-adjusted answer that belongs to the series on screen. */
  readonly adjustedRates = $derived(this.adjusted && this.adjusted.key === this.seriesKey ? this.adjusted.res : null);
  readonly adjustedProblem = $derived(this.adjustedError && this.adjustedError.key === this.seriesKey ? this.adjustedError.message : null);
  /**
   * The measure drawn: the one asked for, except while the age-adjusted rates load or when the
   * API refuses them — then the crude rate, labelled as such, with the reason beside it.
   */
  readonly shownMeasure: Measure = $derived(this.view.measure === 'adjusted' && !this.adjustedRates ? 'rate' : this.view.measure);

  /** Every area (and the total) in every period, for the measure drawn. */
  readonly allValues: Map<string, AreaValue[]> = $derived(this.series ? measureValues(this.series, this.shownMeasure, this.adjustedRates) : new Map());
  readonly mapValues: Map<string, AreaValue> = $derived(this.periodIndex >= 0 ? sliceValues(this.allValues, this.periodIndex) : new Map());
  /** Fixed over every period shown, so moving the slider shows change, not a rescaled map. */
  readonly classes = $derived(
    colourClasses(
      finiteValues(this.allValues),
      this.shownMeasure,
      5,
      this.series && this.shownMeasure === 'count' ? shownCountFloor(this.series) : 0,
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

  readonly loading = $derived(this.loadingCatalog || this.loadingSeries || (this.loadingAdjusted && this.view.measure === 'adjusted'));
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
      // After the series (the first map never waits for /rates), and only when asked for.
      const key = this.seriesKey;
      const s = this.series;
      if (this.view.measure !== 'adjusted' || !s || !key) return;
      if (untrack(() => this.adjusted?.key === key || this.adjustedError?.key === key)) return;
      const ctrl = new AbortController();
      untrack(() => this.loadAdjusted(key, s, ctrl.signal));
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
      if (search === location.search) return;
      const write = () => history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
      // A move of the slider alone is written after the next frame is painted: replaceState
      // stores the scroll position, which forces a layout of the page in the middle of the
      // re-render (the slider's 100 ms budget, bench/web.ts). Anything else is written at once.
      if (!onlyPeriodDiffers(search, location.search)) return write();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const frame = requestAnimationFrame(() => {
        timer = setTimeout(write, 0);
      });
      return () => {
        cancelAnimationFrame(frame);
        clearTimeout(timer);
      };
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

  private async loadAdjusted(key: string, s: SeriesResponse, signal: AbortSignal) {
    this.loadingAdjusted = true;
    try {
      const geography = s.geography === 'event' || s.geography === 'residence' ? s.geography : undefined;
      const res = await api.rates({ jurisdiction: s.jurisdiction, indicator: s.indicator, interval: s.interval, adjust: 'age', geography }, signal);
      if (signal.aborted) return;
      this.adjusted = { key, res };
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.adjustedError = { key, message: errorMessage(err) };
    } finally {
      if (!signal.aborted) this.loadingAdjusted = false;
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

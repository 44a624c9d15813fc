// The view lives in the page's query string so a link reproduces it (?j=&indicator=&measure=
// &interval=&period=&area=). Parsing is strict: anything malformed falls back to the default.
import type { MapInterval, Measure } from './scales.ts';

export interface ViewState {
  jurisdiction: string | null;
  indicator: string | null;
  measure: Measure;
  interval: MapInterval;
  /** Any date inside the chosen period, YYYY-MM-DD; null means the latest complete period. */
  period: string | null;
  area: string | null;
}

export const DEFAULT_VIEW: ViewState = {
  jurisdiction: null,
  indicator: null,
  measure: 'rate',
  interval: 'month',
  period: null,
  area: null,
};

const MEASURES: readonly Measure[] = ['count', 'rate', 'adjusted'];
const INTERVALS: readonly MapInterval[] = ['month', 'quarter', 'year'];
// The same shapes the API accepts (server/schemas/v1.ts).
const JURISDICTION = /^[a-z0-9_-]{1,40}$/;
const INDICATOR = /^[a-z_]+\.[a-z_]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AREA = /^[A-Za-z0-9_-]{1,20}$/;

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function match(value: string | null, re: RegExp): string | null {
  return value !== null && re.test(value) ? value : null;
}

export function readViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  return {
    jurisdiction: match(q.get('j'), JURISDICTION),
    indicator: match(q.get('indicator'), INDICATOR),
    measure: pick(q.get('measure'), MEASURES, DEFAULT_VIEW.measure),
    interval: pick(q.get('interval'), INTERVALS, DEFAULT_VIEW.interval),
    period: match(q.get('period'), DATE),
    area: match(q.get('area'), AREA),
  };
}

/** The query string for a view ("?indicator=…"), keeping any parameters this view does not own. */
export function writeViewState(view: ViewState, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  const set = (key: string, value: string | null) => (value === null ? q.delete(key) : q.set(key, value));
  set('j', view.jurisdiction);
  set('indicator', view.indicator);
  set('measure', view.measure);
  set('interval', view.interval);
  set('period', view.period);
  set('area', view.area);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Whether two query strings differ in `period` alone. */
export function onlyPeriodDiffers(a: string, b: string): boolean {
  const x = new URLSearchParams(a);
  const y = new URLSearchParams(b);
  x.delete('period');
  y.delete('period');
  x.sort();
  y.sort();
  return x.toString() === y.toString();
}

// The hotspots view in the URL: ?view=hotspots&indicator=&method=&date=&window=&area=&all=1.
// Strict parsing: anything malformed falls back to the default (tests/unit/web-hotspots.test.ts).
import { METHODS, type Method } from './hotspots.ts';

export interface HotspotsState {
  indicator: string | null;
  method: Method;
  /** Last day of the window, YYYY-MM-DD; null = the latest day with data. */
  date: string | null;
  /** Days in the window (weekly methods: rounded to whole weeks). */
  window: 1 | 7 | 28;
  /** The area whose signal is explained. */
  area: string | null;
  /** List every area, not only those with a signal. */
  all: boolean;
}

export const DEFAULT_HOTSPOTS: HotspotsState = { indicator: null, method: 'essence', date: null, window: 7, area: null, all: false };

const INDICATOR = /^[a-z_]+\.[a-z_]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AREA = /^[A-Za-z0-9_-]{1,20}$/;
const WINDOWS = [1, 7, 28] as const;

export function readHotspots(search: string): HotspotsState {
  const q = new URLSearchParams(search);
  const m = q.get('method');
  const w = Number(q.get('window'));
  const match = (k: string, re: RegExp) => {
    const v = q.get(k);
    return v !== null && re.test(v) ? v : null;
  };
  return {
    indicator: match('indicator', INDICATOR),
    method: METHODS.some((x) => x.id === m) ? (m as Method) : DEFAULT_HOTSPOTS.method,
    date: match('date', DATE),
    window: (WINDOWS as readonly number[]).includes(w) ? (w as HotspotsState['window']) : DEFAULT_HOTSPOTS.window,
    area: match('area', AREA),
    all: q.get('all') === '1',
  };
}

export function writeHotspots(s: HotspotsState, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  q.set('view', 'hotspots');
  const set = (k: string, v: string | null) => (v === null ? q.delete(k) : q.set(k, v));
  set('indicator', s.indicator);
  set('method', s.method);
  set('date', s.date);
  set('window', String(s.window));
  set('area', s.area);
  set('all', s.all ? '1' : null);
  return `?${q.toString()}`;
}

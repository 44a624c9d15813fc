// The page's views and where each lives in the URL. A query-string router: `?view=hotspots&…`
// (no `view` is the overview, so links made before there were other views still work). The
// server answers index.html for any page URL, but a query string needs nothing from it, and no
// router library is needed for five views. Pure: unit-tested in tests/unit/web-shell.test.ts.

export type ViewId = 'overview' | 'hotspots' | 'profile' | 'supply' | 'status' | 'planner' | 'meetings' | 'present' | 'brief';

export interface ViewInfo {
  id: ViewId;
  label: string;
  /** The document title's first part. */
  title: string;
  /** Not listed in the navigation (reached from another view: presentation mode). */
  unlisted?: boolean;
}

export const VIEWS: readonly ViewInfo[] = [
  { id: 'overview', label: 'Overview', title: 'overdose overview' },
  { id: 'hotspots', label: 'Hotspots', title: 'hotspots' },
  { id: 'profile', label: 'Neighborhood profile', title: 'neighborhood profile' },
  { id: 'supply', label: 'Drug supply', title: 'drug supply' },
  { id: 'status', label: 'Data status', title: 'data status' },
  { id: 'planner', label: 'Naloxone planner', title: 'naloxone planner' },
  { id: 'meetings', label: 'Meetings', title: 'meetings' },
  { id: 'present', label: 'Presentation', title: 'presentation', unlisted: true },
  { id: 'brief', label: 'Monthly brief', title: 'monthly brief' },
];

const IDS = new Set<string>(VIEWS.map((v) => v.id));

export function viewOf(search: string): ViewId {
  const v = new URLSearchParams(search).get('view');
  return v !== null && IDS.has(v) ? (v as ViewId) : 'overview';
}

/** Parameters every view shares, carried from one view to the next. */
const SHARED = ['j'] as const;

/**
 * The query string that opens `view`, keeping the shared parameters of `currentSearch` and
 * adding `params` (null values left out). Other views' parameters are dropped: each view's
 * state is its own.
 */
export function viewSearch(view: ViewId, currentSearch: string, params: Record<string, string | null | undefined> = {}): string {
  const from = new URLSearchParams(currentSearch);
  const q = new URLSearchParams();
  if (view !== 'overview') q.set('view', view);
  for (const k of SHARED) {
    const v = from.get(k);
    if (v !== null) q.set(k, v);
  }
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

// Who may see what: the one place that says, per role and feed, whether the feed is visible, the
// smallest area and the shortest period it is served by, and the small-cell threshold that the
// suppression engine (server/privacy/) applies. Routes ask `policyFor(role, feed)`; nothing else
// decides these things. Which endpoints each role may call is also here (`mayUse`).
import type { Feed } from '../sql/indicators/index.ts';
import type { UserRole } from '../sql/postgres/schema.ts';

/** The four account roles, and "public": no account, only when ODSTAT_PUBLIC_VIEW=true. */
export type Role = UserRole | 'public';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'commander', 'partner', 'public'];

export type AreaUnit = 'area' | 'jurisdiction';
export type Interval = 'day' | 'week' | 'month' | 'quarter' | 'year';
const INTERVAL_ORDER: readonly Interval[] = ['day', 'week', 'month', 'quarter', 'year'];

export interface FeedPolicy {
  allowed: boolean;
  /** The smallest geography served: 'area' (neighborhood, ZIP…) or only the whole jurisdiction. */
  minArea: AreaUnit;
  /** The shortest period served. */
  minInterval: Interval;
  /** Counts from 1 to threshold − 1 are hidden (with complementary cells); 0 = nothing hidden. */
  threshold: number;
}

const FEED_SET: Record<Feed, true> = { deaths: true, ems: true, arrests: true, treatment: true, drugcheck: true, naloxone: true };
export const POLICY_FEEDS = Object.keys(FEED_SET) as Feed[];

export type PolicyTable = Record<Role, Record<Feed, FeedPolicy>>;

/** CDC WONDER suppresses counts 1–9 (threshold 10); the default for every role but the analyst. */
export const DEFAULT_THRESHOLD = 10;
/**
 * Treatment admissions are protected by 42 CFR Part 2 (records of a substance-use-disorder
 * program leave it only de-identified, never to be used against the patient): the strictest
 * rule, counts 1–10 hidden (threshold 11) — the cell-size rule CMS applies to Medicaid data and
 * SAMHSA-funded treatment reporting commonly follows.
 */
export const TREATMENT_THRESHOLD = 11;

function defaults(): PolicyTable {
  const all = (p: FeedPolicy) => Object.fromEntries(POLICY_FEEDS.map((f) => [f, { ...p }])) as Record<Feed, FeedPolicy>;
  // The health-department analyst sees every aggregate, unsuppressed, by day and area: the
  // hotspot work (PRODUCT.md) needs it, and analysts are the data's custodians.
  const analyst = all({ allowed: true, minArea: 'area', minInterval: 'day', threshold: 0 });
  // Everyone else: counts 1–9 hidden, by area and month. Month is the shortest period because
  // the suppression engine protects a published cube of months, quarters and years against
  // differencing; a day or week cell would sit outside it. The working group meets monthly and
  // plans naloxone by month, so nothing it needs is lost.
  const suppressed = (): Record<Feed, FeedPolicy> => ({
    ...all({ allowed: true, minArea: 'area', minInterval: 'month', threshold: DEFAULT_THRESHOLD }),
    // Never below area × month for treatment, and the stricter threshold.
    treatment: { allowed: true, minArea: 'area', minInterval: 'month', threshold: TREATMENT_THRESHOLD },
  });
  return {
    analyst,
    // Administering accounts needs no unsuppressed counts: least privilege, as a partner.
    admin: suppressed(),
    commander: suppressed(),
    partner: suppressed(),
    public: suppressed(),
  };
}

export const DEFAULT_POLICY: PolicyTable = defaults();

/** What `role` may see of `feed`. */
export function policyFor(role: Role, feed: Feed, table: PolicyTable = DEFAULT_POLICY): FeedPolicy {
  return table[role][feed];
}

/**
 * The default table with other thresholds per feed for every suppressed role (PRODUCT.md: the
 * threshold is configurable per feed). A threshold below 2 would publish counts of 1, and
 * treatment must stay the strictest feed; both are refused.
 */
export function withThresholds(overrides: Partial<Record<Feed, number>>, base: PolicyTable = DEFAULT_POLICY): PolicyTable {
  const table = structuredClone(base);
  for (const [feed, t] of Object.entries(overrides) as [Feed, number][]) {
    if (!FEED_SET[feed]) throw new Error(`unknown feed "${feed}" in the suppression thresholds; feeds: ${POLICY_FEEDS.join(', ')}`);
    if (!Number.isInteger(t) || t < 2 || t > 1000) throw new Error(`the suppression threshold of ${feed} must be a whole number from 2 to 1000 (got ${t})`);
    for (const role of ROLES) if (table[role][feed].threshold > 0) table[role][feed].threshold = t;
  }
  for (const role of ROLES) {
    const strictest = Math.max(...POLICY_FEEDS.filter((f) => f !== 'treatment').map((f) => table[role][f].threshold));
    if (table[role].treatment.threshold > 0 && table[role].treatment.threshold < strictest) {
      throw new Error(`treatment data must have the strictest threshold (42 CFR Part 2): ${table[role].treatment.threshold} < ${strictest}`);
    }
  }
  return table;
}

/** "deaths=10,treatment=12" → { deaths: 10, treatment: 12 } (ODSTAT_SUPPRESSION_THRESHOLDS). */
export function parseThresholds(s: string): Partial<Record<Feed, number>> {
  const out: Partial<Record<Feed, number>> = {};
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=(\d+)$/.exec(part);
    if (!m) throw new Error(`"${part}": expected feed=number, e.g. treatment=11`);
    out[m[1] as Feed] = Number(m[2]);
  }
  return out;
}

export const finerThan = (a: Interval, b: Interval) => INTERVAL_ORDER.indexOf(a) < INTERVAL_ORDER.indexOf(b);

const PLURAL: Record<Interval, string> = { day: 'days', week: 'weeks', month: 'months', quarter: 'quarters', year: 'years' };

/** One sentence a person can act on: what this role may see of this feed. */
export function describePolicy(role: Role, feed: Feed, p: FeedPolicy): string {
  if (!p.allowed) return `the ${role} role may not see ${feed} data`;
  const where = p.minArea === 'area' ? 'by area or for the whole jurisdiction' : 'only for the whole jurisdiction (areas=total)';
  const when = p.minInterval === 'day' ? 'by any period' : `by ${p.minInterval} or longer periods, in whole ${PLURAL[p.minInterval]}`;
  const hidden = p.threshold > 0 ? `, counts from 1 to ${p.threshold - 1} hidden` : '';
  return `the ${role} role may see ${feed} data ${where}, ${when}${hidden}`;
}

// ISO 8601 weeks start on Monday, as the series does.
function periodStart(d: Date, i: Interval): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (i) {
    case 'day':
      return d;
    case 'week':
      return new Date(Date.UTC(y, m, d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'quarter':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
  }
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const dayAfter = (s: string) => iso(new Date(Date.parse(`${s}T00:00:00Z`) + 86_400_000));

/**
 * Why a requested date range is finer than `minInterval` allows, or null. A monthly series cut
 * to one day is a daily count: a range that starts or ends inside a period is refused. (A range
 * running to the end of the loaded data is cut by the data, not by the request, and is allowed.)
 */
export function rangeProblem(from: string | undefined, to: string | undefined, minInterval: Interval): string | null {
  if (minInterval === 'day') return null;
  const unit = PLURAL[minInterval];
  if (from !== undefined && iso(periodStart(new Date(`${from}T00:00:00Z`), minInterval)) !== from) {
    return `"from" (${from}) must be the first day of a ${minInterval}: this data is served in whole ${unit}`;
  }
  if (to !== undefined && iso(periodStart(new Date(`${dayAfter(to)}T00:00:00Z`), minInterval)) !== dayAfter(to)) {
    return `"to" (${to}) must be the last day of a ${minInterval}: this data is served in whole ${unit}`;
  }
  return null;
}

/**
 * What a route needs from the caller, declared on the route (config.access):
 *   open    — nobody (sign-in, the CSRF token)
 *   token   — an upload token, checked by the route itself
 *   data    — a signed-in user, or anyone when the public view is on
 *   members — a signed-in user (operational detail such as who loaded which file)
 *   admin   — a signed-in administrator
 * A route under /api/v1 that declares nothing is 'data': closed by default.
 */
export type Access = 'open' | 'token' | 'data' | 'members' | 'admin';

export function mayUse(role: Role | null, access: Access): boolean {
  switch (access) {
    case 'open':
    case 'token':
      return true;
    case 'data':
      return role !== null;
    case 'members':
      return role !== null && role !== 'public';
    case 'admin':
      return role === 'admin';
  }
}

// GET /api/v1/drug-supply: what drug checking finds beyond the three served indicators, for the
// page's drug-supply view (issue 6): samples by month positive for fentanyl analogues, nitazenes
// and benzodiazepines (sql/duckdb/definitions/drugcheck_substances.sql), fentanyl concentration
// where measured, and every substance with the month it was first seen (first-seen alerts).
//
// Privacy. Jurisdiction-wide, by whole month, only. For a role with a small-cell threshold T (every
// role but the analyst, server/policy.ts), counts 1 … T−1 are null, as are concentration figures
// resting on fewer than T measured samples, and a first-seen substance gives its month, not its
// day, and no sample count at all (a substance's count over the whole history is a sum of monthly
// cells — of a category here or of a cube behind /series — and would give a hidden month back). These counts sit in no published table and add up
// to nothing else served (a sample counts in every category it contains; no shares are served,
// since a share with a served count would give the denominator back — the page divides by
// drugcheck.samples_tested from /series, itself from the suppressed cube): primary suppression is
// enough here. Fentanyl, xylazine and medetomidine are deliberately not served here: their
// protected counts come from /series, whose cube may hide a jurisdiction total to protect an area.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { rows } from '../../../sql/duckdb.ts';
import { badRequest, errorResponses, forbidden, HttpError } from '../../http.ts';
import { describePolicy, policyFor } from '../../policy.ts';
import { withConn } from '../../duck.ts';

export interface DrugSupplyOptions {
  defaultJurisdiction: string;
}

const Date_ = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Int = Type.Union([Type.Integer(), Type.Null()]);
const Num = Type.Union([Type.Number(), Type.Null()]);
const State = Type.Union([Type.Literal('shown'), Type.Literal('zero'), Type.Literal('suppressed'), Type.Literal('missing')]);

const DrugSupplyQuery = Type.Object({
  jurisdiction: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: 'Defaults to the configured default jurisdiction.' })),
  from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First day (widened to the first of its month). Default: the first sample.' })),
  to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last day (widened to the end of its month). Default: the last sample.' })),
});

// Category columns of drugcheck_samples, from this allow-list only.
const CATEGORIES = [
  { id: 'fentanyl_analogue', column: 'fentanyl_analogue', label: 'Fentanyl analogues (carfentanil, para-fluorofentanyl …)' },
  { id: 'nitazene', column: 'nitazene', label: 'Nitazenes' },
  { id: 'benzodiazepine', column: 'benzodiazepine', label: 'Benzodiazepines (bromazolam and other designer benzodiazepines)' },
] as const;

const DrugSupplyResponse = Type.Object({
  jurisdiction: Type.String(),
  from: Date_,
  to: Date_,
  definitionVersion: Type.String(),
  synthetic: Type.Boolean(),
  threshold: Type.Integer({ description: 'Counts from 1 to threshold − 1 are hidden (null) for this role; 0: nothing hidden.' }),
  periods: Type.Array(Type.Object({ start: Date_, end: Date_, partial: Type.Boolean() })),
  categories: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      points: Type.Array(Type.Object({ period: Date_, count: Int, state: State })),
    }),
  ),
  concentration: Type.Array(
    Type.Object(
      {
        period: Date_,
        measured: Int,
        median: Num,
        p25: Num,
        p75: Num,
      },
      { description: 'Fentanyl concentration (percent by weight) of fentanyl-positive samples where the service measured it.' },
    ),
  ),
  firstSeen: Type.Array(
    Type.Object({
      substance: Type.String(),
      category: Type.Union([Type.String(), Type.Null()], { description: 'fentanyl, fentanyl_analogue, xylazine, nitazene, medetomidine, benzodiazepine, or null.' }),
      firstSeen: Type.String({ description: 'YYYY-MM-DD for the analyst; YYYY-MM for roles served by month.' }),
      samples: Type.Union([Type.Integer(), Type.Null()], { description: 'Samples showing it over the whole history; null for roles with a threshold.' }),
      inRange: Type.Boolean({ description: 'First seen between from and to.' }),
    }),
  ),
});
export type DrugSupplyResponse = Static<typeof DrugSupplyResponse>;

const iso = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (s: string) => `${s.slice(0, 7)}-01`;
function monthEnd(s: string): string {
  const d = new Date(`${s.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return iso(d);
}

const routes: FastifyPluginAsyncTypebox<DrugSupplyOptions> = async (app, opts) => {
  app.get(
    '/drug-supply',
    {
      config: { cache: {}, tabular: { name: 'drug-supply', tables: [{ path: 'firstSeen' }, { path: 'concentration' }] } },
      schema: {
        tags: ['indicators'],
        summary: 'Drug supply: samples with fentanyl analogues, nitazenes, benzodiazepines by month; fentanyl concentration; substances first seen',
        querystring: DrugSupplyQuery,
        response: { 200: DrugSupplyResponse, ...errorResponses },
      },
    },
    async (req) => {
      const role = req.auth.role;
      if (role === null) throw new HttpError(401, 'sign in first (POST /api/v1/auth/login)');
      const policy = policyFor(role, 'drugcheck', app.security.policy);
      req.policy = policy;
      if (!policy.allowed) throw forbidden(describePolicy(role, 'drugcheck', policy));
      const t = policy.threshold;
      const jurisdiction = req.query.jurisdiction ?? opts.defaultJurisdiction;
      for (const k of ['from', 'to'] as const) {
        const v = req.query[k];
        // An impossible date (month 00, day 51) is an invalid Date, whose toISOString() throws.
        if (v !== undefined && (Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || !iso(new Date(`${v}T00:00:00Z`)).startsWith(v))) throw badRequest(`"${k}" is not a calendar date: ${v}`);
      }
      return withConn(app, async (c) => {
        const [range] = await rows<{ first: string | null; last: string | null }>(
          c,
          `SELECT strftime(min(date_collected), '%Y-%m-%d') AS first, strftime(max(date_collected), '%Y-%m-%d') AS last
             FROM drugcheck_samples WHERE jurisdiction_id = $j AND results_complete`,
          { j: jurisdiction },
        );
        const [meta] = await rows<{ v: string; synthetic: boolean | null }>(
          c,
          `SELECT drugcheck_definition_version() AS v, (SELECT (config->>'synthetic')::BOOLEAN FROM jurisdictions WHERE id = $j) AS synthetic`,
          { j: jurisdiction },
        );
        const base = { jurisdiction, definitionVersion: meta?.v ?? 'unknown', synthetic: meta?.synthetic === true, threshold: t };
        if (!range?.first || !range.last) {
          const today = iso(new Date());
          return { ...base, from: req.query.from ?? today, to: req.query.to ?? today, periods: [], categories: [], concentration: [], firstSeen: [] };
        }
        const from = monthStart(req.query.from ?? range.first);
        const to = monthEnd(req.query.to ?? range.last);
        if (from > to) throw badRequest(`"from" (${from}) is after "to" (${to})`);
        const small = (n: number) => t > 0 && n > 0 && n < t;
        const cell = (n: number) => (small(n) ? { count: null, state: 'suppressed' as const } : { count: n, state: n === 0 ? ('zero' as const) : ('shown' as const) });

        const cols = CATEGORIES.map((k) => `count(*) FILTER (WHERE ${k.column})::INTEGER AS ${k.id}`).join(', ');
        const monthly = await rows<Record<string, number> & { period: string; measured: number; median: number | null; p25: number | null; p75: number | null }>(
          c,
          `WITH months AS (
             SELECT strftime(m, '%Y-%m-%d') AS period FROM generate_series($from::DATE, $to::DATE, INTERVAL 1 MONTH) g(m)
           ), s AS (
             SELECT strftime(date_trunc('month', date_collected), '%Y-%m-%d') AS period, * FROM drugcheck_samples
              WHERE jurisdiction_id = $j AND results_complete AND date_collected BETWEEN $from::DATE AND $to::DATE
           )
           SELECT months.period, ${cols.replaceAll('FILTER (WHERE ', 'FILTER (WHERE s.sample_id IS NOT NULL AND ')},
                  count(s.fentanyl_concentration_pct) FILTER (WHERE s.fentanyl)::INTEGER AS measured,
                  quantile_cont(s.fentanyl_concentration_pct, 0.5) FILTER (WHERE s.fentanyl) AS median,
                  quantile_cont(s.fentanyl_concentration_pct, 0.25) FILTER (WHERE s.fentanyl) AS p25,
                  quantile_cont(s.fentanyl_concentration_pct, 0.75) FILTER (WHERE s.fentanyl) AS p75
             FROM months LEFT JOIN s USING (period)
            GROUP BY months.period ORDER BY months.period`,
          { j: jurisdiction, from, to },
        );
        const periods = monthly.map((m) => {
          const end = monthEnd(m.period);
          return { start: m.period, end, partial: end > range.last! || m.period < monthStart(range.first!) };
        });
        const categories = CATEGORIES.map((k) => ({
          id: k.id,
          label: k.label,
          points: monthly.map((m, i) =>
            m.period < monthStart(range.first!) || m.period > range.last! ? { period: m.period, count: null, state: 'missing' as const } : { period: periods[i]!.start, ...cell(m[k.id] ?? 0) },
          ),
        }));
        const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
        const concentration = monthly.map((m) => {
          const hide = t > 0 && m.measured < t;
          return {
            period: m.period,
            measured: small(m.measured) ? null : m.measured,
            median: hide ? null : round(m.median),
            p25: hide ? null : round(m.p25),
            p75: hide ? null : round(m.p75),
          };
        });
        const found = await rows<{ substance: string; first_seen: string; samples: number; category: string | null }>(
          c,
          `WITH f AS (
             SELECT unnest(detected_substances) AS substance, date_collected
               FROM drugcheck_samples WHERE jurisdiction_id = $j AND results_complete
           )
           SELECT substance, strftime(min(date_collected), '%Y-%m-%d') AS first_seen, count(*)::INTEGER AS samples,
                  CASE WHEN drugcheck_is_fentanyl(substance) THEN 'fentanyl'
                       WHEN drugcheck_is_fentanyl_analogue(substance) THEN 'fentanyl_analogue'
                       WHEN drugcheck_is_xylazine(substance) THEN 'xylazine'
                       WHEN drugcheck_is_nitazene(substance) THEN 'nitazene'
                       WHEN drugcheck_is_medetomidine(substance) THEN 'medetomidine'
                       WHEN drugcheck_is_benzodiazepine(substance) THEN 'benzodiazepine' END AS category
             FROM f GROUP BY substance ORDER BY first_seen DESC, substance`,
          { j: jurisdiction },
        );
        const firstSeen = found.map((f) => ({
          substance: f.substance,
          category: f.category,
          // A day and a count of one would point at a single sample: roles served by month get the month.
          firstSeen: policy.minInterval === 'day' ? f.first_seen : f.first_seen.slice(0, 7),
          samples: t > 0 ? null : f.samples,
          inRange: f.first_seen >= from && f.first_seen <= to,
        }));
        req.rowsReturned = periods.length + firstSeen.length;
        return { ...base, from, to, periods, categories, concentration, firstSeen };
      });
    },
  );
};
export default routes;

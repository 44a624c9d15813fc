// The planner's pure parts: the request from the form, the bars and the table from a plan, and
// what the reader's role leaves out. No DOM: tests/unit/web-planner.test.ts.
import type { TableData } from '../../shell/table.ts';
import type { Plan, PlanRequest, PlanSummary, PlanUnit } from './planner-api.ts';
import type { PlannerState } from './url-state.ts';

/** Roles the server lets make plans (server/routes/v1/planner.ts, CREATORS). */
export const PLAN_MAKERS = ['analyst', 'commander', 'admin'] as const;

export function canMakePlans(role: string | null | undefined): boolean {
  return (PLAN_MAKERS as readonly string[]).includes(role ?? '');
}

/** Plans, meetings and presentation mode are for members; the public view gets none (the server answers 403). */
export const MEMBERS_ONLY_NOTE = 'Naloxone plans and working-group meetings are for members of the working group: sign in to see them. The public view shows published, suppressed figures only.';

export function isMember(role: string | null | undefined): boolean {
  return role === 'analyst' || role === 'commander' || role === 'partner' || role === 'admin';
}

/** Why the form is not offered, or null when it is. */
export function makerNote(role: string | null | undefined): string | null {
  if (canMakePlans(role)) return null;
  if (!isMember(role)) return MEMBERS_ONLY_NOTE;
  return `Your role (${role ?? 'not signed in'}) may read saved plans but not make them: analysts, commanders and administrators make plans.`;
}

/** The request body from the form, or the first thing wrong with the form. */
export function planRequest(s: PlannerState, jurisdiction: string | null): { body: PlanRequest } | { error: string } {
  if (s.kits === null || !Number.isInteger(s.kits) || s.kits < 0) return { error: 'Give the number of kits to place (a whole number).' };
  if (!Number.isInteger(s.minimum) || s.minimum < 0) return { error: 'The minimum per unit is a whole number, 0 or more.' };
  const stock = Object.fromEntries(Object.entries(s.stock).filter(([, n]) => Number.isInteger(n) && n > 0));
  const body: PlanRequest = { kits: s.kits, minimum: s.minimum };
  if (jurisdiction) body.jurisdiction = jurisdiction;
  if (s.units) body.units = s.units;
  if (s.month) body.month = s.month;
  if (Object.keys(stock).length) body.stock = stock;
  return { body };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const pct = (x: number, digits = 1) => `${fmt(x * 100, digits)}%`;

export function trendText(t: number | null): string {
  if (t === null) return 'no trend';
  if (Math.abs(t) < 0.05) return 'steady';
  return `${t > 0 ? '+' : '−'}${fmt(Math.abs(t), 1)}% a month`;
}

export interface Bar {
  id: string;
  name: string;
  kits: number;
  minimum: number;
  extra: number;
  stock: number | null;
  /** Pixel extents on the kits axis. */
  x0: number;
  xMin: number;
  xEnd: number;
  /** Where the unit would be after the plan: stock + kits (a tick when stock was given). */
  xHeld: number | null;
  label: string;
}

/**
 * Horizontal bars, most kits first: the minimum (light) then the kits above it (dark). The axis
 * runs to the largest of kits and stock + kits, so the tick of what a unit will hold fits.
 */
export function allocationBars(units: readonly PlanUnit[], width: number): { bars: Bar[]; max: number; ticks: { x: number; value: number }[] } {
  const { max, step } = niceScale(Math.max(1, ...units.map((u) => u.kits + (u.stock ?? 0))));
  const x = (v: number) => (v / max) * width;
  const bars = [...units]
    .sort((a, b) => b.kits - a.kits || a.name.localeCompare(b.name))
    .map((u) => ({
      id: u.id,
      name: u.name,
      kits: u.kits,
      minimum: u.minimum,
      extra: u.extra,
      stock: u.stock,
      x0: 0,
      xMin: x(Math.min(u.minimum, u.kits)),
      xEnd: x(u.kits),
      xHeld: u.stock !== null && u.stock > 0 ? x(u.stock + u.kits) : null,
      label: `${u.name}: ${fmt(u.kits)} kits (${fmt(u.minimum)} minimum + ${fmt(u.extra)} by need)${u.stock !== null ? `, holds ${fmt(u.stock)} now` : ''}`,
    }));
  const ticks: { x: number; value: number }[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push({ x: x(v), value: v });
  return { bars, max, ticks };
}

/** An axis from 0 to at least v in at most 5 steps of 1, 2 or 5 × a power of ten. */
export function niceScale(v: number): { max: number; step: number } {
  if (!(v > 0)) return { max: 1, step: 1 };
  const raw = v / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const n = Math.ceil(v / step - 1e-9);
  return { max: n * step, step };
}

/** The table behind the chart: one row per unit, with its sentence (the same as the CSV from the server). */
export function planTable(plan: Plan): TableData {
  const sources = plan.sources;
  return {
    caption: `Naloxone plan ${plan.id} for ${plan.month}: ${fmt(plan.kits)} kits across ${plan.units.length} ${plan.unitLabel}${plan.units.length === 1 ? '' : 's'}, by forecast need.`,
    columns: [
      { key: 'unit', label: plan.unitLabel },
      { key: 'kits', label: 'Kits', numeric: true },
      { key: 'minimum', label: 'Minimum', numeric: true },
      { key: 'extra', label: 'Above minimum', numeric: true },
      { key: 'stock', label: 'Stock', numeric: true },
      { key: 'need', label: `Need ${plan.month}`, numeric: true },
      { key: 'needShare', label: 'Share of need', numeric: true },
      { key: 'trend', label: 'Trend' },
      ...sources.map((s) => ({ key: `last:${s.indicator}`, label: `${s.label}, ${plan.lastMonth}` })),
      { key: 'explanation', label: 'Why' },
    ],
    rows: plan.units.map((u) => ({
      unit: u.name,
      kits: u.kits,
      minimum: u.minimum,
      extra: u.extra,
      stock: u.stock,
      need: Math.round(u.need * 10) / 10,
      needShare: pct(u.needShare),
      trend: trendText(u.trendPct),
      ...Object.fromEntries(sources.map((s) => [`last:${s.indicator}`, u.components[s.indicator]?.lastMonthText ?? '—'])),
      explanation: u.explanation,
    })),
    ...(plan.restricted ? { note: restrictedNote(plan)! } : {}),
  };
}

/** Said when the reader's role cuts the counts (plan.restricted). */
export function restrictedNote(plan: Pick<Plan, 'restricted' | 'units' | 'sources' | 'lastMonth'>): string | null {
  if (!plan.restricted) return null;
  let hidden = 0;
  let total = 0;
  for (const u of plan.units)
    for (const s of plan.sources) {
      const c = u.components[s.indicator];
      if (!c) continue;
      total++;
      if (c.lastMonthState === 'suppressed' || c.lastMonthState === 'missing') hidden++;
    }
  return (
    `Small counts are hidden for your role: ${hidden} of ${total} unit counts of ${plan.lastMonth} read “fewer than 10” or “suppressed”, ` +
    'because together with the published neighborhood figures they could give a count of 1 to 9 back (server/policy.ts). ' +
    'Forecasts and need are model estimates, shown in whole numbers; kits, shares and stock are the same for every reader.'
  );
}

/** The forecast and the allocation, in words, with the parameters. */
export function methodText(plan: Pick<Plan, 'method' | 'sources' | 'firstMonth' | 'lastMonth' | 'horizon'>): string {
  const p = plan.method.params;
  const need = plan.sources.map((s) => `${s.label} × ${fmt(s.weight, s.weight % 1 ? 1 : 0)}`).join(' + ');
  return (
    `Need = ${need}, each forecast for the plan month (${plan.horizon} month${plan.horizon === 1 ? '' : 's'} ahead) from ${plan.firstMonth} to ${plan.lastMonth} ` +
    `by ${plan.method.forecast} (α ${p.alpha}, β ${p.beta}, φ ${p.phi}). ${plan.method.allocation}`
  );
}

export function planSummaryText(p: Pick<PlanSummary, 'id' | 'month' | 'kits' | 'units' | 'unitKind' | 'createdAt' | 'createdBy'>): string {
  const who = [p.createdBy.email, p.createdBy.agency].filter(Boolean).join(', ');
  return `Plan ${p.id}: ${fmt(p.kits)} kits for ${p.month}, ${p.units} ${p.unitKind === 'police' ? 'police units' : 'areas'} — ${p.createdAt.slice(0, 16).replace('T', ' ')} UTC${who ? ` by ${who}` : ''} (${p.createdBy.role})`;
}

/** Stock inputs: the units of the plan shown, when the form asks for the same kind of units. */
export function stockUnits(plan: Plan | null, units: PlannerState['units'], areas: readonly { id: string; name: string }[]): { id: string; name: string }[] {
  if (plan && (units === null || units === plan.unitKind)) return plan.units.map((u) => ({ id: u.id, name: u.name }));
  if (units === 'areas') return areas.map((a) => ({ id: a.id, name: a.name }));
  return [];
}

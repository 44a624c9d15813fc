// A naloxone plan from its inputs and the monthly counts by unit (docs/planner.md): forecast need
// per unit (forecast.ts), then kits by largest remainder (allocate.ts). Pure: the route reads the
// data (data.ts) and stores the result (sql/postgres/plans.ts).
import { allocate, AllocationError, type Allocation, type AllocationRow } from './allocate.ts';
import { checkParams, unitNeed, type HoltParams, type Need } from './forecast.ts';
import type { PlanUnit, UnitKind } from './data.ts';

export interface PlanSource {
  indicator: string;
  /** What one event is, plural ("EMS suspected opioid overdoses"). */
  label: string;
  weight: number;
  geography: 'event' | 'residence';
}

/** The default sources: EMS suspected opioid overdoses, and overdose deaths weighted 3×, where they happened. */
export const DEFAULT_SOURCES: readonly Omit<PlanSource, 'label'>[] = Object.freeze([
  { indicator: 'ems.opioid_overdose', weight: 1, geography: 'event' as const },
  { indicator: 'deaths.any_drug', weight: 3, geography: 'event' as const },
]);

/** Months of history a plan needs at least (the 12-month mean, and a settled forecast). */
export const MIN_HISTORY_MONTHS = 12;
/** How far past the last month of data a plan may be made. */
export const MAX_HORIZON = 6;

export interface PlanInputs {
  jurisdiction: string;
  /** 'YYYY-MM': the month the kits are for. */
  month: string;
  kits: number;
  /** Minimum kits of every unit without its own entry in `minimums`. */
  minimum: number;
  minimums: Record<string, number>;
  /** Kits each unit holds now; units left out are not known (taken as 0). */
  stock: Record<string, number>;
  units: UnitKind;
  sources: PlanSource[];
  forecast: HoltParams;
}

export interface PlanUnitResult {
  id: string;
  name: string;
  areas: string[];
  need: Need;
  allocation: AllocationRow;
}

export interface PlanResult {
  month: string;
  /** Last month of data used, 'YYYY-MM'. */
  lastMonth: string;
  firstMonth: string;
  /** Months from the last month of data to the plan month. */
  horizon: number;
  unitKind: UnitKind;
  unitLabel: string;
  crosswalkNote: string | null;
  unmappedAreas: string[];
  method: { forecast: string; allocation: string; params: HoltParams };
  sources: PlanSource[];
  totals: Omit<Allocation, 'rows'>;
  units: PlanUnitResult[];
}

export interface PlanData {
  unitKind: UnitKind;
  unitLabel: string;
  crosswalkNote: string | null;
  unmappedAreas: string[];
  units: readonly PlanUnit[];
  /** 'YYYY-MM', consecutive, oldest first: the history used, ending with the last month of data before the plan month. */
  months: readonly string[];
  /** indicator → unit id → counts aligned with `months`. */
  counts: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
}

export const FORECAST_METHOD =
  "Holt's linear exponential smoothing with a damped trend (Gardner & McKenzie), fixed parameters, on each source's monthly counts by unit; need = Σ weight × forecast.";
export const ALLOCATION_METHOD =
  'Every unit gets its minimum; the kits above the minimums go in proportion to each unit’s shortfall against its need-share of the kits held after the plan (new + stock), rounded by the largest-remainder (Hamilton) method.';

export function computePlan(inputs: PlanInputs, data: PlanData): PlanResult {
  try {
    checkParams(inputs.forecast);
  } catch (e) {
    throw new AllocationError('forecast', (e as Error).message);
  }
  if (data.months.length < MIN_HISTORY_MONTHS) {
    throw new AllocationError('month', `a plan needs at least ${MIN_HISTORY_MONTHS} whole months of data before its month; there are ${data.months.length}`);
  }
  const ids = new Set(data.units.map((u) => u.id));
  for (const [field, map] of [['stock', inputs.stock], ['minimums', inputs.minimums]] as const) {
    const unknown = Object.keys(map).filter((k) => !ids.has(k));
    if (unknown.length > 0) {
      throw new AllocationError(field, `unknown unit(s) in "${field}": ${unknown.slice(0, 5).map((u) => `"${u}"`).join(', ')}; the units are ${[...ids].map((u) => `"${u}"`).join(', ')}`);
    }
  }
  const lastMonth = data.months[data.months.length - 1]!;
  const horizon = monthsBetween(lastMonth, inputs.month);
  const needs = data.units.map((u) =>
    unitNeed(
      inputs.sources.map((s) => ({ indicator: s.indicator, weight: s.weight, months: data.counts.get(s.indicator)?.get(u.id) ?? data.months.map(() => 0) })),
      horizon,
      inputs.forecast,
    ),
  );
  const alloc = allocate({
    kits: inputs.kits,
    units: data.units.map((u, i) => ({
      id: u.id,
      need: needs[i]!.need,
      stock: inputs.stock[u.id] ?? null,
      minimum: inputs.minimums[u.id] ?? inputs.minimum,
    })),
  });
  const { rows, ...totals } = alloc;
  return {
    month: inputs.month,
    lastMonth,
    firstMonth: data.months[0]!,
    horizon,
    unitKind: data.unitKind,
    unitLabel: data.unitLabel,
    crosswalkNote: data.crosswalkNote,
    unmappedAreas: [...data.unmappedAreas],
    method: { forecast: FORECAST_METHOD, allocation: ALLOCATION_METHOD, params: { ...inputs.forecast } },
    sources: inputs.sources.map((s) => ({ ...s })),
    totals,
    units: data.units.map((u, i) => ({ id: u.id, name: u.name, areas: [...u.areas], need: needs[i]!, allocation: rows[i]! })),
  };
}

function monthsBetween(a: string, b: string): number {
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}


// A stored plan as one reader may see it (docs/planner.md, "Who sees what"). Pure.
//
// The plan is computed and stored once, on all the data. A reader whose role has a small-cell
// threshold for a source's feed (server/policy.ts: everyone but the analyst) gets:
//   - last month's count by unit only where unit-cells.ts found it safe beside the published cube
//     (decided when the plan was made, for the thresholds then in force; a reader whose
//     thresholds differ sees none of them): 1 to threshold − 1 as "fewer than N", others withheld
//     as "a suppressed count";
//   - forecasts and need in whole numbers (model estimates, not counts: a forecast is a weighted
//     mean of many months, and the kits themselves are proportional to need, so hiding a small
//     forecast would hide nothing); the trend in percent only, not in events per month.
// Kits, shares, stock and minimums are the plan's own numbers and are shown to every reader.
import { explainUnit, type ExplainComponent, type ShownCount } from './explain.ts';
import type { PlanResult } from './plan.ts';
import type { UnitCellState } from './unit-cells.ts';

/** unit id → indicator → state of the last month's count. */
export type UnitVisibility = Record<string, Record<string, UnitCellState>>;

export interface PlanReader {
  /** Small-cell threshold of each source indicator for this reader (0 = sees every count). */
  thresholds: Record<string, number>;
  /** For a reader with thresholds: what the plan stored for exactly these thresholds, or null (then every count is withheld). */
  visibility: UnitVisibility | null;
}

/** The key under which a plan stores unit-count visibility for one set of thresholds. */
export function visibilityKey(sources: readonly { indicator: string; geography: string }[], thresholds: Record<string, number>): string {
  return sources.map((s) => `${s.indicator}@${s.geography}:${thresholds[s.indicator] ?? 0}`).join(',');
}

export const sourceLabel = (label: string) => (/^[A-Z]{2,}\b/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1));

const round = (x: number, d: number) => {
  const f = 10 ** d;
  return Math.round(x * f) / f;
};

export interface RenderedComponent {
  weight: number;
  forecast: number;
  lastMonth: number | null;
  lastMonthState: 'shown' | 'zero' | 'suppressed' | 'missing';
  lastMonthText: string;
}

export interface RenderedUnit {
  id: string;
  name: string;
  areas: string[];
  kits: number;
  minimum: number;
  stock: number | null;
  need: number;
  needShare: number;
  poolShare: number;
  gap: number;
  gapShare: number;
  extra: number;
  remainderKit: boolean;
  basis: 'share' | 'stocked' | 'minimum';
  trendPct: number | null;
  trendPerMonth: number | null;
  components: Record<string, RenderedComponent>;
  explanation: string;
}

export interface RenderedPlan {
  restricted: boolean;
  month: string;
  lastMonth: string;
  firstMonth: string;
  horizon: number;
  unitKind: PlanResult['unitKind'];
  unitLabel: string;
  crosswalkNote: string | null;
  unmappedAreas: string[];
  method: PlanResult['method'];
  sources: PlanResult['sources'];
  totals: PlanResult['totals'];
  units: RenderedUnit[];
}

export function renderPlan(result: PlanResult, reader: PlanReader): RenderedPlan {
  const restricted = result.sources.some((s) => (reader.thresholds[s.indicator] ?? 0) > 0);
  const digits = restricted ? 0 : 1;
  const units = result.units.map((u): RenderedUnit => {
    const a = u.allocation;
    const comps: Record<string, RenderedComponent> = {};
    const explainComps: ExplainComponent[] = [];
    result.sources.forEach((s, i) => {
      const c = u.need.components[i]!;
      const t = reader.thresholds[s.indicator] ?? 0;
      let shown: ShownCount;
      if (t <= 0) shown = { value: c.lastMonth, state: c.lastMonth === 0 ? 'zero' : 'shown' };
      else {
        const st = reader.visibility?.[u.id]?.[s.indicator] ?? 'withheld';
        shown = st === 'shown' || st === 'zero' ? { value: c.lastMonth, state: st } : { value: null, state: st };
      }
      const forecast = t <= 0 ? round(c.forecast, 2) : Math.round(c.forecast);
      const text = shown.state === 'small' ? `fewer than ${t}` : shown.state === 'withheld' ? 'suppressed' : shown.state === 'missing' ? 'no data' : String(shown.value);
      comps[s.indicator] = {
        weight: s.weight,
        forecast,
        lastMonth: shown.value,
        lastMonthState: shown.state === 'small' || shown.state === 'withheld' ? 'suppressed' : shown.state,
        lastMonthText: text,
      };
      explainComps.push({ label: sourceLabel(s.label), weight: s.weight, forecast, lastMonth: shown, threshold: t });
    });
    const trendPct = u.need.trendPct === null ? null : round(u.need.trendPct, 1);
    const need = round(a.need, restricted ? 0 : 2);
    return {
      id: u.id,
      name: u.name,
      areas: u.areas,
      kits: a.kits,
      minimum: a.minimum,
      stock: a.stockKnown ? a.stock : null,
      need,
      needShare: round(a.needShare, 4),
      poolShare: round(a.poolShare, 1),
      gap: round(a.gap, 1),
      gapShare: round(a.gapShare, 4),
      extra: a.extra,
      remainderKit: a.remainderKit,
      basis: a.basis,
      trendPct,
      trendPerMonth: restricted ? null : round(u.need.trendPerMonth, 2),
      components: comps,
      explanation: explainUnit(u.name, { ...a, need: restricted ? Math.round(a.need) : a.need }, { ...result.totals, totalNeed: restricted ? Math.round(result.totals.totalNeed) : result.totals.totalNeed }, explainComps, trendPct, {
        month: result.month,
        lastMonth: result.lastMonth,
        digits,
      }),
    };
  });
  return {
    restricted,
    month: result.month,
    lastMonth: result.lastMonth,
    firstMonth: result.firstMonth,
    horizon: result.horizon,
    unitKind: result.unitKind,
    unitLabel: result.unitLabel,
    crosswalkNote: result.crosswalkNote,
    unmappedAreas: result.unmappedAreas,
    method: result.method,
    sources: result.sources,
    totals: {
      ...result.totals,
      totalNeed: round(result.totals.totalNeed, restricted ? 0 : 2),
      totalGap: round(result.totals.totalGap, 1),
    },
    units,
  };
}

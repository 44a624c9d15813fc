// Crude and age-adjusted rates per 100,000 with 95% gamma intervals — PRODUCT.md "Rates".
// Agrees with R's epitools::ageadjust.direct (0.5-10.1) and with qgamma-based exact Poisson
// limits to 1e-9 relative (fixtures/golden/rates.json, tests/unit/epi-rates.test.ts).

import { qgamma } from './distributions.ts';

export const RATE_PER = 100_000;

/** CDC WONDER: rates based on fewer than 20 deaths are flagged "Unreliable". */
export const UNRELIABLE_BELOW = 20;

/**
 * NCHS, 2000 U.S. standard population, Statistical Notes No. 20 (Klein & Schoenborn 2001) /
 * 11 age groups — the weights PRODUCT.md lists. They sum to 1.000000.
 */
export const US2000_STANDARD_11 = [
  { group: '<1', weight: 0.013818 },
  { group: '1-4', weight: 0.055317 },
  { group: '5-14', weight: 0.145565 },
  { group: '15-24', weight: 0.138646 },
  { group: '25-34', weight: 0.135573 },
  { group: '35-44', weight: 0.162613 },
  { group: '45-54', weight: 0.134834 },
  { group: '55-64', weight: 0.087247 },
  { group: '65-74', weight: 0.066037 },
  { group: '75-84', weight: 0.044842 },
  { group: '85+', weight: 0.015508 },
] as const;

export interface RateEstimate {
  events: number;
  /** Per 100,000; null without a population. */
  rate: number | null;
  lower: number | null;
  upper: number | null;
  /** Fewer than 20 events (CDC WONDER). */
  unreliable: boolean;
}

/**
 * Crude rate per 100,000 with the exact Poisson interval in its gamma form (Garwood 1936;
 * Ulm 1990): lower = G⁻¹(α/2; x), upper = G⁻¹(1 − α/2; x + 1), divided by the population.
 * With no events the lower limit is 0 and the upper is G⁻¹(1 − α/2; 1) = −log(α/2)
 * (epitools::pois.daly uses the one-sided −log(α) there; we keep the two-sided rule throughout).
 */
export function crudeRateCI(events: number, population: number | null, confLevel = 0.95): RateEstimate {
  const unreliable = events < UNRELIABLE_BELOW;
  if (population === null || !(population > 0)) return { events, rate: null, lower: null, upper: null, unreliable };
  const alpha = 1 - confLevel;
  const scale = RATE_PER / population;
  return {
    events,
    rate: events * scale,
    lower: events === 0 ? 0 : qgamma(alpha / 2, events) * scale,
    upper: qgamma(1 - alpha / 2, events + 1) * scale,
    unreliable,
  };
}

export interface AgeAdjustedEstimate extends RateEstimate {
  /** Crude rate over all age groups, per 100,000. */
  crude: number | null;
}

/**
 * Age-adjusted rate per 100,000 by the direct method, with the gamma interval of Fay & Feuer,
 * "Confidence intervals for directly standardized rates: a method based on the gamma
 * distribution", Stat. Med. 1997, 16:791–801 — as epitools::ageadjust.direct computes it:
 *   y = Σ wᵢ xᵢ/nᵢ,  v = Σ wᵢ² xᵢ/nᵢ²,  wₘ = max wᵢ/nᵢ,
 *   lower = G⁻¹(α/2; y²/v, v/y),  upper = G⁻¹(1 − α/2; (y+wₘ)²/(v+wₘ²), (v+wₘ²)/(y+wₘ)).
 * Weights are normalised to sum 1 (they already do for the 2000 standard). With no events the
 * lower limit is 0 (the limit of the gamma as y → 0; R gives NaN there). Null where an age group
 * has no population.
 */
export function ageAdjustedRate(
  events: readonly number[],
  population: readonly number[],
  standard: readonly number[] = US2000_STANDARD_11.map((g) => g.weight),
  confLevel = 0.95,
): AgeAdjustedEstimate {
  if (events.length !== standard.length || population.length !== standard.length) {
    throw new Error(`ageAdjustedRate: expected ${standard.length} age groups, got ${events.length} counts and ${population.length} populations`);
  }
  const total = events.reduce((s, v) => s + v, 0);
  const totalPop = population.reduce((s, v) => s + v, 0);
  const unreliable = total < UNRELIABLE_BELOW;
  const crude = totalPop > 0 ? (total / totalPop) * RATE_PER : null;
  if (population.some((p) => !(p > 0))) return { events: total, crude, rate: null, lower: null, upper: null, unreliable };
  const wsum = standard.reduce((s, v) => s + v, 0);
  const alpha = 1 - confLevel;
  let dsr = 0;
  let v = 0;
  let wm = 0;
  for (let i = 0; i < standard.length; i++) {
    const w = standard[i]! / wsum;
    const x = events[i]!;
    const n = population[i]!;
    dsr += (w * x) / n;
    v += (w * w * x) / (n * n);
    wm = Math.max(wm, w / n);
  }
  const lower = dsr === 0 ? 0 : qgamma(alpha / 2, (dsr * dsr) / v, v / dsr);
  const upper = qgamma(1 - alpha / 2, (dsr + wm) ** 2 / (v + wm * wm), (v + wm * wm) / (dsr + wm));
  return { events: total, crude, rate: dsr * RATE_PER, lower: lower * RATE_PER, upper: upper * RATE_PER, unreliable };
}

// The indicator catalog: one entry per `feed.measure` id (PRODUCT.md, public interfaces), one
// file per feed. A feed adds its file here and its events_<feed> view in sql/duckdb/views/.
import type { IndicatorDef } from './types.ts';
import { DEATHS } from './deaths.ts';
import { ARRESTS } from './arrests.ts';
import { TREATMENT } from './treatment.ts';
import { NALOXONE } from './naloxone.ts';
import { DRUGCHECK } from './drugcheck.ts';
import { EMS } from './ems.ts';

export type { Feed, IndicatorDef } from './types.ts';

export const INDICATORS: readonly IndicatorDef[] = [...DEATHS, ...ARRESTS, ...TREATMENT, ...NALOXONE, ...DRUGCHECK, ...EMS];

export function findIndicator(id: string): IndicatorDef | undefined {
  return INDICATORS.find((d) => d.id === id);
}

/** The indicator prefix of an ingest feed: the mortality feed's indicators read `deaths.*`. */
export function indicatorPrefixOf(ingestFeed: string): string {
  return ingestFeed === 'mortality' ? 'deaths' : ingestFeed;
}

// Treatment-admission indicators (SAMHSA TEDS-A codes; rules in sql/duckdb/definitions/treatment_teds.sql).
// 42 CFR Part 2: aggregate only, with the strictest small-cell suppression of any feed (the
// suppression policy is applied by the server, not here).
import type { IndicatorDef } from './types.ts';

export const TREATMENT: readonly IndicatorDef[] = [
  {
    id: 'treatment.opioid_admissions',
    feed: 'treatment',
    label: 'Opioid treatment admissions',
    unit: 'admissions',
    definition:
      'Substance-use treatment admissions with an opioid as the primary substance (TEDS-A SUB1 5 heroin, 6 non-prescription methadone, 7 other opiates and synthetics), by residence. Protected by 42 CFR Part 2: aggregates only.',
    versionMacro: 'treatment_definition_version',
    table: 'treatment_admissions',
    geographies: ['residence'],
  },
];

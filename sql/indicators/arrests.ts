// Arrests-feed indicators (FBI NIBRS codes; rules in sql/duckdb/definitions/arrests_nibrs.sql).
import type { IndicatorDef } from './types.ts';

export const ARRESTS: readonly IndicatorDef[] = [
  {
    id: 'arrests.drug',
    feed: 'arrests',
    label: 'Drug arrests',
    unit: 'arrests',
    definition:
      'Arrests and citations (NIBRS Type of Arrest O, T or S) for NIBRS offense 35A (drug/narcotic violations) or 35B (drug equipment violations), by place of arrest.',
    versionMacro: 'arrests_definition_version',
    table: 'arrests_events',
    geographies: ['event'],
  },
  {
    id: 'arrests.deflection_referral',
    feed: 'arrests',
    label: 'Deflection and diversion referrals',
    unit: 'referrals',
    definition:
      'Referrals to services made by police instead of an arrest (deflection) or after one (diversion), by place of the encounter.',
    versionMacro: 'arrests_definition_version',
    table: 'arrests_events',
    geographies: ['event'],
  },
];

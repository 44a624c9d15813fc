// Naloxone indicators (program logs; rules in sql/duckdb/definitions/naloxone.sql).
import type { IndicatorDef } from './types.ts';

export const NALOXONE: readonly IndicatorDef[] = [
  {
    id: 'naloxone.kits_distributed',
    feed: 'naloxone',
    label: 'Naloxone kits distributed',
    unit: 'kits',
    definition: 'Naloxone kits handed out by distribution programs (the sum of kits over distribution events), by place of distribution.',
    versionMacro: 'naloxone_definition_version',
    table: 'naloxone_events',
    geographies: ['event'],
  },
];

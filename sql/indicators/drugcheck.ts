// Drug-checking indicators (tested samples; rules in sql/duckdb/definitions/drugcheck_substances.sql).
import type { IndicatorDef } from './types.ts';

const WHERE = 'by the day and place the sample was collected';

export const DRUGCHECK: readonly IndicatorDef[] = [
  {
    id: 'drugcheck.samples_tested',
    feed: 'drugcheck',
    label: 'Drug-checking samples tested',
    unit: 'samples',
    definition: `Samples with results from a drug-checking service (FTIR, test strip or laboratory), ${WHERE}: the denominator of positivity.`,
    versionMacro: 'drugcheck_definition_version',
    table: 'drugcheck_samples',
    geographies: ['event'],
  },
  {
    id: 'drugcheck.fentanyl_positive',
    feed: 'drugcheck',
    label: 'Samples positive for fentanyl',
    unit: 'samples',
    definition: `Tested samples in which fentanyl itself was detected (fentanyl analogues are flagged separately), ${WHERE}.`,
    versionMacro: 'drugcheck_definition_version',
    table: 'drugcheck_samples',
    geographies: ['event'],
  },
  {
    id: 'drugcheck.xylazine_positive',
    feed: 'drugcheck',
    label: 'Samples positive for xylazine',
    unit: 'samples',
    definition: `Tested samples in which xylazine was detected, ${WHERE}.`,
    versionMacro: 'drugcheck_definition_version',
    table: 'drugcheck_samples',
    geographies: ['event'],
  },
  {
    id: 'drugcheck.medetomidine_positive',
    feed: 'drugcheck',
    label: 'Samples positive for medetomidine',
    unit: 'samples',
    definition: `Tested samples in which medetomidine (or dexmedetomidine) was detected, ${WHERE}.`,
    versionMacro: 'drugcheck_definition_version',
    table: 'drugcheck_samples',
    geographies: ['event'],
  },
];

// Mortality-feed indicators (CDC/NCHS ICD-10 definitions).
import type { IndicatorDef } from './types.ts';

const NCHS =
  'CDC/NCHS: underlying cause of death ICD-10 X40–X44, X60–X64, X85 or Y10–Y14 (drug overdose, any intent)';

export const DEATHS: readonly IndicatorDef[] = [
  {
    id: 'deaths.any_drug',
    feed: 'deaths',
    label: 'Drug overdose deaths',
    unit: 'deaths',
    definition: `${NCHS}.`,
    versionMacro: 'mortality_definition_version',
    table: 'mortality_deaths',
    geographies: ['residence', 'event'],
  },
  {
    id: 'deaths.opioid',
    feed: 'deaths',
    label: 'Opioid overdose deaths',
    unit: 'deaths',
    definition: `${NCHS}, with any opioid among the multiple causes: T40.0–T40.4 or T40.6.`,
    versionMacro: 'mortality_definition_version',
    table: 'mortality_deaths',
    geographies: ['residence', 'event'],
  },
  {
    id: 'deaths.fentanyl',
    feed: 'deaths',
    label: 'Fentanyl-involved overdose deaths',
    unit: 'deaths',
    definition: `${NCHS}, involving synthetic opioids other than methadone (T40.4, mostly fentanyl).`,
    versionMacro: 'mortality_definition_version',
    table: 'mortality_deaths',
    geographies: ['residence', 'event'],
  },
  {
    id: 'deaths.stimulant',
    feed: 'deaths',
    label: 'Stimulant-involved overdose deaths',
    unit: 'deaths',
    definition: `${NCHS}, involving cocaine (T40.5) or psychostimulants with abuse potential (T43.6, mostly methamphetamine).`,
    versionMacro: 'mortality_definition_version',
    table: 'mortality_deaths',
    geographies: ['residence', 'event'],
  },
  {
    id: 'deaths.xylazine',
    feed: 'deaths',
    label: 'Xylazine-involved overdose deaths',
    unit: 'deaths',
    definition: `${NCHS}, with xylazine in the toxicology findings (xylazine has no ICD-10 code).`,
    versionMacro: 'mortality_definition_version',
    table: 'mortality_deaths',
    geographies: ['residence', 'event'],
  },
];


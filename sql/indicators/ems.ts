// EMS-feed indicators (rules in sql/duckdb/definitions/ems_nemsis_opioid.sql and ems_tempe.sql).
// Each encounter row records the definition version that classified it; a jurisdiction whose
// only EMS source is a non-NEMSIS extract (Tempe) is counted by that source's own field.
import type { IndicatorDef } from './types.ts';

export const EMS: readonly IndicatorDef[] = [
  {
    id: 'ems.opioid_overdose',
    feed: 'ems',
    label: 'EMS suspected opioid overdoses',
    unit: 'encounters',
    definition:
      'EMS patient encounters meeting the NEMSIS v3.5 opioid overdose case definition (NEMSIS Technical Assistance Center, May 2025): ' +
      'a primary or other symptom (not a pertinent negative), or a primary or secondary impression, coded ICD-10-CM F11.*, T40.0–T40.4 or T40.6; ' +
      'or naloxone given (RxNorm 7242, 203192, 197117) with the response recorded as improved. By date the unit was notified, in the area of the scene. ' +
      "Tempe's open-data extract has no ICD-10 codes: there, the fire department's own opioid-use field (definition tempe-opioid-use-field-v1).",
    versionMacro: 'ems_definition_version',
    table: 'ems_encounters',
    geographies: ['event'],
  },
  {
    id: 'ems.naloxone_given',
    feed: 'ems',
    label: 'EMS encounters with naloxone given',
    unit: 'encounters',
    definition:
      'EMS patient encounters in which naloxone (RxNorm 7242, 203192, 197117) was recorded as given (eMedications.03 without a pertinent negative, ' +
      "including doses recorded as given before this unit's care), whatever the response. By date the unit was notified, in the area of the scene. " +
      "Tempe's extract: its Narcan_Given field.",
    versionMacro: 'ems_definition_version',
    table: 'ems_encounters',
    geographies: ['event'],
  },
];

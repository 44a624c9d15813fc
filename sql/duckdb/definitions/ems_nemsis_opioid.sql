-- EMS suspected opioid overdose: the NEMSIS v3.5 case definition (NEMSIS Technical Assistance
-- Center, "Opioid Overdose" case definition, May 2025; summarised in data/README.md and
-- PRODUCT.md). A patient care report counts when
--   * any of eSituation.09 Primary Symptom, eSituation.10 Other Associated Symptoms (unless
--     recorded as a pertinent negative, PN 8801031 "Symptom Not Present": those never reach
--     other_symptoms), eSituation.11 Provider's Primary Impression or eSituation.12 Provider's
--     Secondary Impressions is an ICD-10-CM code F11.* (opioid related disorders) or T40.0–T40.4,
--     T40.6 (poisoning by opioids and other narcotics; any intent, any encounter 7th character —
--     T40.5 cocaine and T40.7+ are not opioids), or
--   * a medication given (eMedications.03, not a pertinent negative) is naloxone — RxNorm 7242,
--     203192 or 197117, the codes the definition lists — with eMedications.07 Response to
--     Medication = 9916001 "Improved".
-- Change the version whenever a rule here changes; every row records the version that made it.
CREATE OR REPLACE MACRO ems_definition_version() AS 'nemsis-opioid-2025-05';

-- 'F11.20', 't40.1x1a', 'T404' -> true; 'T40.5X1A' (cocaine), 'F19' -> false; NULL -> false.
CREATE OR REPLACE MACRO ems_is_opioid_icd10(code) AS
  coalesce(regexp_full_match(upper(replace(trim(code), '.', '')), 'F11[0-9A-Z]*|T40[0-46][0-9A-Z]*'), false);

-- Naloxone in RxNorm, as the NEMSIS case definition lists it.
CREATE OR REPLACE MACRO ems_naloxone_rxnorm() AS ['7242', '203192', '197117'];

-- A medication given (see ems_encounters.medications) is naloxone: an RxNorm code from the list,
-- coded as RxNorm (eMedications.03 CodeType 9924003) or with no code type (flat extracts carry
-- RxNorm only). A SNOMED code (9924005) that happens to read 7242 is not naloxone.
CREATE OR REPLACE MACRO ems_is_naloxone(m) AS
  list_contains(ems_naloxone_rxnorm(), trim(m.code)) AND coalesce(m.code_type, '9924003') = '9924003';

CREATE OR REPLACE MACRO ems_naloxone_given(meds) AS
  len(list_filter(coalesce(meds, []), m -> ems_is_naloxone(m))) > 0;

-- eMedications.07 Response to Medication 9916001 = Improved.
CREATE OR REPLACE MACRO ems_naloxone_improved(meds) AS
  len(list_filter(coalesce(meds, []), m -> ems_is_naloxone(m) AND m.response = '9916001')) > 0;

CREATE OR REPLACE MACRO ems_opioid_overdose(primary_symptom, other_symptoms, primary_impression, secondary_impressions, meds) AS
  ems_is_opioid_icd10(primary_symptom)
  OR len(list_filter(coalesce(other_symptoms, []), c -> ems_is_opioid_icd10(c))) > 0
  OR ems_is_opioid_icd10(primary_impression)
  OR len(list_filter(coalesce(secondary_impressions, []), c -> ems_is_opioid_icd10(c))) > 0
  OR ems_naloxone_improved(meds);

-- Drug-overdose deaths and the drugs involved, by the CDC/NCHS ICD-10 definitions (PRODUCT.md):
--   overdose death: underlying cause X40–X44 (unintentional), X60–X64 (suicide), X85 (assault),
--                   Y10–Y14 (undetermined intent) — NCHS Data Brief No. 491 technical notes;
--   drugs involved, from the multiple-cause T-codes: T40.0–T40.4 and T40.6 any opioid (T40.5 is
--   cocaine, not an opioid); T40.1 heroin; T40.2 natural and semi-synthetic opioids; T40.3
--   methadone; T40.4 synthetic opioids other than methadone (mostly fentanyl); T40.5 cocaine;
--   T43.6 psychostimulants with abuse potential (methamphetamine); T42.4 benzodiazepines.
--   Xylazine has no ICD-10 code: it is taken from the toxicology substance list.
-- A death counts in every category it involves. Change the version whenever a rule changes.
CREATE OR REPLACE MACRO mortality_definition_version() AS 'nchs-icd10-v1';

-- 'x42 ', 'X42.0', 't40.4' -> 'X420', 'T404'; anything that is not letter+2 digits(+1 digit) -> NULL.
CREATE OR REPLACE MACRO icd10_norm(code) AS
  CASE WHEN regexp_full_match(upper(replace(trim(code), '.', '')), '[A-Z][0-9]{2}[0-9A-Z]?')
       THEN upper(replace(trim(code), '.', '')) END;

CREATE OR REPLACE MACRO is_drug_overdose_ucod(code) AS
  coalesce(regexp_full_match(icd10_norm(code), '(X4[0-4]|X6[0-4]|X85|Y1[0-4])[0-9]?'), false);

-- codes: the normalised 4-character multiple-cause codes of one death.
CREATE OR REPLACE MACRO has_any_code(codes, wanted) AS list_has_any(codes, wanted);
CREATE OR REPLACE MACRO is_opioid_tcodes(codes) AS
  list_has_any(codes, ['T400', 'T401', 'T402', 'T403', 'T404', 'T406']);
CREATE OR REPLACE MACRO is_stimulant_tcodes(codes) AS list_has_any(codes, ['T405', 'T436']);

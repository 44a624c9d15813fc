-- Treatment admissions, by SAMHSA TEDS-A codes (Treatment Episode Data Set – Admissions codebook:
-- SUB1/SUB2 substance, METHUSE medication-assisted opioid therapy, PSOURCE referral source,
-- AGE categories). The code lists are in ingest/feeds/treatment.ts; the counting rules are here.
-- Data protected by 42 CFR Part 2: aggregate use only, strictest small-cell suppression.
-- Change the version whenever a rule changes.
CREATE OR REPLACE MACRO treatment_definition_version() AS 'teds-a-v1';

-- TEDS-A SUB1 5 heroin, 6 non-prescription methadone, 7 other opiates and synthetics.
CREATE OR REPLACE MACRO teds_is_opioid(sub) AS coalesce(sub IN (5, 6, 7), false);

-- TEDS-A AGE categories: 1 12–14, 2 15–17, 3 18–20, 4 21–24, 5 25–29, 6 30–34, 7 35–39,
-- 8 40–44, 9 45–49, 10 50–54, 11 55–64, 12 65 and older. Under 12 has no TEDS-A category (NULL).
CREATE OR REPLACE MACRO teds_age_group(age) AS
  CASE WHEN age IS NULL OR age < 12 THEN NULL
       WHEN age <= 14 THEN 1 WHEN age <= 17 THEN 2 WHEN age <= 20 THEN 3 WHEN age <= 24 THEN 4
       WHEN age <= 29 THEN 5 WHEN age <= 34 THEN 6 WHEN age <= 39 THEN 7 WHEN age <= 44 THEN 8
       WHEN age <= 49 THEN 9 WHEN age <= 54 THEN 10 WHEN age <= 64 THEN 11 ELSE 12 END;

-- The provider's admission id is not stored (42 CFR Part 2): the natural key is its keyed hash
-- (HMAC-SHA256, RFC 2104, with the linkage key's pads bound at each use, as person_key does).
CREATE OR REPLACE MACRO treatment_record_key(ipad, opad, admission_id) AS
  CASE WHEN nullif(trim(admission_id), '') IS NOT NULL
       THEN sha256(opad || unhex(sha256(ipad || encode('teds-admission|' || trim(admission_id))))) END;

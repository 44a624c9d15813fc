-- Arrests and deflection/diversion referrals, counted by FBI NIBRS codes (NIBRS User Manual,
-- Data Element 6/45 UCR Offense Code, Data Element 20 Suspected Drug Type, Data Element 43 Type of
-- Arrest). The code lists themselves are in ingest/feeds/arrests.ts; the counting rules are here.
-- Change the version whenever a rule changes (v2: offense codes checked against the FBI list, not
-- their shape).
CREATE OR REPLACE MACRO arrests_definition_version() AS 'nibrs-v2';

-- NIBRS offense 35A Drug/Narcotic Violations, 35B Drug Equipment Violations.
CREATE OR REPLACE MACRO nibrs_is_drug_offense(code) AS coalesce(upper(trim(code)) IN ('35A', '35B'), false);

-- An arrest in NIBRS terms: Data Element 43 Type of Arrest O (on-view) and T (taken into custody)
-- are 'arrest' here, S (summoned/cited) is 'citation'; both are arrests in NIBRS counts.
CREATE OR REPLACE MACRO arrests_is_arrest(event_type) AS coalesce(event_type IN ('arrest', 'citation'), false);

-- Referral to services instead of (deflection, before any charge) or after (diversion) arrest.
CREATE OR REPLACE MACRO arrests_is_referral(event_type) AS
  coalesce(event_type IN ('deflection_referral', 'diversion_referral'), false);

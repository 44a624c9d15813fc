-- The City of Tempe "Opioid Overdose EMS Calls" open-data extract (Tempe Fire Medical Rescue,
-- CC-BY) carries no ICD-10 impressions and no medication response, so the NEMSIS case definition
-- (ems_nemsis_opioid.sql) cannot be applied to it. Its rows count as suspected opioid overdoses
-- by the department's own Opioid_Use field ('Yes'; 'No' and 'Unknown' do not count), under this
-- distinct definition version, so a Tempe number is never presented as a NEMSIS-definition number.
-- naloxone_given comes from Narcan_Given ('Yes' / 'No'; 'NULL' or empty = not recorded).
CREATE OR REPLACE MACRO ems_tempe_definition_version() AS 'tempe-opioid-use-field-v1';

CREATE OR REPLACE MACRO ems_tempe_opioid(opioid_use) AS coalesce(opioid_use = 'Yes', false);

CREATE OR REPLACE MACRO ems_tempe_naloxone(narcan_given) AS
  CASE narcan_given WHEN 'Yes' THEN true WHEN 'No' THEN false END;

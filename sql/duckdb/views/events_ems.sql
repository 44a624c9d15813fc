-- Countable events of the EMS feed: one per encounter, on the local date the unit was notified
-- (eTimes.03), in the area of the scene. No residence is read (ePatient.05–.09 hold the home
-- address), so residence_area is NULL. Which definition counted a row is in
-- ems_encounters.definition_version (NEMSIS case definition, or Tempe's own Opioid_Use field).
CREATE OR REPLACE VIEW events_ems AS
SELECT jurisdiction_id, 'ems.opioid_overdose' AS indicator, unit_notified_date AS event_date,
       NULL::VARCHAR AS residence_area, scene_area AS event_area
  FROM ems_encounters WHERE opioid_overdose
UNION ALL
SELECT jurisdiction_id, 'ems.naloxone_given', unit_notified_date, NULL::VARCHAR, scene_area
  FROM ems_encounters WHERE naloxone_given;

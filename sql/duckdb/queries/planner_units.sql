-- Naloxone planner (server/planner/data.ts): the police unit of every area of a jurisdiction, from
-- the crosswalk of kind $kind (jurisdiction.json → policeUnits.crosswalk; code = unit, one row per
-- area). Areas the crosswalk leaves out come back with unit NULL; an area under two units twice.
SELECT a.area_id AS area, a.name AS area_name, x.code AS unit
  FROM areas a
  LEFT JOIN crosswalks x
         ON x.jurisdiction_id = a.jurisdiction_id AND x.kind = $kind AND x.area_id = a.area_id
 WHERE a.jurisdiction_id = $jurisdiction
 ORDER BY a.area_id, x.code;

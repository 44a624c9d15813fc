-- Areas of a jurisdiction with their latest population estimate.
SELECT a.area_id AS id, a.name, a.group_name AS "group", a.geometry::VARCHAR AS geometry,
       (SELECT p.population FROM population p
         WHERE p.jurisdiction_id = a.jurisdiction_id AND p.area_id = a.area_id
         ORDER BY p.year DESC LIMIT 1) AS population
  FROM areas a
 WHERE a.jurisdiction_id = $jurisdiction
 ORDER BY a.area_id;

-- Areas of a jurisdiction in area_id order (the order signal_counts.sql indexes them by), with
-- their centroids for the space–time scan.
SELECT area_id AS id, name, centroid_lon AS lon, centroid_lat AS lat
  FROM areas
 WHERE jurisdiction_id = $jurisdiction
 ORDER BY area_id;

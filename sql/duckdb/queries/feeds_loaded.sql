-- Which feeds hold rows for a jurisdiction.
SELECT DISTINCT feed FROM loaded_files WHERE jurisdiction_id = $jurisdiction AND rows_accepted > 0;

-- Connecticut places from the state's Accidental Drug Related Deaths file (data.ct.gov rybz-4hxf).
-- There is no town boundary file: the jurisdiction's areas are the places the death file itself
-- names, at the coordinates it gives (fixtures/generators/connecticut-towns.ts). Its geo columns
-- read "CITY, CT\n(lat, lon)"; a bare "CT\n(lat, lon)" is the state's centroid, not a place.
-- Names are kept as written (upper-cased, spaces collapsed, a trailing ", CT", " CT 06238" or ","
-- dropped); misspellings are not corrected. The same rule builds the areas and places deaths.
CREATE OR REPLACE MACRO ct_place_norm(s) AS
  nullif(trim(regexp_replace(trim(regexp_replace(upper(coalesce(s, '')), '\s+', ' ', 'g')), '(,?\s+CT(\s+[0-9]{5})?|,)$', '')), '');

CREATE OR REPLACE MACRO ct_geo_name(geo) AS
  nullif(regexp_extract(coalesce(geo, ''), '^\s*(.*?)\s*,\s*CT\s*\(', 1), '');

CREATE OR REPLACE MACRO ct_geo_lat(geo) AS
  try_cast(nullif(regexp_extract(coalesce(geo, ''), '\(\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*\)\s*$', 1), '') AS DOUBLE);

CREATE OR REPLACE MACRO ct_geo_lon(geo) AS
  try_cast(nullif(regexp_extract(coalesce(geo, ''), '\(\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*\)\s*$', 2), '') AS DOUBLE);

-- The place code of a death's residence or injury: the geo column's place, else the city column,
-- only when the record's state column is blank or Connecticut (an out-of-state residence is
-- outside the jurisdiction even where the publisher's geocoder put it in Connecticut).
CREATE OR REPLACE MACRO ct_place_code(geo, city, state) AS
  CASE WHEN state IS NULL OR trim(state) = '' OR upper(trim(state)) IN ('CT', 'CONNECTICUT')
       THEN ct_place_norm(coalesce(ct_geo_name(geo), city)) END;

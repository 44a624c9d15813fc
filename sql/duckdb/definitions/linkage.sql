-- Person linkage across feeds by a keyed hash (PRODUCT.md, privacy rules): HMAC-SHA256
-- (RFC 2104) over normalised last name, first name and date of birth. The key never enters the
-- database: callers bind its inner and outer pads ($link_ipad, $link_opad) at each use.
-- Normalisation: lower case, letters only; date as YYYY-MM-DD. Any part missing gives NULL.
CREATE OR REPLACE MACRO linkage_norm_name(s) AS
  nullif(regexp_replace(lower(strip_accents(coalesce(s, ''))), '[^a-z]', '', 'g'), '');

-- The same from names normalised already (linkage_norm_name), for a caller that has them.
CREATE OR REPLACE MACRO person_key_normalised(ipad, opad, last_norm, first_norm, dob) AS
  CASE WHEN last_norm IS NOT NULL AND first_norm IS NOT NULL AND dob IS NOT NULL
       THEN sha256(opad || unhex(sha256(ipad || encode(last_norm || '|' || first_norm || '|' || strftime(dob::DATE, '%Y-%m-%d')))))
  END;

CREATE OR REPLACE MACRO person_key(ipad, opad, last_name, first_name, dob) AS
  person_key_normalised(ipad, opad, linkage_norm_name(last_name), linkage_norm_name(first_name), dob);

-- Substance terms of medical-examiner records (rows classified by the substance mapping, not by
-- ICD-10) that the mapping does not know: each one is a drug the categories may be missing.
-- Empty for every file the product was tested on; a new term belongs in
-- sql/duckdb/definitions/mortality_substances.sql, with a new version.
CREATE OR REPLACE VIEW mortality_substances_unmapped AS
SELECT d.jurisdiction_id, t.term, count(*)::INTEGER AS deaths,
       min(d.date_of_death) AS first_seen, max(d.date_of_death) AS last_seen
  FROM mortality_deaths d, unnest(d.substances) t(term)
 WHERE d.definition_version LIKE 'me-substances-%'
   AND t.term NOT IN (SELECT term FROM mortality_substance_map)
 GROUP BY ALL;

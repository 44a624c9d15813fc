-- Medical-examiner death files without ICD-10 coding (Allegheny County, Connecticut) load into
-- mortality_deaths too. They carry no underlying cause code, and inventing one (say X44 for
-- every accidental overdose) would put a code on a record that its publisher never coded; so the
-- column may be NULL: NULL means "not coded in the source". Such rows classify drugs by the
-- substance mapping (sql/duckdb/definitions/mortality_substances.sql), whose version is their
-- definition_version. Idempotent: dropping NOT NULL from a nullable column is a no-op.
ALTER TABLE mortality_deaths ALTER COLUMN underlying_cause DROP NOT NULL;

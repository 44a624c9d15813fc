-- NEMSIS v3.5.1 XSD simple types of the EMS elements ODStat reads (commonTypes_v3.xsd and the
-- section XSDs, 3.5.1.250403CP1). XSD patterns match the whole value, hence regexp_full_match.
-- Used by every EMS adapter that carries NEMSIS values (XML and flat extracts), so a value is
-- judged the same way whatever the file format.

-- DateTimeType (eTimes.03): pattern, a real xs:dateTime, and minInclusive 1950-01-01T00:00:00-00:00 /
-- maxInclusive 2050-01-01T00:00:00-00:00.
CREATE OR REPLACE MACRO nemsis_is_datetime(s) AS
  coalesce(regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.\d+)?(\+|-)[0-9]{2}:[0-9]{2}')
           AND try_cast(s AS TIMESTAMPTZ) BETWEEN '1950-01-01 00:00:00+00'::TIMESTAMPTZ AND '2050-01-01 00:00:00+00'::TIMESTAMPTZ,
           false);

-- DateOfBirth (ePatient.17): xs:date, minInclusive 1890-01-01, maxInclusive 2050-01-01.
CREATE OR REPLACE MACRO nemsis_is_date_of_birth(s) AS
  coalesce(regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
           AND try_cast(s AS DATE) BETWEEN DATE '1890-01-01' AND DATE '2050-01-01', false);

-- AssociatedSymptoms (eSituation.09/.10) and ProvidersImpression (eSituation.11/.12): ICD-10-CM.
CREATE OR REPLACE MACRO nemsis_is_icd10(code) AS
  coalesce(regexp_full_match(code, '(R[0-6][0-9](\.[0-9]{1,4})?|(R73\.9)|(R99))|([A-QSTUZ][0-9][0-9A-Z])((\.[0-9A-Z]{1,4})?)'), false);

-- GPSLocation (eScene.11): "latitude,longitude", up to 6 decimals.
CREATE OR REPLACE MACRO nemsis_is_gps(s) AS
  coalesce(regexp_full_match(s, '(\+|-)?(90(\.[0]{1,6})?|([1-8][0-9]|[0-9])(\.[0-9]{1,6})?),(\+|-)?(180(\.[0]{1,6})?|(1[0-7][0-9]|[1-9][0-9]|[0-9])(\.[0-9]{1,6})?)'), false);
CREATE OR REPLACE MACRO nemsis_gps_lat(s) AS try_cast(split_part(s, ',', 1) AS DOUBLE);
CREATE OR REPLACE MACRO nemsis_gps_lon(s) AS try_cast(split_part(s, ',', 2) AS DOUBLE);

-- Enumerations.
CREATE OR REPLACE MACRO nemsis_sex_codes() AS ['9919001', '9919003', '9919005'];            -- Sex (ePatient.25): Female, Male, Unknown
CREATE OR REPLACE MACRO nemsis_gender_codes() AS ['9906001', '9906003', '9906005', '9906007', '9906009', '9906011']; -- Gender (ePatient.13, deprecated)
CREATE OR REPLACE MACRO nemsis_age_unit_codes() AS ['2516001', '2516003', '2516005', '2516007', '2516009']; -- AgeUnits: days, hours, minutes, months, years
CREATE OR REPLACE MACRO nemsis_response_codes() AS ['9916001', '9916003', '9916005'];       -- Response (eMedications.07): improved, unchanged, worse
CREATE OR REPLACE MACRO nemsis_yes_no_codes() AS ['9923001', '9923003'];                    -- YesNoValues (eMedications.02)
CREATE OR REPLACE MACRO nemsis_code_type_codes() AS ['9924003', '9924005'];                 -- eMedications.03 CodeType: RxNorm, SNOMED
CREATE OR REPLACE MACRO nemsis_unit_disposition_codes() AS ['4227001', '4227003', '4227005', '4227007', '4227009', '4227011'];
CREATE OR REPLACE MACRO nemsis_patient_care_codes() AS ['4228001', '4228003', '4228005', '4228007', '4228009'];
CREATE OR REPLACE MACRO nemsis_transport_disposition_codes() AS ['4230001', '4230003', '4230005', '4230007', '4230009', '4230011', '4230013'];

-- Age (ePatient.15, integer 1–120) in whole years from AgeUnits (ePatient.16).
CREATE OR REPLACE MACRO nemsis_age_years(age, units) AS
  CASE units
    WHEN '2516009' THEN try_cast(age AS INTEGER)
    WHEN '2516007' THEN try_cast(age AS INTEGER) // 12
    WHEN '2516001' THEN try_cast(age AS INTEGER) // 365
    WHEN '2516003' THEN 0
    WHEN '2516005' THEN 0
  END;

CREATE OR REPLACE MACRO nemsis_sex(sex, gender) AS
  CASE WHEN sex = '9919001' THEN 'F' WHEN sex = '9919003' THEN 'M'
       WHEN sex IS NULL AND gender = '9906001' THEN 'F' WHEN sex IS NULL AND gender = '9906003' THEN 'M' END;

-- One label from the v3.5 incident disposition group (eDisposition.27/.28/.30):
--   no_patient_contact  unit disposition other than 4227001 Patient Contact Made
--   transported         transport by this or another EMS unit (4230001/03/05/07)
--   refused             patient refused evaluation/care (4228003, 4228007) or transport (4230009)
--   treated_released    evaluated and care provided (4228001), not transported
--   no_care_required    evaluated, no care required (4228005) or support services only (4228009)
CREATE OR REPLACE MACRO ems_disposition(unit, care, transport) AS
  CASE
    WHEN unit IS NOT NULL AND unit <> '4227001' THEN 'no_patient_contact'
    WHEN transport IN ('4230001', '4230003', '4230005', '4230007') THEN 'transported'
    WHEN care IN ('4228003', '4228007') OR transport = '4230009' THEN 'refused'
    WHEN care = '4228001' THEN 'treated_released'
    WHEN care IN ('4228005', '4228009') THEN 'no_care_required'
  END;

-- Not Values (NV.NotApplicable 7701001, NV.NotRecorded 7701003, NV.NotReporting 7701005) written
-- in a flat extract's cell mean "no value", like an empty cell.
-- (The same as CASE WHEN trim(x) IN (…) THEN NULL ELSE trim(x) END; trim() copies every value,
-- so a value with no space at either end, nearly all of them, is passed on as it is.)
CREATE OR REPLACE MACRO nemsis_value(x) AS
  CASE WHEN x IN ('', '7701001', '7701003', '7701005') THEN NULL
       WHEN NOT (starts_with(x, ' ') OR ends_with(x, ' ')) THEN x
       WHEN trim(x) IN ('', '7701001', '7701003', '7701005') THEN NULL
       ELSE trim(x) END;

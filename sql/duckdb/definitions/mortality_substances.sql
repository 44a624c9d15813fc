-- Drug categories of a death from a medical examiner's substance list or flags, for files that
-- carry no ICD-10 codes (Allegheny County ME, Connecticut OCME). One mapping for every such
-- feed: substance term → one category. The categories are those of the CDC/NCHS multiple-cause
-- definitions (PRODUCT.md; NCHS Data Brief No. 491 technical notes), with xylazine its own:
--   heroin                 T40.1
--   natural_semisynthetic  T40.2 natural and semi-synthetic opioids (morphine, codeine,
--                          oxycodone, hydrocodone, hydromorphone, oxymorphone, buprenorphine)
--   methadone              T40.3
--   synthetic_opioid       T40.4 synthetic opioids other than methadone: fentanyl, its analogues
--                          and precursors, tramadol, tapentadol, meperidine, propoxyphene,
--                          U-47700, nitazenes
--   opioid_unspecified     T40.0 / T40.6 opium and other, unspecified narcotics: an opiate screen,
--                          an "any opioid" flag, a flag that joins heroin with morphine/codeine
--   cocaine                T40.5 (and its metabolites benzoylecgonine, cocaethylene)
--   psychostimulant        T43.6 psychostimulants with abuse potential (methamphetamine,
--                          amphetamine, MDMA/MDA, methylphenidate, phentermine, modafinil,
--                          synthetic cathinones)
--   benzodiazepine         T42.4 (and designer benzodiazepines, etizolam, their metabolites)
--   xylazine               no ICD-10 code; its own category (PRODUCT.md)
--   other                  a drug or substance outside the categories above (alcohol, other
--                          prescription drugs, cannabinoids, dissociatives, inhalants …)
--   note                   text in a substance field that names no substance ("snorted", "uk")
-- Any opioid = heroin, natural_semisynthetic, methadone, synthetic_opioid or opioid_unspecified
-- (T40.0–T40.4, T40.6; cocaine T40.5 is not an opioid). A death counts in every category it
-- involves. A term not in the table maps to nothing and is listed by the view
-- mortality_substances_unmapped until it is added here. Change the version with any change.
CREATE OR REPLACE MACRO mortality_substance_map_version() AS 'me-substances-v1';

-- Terms are compared lower-cased with runs of white space collapsed.
CREATE OR REPLACE MACRO mortality_substance_norm(s) AS
  nullif(trim(regexp_replace(lower(coalesce(s, '')), '\s+', ' ', 'g')), '');

-- Free text that may name several substances ("Xylazine, PCP", "morphine/cod", "pcp. Bupren").
CREATE OR REPLACE MACRO mortality_substance_split(s) AS
  list_filter(list_transform(regexp_split_to_array(coalesce(s, ''), '\s*[,;/]\s*|\.\s+'), x -> mortality_substance_norm(x)), x -> x IS NOT NULL);

-- A manner of death other than natural keeps the death a drug-overdose death: both files list
-- only drug-related deaths, and the CDC/NCHS definition counts every intent (X40–X44, X60–X64,
-- X85, Y10–Y14); "Pending" and blank manners are kept as the publisher lists them.
CREATE OR REPLACE MACRO me_manner_is_overdose(manner) AS
  coalesce(lower(trim(manner)), '') <> 'natural';

CREATE OR REPLACE TABLE mortality_substance_map (term VARCHAR PRIMARY KEY, category VARCHAR NOT NULL);
INSERT INTO mortality_substance_map VALUES
  -- heroin (T40.1); 6-MAM is heroin's specific metabolite
  ('heroin', 'heroin'),
  ('heroin death certificate (dc)', 'heroin'),
  ('pos 6-mam', 'heroin'),
  -- natural and semi-synthetic opioids (T40.2); Connecticut's abbreviations as written
  ('morphine', 'natural_semisynthetic'),
  ('morphine (not heroin)', 'natural_semisynthetic'),
  ('morph', 'natural_semisynthetic'),
  ('morphin', 'natural_semisynthetic'),
  ('morphiine', 'natural_semisynthetic'),
  ('morph nos', 'natural_semisynthetic'),
  ('morphine nos', 'natural_semisynthetic'),
  ('morphine rx', 'natural_semisynthetic'),
  ('rx morphine', 'natural_semisynthetic'),
  ('morphine no 6mam', 'natural_semisynthetic'),
  ('morph pcp', 'natural_semisynthetic'),
  ('codeine', 'natural_semisynthetic'),
  ('cod', 'natural_semisynthetic'),
  ('dihydrocodeine', 'natural_semisynthetic'),
  ('oxycodone', 'natural_semisynthetic'),
  ('oxymorphone', 'natural_semisynthetic'),
  ('hydrocodone', 'natural_semisynthetic'),
  ('hydromorphone', 'natural_semisynthetic'),
  ('hydromorph', 'natural_semisynthetic'),
  ('hydromorp', 'natural_semisynthetic'),
  ('hydrom', 'natural_semisynthetic'),
  ('hydro morph', 'natural_semisynthetic'),
  ('hydr-mor', 'natural_semisynthetic'),
  ('hydrmorp', 'natural_semisynthetic'),
  ('hydmorph', 'natural_semisynthetic'),
  ('hyd-morph', 'natural_semisynthetic'),
  ('h-morph', 'natural_semisynthetic'),
  ('hyromorph', 'natural_semisynthetic'),
  ('buprenorphine', 'natural_semisynthetic'),
  ('bupre', 'natural_semisynthetic'),
  ('bupren', 'natural_semisynthetic'),
  ('bupreno', 'natural_semisynthetic'),
  ('buprenor', 'natural_semisynthetic'),
  ('buprenorp', 'natural_semisynthetic'),
  ('buprenorph', 'natural_semisynthetic'),
  ('buprenophine', 'natural_semisynthetic'),
  ('buprenorphone', 'natural_semisynthetic'),
  ('buprno', 'natural_semisynthetic'),
  ('buprnor', 'natural_semisynthetic'),
  -- methadone (T40.3); EDDP is methadone's specific metabolite
  ('methadone', 'methadone'),
  ('eddp', 'methadone'),
  -- synthetic opioids other than methadone (T40.4)
  ('fentanyl', 'synthetic_opioid'),
  ('fentanyl analogue', 'synthetic_opioid'),
  ('acetyl fentanyl', 'synthetic_opioid'),
  ('acryl fentanyl', 'synthetic_opioid'),
  ('benzyl fentanyl', 'synthetic_opioid'),
  ('butyryl fentanyl/isobutyryl fentanyl', 'synthetic_opioid'),
  ('carfentanil', 'synthetic_opioid'),
  ('3-methylfentanyl', 'synthetic_opioid'),
  ('cis-3-methylfentanyl', 'synthetic_opioid'),
  ('trans-3-methylfentanyl', 'synthetic_opioid'),
  ('cyclopropyl fentanyl', 'synthetic_opioid'),
  ('furanyl fentanyl', 'synthetic_opioid'),
  ('methoxyacetyl fentanyl', 'synthetic_opioid'),
  ('4-methoxy-butyryl fentanyl', 'synthetic_opioid'),
  ('para-fluorofentanyl', 'synthetic_opioid'),
  ('para-fluorobutyryl fentanyl/fibf', 'synthetic_opioid'),
  ('para-fluoroisobutyrylfentanyl', 'synthetic_opioid'),
  ('p-fluoroisobutyrylfentanyl/m-fibf', 'synthetic_opioid'),
  ('valeryl fentanyl', 'synthetic_opioid'),
  ('remifentanil', 'synthetic_opioid'),
  ('norfentanyl', 'synthetic_opioid'),
  ('despropionyl fentanyl 4-anpp', 'synthetic_opioid'),
  ('4-anpp', 'synthetic_opioid'),
  ('u-47700', 'synthetic_opioid'),
  ('u47700', 'synthetic_opioid'),
  ('u-47700 synthetic opioid', 'synthetic_opioid'),
  ('u-48800 synthetic opioid', 'synthetic_opioid'),
  ('n-desethyl isotonitazene', 'synthetic_opioid'),
  ('n-pyrrolidino etonitazene(etonitazepyne)', 'synthetic_opioid'),
  ('tramadol', 'synthetic_opioid'),
  ('tramad', 'synthetic_opioid'),
  ('o-desmethyltramadol', 'synthetic_opioid'),
  ('tapentadol', 'synthetic_opioid'),
  ('meperidine', 'synthetic_opioid'),
  ('propoxyphene', 'synthetic_opioid'),
  ('norpropoxyphene', 'synthetic_opioid'),
  -- opium / other and unspecified narcotics (T40.0, T40.6): an opioid, type not stated
  ('opiates', 'opioid_unspecified'),
  ('opiate', 'opioid_unspecified'),
  ('opiate nos', 'opioid_unspecified'),
  ('opiate screen', 'opioid_unspecified'),
  ('opioid', 'opioid_unspecified'),
  ('opioid nos', 'opioid_unspecified'),
  ('heroin/morph/codeine', 'opioid_unspecified'),
  ('other opioid', 'opioid_unspecified'),
  ('any opioid', 'opioid_unspecified'),
  -- cocaine (T40.5)
  ('cocaine', 'cocaine'),
  ('benzoylecgonine', 'cocaine'),
  ('cocaethylene', 'cocaine'),
  -- psychostimulants with abuse potential (T43.6); synthetic cathinones ("bath salts") included
  ('methamphetamine', 'psychostimulant'),
  ('meth/amphetamine', 'psychostimulant'),
  ('amphet', 'psychostimulant'),
  ('amphetamines', 'psychostimulant'),
  ('mdma', 'psychostimulant'),
  ('methylene dioxy amphetamine', 'psychostimulant'),
  ('methylphenidate', 'psychostimulant'),
  ('phentermine', 'psychostimulant'),
  ('phendimetrazine', 'psychostimulant'),
  ('modafinil', 'psychostimulant'),
  ('benzofuran', 'psychostimulant'),  -- the APB benzofurans, amphetamine analogues
  ('bath salts', 'psychostimulant'),
  ('bath salt', 'psychostimulant'),
  ('cathinone', 'psychostimulant'),
  ('butylone', 'psychostimulant'),
  ('ethylone', 'psychostimulant'),
  ('hexadrone', 'psychostimulant'),
  ('n-ethylpentylone', 'psychostimulant'),
  ('n-ethyl pentylone', 'psychostimulant'),
  ('n-ethyl-pentylone', 'psychostimulant'),
  -- benzodiazepines (T42.4), designer benzodiazepines and thienodiazepines, and metabolites
  ('benzodiazepine', 'benzodiazepine'),
  ('benzodiazepines', 'benzodiazepine'),
  ('alprazolam', 'benzodiazepine'),
  ('flualprazolam', 'benzodiazepine'),
  ('adinazolam', 'benzodiazepine'),
  ('bromazolam', 'benzodiazepine'),
  ('flubromazolam', 'benzodiazepine'),
  ('clonazepam', 'benzodiazepine'),
  ('7-aminoclonazepam', 'benzodiazepine'),
  ('diazepam', 'benzodiazepine'),
  ('nordiazepam', 'benzodiazepine'),
  ('oxazepam', 'benzodiazepine'),
  ('temazepam', 'benzodiazepine'),
  ('lorazepam', 'benzodiazepine'),
  ('chlordiazepoxide', 'benzodiazepine'),
  ('demoxepam', 'benzodiazepine'),
  ('chlorodiazepam', 'benzodiazepine'),
  ('delorazepam', 'benzodiazepine'),
  ('diclazepam', 'benzodiazepine'),
  ('midazolam', 'benzodiazepine'),
  ('flurazepam', 'benzodiazepine'),
  ('desalkylflurazepam', 'benzodiazepine'),
  ('etizolam', 'benzodiazepine'),
  ('alpha-hydroxyetizolam', 'benzodiazepine'),
  -- xylazine: no ICD-10 code
  ('xylazine', 'xylazine'),
  -- other drugs and substances: counted as found, in none of the categories above.
  -- Alcohol and inhalants (T51, T59 and others)
  ('alcohol', 'other'), ('ethanol', 'other'), ('methanol', 'other'), ('isopropanol', 'other'),
  ('isobutanol', 'other'), ('ethylene glycol', 'other'), ('acetone', 'other'),
  ('1,1-difluoroethane', 'other'), ('difluoroethane', 'other'), ('difluoroeth', 'other'),
  ('difluoro', 'other'), ('diflouro', 'other'), ('difluor', 'other'), ('difluro', 'other'),
  ('difluror', 'other'), ('dfe', 'other'), ('duster', 'other'), ('ethyl chloride', 'other'),
  ('isoflurane', 'other'), ('carbon monoxide', 'other'),
  -- opioid-receptor drugs that ICD-10 codes elsewhere: loperamide (T47.6), tianeptine
  -- (antidepressant, T43), kratom/mitragynine (no T40 code)
  ('loperamide', 'other'), ('tianeptine', 'other'), ('mitragynine', 'other'),
  ('mitragine', 'other'), ('mirtagynine', 'other'),
  -- Z-drugs (T42.6, not benzodiazepines), barbiturates (T42.3), other sedatives and anaesthetics
  ('zolpidem', 'other'), ('zolp', 'other'), ('eszopiclone', 'other'), ('zopiclone', 'other'),
  ('barbituates', 'other'), ('butabarbital', 'other'), ('butalbital', 'other'), ('butalb', 'other'),
  ('mephobarbital', 'other'), ('phenobarbital', 'other'), ('phenobarb', 'other'),
  ('meprobamate', 'other'), ('carisoprodol', 'other'), ('propofol', 'other'),
  ('gama-hydroxybutyric acid', 'other'), ('ghb', 'other'),
  -- dissociatives and hallucinogens (T40.8–T40.9, T41)
  ('ketamine', 'other'), ('ket', 'other'), ('2-fluoro deschloroketamine', 'other'),
  ('phencyclidine', 'other'), ('pcp', 'other'), ('methoxypcp', 'other'), ('lsd', 'other'),
  -- cannabis and synthetic cannabinoids (T40.7)
  ('marijuana', 'other'), ('synthetic cannabinoid', 'other'), ('4-fluoro-mdmb-binaca', 'other'),
  ('5f-adb 3', 'other'), ('3-dimethyl-butanoic acid', 'other'),
  -- sympathomimetics coded outside T43.6 (T44, T48), and a bare class name
  ('ephedrine', 'other'), ('pseudoephedrine', 'other'), ('ephedrine/pseuodoephedrine', 'other'),
  ('pseudo', 'other'), ('phenylpropanolamine', 'other'), ('phenethylamine', 'other'),
  -- adulterants
  ('levamisole', 'other'), ('quinine', 'other'),
  -- other prescription and over-the-counter drugs
  ('acetaminophen', 'other'), ('salicylate', 'other'), ('naproxen', 'other'),
  ('amitriptyline', 'other'), ('nortriptyline', 'other'), ('imipramine', 'other'),
  ('desipramine', 'other'), ('clomipramine', 'other'), ('doxepin', 'other'),
  ('tricyclic antidepressant', 'other'), ('bupropion', 'other'), ('buprop', 'other'),
  ('citalopram', 'other'), ('citalopram/escitalopram', 'other'), ('estilopram', 'other'),
  ('fluoxetine', 'other'), ('fluvoxamine', 'other'), ('paroxetine', 'other'), ('parox', 'other'),
  ('sertraline', 'other'), ('sert', 'other'), ('venlafaxine', 'other'), ('duloxetine', 'other'),
  ('mirtazapine', 'other'), ('trazodone', 'other'),
  ('quetiapine', 'other'), ('olanzapine', 'other'), ('risperidone', 'other'),
  ('clozapine', 'other'), ('chlorpromazine', 'other'), ('haloperidol', 'other'), ('lithium', 'other'),
  ('gabapentin', 'other'), ('topiramate', 'other'), ('lamotrigine', 'other'), ('carbamazepine', 'other'),
  ('oxcarbazepine', 'other'), ('phenytoin', 'other'), ('primidone', 'other'), ('valproic acid', 'other'),
  ('cyclobenzaprine', 'other'), ('metaxalone', 'other'),
  ('diphenhydramine', 'other'), ('diphen', 'other'), ('diphenh', 'other'), ('diphenhy', 'other'),
  ('doxylamine', 'other'), ('doxy', 'other'), ('dox', 'other'), ('hydroxyzine', 'other'),
  ('promethazine', 'other'), ('chlorpheniramine', 'other'), ('chlorphen', 'other'),
  ('pheniramine', 'other'), ('dextromethorphan', 'other'), ('guaifenesin', 'other'),
  ('diltiazem', 'other'), ('verapamil', 'other'), ('metoprolol', 'other'), ('labetalol', 'other'),
  ('glucophage', 'other'), ('insulin', 'other'), ('magnesium', 'other'), ('ivermectin', 'other'),
  -- Connecticut's "Other" column marked Y
  ('other', 'other'),
  -- text in a substance field that names no substance
  ('others', 'note'), ('uk', 'note'), ('quiet', 'note'), ('snorted', 'note'),
  ('no rx in pmp', 'note'), ('2-a', 'note'),
  ('opiate in hosp?', 'note');  -- an opiate given in hospital, not a finding of the death

-- Values of a yes/no substance flag (Connecticut): what each means (see mortality_flag_terms).
CREATE OR REPLACE TABLE mortality_flag_values (value VARCHAR PRIMARY KEY, meaning VARCHAR NOT NULL);
INSERT INTO mortality_flag_values VALUES
  ('y', 'positive'),
  ('y pops', 'positive'),      -- fentanyl flag: "pops" (pills) noted
  ('y (ptch)', 'positive'),    -- fentanyl flag: patch noted
  ('p', 'positive'),           -- ethanol flag: positive
  ('n', 'negative'),
  ('pcp neg', 'note'),         -- written in the morphine flag: a negative PCP screen
  ('no rx but straws', 'note'),
  ('stole meds', 'note');

-- The terms one flag column contributes (Connecticut), given its value v, the meaning the caller
-- looked up for mortality_substance_norm(v) in mortality_flag_values (NULL when not listed), the
-- column's own term (label) and whether the column is free text ("Other", "Other Opioid"):
--   blank → nothing; positive → the label; negative or a note → nothing;
--   other text in a free-text column → the substances it names (mortality_substance_split);
--   other text in a yes/no column → '<label>: <value>', which maps to nothing and so is listed
--   by mortality_substances_unmapped instead of being read as yes or no.
CREATE OR REPLACE MACRO mortality_flag_terms(v, meaning, label, freetext) AS
  CASE WHEN mortality_substance_norm(v) IS NULL THEN []::VARCHAR[]
       WHEN meaning = 'positive' THEN [label]
       WHEN meaning IN ('negative', 'note') THEN []::VARCHAR[]
       WHEN freetext THEN mortality_substance_split(v)
       ELSE [label || ': ' || mortality_substance_norm(v)]
  END;

-- Categories of a list of normalised terms (terms not in the map contribute none).
CREATE OR REPLACE MACRO mortality_substance_categories(terms) AS (
  SELECT coalesce(list_sort(list_distinct(list(m.category))), [])
    FROM (SELECT unnest(terms) AS t) u JOIN mortality_substance_map m ON m.term = u.t
);

CREATE OR REPLACE MACRO mortality_categories_opioid(cats) AS
  list_has_any(cats, ['heroin', 'natural_semisynthetic', 'methadone', 'synthetic_opioid', 'opioid_unspecified']);

-- Drug-checking samples: which detected substances set which flag. Substance names are lower
-- case (a drug-checking service's own names, or the class names the UNC Street Drug Analysis Lab
-- export gives, e.g. 'nitazene', 'designer benzodiazepine'). One list per sample; a sample counts
-- in every category it contains. Change the version whenever a rule changes.
CREATE OR REPLACE MACRO drugcheck_definition_version() AS 'drugcheck-v1';

-- The NYC Department of Health and Mental Hygiene's published monthly cells (ingest/feeds/drugcheck-nyc.ts)
-- are counted by the publisher's definitions (nychealth/drugchecking-data, data-tables/README: samples
-- received; samples sold as opioids and lab-tested, and those positive for fentanyl, xylazine,
-- medetomidine). This names that reading of the tables.
CREATE OR REPLACE MACRO drugcheck_nyc_aggregates_version() AS 'nyc-dohmh-data-tables-v1';

CREATE OR REPLACE MACRO drugcheck_is_fentanyl(s) AS s = 'fentanyl';

-- Fentanyl-related substances (DEA class scheduling, 21 CFR 1308.11(h)(30)) other than fentanyl:
-- any name carrying 'fentanyl'/'fentanil' (carfentanil, acetylfentanyl, para-fluorofentanyl …).
-- Precursors and by-products (4-ANPP, despropionyl fentanyl: 21 CFR 1308.12(g)) and metabolites
-- (norfentanyl) are not analogues; 'fentanyl impurities' is the UNC class of those.
CREATE OR REPLACE MACRO drugcheck_is_fentanyl_analogue(s) AS
  regexp_matches(s, 'fentan(yl|il)') AND s <> 'fentanyl'
  AND NOT regexp_matches(s, '(^|[^a-z])(despropionyl|nor|4-anpp|anpp)|impurit|precursor');

CREATE OR REPLACE MACRO drugcheck_is_xylazine(s) AS s = 'xylazine';

-- 2-benzylbenzimidazole opioids: names end in -nitazene (isotonitazene, metonitazene,
-- protonitazene …) or are the pyrrolidino/piperidino forms (etonitazepyne, etonitazepipne).
CREATE OR REPLACE MACRO drugcheck_is_nitazene(s) AS regexp_matches(s, 'nitazen|nitazep(y|i)');

-- Medetomidine and its enantiomers (dexmedetomidine, levomedetomidine).
CREATE OR REPLACE MACRO drugcheck_is_medetomidine(s) AS regexp_matches(s, 'medetomidine');

-- Benzodiazepines and designer benzodiazepines by name stem (WHO INN stems -azepam, -azolam;
-- bromazolam, etizolam, flualprazolam and desalkylgidazepam all match) or class name.
CREATE OR REPLACE MACRO drugcheck_is_benzodiazepine(s) AS regexp_matches(s, 'azepam|zolam|benzodiazepine');

-- A list without repeats, in the order first seen (list_distinct does not keep order).
CREATE OR REPLACE MACRO drugcheck_distinct(l) AS list_filter(l, (x, i) -> list_position(l, x) = i);

-- Flags of one sample from its list of detected substances.
CREATE OR REPLACE MACRO drugcheck_flags(detected) AS struct_pack(
  fentanyl := len(list_filter(coalesce(detected, []), x -> drugcheck_is_fentanyl(x))) > 0,
  fentanyl_analogue := len(list_filter(coalesce(detected, []), x -> drugcheck_is_fentanyl_analogue(x))) > 0,
  xylazine := len(list_filter(coalesce(detected, []), x -> drugcheck_is_xylazine(x))) > 0,
  nitazene := len(list_filter(coalesce(detected, []), x -> drugcheck_is_nitazene(x))) > 0,
  medetomidine := len(list_filter(coalesce(detected, []), x -> drugcheck_is_medetomidine(x))) > 0,
  benzodiazepine := len(list_filter(coalesce(detected, []), x -> drugcheck_is_benzodiazepine(x))) > 0
);

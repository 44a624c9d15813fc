-- Naloxone program logs: distributions of kits and administrations of doses.
-- Change the version whenever a rule changes.
CREATE OR REPLACE MACRO naloxone_definition_version() AS 'naloxone-log-v1';

-- Kits counted by naloxone.kits_distributed: the kits of every distribution event.
CREATE OR REPLACE MACRO naloxone_kits_distributed(event_kind, kits) AS
  CASE WHEN event_kind = 'distribution' THEN coalesce(kits, 0) ELSE 0 END;

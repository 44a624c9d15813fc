// What the medical-examiner death files (Allegheny County, Connecticut) share: they carry no ICD-10
// codes, so each death's drug categories come from its substance terms through one versioned
// mapping (sql/duckdb/definitions/mortality_substances.sql), and every row records that mapping's
// version as its definition_version. Both adapters stage into `stage_checked` with the columns
// line, reason, field, value, case_number, date_of_death, age_years, sex, race_ethnicity,
// residence_area, event_area, substances (normalised terms), any_drug.
import { createReadStream, createWriteStream, closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../../sql/duckdb.ts';
import { assignAreasByCode } from '../geo.ts';
import { addMalformedRows, dropCsvStage } from './csv-stage.ts';

/**
 * stage_parsed → stage_checked, the same for both files: event_area and residence_area from
 * event_code and residence_code; each row checked by the file's own CASE branches (`checks`, with
 * $earliest bound to `earliest`), then its age (field `ageField`) and its sex (`sexCheck`); `sex`
 * gives 'M', 'F' or NULL. Then the malformed rows are recorded, stage_parsed and the `drop` tables
 * dropped, and substance terms the mapping does not know logged.
 */
export async function checkMeStage(
  conn: DuckDBConnection,
  o: {
    jurisdiction: string;
    earliest: string;
    checks: string;
    ageField: string;
    sexCheck: string;
    sex: string;
    drop?: readonly string[];
    log: (message: string) => void;
  },
): Promise<void> {
  const { jurisdiction } = o;
  if (!/^\w+$/.test(o.ageField)) throw new Error(`checkMeStage: not a field name: ${o.ageField}`);
  await assignAreasByCode(conn, { jurisdiction, table: 'stage_parsed', code: 'event_code', target: 'event_area' });
  await assignAreasByCode(conn, { jurisdiction, table: 'stage_parsed', code: 'residence_code', target: 'residence_area' });
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stage_checked AS
       WITH c AS (
         SELECT *,
           CASE
             ${o.checks}
             WHEN nullif(trim(age_raw), '') IS NOT NULL AND (age_years IS NULL OR age_years NOT BETWEEN 0 AND 120)
               THEN struct_pack(reason := 'invalid_age', field := '${o.ageField}', value := age_raw)
             ${o.sexCheck}
           END AS why
         FROM stage_parsed
       )
       SELECT line, why.reason AS reason, why.field AS field, why.value AS value,
              case_number, date_of_death, try_cast(age_years AS SMALLINT) AS age_years,
              ${o.sex} AS sex,
              race_ethnicity, residence_area, event_area, substances, any_drug
         FROM c`,
    { earliest: o.earliest },
  );
  await addMalformedRows(conn);
  await dropCsvStage(conn, 'stage_parsed', ...(o.drop ?? []));
  const unmapped = await unmappedStagedTerms(conn);
  if (unmapped.length > 0) {
    o.log(`substances not in the mapping (${unmapped.length}): ${unmapped.slice(0, 10).map((u) => `${u.term} (${u.n})`).join(', ')}`);
  }
}

/** Inserts the accepted rows of stage_checked, replacing earlier rows with the same case number. */
export async function commitMeDeaths(
  conn: DuckDBConnection,
  { jurisdiction, runId, sha256 }: { jurisdiction: string; runId: string; sha256: string },
): Promise<void> {
  await conn.run(
    `DELETE FROM mortality_deaths
      WHERE jurisdiction_id = $j
        AND case_number IN (SELECT case_number FROM stage_checked WHERE reason IS NULL)`,
    { j: jurisdiction },
  );
  // No underlying cause and no multiple causes: these files are not ICD-10 coded (see
  // sql/duckdb/schema/015_mortality_me.sql). No person key: they carry no name or date of birth.
  await conn.run(
    `INSERT INTO mortality_deaths (
       jurisdiction_id, case_number, date_of_death, age_years, sex, race_ethnicity, residence_area, injury_area,
       underlying_cause, multiple_causes, substances, any_drug, opioid, heroin, natural_semisynthetic, methadone,
       synthetic_opioid, cocaine, psychostimulant, benzodiazepine, xylazine, definition_version, ingest_run_id,
       source_sha256, person_key, link_key_id)
     SELECT $j, case_number, date_of_death, age_years, sex, race_ethnicity, residence_area, event_area,
            NULL, []::VARCHAR[], substances, any_drug,
            mortality_categories_opioid(cats),
            list_contains(cats, 'heroin'),
            list_contains(cats, 'natural_semisynthetic'),
            list_contains(cats, 'methadone'),
            list_contains(cats, 'synthetic_opioid'),
            list_contains(cats, 'cocaine'),
            list_contains(cats, 'psychostimulant'),
            list_contains(cats, 'benzodiazepine'),
            list_contains(cats, 'xylazine'),
            mortality_substance_map_version(), $run, $sha, NULL, NULL
       FROM (SELECT *, mortality_substance_categories(substances) AS cats FROM stage_checked WHERE reason IS NULL)`,
    { j: jurisdiction, run: runId, sha: sha256 },
  );
}

/** Accepted deaths with no event (injury/incident) area: the geography these files place deaths by. */
export async function meUnassigned(conn: DuckDBConnection): Promise<number> {
  const [r] = await rows<{ n: number }>(
    conn,
    'SELECT count(*)::INTEGER AS n FROM stage_checked WHERE reason IS NULL AND event_area IS NULL',
  );
  return r?.n ?? 0;
}

export async function meDefinitionVersions(conn: DuckDBConnection): Promise<Record<string, string>> {
  const [r] = await rows<{ v: string }>(conn, 'SELECT mortality_substance_map_version() AS v');
  return { mortality_substances: r?.v ?? 'unknown' };
}

/** Terms of the staged accepted rows that the substance mapping does not know, most frequent first. */
export async function unmappedStagedTerms(conn: DuckDBConnection): Promise<{ term: string; n: number }[]> {
  return rows<{ term: string; n: number }>(
    conn,
    `SELECT t.term, count(*)::INTEGER AS n
       FROM stage_checked s, unnest(s.substances) t(term)
      WHERE s.reason IS NULL AND t.term NOT IN (SELECT term FROM mortality_substance_map)
      GROUP BY t.term ORDER BY n DESC, t.term`,
  );
}

/**
 * A file whose header line ends in CRLF while its records end in LF (as the WPRDC Allegheny
 * export does) defeats DuckDB's strict CSV reader, and its lenient mode would silently cut rows
 * with too many fields. Such a file is read through a copy whose header line ends in LF; every
 * other byte is the same, so lines and values are unchanged. Returns the path to read and a
 * cleanup function; a file without the mix is read as it is.
 */
export async function withUniformNewlines(file: string): Promise<{ path: string; cleanup: () => void }> {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(65536);
  let n = 0;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  const head = buf.subarray(0, n);
  const first = head.indexOf(0x0a);
  const second = first >= 0 ? head.indexOf(0x0a, first + 1) : -1;
  const mixed = first > 0 && head[first - 1] === 0x0d && second > first + 1 && head[second - 1] !== 0x0d;
  if (!mixed) return { path: file, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'odstat-csv-'));
  const path = join(dir, 'lf-header.csv');
  let done = false;
  const dropHeaderCr = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (done) return cb(null, chunk);
      const i = chunk.indexOf(0x0a);
      if (i < 0) return cb(null, chunk);
      done = true;
      // The CR sits just before the first LF, inside the first 64 KiB read above.
      cb(null, i > 0 && chunk[i - 1] === 0x0d ? Buffer.concat([chunk.subarray(0, i - 1), chunk.subarray(i)]) : chunk);
    },
  });
  await pipeline(createReadStream(file), dropHeaderCr, createWriteStream(path));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

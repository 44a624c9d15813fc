// The one substance → category mapping of the medical-examiner feeds
// (sql/duckdb/definitions/mortality_substances.sql), against the real engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuck, rows, type Duck } from '../../sql/duckdb.ts';

const CATEGORIES = [
  'heroin', 'natural_semisynthetic', 'methadone', 'synthetic_opioid', 'opioid_unspecified',
  'cocaine', 'psychostimulant', 'benzodiazepine', 'xylazine', 'other', 'note',
];

describe('mortality substance mapping', () => {
  let duck: Duck;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    duck = await openDuck(':memory:');
    conn = await duck.connect();
  });
  afterAll(() => {
    conn?.closeSync();
    duck?.close();
  });
  const q = <T>(sql: string, params = {}) => rows<T>(conn, sql, params);
  const cats = async (terms: string[]) => {
    const [r] = await q<{ c: string[] }>('SELECT mortality_substance_categories($t::VARCHAR[]) AS c', { t: JSON.stringify(terms) });
    return r!.c;
  };

  it('is versioned', async () => {
    expect(await q('SELECT mortality_substance_map_version() AS v')).toEqual([{ v: 'me-substances-v1' }]);
  });

  it('maps every term, normalised, to exactly one known category', async () => {
    const bad = await q(`SELECT term, category FROM mortality_substance_map
                          WHERE category NOT IN (SELECT unnest($c::VARCHAR[])) OR term <> mortality_substance_norm(term)`, { c: JSON.stringify(CATEGORIES) });
    expect(bad).toEqual([]);
    const [n] = await q<{ n: number; d: number }>('SELECT count(*)::INTEGER AS n, count(DISTINCT term)::INTEGER AS d FROM mortality_substance_map');
    expect(n!.n).toBe(n!.d);
    expect(n!.n).toBeGreaterThan(250);
  });

  it('follows the NCHS T-code categories, with xylazine its own', async () => {
    expect(await cats(['fentanyl'])).toEqual(['synthetic_opioid']);
    expect(await cats(['despropionyl fentanyl 4-anpp', 'carfentanil', 'tramadol', 'n-desethyl isotonitazene'])).toEqual(['synthetic_opioid']);
    expect(await cats(['heroin', 'pos 6-mam'])).toEqual(['heroin']);
    expect(await cats(['oxycodone', 'buprenorphine', 'bupren', 'morphine (not heroin)'])).toEqual(['natural_semisynthetic']);
    expect(await cats(['methadone', 'eddp'])).toEqual(['methadone']);
    expect(await cats(['cocaine', 'benzoylecgonine'])).toEqual(['cocaine']);
    expect(await cats(['methamphetamine', 'mdma', 'n-ethyl pentylone'])).toEqual(['psychostimulant']);
    expect(await cats(['alprazolam', 'bromazolam', 'etizolam'])).toEqual(['benzodiazepine']);
    expect(await cats(['xylazine'])).toEqual(['xylazine']);
    expect(await cats(['opiates', 'heroin/morph/codeine', 'any opioid'])).toEqual(['opioid_unspecified']);
    // Look-alikes that are not what they seem: bupropion is an antidepressant, loperamide T47.6,
    // zolpidem a Z-drug (T42.6), not a benzodiazepine.
    expect(await cats(['buprop', 'bupropion', 'loperamide', 'zolpidem', 'alcohol', 'gabapentin'])).toEqual(['other']);
    expect(await cats(['snorted', 'uk'])).toEqual(['note']);
    expect(await cats(['no such drug'])).toEqual([]);
    expect(await cats([])).toEqual([]);
  });

  it('counts a death in every category it involves; cocaine is not an opioid', async () => {
    const [r] = await q<{ c: string[]; opioid: boolean; coc_only: boolean }>(
      `SELECT mortality_substance_categories(['fentanyl', 'cocaine', 'xylazine', 'alcohol']) AS c,
              mortality_categories_opioid(mortality_substance_categories(['fentanyl'])) AS opioid,
              mortality_categories_opioid(mortality_substance_categories(['cocaine', 'methamphetamine'])) AS coc_only`,
    );
    expect(r).toEqual({ c: ['cocaine', 'other', 'synthetic_opioid', 'xylazine'], opioid: true, coc_only: false });
  });

  it('normalises case and spaces, and splits free text on , / ; and ". "', async () => {
    const [r] = await q<{ n: string; s: string[] }>(
      `SELECT mortality_substance_norm('  Para-Fluoro   Fentanyl ') AS n, mortality_substance_split('Xylazine, PCP/morph;  bupren. pcp') AS s`,
    );
    expect(r).toEqual({ n: 'para-fluoro fentanyl', s: ['xylazine', 'pcp', 'morph', 'bupren', 'pcp'] });
  });

  it('reads flag values as written: Y, y, Y (PTCH) yes; N no; notes nothing; anything else kept visible', async () => {
    const got = await q<{ v: string; terms: string[] }>(
      `SELECT v, mortality_flag_terms(v, (SELECT meaning FROM mortality_flag_values WHERE value = mortality_substance_norm(v)), 'fentanyl', false) AS terms
         FROM (SELECT unnest(['Y', 'y', 'Y (PTCH)', 'Y POPS', 'N', 'STOLE MEDS', '', 'maybe']) AS v) ORDER BY v`,
    );
    expect(Object.fromEntries(got.map((g) => [g.v, g.terms]))).toEqual({
      '': [],
      'maybe': ['fentanyl: maybe'],
      'N': [],
      'STOLE MEDS': [],
      'Y': ['fentanyl'],
      'Y (PTCH)': ['fentanyl'],
      'Y POPS': ['fentanyl'],
      'y': ['fentanyl'],
    });
    expect(await cats(['fentanyl: maybe'])).toEqual([]);
    const [free] = await q<{ y: string[]; t: string[] }>(
      `SELECT mortality_flag_terms('Y', 'positive', 'other opioid', true) AS y,
              mortality_flag_terms('Buprenorphine, U-47700', NULL, 'other opioid', true) AS t`,
    );
    expect(free).toEqual({ y: ['other opioid'], t: ['buprenorphine', 'u-47700'] });
  });

  it('lists a loaded term the map does not know, per jurisdiction, until the map learns it', async () => {
    await conn.run(
      `INSERT INTO mortality_deaths (jurisdiction_id, case_number, date_of_death, underlying_cause, multiple_causes, substances,
                                     any_drug, opioid, heroin, natural_semisynthetic, methadone, synthetic_opioid, cocaine,
                                     psychostimulant, benzodiazepine, xylazine, definition_version, ingest_run_id, source_sha256)
       VALUES ('t', 'A', DATE '2025-03-01', NULL, [], ['fentanyl', 'medetomidine'], true, true, false, false, false, true, false, false, false, false, 'me-substances-v1', 'r', 's'),
              ('t', 'B', DATE '2025-04-01', 'X42', ['T404'], ['medetomidine'], true, true, false, false, false, true, false, false, false, false, 'nchs-icd10-v1', 'r', 's')`,
    );
    expect(await q(`SELECT jurisdiction_id, term, deaths, strftime(first_seen, '%Y-%m-%d') AS first_seen FROM mortality_substances_unmapped`)).toEqual([
      { jurisdiction_id: 't', term: 'medetomidine', deaths: 1, first_seen: '2025-03-01' },
    ]);
    await conn.run(`DELETE FROM mortality_deaths WHERE jurisdiction_id = 't'`);
  });

  it('keeps a death an overdose death unless its manner is natural', async () => {
    const got = await q<{ m: string | null; od: boolean }>(
      `SELECT m, me_manner_is_overdose(m) AS od FROM (SELECT unnest(['Accident', 'ACCIDENT', 'Pending', NULL, 'Natural', ' natural ']) AS m)`,
    );
    expect(got.map((g) => g.od)).toEqual([true, true, true, true, false, false]);
  });
});

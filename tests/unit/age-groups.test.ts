// The 11 age groups of the 2000 U.S. standard in SQL (sql/duckdb/definitions/age_groups.sql), the
// modeled population by age (ingest/population-age.ts) and NYC's configured age shares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuck, rows, type Duck } from '../../sql/duckdb.ts';
import { US2000_STANDARD_11 } from '../../sql/epi/rates.ts';
import { AGE_GROUPS, checkShares, modelByShares } from '../../ingest/population-age.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { NYC_DIR } from '../helpers/fixtures.ts';

let duck: Duck;
let c: DuckDBConnection;
beforeAll(async () => {
  duck = await openDuck(':memory:');
  c = await duck.connect();
});
afterAll(() => {
  c?.closeSync();
  duck?.close();
});

const one = async (sql: string) => (await rows<{ v: unknown }>(c, `SELECT ${sql} AS v`))[0]!.v;

describe('age groups in SQL', () => {
  it('has the weights of sql/epi/rates.ts (PRODUCT.md), in order', async () => {
    const std = await rows<{ age_group: string; weight: number }>(c, 'SELECT age_group, weight FROM us2000_standard() ORDER BY ord');
    expect(std).toEqual(US2000_STANDARD_11.map((g) => ({ age_group: g.group, weight: g.weight })));
  });

  it('maps ages, bands and TEDS-A categories', async () => {
    const cases: [string, unknown][] = [
      ['std_age_group(0)', '<1'], ['std_age_group(1)', '1-4'], ['std_age_group(14)', '5-14'], ['std_age_group(15)', '15-24'],
      ['std_age_group(34)', '25-34'], ['std_age_group(64)', '55-64'], ['std_age_group(84)', '75-84'], ['std_age_group(85)', '85+'],
      ['std_age_group(NULL)', null], ['std_age_group(-1)', null],
      ['std_age_group_of_band(25, 29)', '25-34'], ['std_age_group_of_band(20, 24)', '15-24'], ['std_age_group_of_band(60, 69)', null],
      ['std_age_group_of_band(85, NULL)', '85+'], ['std_age_group_of_band(65, NULL)', null],
      ['teds_std_age_group(1)', '5-14'], ['teds_std_age_group(4)', '15-24'], ['teds_std_age_group(11)', '55-64'], ['teds_std_age_group(12)', '65+'],
    ];
    for (const [sql, want] of cases) expect(await one(sql), sql).toBe(want);
  });
});

describe('population by age', () => {
  it('models each area-year by the shares, summing back to the total', () => {
    const shares = new Map(AGE_GROUPS.map((g, i) => [g, (i + 1) / 66]));
    checkShares(shares, 'x');
    const out = modelByShares([{ area: 'A', year: 2024, population: 100_000 }], shares);
    expect(out).toHaveLength(11);
    expect(out.every((r) => r.modeled)).toBe(true);
    expect(out.reduce((s, r) => s + r.population, 0)).toBeCloseTo(100_000, 6);
    expect(() => checkShares(new Map([['<1', 1]]), 'x')).toThrow(/no share for age group/);
    expect(() => checkShares(new Map(AGE_GROUPS.map((g) => [g, 0.1])), 'x')).toThrow(/sum to 1\.1/);
  });

  it('loads NYC with the city-wide shares applied to every UHF 42 neighborhood, marked modeled', async () => {
    await loadJurisdiction(c, NYC_DIR);
    const [r] = await rows<{ groups: number; modeled: boolean; diff: number; areas: number }>(
      c,
      `SELECT count(DISTINCT a.age_group)::INTEGER AS groups, bool_and(a.modeled) AS modeled, count(DISTINCT a.area_id)::INTEGER AS areas,
              max(abs(s.total - p.population)) AS diff
         FROM population_age a
         JOIN (SELECT area_id, year, sum(population) AS total FROM population_age WHERE jurisdiction_id = 'nyc' GROUP BY ALL) s USING (area_id, year)
         JOIN population p ON p.jurisdiction_id = 'nyc' AND p.area_id = a.area_id AND p.year = a.year
        WHERE a.jurisdiction_id = 'nyc'`,
    );
    expect(r).toMatchObject({ groups: 11, modeled: true, areas: 42 });
    expect(r!.diff).toBeLessThan(1e-6);
    const csv = readFileSync(join(NYC_DIR, 'population-age-shares.csv'), 'utf8').trim().split('\n').slice(1);
    const [share85] = await rows<{ s: number }>(
      c,
      `SELECT a.population / p.population AS s FROM population_age a JOIN population p USING (jurisdiction_id, area_id, year)
        WHERE a.jurisdiction_id = 'nyc' AND a.area_id = '303' AND a.year = 2024 AND a.age_group = '85+'`,
    );
    expect(share85!.s).toBeCloseTo(Number(csv.find((l) => l.startsWith('85+'))!.split(',')[1]), 9);
  });
});

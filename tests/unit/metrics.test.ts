import { describe, expect, it } from 'vitest';
import { crudeRate, periodEnd } from '../../sql/metrics.ts';
import { periodMidYear, populationByYear, POPULATION_YEARS } from '../../ingest/jurisdiction.ts';
import { loadConfig } from '../../cli/config.ts';

describe('periods', () => {
  it.each([
    ['2024-02-01', 'month', '2024-02-29'],
    ['2023-02-01', 'month', '2023-02-28'],
    ['2024-12-01', 'month', '2024-12-31'],
    ['2024-10-01', 'quarter', '2024-12-31'],
    ['2024-01-01', 'year', '2024-12-31'],
    ['2024-12-30', 'week', '2025-01-05'],
    ['2024-03-10', 'day', '2024-03-10'],
  ] as const)('a %s %s ends on %s', (start, interval, end) => {
    expect(periodEnd(start, interval)).toBe(end);
  });
});

describe('crude rate per 100,000', () => {
  it('divides by population and scales', () => {
    expect(crudeRate(30, 150_000)).toBeCloseTo(20, 12);
    expect(crudeRate(0, 150_000)).toBe(0);
  });
  it('is null without a population', () => {
    expect(crudeRate(3, null)).toBeNull();
    expect(crudeRate(3, 0)).toBeNull();
  });
});

describe('population by year', () => {
  it('reads ACS-style periods as their mid-year', () => {
    expect(periodMidYear('2017-21')).toBe(2019);
    expect(periodMidYear('2010-2014')).toBe(2012);
    expect(periodMidYear('2020')).toBe(2020);
    expect(periodMidYear('1999-01')).toBe(2000);
    expect(periodMidYear('21-17')).toBeNull();
    expect(periodMidYear('2021-2017')).toBeNull();
  });
  it('gives every year the nearest period, the later on a tie, held beyond the ends', () => {
    const got = populationByYear([
      { area: 'a', period: '2007-11', population: 100 },
      { area: 'a', period: '2009-13', population: 120 },
      { area: 'a', period: '2017-21', population: 200 },
    ]);
    const of = (y: number) => got.find((r) => r.area === 'a' && r.year === y)?.population;
    expect(got).toHaveLength(POPULATION_YEARS.last - POPULATION_YEARS.first + 1);
    expect(of(2000)).toBe(100);
    expect(of(2009)).toBe(100);
    expect(of(2010)).toBe(120); // mid-years 2009 and 2011: 2011 is nearer
    expect(of(2014)).toBe(120);
    expect(of(2015)).toBe(200); // 2011 and 2019 are equally near: the later period wins
    expect(of(2030)).toBe(200);
  });
});

describe('configuration', () => {
  it('defaults to the embedded databases under ./data', () => {
    const c = loadConfig({});
    expect(c.pg.kind).toBe('embedded');
    expect(c.duckdbPath).toMatch(/data\/odstat\.duckdb$/);
    expect(c.port).toBe(8080);
    expect(c.duckdbMemoryLimit).toBeNull();
  });
  it('gives DuckDB the memory budget it is set', async () => {
    const { openDuck, rows } = await import('../../sql/duckdb.ts');
    const c = loadConfig({ ODSTAT_DUCKDB_MEMORY_LIMIT: '512MiB' });
    const duck = await openDuck(':memory:', { memoryLimit: c.duckdbMemoryLimit });
    const conn = await duck.connect();
    const [r] = await rows<{ v: string }>(conn, `SELECT current_setting('memory_limit') AS v`);
    conn.closeSync();
    duck.close();
    expect(r!.v).toBe('512.0 MiB');
  });
  it('uses a Postgres server when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d' }).pg).toEqual({ kind: 'server', url: 'postgres://u@h:5432/d' });
  });
  it.each([
    [{ ODSTAT_PORT: '99999' }, /ODSTAT_PORT=99999/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ ODSTAT_MAX_REJECT_SHARE: '2' }, /ODSTAT_MAX_REJECT_SHARE=2/],
    [{ ODSTAT_FIXTURES_END: '2024/01/01' }, /ODSTAT_FIXTURES_END/],
    [{ ODSTAT_DUCKDB_MEMORY_LIMIT: 'lots' }, /ODSTAT_DUCKDB_MEMORY_LIMIT=lots/],
    [{ ODSTAT_DUCKDB_MEMORY_LIMIT: "1GB'; DROP" }, /ODSTAT_DUCKDB_MEMORY_LIMIT/],
  ])('refuses %o', (env, msg) => {
    expect(() => loadConfig(env)).toThrow(msg);
  });
});

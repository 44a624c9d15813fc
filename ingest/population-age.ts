// Population by area, year and age group (the 11 groups of the 2000 U.S. standard), the
// denominators of age-specific and age-adjusted rates, loaded with a jurisdiction.
//
// Two forms in jurisdiction.json "populationByAge":
//   * "method": "by-area" — a file with a population per area, period and age group, as published.
//     Each year takes the period whose mid-year is nearest (as the total population does).
//   * "method": "uniform-shares" — a file of age-group shares for the whole jurisdiction,
//     applied to every area's total population of every year. This is a MODEL: it assumes every
//     area has the jurisdiction's age structure (NYC UHF 42: no age breakdown is published by
//     neighborhood; /work/shared/data/README.md "age structure must be modeled and said so"). Every
//     row it writes is marked modeled, and the API says so beside every age-adjusted rate.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { rows } from '../sql/duckdb.ts';
import { US2000_STANDARD_11 } from '../sql/epi/rates.ts';

export type PopulationByAgeConfig =
  | {
      method: 'uniform-shares';
      file: string;
      ageGroupColumn: string;
      shareColumn: string;
      source: string;
      note?: string;
    }
  | {
      method: 'by-area';
      file: string;
      areaColumn: string;
      periodColumn: string;
      ageGroupColumn: string;
      populationColumn: string;
      source: string;
      note?: string;
    };

export interface AgePopulationRow {
  area: string;
  year: number;
  ageGroup: string;
  population: number;
  modeled: boolean;
}

export const AGE_GROUPS: readonly string[] = US2000_STANDARD_11.map((g) => g.group);

export class AgeConfigError extends Error {}

/** Shares must name each of the 11 groups once, be non-negative and sum to 1 (±0.001). */
export function checkShares(shares: Map<string, number>, where: string): void {
  const missing = AGE_GROUPS.filter((g) => !shares.has(g));
  if (missing.length > 0) throw new AgeConfigError(`${where}: no share for age group(s) ${missing.join(', ')}; expected the 11 groups ${AGE_GROUPS.join(', ')}`);
  const sum = [...shares.values()].reduce((s, v) => s + v, 0);
  if (Math.abs(sum - 1) > 0.001) throw new AgeConfigError(`${where}: the age-group shares sum to ${sum.toFixed(6)}, not 1`);
}

/** The uniform-shares model: each area-year total × each group's share (normalised to sum 1). */
export function modelByShares(
  totals: readonly { area: string; year: number; population: number }[],
  shares: ReadonlyMap<string, number>,
): AgePopulationRow[] {
  const sum = AGE_GROUPS.reduce((s, g) => s + (shares.get(g) ?? 0), 0);
  const out: AgePopulationRow[] = [];
  for (const t of totals) {
    for (const g of AGE_GROUPS) out.push({ area: t.area, year: t.year, ageGroup: g, population: (t.population * (shares.get(g) ?? 0)) / sum, modeled: true });
  }
  return out;
}

/**
 * Reads the configured population by age. `byYear` turns (area, period, value) figures into one
 * figure per area and year (ingest/jurisdiction.ts populationByYear), `totals` are the areas'
 * total populations by year, `areas` the ids in the boundary file.
 */
export async function readPopulationByAge(
  conn: DuckDBConnection,
  dir: string,
  cfg: PopulationByAgeConfig,
  areas: ReadonlySet<string>,
  totals: readonly { area: string; year: number; population: number }[],
  byYear: (figures: { area: string; period: string; population: number }[]) => { area: string; year: number; population: number }[],
): Promise<AgePopulationRow[]> {
  const file = join(dir, cfg.file);
  if (!existsSync(file)) throw new AgeConfigError(`${file}: population-by-age file not found`);
  const raw = await rows<Record<string, string | null>>(
    conn,
    `SELECT * FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '"')`,
    { path: file },
  );
  const cols = cfg.method === 'uniform-shares' ? [cfg.ageGroupColumn, cfg.shareColumn] : [cfg.areaColumn, cfg.periodColumn, cfg.ageGroupColumn, cfg.populationColumn];
  const known = new Set(AGE_GROUPS);
  const num = (r: Record<string, string | null>, col: string, line: number): number => {
    const v = Number(r[col]);
    if (r[col] === null || r[col]?.trim() === '' || !Number.isFinite(v) || v < 0) throw new AgeConfigError(`${file}: line ${line}: "${col}" is not a non-negative number: ${r[col]}`);
    return v;
  };
  const group = (r: Record<string, string | null>, line: number): string => {
    const g = String(r[cfg.ageGroupColumn] ?? '').trim();
    if (!known.has(g)) throw new AgeConfigError(`${file}: line ${line}: age group "${g}" is not one of ${AGE_GROUPS.join(', ')}`);
    return g;
  };
  for (const c of cols) if (raw.length > 0 && !(c in raw[0]!)) throw new AgeConfigError(`${file}: no column "${c}"`);

  if (cfg.method === 'uniform-shares') {
    const shares = new Map<string, number>();
    raw.forEach((r, i) => {
      const g = group(r, i + 2);
      if (shares.has(g)) throw new AgeConfigError(`${file}: line ${i + 2}: age group "${g}" appears twice`);
      shares.set(g, num(r, cfg.shareColumn, i + 2));
    });
    checkShares(shares, file);
    return modelByShares(totals, shares);
  }
  if (cfg.method !== 'by-area') throw new AgeConfigError(`${file}: populationByAge.method must be "uniform-shares" or "by-area"`);
  const perGroup = new Map<string, { area: string; period: string; population: number }[]>();
  raw.forEach((r, i) => {
    const g = group(r, i + 2);
    const area = String(r[cfg.areaColumn] ?? '').trim();
    if (!areas.has(area)) return;
    const list = perGroup.get(g) ?? [];
    list.push({ area, period: String(r[cfg.periodColumn] ?? ''), population: num(r, cfg.populationColumn, i + 2) });
    perGroup.set(g, list);
  });
  const out: AgePopulationRow[] = [];
  for (const [g, figures] of perGroup) {
    for (const f of byYear(figures)) out.push({ area: f.area, year: f.year, ageGroup: g, population: f.population, modeled: false });
  }
  // An area-year is usable only with all 11 groups; a partial one would bias the adjustment.
  const count = new Map<string, number>();
  for (const r of out) count.set(`${r.area}|${r.year}`, (count.get(`${r.area}|${r.year}`) ?? 0) + 1);
  return out.filter((r) => count.get(`${r.area}|${r.year}`) === AGE_GROUPS.length);
}

/** Replaces the jurisdiction's population by age (inside the caller's transaction). */
export async function replacePopulationByAge(
  conn: DuckDBConnection,
  jurisdiction: string,
  cfg: PopulationByAgeConfig | undefined,
  ageRows: readonly AgePopulationRow[],
): Promise<void> {
  await conn.run('DELETE FROM population_age WHERE jurisdiction_id = $j', { j: jurisdiction });
  if (!cfg || ageRows.length === 0) return;
  const app = await conn.createAppender('population_age');
  for (const r of ageRows) {
    app.appendVarchar(jurisdiction);
    app.appendVarchar(r.area);
    app.appendInteger(r.year);
    app.appendVarchar(r.ageGroup);
    app.appendDouble(r.population);
    app.appendBoolean(r.modeled);
    app.appendVarchar(cfg.method);
    app.appendVarchar(cfg.source);
    app.endRow();
  }
  app.closeSync();
}

// What the naloxone planner reads from DuckDB: the units (police units from the jurisdiction's
// crosswalk, or the areas themselves), monthly counts by unit, the months of history every source
// covers, and the version of the data and definitions a plan was made on. SQL in
// sql/duckdb/queries/planner_*.sql; parameters bound.
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, rows } from '../../sql/duckdb.ts';
import { findIndicator } from '../../sql/indicators/index.ts';
import { indicatorRange } from '../../sql/metrics.ts';

/** A request the data cannot answer (a 400 for the API), naming the field at fault. */
export class PlanDataError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export type UnitKind = 'police' | 'areas';

export interface PlanUnit {
  id: string;
  name: string;
  /** Area ids in the unit, sorted. */
  areas: string[];
}

export interface UnitSet {
  kind: UnitKind;
  /** What one unit is: "NYPD patrol borough", or the jurisdiction's area kind. */
  label: string;
  /** The crosswalk's approximation, as jurisdiction.json states it (police units only). */
  note: string | null;
  units: PlanUnit[];
  /** Areas the crosswalk leaves out, each made its own unit (police units only). */
  unmapped: string[];
}

interface PoliceUnitsConfig {
  crosswalk?: string;
  unitKind?: string;
  note?: string;
}

export async function jurisdictionConfig(c: DuckDBConnection, jurisdiction: string): Promise<{ name: string; areaKind: string; synthetic: boolean; policeUnits: PoliceUnitsConfig | null } | null> {
  const [j] = await rows<{ name: string; config: string }>(c, `SELECT name, config::VARCHAR AS config FROM jurisdictions WHERE id = $j`, { j: jurisdiction });
  if (!j) return null;
  const cfg = JSON.parse(j.config) as { areaKind?: string; synthetic?: boolean; policeUnits?: PoliceUnitsConfig };
  return { name: j.name, areaKind: cfg.areaKind ?? 'area', synthetic: cfg.synthetic === true, policeUnits: cfg.policeUnits ?? null };
}

/**
 * The units of a plan. 'police': the jurisdiction's police-unit crosswalk (jurisdiction.json →
 * policeUnits.crosswalk names a crosswalk whose code is the unit); each unit ordered by its lowest
 * area id. An area the crosswalk leaves out becomes a unit of its own (listed in `unmapped`); an
 * area under two units is refused (a crosswalk must say where each area's kits go). 'areas': one
 * unit per area.
 */
export async function loadUnits(c: DuckDBConnection, jurisdiction: string, kind: UnitKind | undefined): Promise<UnitSet> {
  const cfg = await jurisdictionConfig(c, jurisdiction);
  if (!cfg) throw new PlanDataError('jurisdiction', `unknown jurisdiction "${jurisdiction}"`);
  const police = cfg.policeUnits?.crosswalk ? cfg.policeUnits : null;
  const want: UnitKind = kind ?? (police ? 'police' : 'areas');
  const list = await queryRows<{ area: string; area_name: string; unit: string | null }>(c, 'planner_units', {
    jurisdiction,
    kind: police?.crosswalk ?? '',
  });
  if (list.length === 0) throw new PlanDataError('jurisdiction', `jurisdiction "${jurisdiction}" has no areas loaded`);
  if (want === 'areas') {
    const seen = new Set<string>();
    const units = list.filter((r) => !seen.has(r.area) && seen.add(r.area)).map((r) => ({ id: r.area, name: r.area_name, areas: [r.area] }));
    return { kind: 'areas', label: cfg.areaKind, note: null, units, unmapped: [] };
  }
  if (!police) {
    throw new PlanDataError('units', `jurisdiction "${jurisdiction}" has no police-unit crosswalk (jurisdiction.json → policeUnits); use units=areas`);
  }
  const unitOf = new Map<string, string>();
  const names = new Map<string, string>();
  for (const r of list) {
    names.set(r.area, r.area_name);
    if (r.unit === null) continue;
    const before = unitOf.get(r.area);
    if (before !== undefined && before !== r.unit) {
      throw new PlanDataError('units', `area ${r.area} is under two police units ("${before}" and "${r.unit}") in the crosswalk "${police.crosswalk}"; give each area one unit`);
    }
    unitOf.set(r.area, r.unit);
  }
  const byUnit = new Map<string, string[]>();
  const unmapped: string[] = [];
  for (const area of names.keys()) {
    const u = unitOf.get(area);
    if (u === undefined) unmapped.push(area);
    else byUnit.set(u, [...(byUnit.get(u) ?? []), area]);
  }
  const units: PlanUnit[] = [...byUnit].map(([id, areas]) => ({ id, name: id, areas: areas.sort() }));
  for (const a of unmapped) units.push({ id: a, name: names.get(a) ?? a, areas: [a] });
  units.sort((a, b) => (a.areas[0]! < b.areas[0]! ? -1 : a.areas[0]! > b.areas[0]! ? 1 : 0));
  return { kind: 'police', label: police.unitKind ?? 'police unit', note: police.note ?? null, units, unmapped };
}

/** 'YYYY-MM' arithmetic. */
export function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  return `${String(yy).padStart(4, '0')}-${String(((m % 12) + 12) % 12 + 1).padStart(2, '0')}`;
}
export const monthsFrom = (a: string, b: string) => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

export interface Coverage {
  /** First whole month every source covers, 'YYYY-MM'. */
  first: string;
  /** Last whole month every source covers. */
  last: string;
  /** Each indicator's first and last event date. */
  ranges: Record<string, { first: string; last: string }>;
}

/** The whole months that every source covers (a month is whole when the data reach its last day). */
export async function coverage(c: DuckDBConnection, jurisdiction: string, indicators: readonly string[]): Promise<Coverage> {
  let first = '';
  let last = '9999-12';
  const ranges: Coverage['ranges'] = {};
  for (const id of indicators) {
    const r = await indicatorRange(c, jurisdiction, id);
    if (!r.first || !r.last) throw new PlanDataError('sources', `no ${id} data are loaded for ${jurisdiction}`);
    ranges[id] = { first: r.first, last: r.last };
    const f = r.first.endsWith('-01') ? r.first.slice(0, 7) : addMonths(r.first.slice(0, 7), 1);
    const l = r.last === lastDay(r.last.slice(0, 7)) ? r.last.slice(0, 7) : addMonths(r.last.slice(0, 7), -1);
    if (f > first) first = f;
    if (l < last) last = l;
  }
  return { first, last, ranges };
}

/**
 * Monthly counts by unit of one indicator over `months` ('YYYY-MM', consecutive), zero-filled.
 * Events with no area (or in an area of no unit) are left out.
 */
export async function unitMonths(
  c: DuckDBConnection,
  p: { jurisdiction: string; indicator: string; geography: 'event' | 'residence'; months: readonly string[] },
  units: readonly PlanUnit[],
): Promise<Map<string, number[]>> {
  const out = new Map(units.map((u) => [u.id, p.months.map(() => 0)]));
  if (p.months.length === 0) return out;
  const unitOf = new Map<string, string>();
  for (const u of units) for (const a of u.areas) unitOf.set(a, u.id);
  const col = new Map(p.months.map((m, i) => [m, i]));
  const found = await queryRows<{ area: string; month: string; n: number }>(c, 'planner_area_months', {
    jurisdiction: p.jurisdiction,
    indicator: p.indicator,
    geography: p.geography,
    from: `${p.months[0]}-01`,
    to: `${addMonths(p.months[p.months.length - 1]!, 1)}-01`,
  });
  for (const r of found) {
    const u = unitOf.get(r.area);
    const j = col.get(r.month);
    if (u === undefined || j === undefined) continue;
    out.get(u)![j]! += r.n;
  }
  return out;
}

export interface DataVersion {
  /** Files loaded for the jurisdiction, all feeds. */
  files: number;
  /** The ingest run of the latest load, and when it committed (UTC). */
  lastRun: string | null;
  lastLoadedAt: string | null;
  feeds: Record<string, { files: number; lastRun: string; lastLoadedAt: string }>;
}

export async function dataVersion(c: DuckDBConnection, jurisdiction: string): Promise<DataVersion> {
  const r = await queryRows<{ feed: string; files: number; last_run: string; last_loaded_at: string }>(c, 'planner_data_version', { jurisdiction });
  const feeds: DataVersion['feeds'] = {};
  let lastRun: string | null = null;
  let lastLoadedAt: string | null = null;
  for (const x of r) {
    feeds[x.feed] = { files: x.files, lastRun: x.last_run, lastLoadedAt: x.last_loaded_at };
    if (lastLoadedAt === null || x.last_loaded_at > lastLoadedAt) {
      lastLoadedAt = x.last_loaded_at;
      lastRun = x.last_run;
    }
  }
  return { files: r.reduce((s, x) => s + x.files, 0), lastRun, lastLoadedAt, feeds };
}

/** The definition version in force for each indicator (its catalog macro). */
export async function definitionVersions(c: DuckDBConnection, indicators: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of indicators) {
    const def = findIndicator(id);
    if (!def) continue;
    const [v] = await rows<{ v: string }>(c, `SELECT ${def.versionMacro}() AS v`);
    out[id] = v?.v ?? 'unknown';
  }
  return out;
}

// Tests of the seeded synthetic mortality feed (fixtures/generators/mortality.ts).
//
// Everything is checked against the generated CSV text, re-read here with an independent,
// deliberately simple RFC 4180 parser and classifier; nothing is copied from a previous run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../helpers/csv.ts';
import {
  MORTALITY_CSV_COLUMNS,
  MORTALITY_GENERATOR_VERSION,
  defaultEndDate,
  generateMortality,
  mortalityCsv,
  type GeneratorArea,
  type MortalityManifest,
} from '../../fixtures/generators/mortality.ts';

// ---------------------------------------------------------------------------------------------
// Inputs: the real UHF 42 geography and ACS 2017-21 population, read directly
// ---------------------------------------------------------------------------------------------

function loadAreas(): GeneratorArea[] {
  const root = new URL('../../fixtures/jurisdictions/nyc/', import.meta.url);
  const geo = JSON.parse(readFileSync(new URL('uhf42.geo.json', root), 'utf8')) as {
    features: { properties: { GEOCODE: number | string; GEONAME: string; BOROUGH: string } }[];
  };
  const pop = new Map<string, number>();
  const lines = readFileSync(new URL('population.csv', root), 'utf8').trim().split(/\r?\n/);
  const header = (lines[0] ?? '').split(',');
  const iCode = header.indexOf('uhf42_code');
  const iPeriod = header.indexOf('acs_period');
  const iPop = header.indexOf('population');
  for (const line of lines.slice(1)) {
    const c = line.split(',');
    if (c[iPeriod] === '2017-21') pop.set(String(c[iCode]), Number(c[iPop]));
  }
  return geo.features
    .map((f) => String(f.properties.GEOCODE))
    .filter((id) => id !== '0')
    .map((id) => {
      const f = geo.features.find((g) => String(g.properties.GEOCODE) === id)!;
      return { id, name: f.properties.GEONAME, group: f.properties.BOROUGH, population: pop.get(id) ?? NaN };
    });
}

const AREAS = loadAreas();
const AREA_IDS = new Set(AREAS.map((a) => a.id));
const GROUP_OF = new Map(AREAS.map((a) => [a.id, a.group]));
const END = '2026-10-31';

// ---------------------------------------------------------------------------------------------
// Independent reading of the file
// ---------------------------------------------------------------------------------------------


function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function normCode(s: string): string {
  return s.trim().toUpperCase().replace('.', '');
}

/** A validator written from the brief, independent of the generator. Returns a reason or null. */
function rejectReason(cells: string[], seen: Set<string>, start: string, end: string): string | null {
  const [caseNo = '', date = '', , , , age = '', , , , , ucod = ''] = cells;
  if (caseNo.trim() === '') return 'missing_case_number';
  if (seen.has(caseNo)) return 'duplicate_case_number';
  if (!isRealDate(date)) return 'invalid_date';
  if (date > end || date < start) return 'date_out_of_range';
  if (!/^\d{1,3}$/.test(age) || Number(age) > 120) return 'invalid_age';
  if (!/^[A-Z]\d\d[0-9A-Z]?$/.test(normCode(ucod))) return 'invalid_icd10';
  return null;
}

interface Row {
  line: number;
  caseNo: string;
  date: string;
  name: string;
  dob: string;
  address: string;
  age: number;
  sex: string;
  race: string;
  res: string;
  inj: string;
  ucod: string;
  tcodes: string[];
  tox: string[];
  overdose: boolean;
}

interface Read {
  header: string[];
  all: string[][];
  valid: Row[];
  rejects: { line: number; caseNumber: string; reason: string }[];
}

function readFile(csv: string, start: string, end: string): Read {
  const parsed = parseCsv(csv);
  const [header = [], ...all] = parsed;
  const seen = new Set<string>();
  const valid: Row[] = [];
  const rejects: Read['rejects'] = [];
  all.forEach((cells, i) => {
    const line = i + 2;
    const reason = rejectReason(cells, seen, start, end);
    if (cells[0]) seen.add(cells[0]);
    if (reason) {
      rejects.push({ line, caseNumber: cells[0] ?? '', reason });
      return;
    }
    const c = (k: number): string => cells[k] ?? '';
    const u = normCode(c(10)).slice(0, 3);
    valid.push({
      line,
      caseNo: c(0),
      date: c(1),
      name: c(2),
      dob: c(3),
      address: c(4),
      age: Number(c(5)),
      sex: c(6),
      race: c(7),
      res: c(8),
      inj: c(9),
      ucod: c(10),
      tcodes: c(11) === '' ? [] : c(11).split(';').map(normCode),
      tox: c(12) === '' ? [] : c(12).split(';').map((s) => s.trim()),
      overdose: /^(X4[0-4]|X6[0-4]|X85|Y1[0-4])$/.test(u),
    });
  });
  return { header, all, valid, rejects };
}

/** Expected counts recomputed from the rows with the definitions in the brief. */
function recount(valid: Row[], areaIds: Iterable<string>): MortalityManifest['expected'] {
  const byYear: MortalityManifest['expected']['byYear'] = {};
  const byArea: Record<string, number> = {};
  for (const id of areaIds) byArea[id] = 0;
  for (const r of valid) {
    const y = (byYear[r.date.slice(0, 4)] ??= {
      any_drug: 0, opioid: 0, fentanyl: 0, stimulant: 0, xylazine: 0, non_overdose: 0, nonresident: 0,
    });
    if (!r.overdose) {
      y.non_overdose++;
      continue;
    }
    y.any_drug++;
    if (r.tcodes.some((t) => ['T400', 'T401', 'T402', 'T403', 'T404', 'T406'].includes(t))) y.opioid++;
    if (r.tcodes.includes('T404')) y.fentanyl++;
    if (r.tcodes.includes('T405') || r.tcodes.includes('T436')) y.stimulant++;
    if (r.tox.includes('xylazine')) y.xylazine++;
    if (r.res === '') y.nonresident++;
    else byArea[r.res] = (byArea[r.res] ?? 0) + 1;
  }
  return { byYear, byArea };
}

function ageAt(dob: string, dod: string): number {
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [dy, dm, dd] = dod.split('-').map(Number) as [number, number, number];
  return dy - by - (dm < bm || (dm === bm && dd < bd) ? 1 : 0);
}

const addDays = (iso: string, n: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

// One default run shared by most tests (timed).
const base = generateMortality({ seed: 42, end: END, areas: AREAS });
const baseCsv = mortalityCsv(base.rows);
const m = base.manifest;
const read = readFile(baseCsv, m.start, m.end);
const od = read.valid.filter((r) => r.overdose);
const share = (xs: Row[], f: (r: Row) => boolean): number => xs.filter(f).length / xs.length;
const inYear = (y: string) => (r: Row) => r.date.startsWith(y);

// ---------------------------------------------------------------------------------------------

describe('mortality generator: inputs and API', () => {
  it('reads the 42 UHF neighborhoods with populations', () => {
    expect(AREAS).toHaveLength(42);
    expect(AREAS.every((a) => a.population > 10_000)).toBe(true);
    expect(new Set(AREAS.map((a) => a.group))).toEqual(
      new Set(['Bronx', 'Brooklyn', 'Manhattan', 'Queens', 'Staten Island']),
    );
  });

  it('defaultEndDate is the last day of the last complete UTC month', () => {
    expect(defaultEndDate(new Date(Date.UTC(2026, 10, 24)))).toBe('2026-10-31');
    expect(defaultEndDate(new Date(Date.UTC(2024, 2, 1, 0, 0, 1)))).toBe('2024-02-29');
    expect(defaultEndDate(new Date(Date.UTC(2026, 0, 15)))).toBe('2025-12-31');
    expect(defaultEndDate(new Date(Date.UTC(2023, 2, 31, 23, 59)))).toBe('2023-02-28');
  });

  it('writes the exact header and 13 cells per row; manifest basics', () => {
    expect(baseCsv.split('\n')[0]).toBe(
      'case_number,date_of_death,decedent_name,date_of_birth,residence_address,age_years,sex,race_ethnicity,residence_area_code,injury_area_code,underlying_cause_icd10,multiple_causes_icd10,toxicology_substances',
    );
    expect(read.header).toEqual([...MORTALITY_CSV_COLUMNS]);
    expect(read.all.every((r) => r.length === 13)).toBe(true);
    expect(read.all).toEqual(base.rows);
    expect(m.rows).toBe(base.rows.length);
    expect(baseCsv.endsWith('\n')).toBe(true);
    expect(baseCsv.includes('\r')).toBe(false);
    expect(m.generator).toBe(MORTALITY_GENERATOR_VERSION);
    expect(m.synthetic).toBe(true);
    expect(m.seed).toBe(42);
    expect(m.scale).toBe(1);
    expect(m.start).toBe('2020-11-01');
    expect(m.end).toBe(END);
    expect(m.assumptions.length).toBeGreaterThanOrEqual(10);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('mortalityCsv quotes per RFC 4180 and round-trips', () => {
    const rows = [
      ['a"b', 'c,d', 'e\nf', ' x42', '', 'plain', 'g', 'h', 'i', 'j', 'k', 'l', 'm;n'],
      base.rows[0]!,
    ];
    const text = mortalityCsv(rows);
    expect(text.split('\n')[1]!.startsWith('"a""b","c,d","e')).toBe(true);
    expect(text).toContain(',plain,');
    expect(text).toContain(', x42,');
    expect(parseCsv(text).slice(1)).toEqual(rows);
  });
});

describe('mortality generator: determinism', () => {
  it('same options give a byte-identical CSV and manifest', () => {
    const again = generateMortality({ seed: 42, end: END, areas: AREAS });
    expect(mortalityCsv(again.rows) === baseCsv).toBe(true);
    expect(JSON.stringify(again.manifest)).toBe(JSON.stringify(m));
  });

  it('a different seed gives different output', () => {
    const other = generateMortality({ seed: 43, end: END, areas: AREAS });
    expect(mortalityCsv(other.rows)).not.toBe(baseCsv);
    expect(other.manifest.expected).not.toEqual(m.expected);
  });

  it('does not depend on the order of the areas passed in for its validity', () => {
    const reversed = generateMortality({ seed: 42, end: END, areas: AREAS.slice().reverse() });
    const r = readFile(mortalityCsv(reversed.rows), reversed.manifest.start, reversed.manifest.end);
    expect(recount(r.valid, AREA_IDS)).toEqual(reversed.manifest.expected);
  });
});

describe('mortality generator: planted rejects', () => {
  it('exactly the six planted rows fail an independent validator, at the stated lines and reasons', () => {
    expect(m.plantedRejects).toHaveLength(6);
    expect(read.rejects).toEqual(m.plantedRejects);
    expect(new Set(m.plantedRejects.map((p) => p.reason))).toEqual(
      new Set([
        'invalid_date',
        'date_out_of_range',
        'missing_case_number',
        'invalid_age',
        'invalid_icd10',
        'duplicate_case_number',
      ]),
    );
  });

  it('the rejects look as the brief says and are spread across the file', () => {
    const byReason = new Map(m.plantedRejects.map((p) => [p.reason, p]));
    const cells = (reason: string): string[] => read.all[byReason.get(reason)!.line - 2]!;
    expect(cells('invalid_date')[1]).toBe('2023-02-30');
    expect(cells('date_out_of_range')[1]! > END).toBe(true);
    expect(isRealDate(cells('date_out_of_range')[1]!)).toBe(true);
    expect(cells('missing_case_number')[0]).toBe('');
    expect(cells('invalid_age')[5]).toBe('abc');
    expect(cells('invalid_icd10')[10]).toBe('X4');
    const dup = byReason.get('duplicate_case_number')!;
    const firstLine = read.all.findIndex((r) => r[0] === dup.caseNumber) + 2;
    expect(firstLine).toBeLessThan(dup.line);
    // The original is a valid row and is counted (first occurrence wins).
    expect(read.valid.some((r) => r.line === firstLine)).toBe(true);
    const lines = m.plantedRejects.map((p) => p.line).sort((a, b) => a - b);
    const n = read.all.length;
    expect(lines[0]!).toBeLessThan(0.2 * n);
    expect(lines[5]!).toBeGreaterThan(0.8 * n);
    for (let i = 1; i < 6; i++) expect(lines[i]! - lines[i - 1]!).toBeGreaterThan(0.05 * n);
  });
});

describe('mortality generator: manifest expected counts', () => {
  it('equal the counts recomputed from the rows', () => {
    expect(recount(read.valid, AREA_IDS)).toEqual(m.expected);
  });

  it('equal the recount for another period, seed and scale too', () => {
    const g = generateMortality({ seed: 7, end: '2024-06-30', years: 3, areas: AREAS, scale: 0.5 });
    expect(g.manifest.start).toBe('2021-07-01');
    const r = readFile(mortalityCsv(g.rows), g.manifest.start, g.manifest.end);
    expect(r.rejects).toEqual(g.manifest.plantedRejects);
    expect(r.rejects).toHaveLength(6);
    expect(recount(r.valid, AREA_IDS)).toEqual(g.manifest.expected);
    // Half scale: about half the 2022 deaths (spikes are not scaled).
    const y2022 = g.manifest.expected.byYear['2022']!.any_drug;
    expect(y2022).toBeGreaterThan(3030 * 0.5 * 0.9);
    expect(y2022).toBeLessThan(3030 * 0.5 * 1.1 + 60);
  });

  it('yearly overdose deaths are near the calibration table', () => {
    const table: Record<string, number> = { '2021': 2670, '2022': 3030, '2023': 3050, '2024': 2270, '2025': 1950 };
    for (const [y, target] of Object.entries(table)) {
      const got = m.expected.byYear[y]!.any_drug;
      expect(Math.abs(got - target) / target, `year ${y}: ${got} vs ${target}`).toBeLessThan(0.06);
    }
    // Partial years: 2020 is Nov–Dec, 2026 is Jan–Oct.
    expect(m.expected.byYear['2020']!.any_drug).toBeGreaterThan((2100 * 2) / 12 * 0.8);
    expect(m.expected.byYear['2020']!.any_drug).toBeLessThan((2100 * 2) / 12 * 1.2);
    expect(m.expected.byYear['2026']!.any_drug).toBeGreaterThan((1850 * 10) / 12 * 0.9);
    expect(m.expected.byYear['2026']!.any_drug).toBeLessThan((1850 * 10) / 12 * 1.1 + 40);
    expect(Object.keys(m.expected.byYear).sort()).toEqual(['2020', '2021', '2022', '2023', '2024', '2025', '2026']);
  });

  it('about 6% of rows are non-overdose drug deaths and about 3% of overdose deaths non-residents', () => {
    expect(share(read.valid, (r) => !r.overdose)).toBeGreaterThan(0.045);
    expect(share(read.valid, (r) => !r.overdose)).toBeLessThan(0.075);
    expect(share(od, (r) => r.res === '')).toBeGreaterThan(0.02);
    expect(share(od, (r) => r.res === '')).toBeLessThan(0.045);
    // Non-overdose rows do carry drug codes sometimes, so the definition matters.
    const nonOd = read.valid.filter((r) => !r.overdose);
    expect(nonOd.some((r) => r.tcodes.includes('T404'))).toBe(true);
    expect(new Set(nonOd.map((r) => normCode(r.ucod)))).toEqual(new Set(['F112', 'F142', 'F192', 'K703', 'I251']));
  });
});

describe('mortality generator: records', () => {
  it('dates lie in the period and rows are sorted by date of death', () => {
    expect(read.valid.filter((r) => r.date < m.start || r.date > m.end)).toEqual([]);
    const unsorted = read.valid.filter((r, i) => i > 0 && r.date < read.valid[i - 1]!.date);
    expect(unsorted).toEqual([]);
    expect(read.valid[0]!.date <= addDays(m.start, 2)).toBe(true);
    const afterEnd = read.all.filter((c) => isRealDate(c[1]!) && c[1]! > END);
    expect(afterEnd).toHaveLength(1);
  });

  it('case numbers look like ME-YYYY-NNNNNN and are unique among valid rows', () => {
    expect(read.valid.every((r) => /^ME-\d{4}-\d{6}$/.test(r.caseNo) && r.caseNo.slice(3, 7) === r.date.slice(0, 4))).toBe(true);
    expect(new Set(read.valid.map((r) => r.caseNo)).size).toBe(read.valid.length);
  });

  it('areas are valid UHF ids; non-residents have out-of-city addresses; injury area mostly = residence', () => {
    expect(read.valid.every((r) => r.res === '' || AREA_IDS.has(r.res))).toBe(true);
    expect(read.valid.every((r) => r.inj === '' || AREA_IDS.has(r.inj))).toBe(true);
    expect(new Set(read.valid.map((r) => r.res)).size).toBe(43); // 42 areas + non-resident
    const boroughs = /, (Bronx|Brooklyn|New York|Queens|Staten Island), NY$/;
    expect(read.valid.filter((r) => r.res === '').every((r) => !boroughs.test(r.address))).toBe(true);
    expect(read.valid.filter((r) => r.res !== '').every((r) => boroughs.test(r.address))).toBe(true);
    const residents = read.valid.filter((r) => r.res !== '');
    const unknown = share(residents, (r) => r.inj === '');
    const elsewhere = share(residents, (r) => r.inj !== '' && r.inj !== r.res);
    expect(unknown).toBeGreaterThan(0.01);
    expect(unknown).toBeLessThan(0.035);
    expect(elsewhere).toBeGreaterThan(0.12);
    expect(elsewhere).toBeLessThan(0.18);
    const moved = residents.filter((r) => r.inj !== '' && r.inj !== r.res);
    expect(share(moved, (r) => GROUP_OF.get(r.inj) === GROUP_OF.get(r.res))).toBeGreaterThan(0.55);
  });

  it('geography: South Bronx and East Harlem rates far above Queens', () => {
    const pop = new Map(AREAS.map((a) => [a.id, a.population]));
    const rate = (id: string): number => m.expected.byArea[id]! / pop.get(id)!;
    const queens = AREAS.filter((a) => a.group === 'Queens' && a.id !== '410');
    const queensRate =
      queens.reduce((s, a) => s + m.expected.byArea[a.id]!, 0) / queens.reduce((s, a) => s + a.population, 0);
    for (const id of ['105', '106', '107', '303']) expect(rate(id)).toBeGreaterThan(3.5 * queensRate);
    expect(rate('302')).toBeGreaterThan(rate('304'));
    expect(rate('211')).toBeGreaterThan(rate('201'));
  });

  it('decedents: age, sex, race/ethnicity, date of birth, fake names', () => {
    expect(read.valid.every((r) => Number.isInteger(r.age) && r.age >= 0 && r.age <= 100)).toBe(true);
    const meanAge = od.reduce((s, r) => s + r.age, 0) / od.length;
    expect(meanAge).toBeGreaterThan(44);
    expect(meanAge).toBeLessThan(50);
    expect(share(od, (r) => r.age < 15)).toBeLessThan(0.02);
    expect(share(od, (r) => r.age >= 35 && r.age <= 64)).toBeGreaterThan(0.55);
    expect(read.valid.every((r) => isRealDate(r.dob) && ageAt(r.dob, r.date) === r.age)).toBe(true);
    expect(new Set(read.valid.map((r) => r.sex))).toEqual(new Set(['M', 'F', 'U']));
    expect(share(od, (r) => r.sex === 'M')).toBeGreaterThan(0.69);
    expect(share(od, (r) => r.sex === 'M')).toBeLessThan(0.77);
    expect(share(od, (r) => r.sex === 'U')).toBeLessThan(0.03);
    const races = new Set([
      'Hispanic',
      'Non-Hispanic Black',
      'Non-Hispanic White',
      'Non-Hispanic Asian/Pacific Islander',
      'Other/Unknown',
    ]);
    expect(read.valid.every((r) => races.has(r.race))).toBe(true);
    const h = share(od, (r) => r.race === 'Hispanic');
    const b = share(od, (r) => r.race === 'Non-Hispanic Black');
    const w = share(od, (r) => r.race === 'Non-Hispanic White');
    expect(h).toBeGreaterThan(0.31);
    expect(h).toBeLessThan(0.41);
    expect(b).toBeGreaterThan(0.28);
    expect(b).toBeLessThan(0.38);
    expect(w).toBeGreaterThan(0.2);
    expect(w).toBeLessThan(0.3);
    expect(read.valid.every((r) => /^[A-Z][a-z]+, [A-Z][a-z]+ [A-Z]$/.test(r.name))).toBe(true);
  });

  it('codes come in mixed but valid styles', () => {
    const ucods = read.valid.map((r) => r.ucod);
    expect(ucods.some((u) => /^x/.test(u))).toBe(true);
    expect(ucods.some((u) => u !== u.trim())).toBe(true);
    expect(ucods.some((u) => /^X4\d\.\d$/.test(u))).toBe(true);
    expect(ucods.some((u) => u === 'F11.2') && ucods.some((u) => u === 'F112')).toBe(true);
    const rawT = read.all.map((c) => c[11]!);
    expect(rawT.some((t) => t.includes('T40.4'))).toBe(true);
    expect(rawT.some((t) => /(^|;)T404(;|$)/.test(t))).toBe(true);
    const tcode = /^T(40[0-6]|424|436|510)$/;
    expect(read.valid.every((r) => r.tcodes.every((t) => tcode.test(t)))).toBe(true);
    expect(read.valid.every((r) => r.tox.every((s) => /^[a-z0-9-]+$/.test(s)))).toBe(true);
    // Every overdose death involves at least one drug.
    expect(od.every((r) => r.tcodes.length > 0 || r.tox.length > 0)).toBe(true);
  });
});

describe('mortality generator: drug mix and supply', () => {
  const fentShare = (y: string): number => share(od.filter(inYear(y)), (r) => r.tcodes.includes('T404'));
  const heroinShare = (y: string): number => share(od.filter(inYear(y)), (r) => r.tcodes.includes('T401'));

  it('fentanyl rises, heroin falls, cocaine about half', () => {
    expect(fentShare('2021')).toBeGreaterThan(0.72);
    expect(fentShare('2021')).toBeLessThan(0.84);
    expect(fentShare('2026')).toBeGreaterThan(0.83);
    expect(fentShare('2026')).toBeGreaterThan(fentShare('2021'));
    expect(heroinShare('2021')).toBeGreaterThan(0.25);
    expect(heroinShare('2026')).toBeLessThan(0.15);
    const coc = share(od, (r) => r.tcodes.includes('T405'));
    expect(coc).toBeGreaterThan(0.44);
    expect(coc).toBeLessThan(0.58);
  });

  it('toxicology agrees with the T-codes', () => {
    const agree = (sub: string, code: string): number => share(od, (r) => r.tox.includes(sub) === r.tcodes.includes(code));
    expect(agree('cocaine', 'T405')).toBe(1);
    expect(agree('heroin', 'T401')).toBe(1);
    expect(agree('methadone', 'T403')).toBe(1);
    expect(agree('methamphetamine', 'T436')).toBe(1);
    expect(agree('fentanyl', 'T404')).toBeGreaterThan(0.95);
  });

  it('xylazine: only with fentanyl, absent before mid-2021, ~20–25% of deaths from 2023', () => {
    const xyl = od.filter((r) => r.tox.includes('xylazine'));
    expect(xyl.every((r) => r.tox.includes('fentanyl'))).toBe(true);
    expect(read.valid.some((r) => r.tox.includes('xylazine') && r.date < '2021-07-01')).toBe(false);
    for (const y of ['2023', '2024', '2025']) {
      const s = m.expected.byYear[y]!.xylazine / m.expected.byYear[y]!.any_drug;
      expect(s, y).toBeGreaterThan(0.17);
      expect(s, y).toBeLessThan(0.3);
    }
    expect(m.supplyChanges.find((s) => s.substance === 'xylazine')?.firstSeen).toBe('2021-07-01');
  });

  it('medetomidine appears from late 2024, small', () => {
    expect(read.valid.some((r) => r.tox.includes('medetomidine') && r.date < '2024-10-01')).toBe(false);
    const s = share(od.filter(inYear('2025')), (r) => r.tox.includes('medetomidine'));
    expect(s).toBeGreaterThan(0.02);
    expect(s).toBeLessThan(0.09);
    const sc = m.supplyChanges.find((c) => c.substance === 'medetomidine');
    expect(sc?.firstSeen).toBe('2024-10-01');
  });

  it('every supply change is first seen in the rows on or after its date', () => {
    for (const c of m.supplyChanges) {
      const first = read.valid.find((r) => r.tox.includes(c.substance));
      expect(first, c.substance).toBeDefined();
      expect(first!.date >= c.firstSeen, c.substance).toBe(true);
    }
  });
});

describe('mortality generator: planted spikes', () => {
  it('four spikes in distinct valid areas, 3–10 days, +8..15, one in the last 60 days', () => {
    expect(m.spikes).toHaveLength(4);
    expect(new Set(m.spikes.map((s) => s.area)).size).toBe(4);
    expect(new Set(m.spikes.map((s) => s.id)).size).toBe(4);
    for (const s of m.spikes) {
      expect(s.feed).toBe('mortality');
      expect(AREA_IDS.has(s.area)).toBe(true);
      const days = (Date.parse(s.end) - Date.parse(s.start)) / 86_400_000 + 1;
      expect(days).toBeGreaterThanOrEqual(3);
      expect(days).toBeLessThanOrEqual(10);
      expect(s.extra).toBeGreaterThanOrEqual(8);
      expect(s.extra).toBeLessThanOrEqual(15);
      expect(s.start >= m.start && s.end <= m.end).toBe(true);
      expect(s.signature.length).toBeGreaterThan(0);
    }
    expect(m.spikes.some((s) => s.start > addDays(END, -60) && s.end <= END)).toBe(true);
    expect(m.spikes.some((s) => s.signature.includes('isotonitazene'))).toBe(true);
    expect(m.spikes.some((s) => s.signature.includes('xylazine') && s.signature.includes('fentanyl'))).toBe(true);
  });

  it('each spike stands out in its area and window, with its signature', () => {
    const nDays = (Date.parse(m.end) - Date.parse(m.start)) / 86_400_000 + 1;
    for (const s of m.spikes) {
      const days = (Date.parse(s.end) - Date.parse(s.start)) / 86_400_000 + 1;
      const inArea = od.filter((r) => r.res === s.area);
      const baselinePerDay = (inArea.length - s.extra) / nDays;
      expect(baselinePerDay, s.id).toBeGreaterThan(0.15);
      expect(baselinePerDay, s.id).toBeLessThan(0.9);
      const inWindow = inArea.filter((r) => r.date >= s.start && r.date <= s.end);
      expect(inWindow.length, s.id).toBeGreaterThanOrEqual(s.extra);
      expect(inWindow.length, s.id).toBeGreaterThan(2 * baselinePerDay * days);
      const hasSig = (r: Row): boolean => s.signature.every((x) => r.tox.includes(x));
      const sigIn = inWindow.filter(hasSig).length;
      expect(sigIn, s.id).toBeGreaterThanOrEqual(s.extra);
      const sigOutPerDay = inArea.filter((r) => (r.date < s.start || r.date > s.end) && hasSig(r)).length / (nDays - days);
      expect(sigIn / days, s.id).toBeGreaterThan(5 * sigOutPerDay);
    }
    const nit = m.spikes.find((s) => s.signature.includes('isotonitazene'))!;
    const nitRows = od.filter((r) => r.tox.includes('isotonitazene'));
    expect(nitRows.length).toBe(nit.extra);
    expect(nitRows.every((r) => r.tcodes.includes('T404') && r.res === nit.area && r.date >= nit.start && r.date <= nit.end)).toBe(true);
  });

  it('a short period (1 year) still plants everything', () => {
    const g = generateMortality({ seed: 3, end: '2021-12-31', years: 1, areas: AREAS });
    expect(g.manifest.start).toBe('2021-01-01');
    expect(g.manifest.spikes).toHaveLength(4);
    const r = readFile(mortalityCsv(g.rows), g.manifest.start, g.manifest.end);
    expect(r.rejects).toEqual(g.manifest.plantedRejects);
    expect(r.rejects).toHaveLength(6);
    expect(recount(r.valid, AREA_IDS)).toEqual(g.manifest.expected);
    // No substance before its time, even in spikes.
    expect(r.valid.some((x) => x.tox.includes('xylazine') && x.date < '2021-07-01')).toBe(false);
    expect(r.valid.some((x) => x.tox.includes('medetomidine'))).toBe(false);
  });
});

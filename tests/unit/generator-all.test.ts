// Tests of the seeded synthetic default city, every feed (fixtures/generators/all.ts).
//
// Everything is checked against the generated CSV text, re-read here with an independent,
// deliberately simple RFC 4180 parser; counts are recomputed from the rows with the definitions
// written out below (NEMSIS opioid overdose case definition, NIBRS, TEDS-A), and the planted
// linkage shares by joining the files on (last name, first name, date of birth).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEEDS, feedFiles, generateAll, withGeography, writeAll, type AllResult, type Feed, type WorldArea } from '../../fixtures/generators/all.ts';
import { MORTALITY_CSV_COLUMNS, generateMortality, mortalityCsv, type GeneratorArea } from '../../fixtures/generators/mortality.ts';
import { parseCsv, toCsv, writeCsvFile } from '../../fixtures/generators/world.ts';
import { EMS_CSV_COLUMNS } from '../../ingest/feeds/ems-csv.ts';
import { ARRESTS_CSV_COLUMNS } from '../../ingest/feeds/arrests.ts';
import { TREATMENT_CSV_COLUMNS } from '../../ingest/feeds/treatment.ts';
import { NALOXONE_CSV_COLUMNS } from '../../ingest/feeds/naloxone.ts';
import { DRUGCHECK_UNC_COLUMNS, DRUGCHECK_UNC_EXTENSION_COLUMNS, UNC_LAB_SUBSTANCES } from '../../ingest/feeds/drugcheck-unc.ts';
import { MORTALITY_COLUMNS } from '../../ingest/feeds/mortality.ts';

// ---------------------------------------------------------------------------------------------
// Inputs: the real UHF 42 geography and ACS 2017-21 population, read directly
// ---------------------------------------------------------------------------------------------

const NYC = new URL('../../fixtures/jurisdictions/nyc/', import.meta.url);

function loadAreas(): GeneratorArea[] {
  const geo = JSON.parse(readFileSync(new URL('uhf42.geo.json', NYC), 'utf8')) as {
    features: { properties: { GEOCODE: number | string; GEONAME: string; BOROUGH: string } }[];
  };
  const pop = new Map<string, number>();
  const lines = readFileSync(new URL('population.csv', NYC), 'utf8').trim().split(/\r?\n/);
  const header = (lines[0] ?? '').split(',');
  for (const line of lines.slice(1)) {
    const c = line.split(',');
    if (c[header.indexOf('acs_period')] === '2017-21') pop.set(String(c[header.indexOf('uhf42_code')]), Number(c[header.indexOf('population')]));
  }
  return geo.features
    .filter((f) => String(f.properties.GEOCODE) !== '0')
    .map((f) => ({ id: String(f.properties.GEOCODE), name: f.properties.GEONAME, group: f.properties.BOROUGH, population: pop.get(String(f.properties.GEOCODE)) ?? NaN }));
}

const BASE_AREAS = loadAreas();
const AREAS: WorldArea[] = withGeography(BASE_AREAS, new URL('.', NYC).pathname);
const POP = new Map(BASE_AREAS.map((a) => [a.id, a.population]));
const SEED = 11;
const END = '2025-12-31';
const YEARS = 2;

// ---------------------------------------------------------------------------------------------
// Independent reading
// ---------------------------------------------------------------------------------------------


interface Table {
  header: string[];
  /** Data rows with their file line (header = line 1). */
  rows: { line: number; c: (name: string) => string; cells: string[] }[];
}

function table(text: string): Table {
  const [header = [], ...data] = parseCsv(text);
  const index = new Map(header.map((h, i) => [h, i]));
  return {
    header,
    rows: data.map((cells, i) => ({
      line: i + 2,
      cells,
      c: (name: string) => {
        const k = index.get(name);
        if (k === undefined) throw new Error(`no column ${name}`);
        return cells[k] ?? '';
      },
    })),
  };
}

function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === s;
}
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** UNC 03Mar2024 → 2024-03-03 (or '' when not a real date). */
function uncToIso(s: string): string {
  const m = /^(\d{2})([A-Z][a-z]{2})(\d{4})$/.exec(s);
  if (!m || !MON.includes(m[2]!)) return '';
  const iso = `${m[3]}-${String(MON.indexOf(m[2]!) + 1).padStart(2, '0')}-${m[1]}`;
  return isRealDate(iso) ? iso : '';
}
const dayNum = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const list = (s: string): string[] => (s === '' ? [] : s.split(';').map((x) => x.trim()));

// Definitions, written from the standards (not imported from the generator).
/** NEMSIS v3.5 opioid overdose case definition (May 2025): ICD-10-CM F11.*, T40.0–T40.4, T40.6. */
const isOpioidIcd = (code: string): boolean => /^(F11[0-9A-Z]*|T40[0-46][0-9A-Z]*)$/.test(code.trim().toUpperCase().replace('.', ''));
/** Naloxone RxNorm codes listed by the case definition. */
const NALOXONE = new Set(['7242', '203192', '197117']);
const IMPROVED = '9916001';
function emsOverdose(r: Table['rows'][number]): boolean {
  const codes = [r.c('eSituation.09'), ...list(r.c('eSituation.10')), r.c('eSituation.11'), ...list(r.c('eSituation.12'))];
  if (codes.some((x) => x !== '' && isOpioidIcd(x))) return true;
  const meds = list(r.c('eMedications.03'));
  const resp = r.c('eMedications.07') === '' ? [] : r.c('eMedications.07').split(';');
  return meds.some((m, i) => NALOXONE.has(m) && resp[i] === IMPROVED);
}
const emsNaloxone = (r: Table['rows'][number]): boolean => list(r.c('eMedications.03')).some((m) => NALOXONE.has(m));
const emsNaloxoneImproved = (r: Table['rows'][number]): boolean => {
  const resp = r.c('eMedications.07') === '' ? [] : r.c('eMedications.07').split(';');
  return list(r.c('eMedications.03')).some((m, i) => NALOXONE.has(m) && resp[i] === IMPROVED);
};
/** CDC/NCHS drug-overdose death: underlying cause X40–X44, X60–X64, X85, Y10–Y14. */
const isOverdoseDeath = (ucod: string): boolean => /^(X4[0-4]|X6[0-4]|X85|Y1[0-4])$/.test(ucod.trim().toUpperCase().replace('.', '').slice(0, 3));
/** TEDS-A SUB1 opioid: 5 heroin, 6 non-prescription methadone, 7 other opiates and synthetics. */
const TEDS_OPIOID = new Set(['5', '6', '7']);

/** Even–odd point in polygon over the raw GeoJSON (independent of the generator's copy). */
const POLYGONS = (() => {
  const geo = JSON.parse(readFileSync(new URL('uhf42.geo.json', NYC), 'utf8')) as {
    features: { properties: { GEOCODE: number | string }; geometry: { type: string; coordinates: unknown } | null }[];
  };
  return geo.features
    .filter((f) => f.geometry && String(f.properties.GEOCODE) !== '0')
    .map((f) => {
      const g = f.geometry!;
      const rings = (g.type === 'Polygon' ? (g.coordinates as number[][][]) : (g.coordinates as number[][][][]).flat()) as number[][][];
      const xs = rings.flat().map((p) => p[0]!);
      const ys = rings.flat().map((p) => p[1]!);
      return { id: String(f.properties.GEOCODE), rings, box: [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)] as const };
    });
})();
function areaOfPoint(lat: number, lon: number): string | null {
  for (const p of POLYGONS) {
    if (lon < p.box[0] || lon > p.box[1] || lat < p.box[2] || lat > p.box[3]) continue;
    let inside = false;
    for (const ring of p.rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as [number, number];
        const [xj, yj] = ring[j] as [number, number];
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    if (inside) return p.id;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// One shared run (two years, scale 1), materialised as CSV text and read back
// ---------------------------------------------------------------------------------------------

const base: AllResult = generateAll({ seed: SEED, end: END, years: YEARS, areas: AREAS });
const m = base.manifest;
const TEXT = Object.fromEntries(FEEDS.map((f) => [f, toCsv(base.feeds[f].columns, base.feeds[f].rows)])) as Record<Feed, string>;
const T = Object.fromEntries(FEEDS.map((f) => [f, table(TEXT[f])])) as Record<Feed, Table>;
const rejectLines = (f: Feed): Set<number> => new Set(m.plantedRejects[f].map((r) => r.line));
const VALID = Object.fromEntries(
  FEEDS.map((f) => {
    const planted = rejectLines(f);
    return [f, T[f].rows.filter((r) => !planted.has(r.line))];
  }),
) as Record<Feed, Table['rows']>;
const year = (iso: string): string => iso.slice(0, 4);
const emsDate = (r: Table['rows'][number]): string => r.c('eTimes.03').slice(0, 10);
const deaths = VALID.mortality.filter((r) => isOverdoseDeath(r.c('underlying_cause_icd10')));

const tmp = mkdtempSync(join(tmpdir(), 'odstat-gen-all-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------

describe('all feeds: formats', () => {
  it('every file header is the adapter\'s exported column constant', () => {
    expect(T.ems.header).toEqual([...EMS_CSV_COLUMNS]);
    expect(T.arrests.header).toEqual([...ARRESTS_CSV_COLUMNS]);
    expect(T.treatment.header).toEqual([...TREATMENT_CSV_COLUMNS]);
    expect(T.naloxone.header).toEqual([...NALOXONE_CSV_COLUMNS]);
    expect(T.mortality.header).toEqual([...MORTALITY_CSV_COLUMNS]);
    for (const c of MORTALITY_COLUMNS) expect(T.mortality.header).toContain(c);
    // UNC layout: the adapter's required columns first, then only UNC lab columns and its extension columns.
    expect(T.drugcheck.header.slice(0, DRUGCHECK_UNC_COLUMNS.length)).toEqual([...DRUGCHECK_UNC_COLUMNS]);
    const allowed = new Set<string>([...Object.keys(UNC_LAB_SUBSTANCES), ...DRUGCHECK_UNC_EXTENSION_COLUMNS]);
    for (const c of T.drugcheck.header.slice(DRUGCHECK_UNC_COLUMNS.length)) expect(allowed.has(c), c).toBe(true);
    for (const c of DRUGCHECK_UNC_EXTENSION_COLUMNS) expect(T.drugcheck.header).toContain(c);
    for (const f of FEEDS) {
      expect(T[f].rows.every((r) => r.cells.length === T[f].header.length), f).toBe(true);
      expect(T[f].rows.length, f).toBe(base.feeds[f].rowCount);
      expect(m.files.find((x) => x.feed === f)?.rows, f).toBe(T[f].rows.length);
    }
  });

  it('generates two years of every feed, with the manifest describing them', () => {
    expect(m.start).toBe('2024-01-01');
    expect(m.end).toBe(END);
    expect(m.synthetic).toBe(true);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('the mortality rows are exactly the mortality generator\'s on its own', () => {
    const alone = generateMortality({ seed: SEED, end: END, years: YEARS, areas: BASE_AREAS });
    expect(TEXT.mortality === mortalityCsv(alone.rows)).toBe(true);
    expect(m.mortality).toEqual(alone.manifest);
  });

  it('codes are valid where a row is not a planted reject', () => {
    // Problems are collected and compared once: an expect() per cell would be slow.
    const bad: string[] = [];
    const icd = /^(R[0-6][0-9](\.[0-9]{1,4})?|R99|[A-QSTUZ][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?)$/; // NEMSIS ICD-10-CM pattern
    for (const r of VALID.ems) {
      for (const x of [r.c('eSituation.09'), ...list(r.c('eSituation.10')), r.c('eSituation.11'), ...list(r.c('eSituation.12'))]) {
        if (x !== '' && !icd.test(x)) bad.push(`icd ${x}`);
      }
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$/.test(r.c('eTimes.03'))) bad.push(`time ${r.c('eTimes.03')}`);
      const gps = r.c('eScene.11');
      if (gps !== '' && !/^\d{2}\.\d{6},-\d{2}\.\d{6}$/.test(gps)) bad.push(`gps ${gps}`);
      const meds = list(r.c('eMedications.03'));
      if (r.c('eMedications.07') !== '' && r.c('eMedications.07').split(';').length !== meds.length) bad.push(`responses ${r.line}`);
      const age = r.c('ePatient.15');
      if (age !== '' && !(Number(age) >= 1 && Number(age) <= 120)) bad.push(`age ${age}`);
    }
    // DST: a July notification is in daylight time, a January one in standard time.
    expect(VALID.ems.find((r) => emsDate(r) === '2024-07-15')!.c('eTimes.03').endsWith('-04:00')).toBe(true);
    expect(VALID.ems.find((r) => emsDate(r) === '2024-01-15')!.c('eTimes.03').endsWith('-05:00')).toBe(true);
    const nibrsDrug = /^[A-PUX]$/;
    for (const r of VALID.arrests) {
      if (!['arrest', 'citation', 'deflection_referral', 'diversion_referral'].includes(r.c('event_type'))) bad.push(`type ${r.c('event_type')}`);
      if (!['', '35A', '35B'].includes(r.c('nibrs_offense'))) bad.push(`offense ${r.c('nibrs_offense')}`);
      for (const d of list(r.c('nibrs_drug_type'))) if (!nibrsDrug.test(d)) bad.push(`drug ${d}`);
      if (r.c('jail_release_date') !== '' && r.c('jail_release_date') < r.c('event_date')) bad.push(`release ${r.line}`);
    }
    for (const r of VALID.treatment) {
      const sub = Number(r.c('primary_substance'));
      if (!(sub === -9 || (sub >= 1 && sub <= 19))) bad.push(`sub1 ${r.c('primary_substance')}`);
      if (r.c('discharge_date') !== '' && r.c('discharge_date') < r.c('admission_date')) bad.push(`discharge ${r.line}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('all feeds: planted malformed rows', () => {
  const idCol: Record<Feed, string> = {
    mortality: 'case_number', ems: 'eRecord.01', arrests: 'arrest_id', treatment: 'admission_id', naloxone: 'event_id', drugcheck: 'sampleid',
  };
  const dateOf: Record<Feed, (r: Table['rows'][number]) => string> = {
    mortality: (r) => r.c('date_of_death'),
    ems: (r) => emsDate(r),
    arrests: (r) => r.c('event_date'),
    treatment: (r) => r.c('admission_date'),
    naloxone: (r) => r.c('event_date'),
    drugcheck: (r) => uncToIso(r.c('date_collect')) || r.c('date_collect'),
  };

  it('each feed plants five or six rows, each with the problem it names', () => {
    for (const f of FEEDS) {
      const planted = m.plantedRejects[f];
      expect(planted.length, f).toBeGreaterThanOrEqual(5);
      const byLine = new Map(T[f].rows.map((r) => [r.line, r]));
      for (const p of planted) {
        const r = byLine.get(p.line)!;
        const id = r.c(idCol[f]);
        expect(id, `${f} ${p.reason}`).toBe(p.id);
        if (p.reason.startsWith('missing_') && p.reason !== 'missing_count') expect(id, f).toBe('');
        if (p.reason.startsWith('duplicate_')) {
          const first = T[f].rows.find((x) => x.c(idCol[f]) === id)!;
          expect(first.line, f).toBeLessThan(p.line);
          expect(rejectLines(f).has(first.line), f).toBe(false);
        }
        if (p.reason === 'invalid_date' || p.reason === 'invalid_datetime') {
          const d = f === 'drugcheck' ? r.c('date_collect') : f === 'ems' ? r.c('eTimes.03').slice(0, 10) : dateOf[f](r);
          expect(f === 'drugcheck' ? uncToIso(d) : isRealDate(d) ? d : '', `${f} ${d}`).toBe('');
        }
        if (p.reason === 'date_out_of_range') expect(dateOf[f](r) > END, f).toBe(true);
      }
      // Every other row has a unique, non-empty id and a real date inside the period.
      const ids = VALID[f].map((r) => r.c(idCol[f]));
      expect(ids.every((x) => x !== ''), f).toBe(true);
      expect(new Set(ids).size, f).toBe(ids.length);
      expect(VALID[f].every((r) => isRealDate(dateOf[f](r)) && dateOf[f](r) >= m.start && dateOf[f](r) <= END), f).toBe(true);
    }
    const byReason = (f: Feed, reason: string) => T[f].rows.find((r) => r.line === m.plantedRejects[f].find((p) => p.reason === reason)!.line)!;
    expect(byReason('ems', 'invalid_icd10').c('eSituation.11')).toBe('40.411A');
    expect(byReason('ems', 'invalid_gps').c('eScene.11').startsWith('95.')).toBe(true);
    expect(byReason('arrests', 'invalid_code').c('nibrs_drug_type')).toBe('Q');
    expect(byReason('treatment', 'invalid_code').c('primary_substance')).toBe('21');
    expect(byReason('naloxone', 'missing_count').c('kits')).toBe('0');
    expect(byReason('drugcheck', 'invalid_flag').c('lab_fentanyl_any')).toBe('2');
  });
});

describe('all feeds: expected counts equal the rows', () => {
  it('EMS: encounters, opioid overdoses (NEMSIS case definition) and naloxone by year; overdoses by scene area', () => {
    const byYear: Record<string, { encounters: number; opioid_overdose: number; naloxone_given: number; naloxone_improved: number }> = {};
    const byArea: Record<string, number> = Object.fromEntries(BASE_AREAS.map((a) => [a.id, 0]));
    byArea.unassigned = 0;
    for (const r of VALID.ems) {
      const y = (byYear[year(emsDate(r))] ??= { encounters: 0, opioid_overdose: 0, naloxone_given: 0, naloxone_improved: 0 });
      y.encounters++;
      if (emsNaloxone(r)) y.naloxone_given++;
      if (emsNaloxoneImproved(r)) y.naloxone_improved++;
      if (!emsOverdose(r)) continue;
      y.opioid_overdose++;
      const gps = r.c('eScene.11');
      const area = gps === '' ? null : areaOfPoint(Number(gps.split(',')[0]), Number(gps.split(',')[1]));
      byArea[area ?? 'unassigned']! += 1;
    }
    for (const [y, e] of Object.entries(m.expected.ems.byYear)) {
      expect(byYear[y], y).toEqual({ encounters: e.encounters, opioid_overdose: e.opioid_overdose, naloxone_given: e.naloxone_given, naloxone_improved: e.naloxone_improved });
      expect(e.opioid_overdose + e.near_miss + e.background, y).toBe(e.encounters);
    }
    expect(byArea).toEqual(m.expected.ems.overdoseByArea);
  });

  it('arrests, treatment, naloxone and drug checking by year', () => {
    const arrests: Record<string, Record<string, number>> = {};
    for (const r of VALID.arrests) {
      const y = (arrests[year(r.c('event_date'))] ??= {
        arrest_35A: 0, arrest_35B: 0, citation_35A: 0, citation_35B: 0, deflection_referral: 0, diversion_referral: 0, jail_release: 0, rows: 0,
      });
      y.rows!++;
      if (r.c('jail_release_date') !== '') y.jail_release!++;
      const t = r.c('event_type');
      if (t === 'arrest' || t === 'citation') y[`${t}_${r.c('nibrs_offense')}`]!++;
      else y[t]!++;
    }
    expect(arrests).toEqual(m.expected.arrests.byYear);

    const treatment: Record<string, Record<string, number>> = {};
    for (const r of VALID.treatment) {
      const y = (treatment[year(r.c('admission_date'))] ??= { admissions: 0, opioid_primary: 0, moud: 0, unassigned: 0 });
      y.admissions!++;
      if (TEDS_OPIOID.has(r.c('primary_substance'))) y.opioid_primary!++;
      if (r.c('moud') === '1') y.moud!++;
      if (r.c('residence_area_code') === '' && r.c('zip') === '') y.unassigned!++;
    }
    expect(treatment).toEqual(m.expected.treatment.byYear);

    const naloxone: Record<string, Record<string, number>> = {};
    for (const r of VALID.naloxone) {
      const y = (naloxone[year(r.c('event_date'))] ??= { kits_distributed: 0, distribution_events: 0, administrations: 0, doses: 0, police_administrations: 0 });
      if (r.c('event_kind') === 'distribution') {
        y.distribution_events!++;
        y.kits_distributed! += Number(r.c('kits'));
      } else {
        y.administrations!++;
        y.doses! += Number(r.c('doses'));
        if (r.c('agency') === 'NYPD') y.police_administrations!++;
      }
    }
    expect(naloxone).toEqual(m.expected.naloxone.byYear);

    const dc: Record<string, Record<string, number>> = {};
    for (const r of VALID.drugcheck) {
      const y = (dc[year(uncToIso(r.c('date_collect')))] ??= {
        samples: 0, completed: 0, fentanyl_positive: 0, xylazine_positive: 0, medetomidine_positive: 0, nitazene_positive: 0, bromazolam_positive: 0, unassigned: 0,
      });
      y.samples!++;
      const detected = list(r.c('detected_substances'));
      if (r.c('date_complete') !== '') y.completed!++;
      if (r.c('lab_fentanyl_any') === '1') y.fentanyl_positive!++;
      if (r.c('lab_xylazine_any') === '1') y.xylazine_positive!++;
      if (detected.includes('medetomidine')) y.medetomidine_positive!++;
      if (r.c('lab_nitazenes_any') === '1') y.nitazene_positive!++;
      if (detected.includes('bromazolam')) y.bromazolam_positive!++;
      if (r.c('location') === 'New York') y.unassigned!++;
    }
    const want = Object.fromEntries(Object.entries(m.expected.drugcheck.byYear).map(([y, e]) => {
      const { sold_as_opioid: _ignored, ...rest } = e;
      return [y, rest];
    }));
    expect(dc).toEqual(want);
  });
});

describe('all feeds: calibration', () => {
  const tbl = (t: Record<number, number>, y: string): number => t[Number(y)]!;

  it('nonfatal EMS opioid overdoses are 5–7× the overdose deaths, every year and in the worst areas', () => {
    for (const y of ['2024', '2025']) {
      const e = m.expected.ems.byYear[y]!;
      const spikes = m.spikes.filter((s) => s.feed === 'ems' && year(s.start) === y).reduce((s, x) => s + x.extra, 0);
      const ratio = (e.opioid_overdose - e.fatal - spikes) / m.expected.mortality.byYear[y]!.any_drug;
      expect(ratio, y).toBeGreaterThan(5);
      expect(ratio, y).toBeLessThan(7);
    }
    const rate = (id: string): number => m.expected.ems.overdoseByArea[id]! / POP.get(id)!;
    const ranked = BASE_AREAS.map((a) => a.id).sort((a, b) => rate(b) - rate(a));
    expect(ranked.slice(0, 6)).toEqual(expect.arrayContaining(['105', '106', '107', '303']));
    expect(rate('107')).toBeGreaterThan(4 * rate('404'));
  });

  it('arrests, treatment and naloxone volumes follow their tables', () => {
    const arrests: Record<number, number> = { 2024: 14000, 2025: 14000 };
    const adm: Record<number, number> = { 2024: 25000, 2025: 25000 };
    const kits: Record<number, number> = { 2024: 320000, 2025: 330000 };
    for (const y of ['2024', '2025']) {
      const a = m.expected.arrests.byYear[y]!;
      const drug = a.arrest_35A + a.arrest_35B + a.citation_35A + a.citation_35B;
      expect(Math.abs(drug / tbl(arrests, y) - 1), y).toBeLessThan(0.06);
      expect(a.citation_35A + a.citation_35B).toBeGreaterThan(0.1 * drug);
      expect(Math.abs(m.expected.treatment.byYear[y]!.admissions / tbl(adm, y) - 1), y).toBeLessThan(0.05);
      expect(Math.abs(m.expected.naloxone.byYear[y]!.kits_distributed / tbl(kits, y) - 1), y).toBeLessThan(0.05);
    }
    // Fentanyl (NIBRS H, other narcotics) overtakes heroin (D) among 35A drug types.
    const share = (code: string, y: string) => {
      const rows = VALID.arrests.filter((r) => r.c('nibrs_offense') === '35A' && year(r.c('event_date')) === y && r.c('event_type') === 'arrest');
      return rows.filter((r) => list(r.c('nibrs_drug_type')).includes(code)).length / rows.length;
    };
    expect(share('H', '2025')).toBeGreaterThan(2 * share('D', '2025'));
    // Opioid admissions about 28–35% of all; MOUD in about 45% of them.
    const op = VALID.treatment.filter((r) => TEDS_OPIOID.has(r.c('primary_substance')));
    expect(op.length / VALID.treatment.length).toBeGreaterThan(0.25);
    expect(op.length / VALID.treatment.length).toBeLessThan(0.36);
    expect(op.filter((r) => r.c('moud') === '1').length / op.length).toBeGreaterThan(0.4);
  });

  it('drug checking looks like NYC: samples a month, fentanyl, xylazine, medetomidine; rare first-seen alerts', () => {
    const perMonth: Record<string, number> = { '2024': 80.7, '2025': 97.2 };
    for (const [y, target] of Object.entries(perMonth)) {
      const n = m.expected.drugcheck.byYear[y]!.samples / 12;
      expect(Math.abs(n / target - 1), y).toBeLessThan(0.12);
    }
    const opioidSold = (y: string) =>
      VALID.drugcheck.filter((r) => year(uncToIso(r.c('date_collect'))) === y && /fentanyl|heroin|oxycodone/.test(r.c('expectedsubstance')) && r.c('date_complete') !== '');
    for (const y of ['2024', '2025']) {
      const s = opioidSold(y);
      const fent = s.filter((r) => r.c('lab_fentanyl_any') === '1').length / s.length;
      const xyl = s.filter((r) => r.c('lab_xylazine_any') === '1').length / s.length;
      expect(fent, y).toBeGreaterThan(0.83);
      expect(fent, y).toBeLessThan(0.97);
      expect(xyl, y).toBeGreaterThan(0.36);
      expect(xyl, y).toBeLessThan(0.54);
    }
    const med25 = opioidSold('2025').filter((r) => list(r.c('detected_substances')).includes('medetomidine')).length / opioidSold('2025').length;
    expect(med25).toBeGreaterThan(0.25);
    expect(med25).toBeLessThan(0.42);
    const withMed = VALID.drugcheck.filter((r) => list(r.c('detected_substances')).includes('medetomidine'));
    expect(withMed.every((r) => uncToIso(r.c('date_collect')) >= '2024-10-01')).toBe(true);
    expect(withMed.every((r) => r.c('lab_fentanyl_any') === '1')).toBe(true);
    const all = VALID.drugcheck.filter((r) => r.c('date_complete') !== '');
    const rare = (sub: string) => all.filter((r) => list(r.c('detected_substances')).includes(sub)).length / all.length;
    expect(rare('bromazolam')).toBeGreaterThan(0.005);
    expect(rare('bromazolam')).toBeLessThan(0.05);
    expect(rare('protonitazene')).toBeLessThan(0.01);
    // Supply changes: each first-seen date is the first row showing the substance.
    for (const s of m.supplyChanges.filter((x) => x.feed === 'drugcheck')) {
      const first = all
        .filter((r) => list(r.c('detected_substances')).includes(s.substance) || (s.substance === 'xylazine' && r.c('lab_xylazine_any') === '1') || (s.substance === 'carfentanil' && r.c('lab_carfentanil_any') === '1'))
        .map((r) => uncToIso(r.c('date_collect')))
        .sort()[0];
      expect(first, s.substance).toBe(s.firstSeen);
      if (s.modelStart) expect(s.firstSeen >= s.modelStart, s.substance).toBe(true);
    }
    for (const sub of ['xylazine', 'medetomidine', 'bromazolam', 'isotonitazene']) {
      expect(m.supplyChanges.some((s) => s.substance === sub && s.feed === 'drugcheck'), sub).toBe(true);
    }
  });
});

describe('all feeds: planted clusters move EMS → deaths → drug checking', () => {
  it('every mortality spike has a cluster, seen in EMS before the first extra death and in drug checking after', () => {
    expect(m.clusters).toHaveLength(4);
    expect(m.spikes.filter((s) => s.feed === 'mortality')).toHaveLength(4);
    for (const c of m.clusters) {
      expect(c.emsStart < c.deathsStart, c.id).toBe(true);
      expect(c.emsLeadDays).toBeGreaterThanOrEqual(3);
      expect(c.drugcheckStart, c.id).not.toBeNull();
      expect(c.drugcheckStart! > c.deathsStart, c.id).toBe(true);
      const feedsOf = m.spikes.filter((s) => s.cluster === c.id).map((s) => s.feed).sort();
      expect(feedsOf).toEqual(['drugcheck', 'ems', 'mortality', 'naloxone']);
    }
  });

  const EMS_OD_PLACED = VALID.ems
    .filter((r) => emsOverdose(r) && r.c('eScene.11') !== '')
    .map((r) => {
      const [lat, lon] = r.c('eScene.11').split(',').map(Number) as [number, number];
      return { r, area: areaOfPoint(lat, lon) };
    });

  it('in the rows: an EMS excess in the lead days, while deaths in the area are still at baseline', () => {
    const nDays = dayNum(END) - dayNum(m.start) + 1;
    for (const c of m.clusters) {
      const ems = m.spikes.find((s) => s.cluster === c.id && s.feed === 'ems')!;
      const dth = m.spikes.find((s) => s.cluster === c.id && s.feed === 'mortality')!;
      const od = EMS_OD_PLACED.filter((x) => x.area === c.area).map((x) => x.r);
      const outside = od.filter((r) => emsDate(r) < ems.start || emsDate(r) > ems.end).length;
      const emsDays = dayNum(ems.end) - dayNum(ems.start) + 1;
      const baseline = outside / (nDays - emsDays);
      const lead = c.emsLeadDays;
      const inLead = od.filter((r) => emsDate(r) >= ems.start && emsDate(r) < c.deathsStart).length;
      const expectedLead = baseline * lead;
      // Poisson z of the lead-day excess: far above chance.
      expect((inLead - expectedLead) / Math.sqrt(expectedLead), c.id).toBeGreaterThan(4);
      const inWindow = od.filter((r) => emsDate(r) >= ems.start && emsDate(r) <= ems.end).length;
      expect(inWindow - baseline * emsDays, c.id).toBeGreaterThan(0.7 * ems.extra);
      // Deaths (residents of the area) in the lead days: no excess yet.
      const dArea = deaths.filter((r) => r.c('residence_area_code') === c.area);
      const dBase = (dArea.length - dth.extra) / nDays;
      const dLead = dArea.filter((r) => r.c('date_of_death') >= ems.start && r.c('date_of_death') < c.deathsStart).length;
      expect(dLead, c.id).toBeLessThanOrEqual(Math.ceil(dBase * lead + 3 * Math.sqrt(dBase * lead) + 1));
      const dWindow = dArea.filter((r) => r.c('date_of_death') >= dth.start && r.c('date_of_death') <= dth.end).length;
      expect(dWindow, c.id).toBeGreaterThanOrEqual(dth.extra);
    }
  });

  it('drug checking shows the cluster\'s substances in its area after the deaths begin', () => {
    for (const c of m.clusters) {
      const dc = m.spikes.find((s) => s.cluster === c.id && s.feed === 'drugcheck')!;
      const name = BASE_AREAS.find((a) => a.id === c.area)!.name;
      const has = (r: Table['rows'][number], sub: string): boolean =>
        sub === 'fentanyl' ? r.c('lab_fentanyl_any') === '1'
        : sub === 'xylazine' ? r.c('lab_xylazine_any') === '1'
        : sub === 'cocaine' ? r.c('lab_cocaine_any') === '1'
        : list(r.c('detected_substances')).includes(sub);
      const inArea = VALID.drugcheck.filter((r) => r.c('location') === name || r.c('location') === c.area);
      const sig = inArea.filter((r) => c.signature.every((s) => has(r, s)));
      const inWindow = sig.filter((r) => uncToIso(r.c('date_collect')) >= dc.start && uncToIso(r.c('date_collect')) <= dc.end);
      expect(inWindow.length, c.id).toBeGreaterThanOrEqual(dc.extra);
      expect(dc.start > c.deathsStart).toBe(true);
    }
    const nit = m.clusters.find((c) => c.signature.includes('isotonitazene'))!;
    const iso = VALID.drugcheck.filter((r) => list(r.c('detected_substances')).includes('isotonitazene'));
    expect(iso.length).toBeGreaterThan(0);
    expect(iso.every((r) => uncToIso(r.c('date_collect')) >= nit.deathsStart && r.c('lab_nitazenes_any') === '1')).toBe(true);
  });
});

describe('all feeds: linked people', () => {
  // Identity = (last name, first name, date of birth), as a linkage key would see it.
  const deathKey = (r: Table['rows'][number]): string => {
    const [last = '', rest = ''] = r.c('decedent_name').split(', ');
    return `${last}|${rest.split(' ')[0]}|${r.c('date_of_birth')}`;
  };
  const index = (rows: Table['rows'], key: (r: Table['rows'][number]) => string, date: (r: Table['rows'][number]) => string): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const r of rows) {
      const k = key(r);
      if (k.startsWith('|')) continue; // unidentified
      const l = out.get(k) ?? [];
      l.push(date(r));
      out.set(k, l);
    }
    return out;
  };
  const ems = index(VALID.ems.filter(emsOverdose), (r) => `${r.c('ePatient.02')}|${r.c('ePatient.03')}|${r.c('ePatient.17')}`, emsDate);
  const releases = index(
    VALID.arrests.filter((r) => r.c('jail_release_date') !== ''),
    (r) => `${r.c('last_name')}|${r.c('first_name')}|${r.c('date_of_birth')}`,
    (r) => r.c('jail_release_date'),
  );
  const admissions = index(VALID.treatment, (r) => `${r.c('last_name')}|${r.c('first_name')}|${r.c('date_of_birth')}`, (r) => r.c('admission_date'));
  const within = (dates: string[] | undefined, death: string, lo: number, hi: number): boolean =>
    (dates ?? []).some((d) => dayNum(death) - dayNum(d) >= lo && dayNum(death) - dayNum(d) <= hi);
  const count = (dates: Map<string, string[]>, lo: number, hi: number): number =>
    deaths.filter((r) => within(dates.get(deathKey(r)), r.c('date_of_death'), lo, hi)).length;

  it('recomputing the links by joining on name and date of birth gives the planted counts exactly', () => {
    const L = m.links;
    expect(L.deaths).toBe(deaths.length);
    expect(count(ems, 1, 365)).toBe(L.emsNonfatalWithin365.deaths);
    expect(count(ems, 0, 0)).toBe(L.emsSameDayFatal.deaths);
    expect(count(releases, 1, 30)).toBe(L.jailReleaseWithin30.deaths);
    expect(count(releases, 1, 90)).toBe(L.jailReleaseWithin90.deaths);
    expect(count(releases, 1, 365)).toBe(L.jailReleaseWithin365.deaths);
    expect(count(admissions, 1, 365)).toBe(L.treatmentWithin365.deaths);
    const any = deaths.filter((r) => {
      const k = deathKey(r);
      const d = r.c('date_of_death');
      return within(ems.get(k), d, 1, 365) || within(releases.get(k), d, 1, 365) || within(admissions.get(k), d, 1, 365);
    }).length;
    expect(any).toBe(L.anyWithin365.deaths);
  });

  it('the shares are near their targets (less where the year before death is outside the period)', () => {
    const L = m.links;
    // Binomial sampling error on top of the planted probability (3 standard errors).
    const near = (s: { share: number; target: number }, lo: number) => {
      const se = Math.sqrt((s.target * (1 - s.target)) / L.deaths);
      expect(s.share).toBeLessThanOrEqual(s.target + 3 * se);
      expect(s.share).toBeGreaterThan(s.target * lo - 3 * se);
    };
    near(L.emsNonfatalWithin365, 0.7);
    near(L.emsSameDayFatal, 0.85);
    near(L.jailReleaseWithin30, 0.6);
    near(L.jailReleaseWithin90, 0.7);
    near(L.jailReleaseWithin365, 0.6);
    near(L.treatmentWithin365, 0.6);
    expect(L.linkable + L.notLinkable.nonresident + L.notLinkable.sharedIdentity + L.notLinkable.under16).toBe(L.deaths);
  });

  it('nobody but a decedent shares a decedent\'s identity, and a person keeps one date of birth and sex', () => {
    const decedentKeys = new Set(VALID.mortality.map(deathKey));
    // Identities in other feeds that match a decedent: only on or before the date of death.
    const deathDay = new Map(VALID.mortality.map((r) => [deathKey(r), r.c('date_of_death')]));
    for (const [k, dates] of [...ems, ...releases, ...admissions]) {
      if (!decedentKeys.has(k)) continue;
      expect(dates.every((d) => d <= deathDay.get(k)!), k).toBe(true);
    }
    const sexByKey = new Map<string, string>();
    for (const r of VALID.arrests) {
      const k = `${r.c('last_name')}|${r.c('first_name')}|${r.c('date_of_birth')}`;
      const prev = sexByKey.get(k);
      if (prev !== undefined) expect(r.c('sex'), k).toBe(prev);
      sexByKey.set(k, r.c('sex'));
    }
    // Repeat EMS overdose patients exist, and some of them are not decedents.
    expect([...ems.entries()].filter(([k, d]) => d.length > 1 && !decedentKeys.has(k)).length).toBeGreaterThan(100);
  });
});

describe('all feeds: determinism, files and streaming', () => {
  const a = generateAll({ seed: 3, end: END, years: 1, areas: AREAS });

  it('same options give identical files and manifest; another seed differs; EMS replays the same', () => {
    const b = generateAll({ seed: 3, end: END, years: 1, areas: AREAS });
    for (const f of FEEDS) expect(toCsv(a.feeds[f].columns, a.feeds[f].rows) === toCsv(b.feeds[f].columns, b.feeds[f].rows), f).toBe(true);
    expect(JSON.stringify(a.manifest)).toBe(JSON.stringify(b.manifest));
    const again = toCsv(a.feeds.ems.columns, a.feeds.ems.rows);
    expect(again === toCsv(b.feeds.ems.columns, b.feeds.ems.rows)).toBe(true);
    const c = generateAll({ seed: 4, end: END, years: 1, areas: AREAS });
    for (const f of FEEDS) expect(toCsv(c.feeds[f].columns, c.feeds[f].rows) === toCsv(a.feeds[f].columns, a.feeds[f].rows), f).toBe(false);
  });

  it('writeAll writes every feed and the manifest; feedFiles lists them in load order', () => {
    const g = a;
    const dir = join(tmp, 'all');
    const out = writeAll(g, dir, { jurisdiction: 'nyc' });
    expect(out.files).toEqual(feedFiles(dir));
    expect(out.files.map((f) => f.feed)).toEqual(['mortality', 'ems', 'arrests', 'treatment', 'naloxone', 'drugcheck']);
    expect(readdirSync(dir).sort()).toEqual(['arrests.csv', 'drugcheck.csv', 'ems.csv', 'manifest.json', 'mortality.csv', 'naloxone.csv', 'treatment.csv']);
    for (const { feed, file } of out.files) expect(readFileSync(file, 'utf8') === toCsv(g.feeds[feed].columns, g.feeds[feed].rows), feed).toBe(true);
    const manifest = JSON.parse(readFileSync(out.manifest, 'utf8')) as { jurisdiction: string; mortality: { seed: number }; emsBackgroundIdentityRepeats: number };
    expect(manifest.jurisdiction).toBe('nyc');
    expect(manifest.mortality.seed).toBe(3);
    expect(manifest.emsBackgroundIdentityRepeats).toBe(0);
  });

  it('streams a 200k-row EMS file without holding it: scale multiplies the background only', () => {
    const small = a;
    const big = generateAll({ seed: 3, end: END, years: 1, areas: AREAS, scale: 12 });
    expect(big.feeds.ems.rowCount).toBeGreaterThan(180_000);
    expect(big.feeds.ems.rowCount).toBeLessThan(240_000);
    // Every overdose-related count is the same at any scale.
    for (const y of Object.keys(big.manifest.expected.ems.byYear)) {
      const s = small.manifest.expected.ems.byYear[y]!;
      const b = big.manifest.expected.ems.byYear[y]!;
      expect(b.opioid_overdose).toBe(s.opioid_overdose);
      expect(b.naloxone_given).toBe(s.naloxone_given);
      expect(b.background).toBeGreaterThan(10 * s.background);
    }
    expect(big.manifest.links).toEqual(small.manifest.links);

    (globalThis as { gc?: () => void }).gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let peak = heap0;
    let n = 0;
    function* watched(): Generator<readonly string[]> {
      for (const r of big.feeds.ems.rows) {
        if (++n % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        yield r;
      }
    }
    const file = join(tmp, 'ems-200k.csv');
    const written = writeCsvFile(file, big.feeds.ems.columns, watched());
    expect(written).toBe(big.feeds.ems.rowCount);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n').length - 2).toBe(written); // header + trailing newline
    // Streamed, not held: far less heap than 200k rows held as arrays (hundreds of MB). Speed is
    // measured in bench/generate-ems.ts, not here.
    expect(peak - heap0).toBeLessThan(150e6);
    // The planted rows are where the manifest says, in the streamed file too.
    const lines = text.split('\n');
    for (const p of big.manifest.plantedRejects.ems) {
      const id = parseCsv(lines[p.line - 1]!)[0]![0];
      expect(id, p.reason).toBe(p.id);
    }
  });
});

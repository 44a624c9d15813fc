// Independent recounts over the generated CSV files of the default city (tests/helpers/city.ts):
// the feeds read in JavaScript, the case definitions written again here from their standards, so
// a metric served from DuckDB can be checked against numbers that never went through its SQL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AllManifest, Feed } from '../../fixtures/generators/all.ts';
import { parseCsv } from './csv.ts';

export type Row = Record<string, string>;

/** A feed's rows as objects, without the malformed rows the generator planted (by line). */
export function readFeed(dir: string, manifest: AllManifest, feed: Feed): Row[] {
  const file = join(dir, manifest.files.find((f) => f.feed === feed)!.file);
  const [header = [], ...records] = parseCsv(readFileSync(file, 'utf8'));
  const skip = new Set(manifest.plantedRejects[feed].map((r) => r.line));
  const out: Row[] = [];
  records.forEach((cells, i) => {
    if (skip.has(i + 2) || (cells.length === 1 && cells[0] === '')) return;
    out.push(Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])));
  });
  return out;
}

/** CDC/NCHS drug-overdose underlying cause: X40–X44, X60–X64, X85, Y10–Y14. */
export const isOverdoseDeath = (r: Row) => /^(X4[0-4]|X6[0-4]|X85|Y1[0-4])/.test(r.underlying_cause_icd10!.replace('.', '').trim().toUpperCase());

/** Multiple-cause T-codes of a death, normalised to 4 characters ('T40.4' → 'T404'). */
export const tcodes = (r: Row) => r.multiple_causes_icd10!.split(';').map((c) => c.replace('.', '').trim().toUpperCase().slice(0, 4)).filter(Boolean);

/** The drug categories a death involves (PRODUCT.md definitions; xylazine from toxicology). */
export function deathSubstances(r: Row): string[] {
  const t = new Set(tcodes(r));
  const out: string[] = [];
  if (t.has('T401')) out.push('heroin');
  if (t.has('T402')) out.push('natural_semisynthetic');
  if (t.has('T403')) out.push('methadone');
  if (t.has('T404')) out.push('fentanyl');
  if (t.has('T405')) out.push('cocaine');
  if (t.has('T436')) out.push('psychostimulant');
  if (t.has('T424')) out.push('benzodiazepine');
  if (r.toxicology_substances!.split(';').map((s) => s.trim().toLowerCase()).includes('xylazine')) out.push('xylazine');
  return out.length > 0 ? out : ['other_or_unspecified'];
}

export const isOpioidDeath = (r: Row) => tcodes(r).some((c) => ['T400', 'T401', 'T402', 'T403', 'T404', 'T406'].includes(c));

/** The 2000 U.S. standard's 11 age groups. */
export function stdAgeGroup(age: number | null): string {
  if (age === null || Number.isNaN(age)) return 'unknown';
  const bounds: [number, string][] = [[0, '<1'], [4, '1-4'], [14, '5-14'], [24, '15-24'], [34, '25-34'], [44, '35-44'], [54, '45-54'], [64, '55-64'], [74, '65-74'], [84, '75-84']];
  for (const [hi, g] of bounds) if (age <= hi) return g;
  return '85+';
}

const NV = new Set(['', '7701001', '7701003', '7701005']);
const list = (s: string | undefined) => (s ?? '').split(';').map((x) => x.trim()).filter((x) => !NV.has(x));
const opioidCode = (c: string) => /^(F11|T40[0-46])/.test(c.replace(/\./g, '').toUpperCase());

/**
 * NEMSIS v3.5 suspected opioid overdose (NEMSIS TAC case definition, May 2025): an opioid ICD-10
 * code (F11.*, T40.0–T40.4, T40.6) among primary/other symptoms or primary/secondary impressions,
 * or naloxone (RxNorm 7242, 203192, 197117) with response "improved" (9916001).
 */
export function emsOpioidOverdose(r: Row): boolean {
  const codes = [...list(r['eSituation.09']), ...list(r['eSituation.10']), ...list(r['eSituation.11']), ...list(r['eSituation.12'])];
  if (codes.some(opioidCode)) return true;
  const meds = (r['eMedications.03'] ?? '').split(';').map((x) => x.trim());
  const resp = (r['eMedications.07'] ?? '').split(';').map((x) => x.trim());
  return meds.some((m, i) => ['7242', '203192', '197117'].includes(m) && resp[i] === '9916001');
}

export const emsNaloxone = (r: Row) => (r['eMedications.03'] ?? '').split(';').some((m) => ['7242', '203192', '197117'].includes(m.trim()));

/** The local date of eTimes.03 (the date part of the NEMSIS date/time). */
export const emsDate = (r: Row) => r['eTimes.03']!.slice(0, 10);

/** Identity as the keyed hash sees it: last|first|dob, lower-case letters only; null when any part is missing. */
export function identity(last: string | undefined, first: string | undefined, dob: string | undefined): string | null {
  const n = (s: string | undefined) => (s ?? '').normalize('NFD').toLowerCase().replace(/[^a-z]/g, '');
  if (!n(last) || !n(first) || !dob) return null;
  return `${n(last)}|${n(first)}|${dob}`;
}

/** A decedent's identity from "Last, First M". */
export function decedentIdentity(r: Row): string | null {
  const [last = '', rest = ''] = r.decedent_name!.split(',');
  return identity(last, rest.trim().split(/\s+/)[0], r.date_of_birth);
}

export const emsIdentity = (r: Row) => identity(r['ePatient.02'], r['ePatient.03'], r['ePatient.17']);

export const dayNum = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** Counts by key. */
export function tally<T>(xs: Iterable<T>, key: (x: T) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const x of xs) {
    const k = key(x);
    if (k !== null) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

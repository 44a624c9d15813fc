// The real medical-examiner files, unedited: Allegheny County (WPRDC) and Connecticut
// (data.ct.gov). Every count the product gives is checked against a recount of the raw file made
// here in JavaScript (tests/helpers/csv.ts), not with the adapters' SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import { runIngest, type IngestReport } from '../../ingest/run.ts';
import { alleghenyMortalityAdapter } from '../../ingest/feeds/mortality-allegheny.ts';
import { connecticutMortalityAdapter, CT_FLAG_HEADERS, CT_FREETEXT_HEADERS } from '../../ingest/feeds/mortality-connecticut.ts';
import { connecticutPlaces, CT_PLACES_GEOJSON } from '../../fixtures/generators/connecticut-towns.ts';
import { csvRecordTexts, parseCsv, readCsvObjects } from '../helpers/csv.ts';
import { openStores, REPO, TEST_LINKAGE, tempDir } from '../helpers/fixtures.ts';
import { SHARED_DATA, sharedFile } from '../helpers/shared-data.ts';
import { duckRows } from '../helpers/duck.ts';

const ALLEGHENY_CSV = join(REPO, 'fixtures', 'samples', 'allegheny', 'fatal_overdoses_2007_2025.csv');
const ALLEGHENY_SHARED = join(SHARED_DATA, 'allegheny-fatal-od', 'fatal_overdoses_2007_2025.csv');
const ALLEGHENY_DIR = join(REPO, 'fixtures', 'jurisdictions', 'allegheny');
// 4.0 MB: read from the shared acceptance data, not copied into fixtures/.
const CT_CSV = sharedFile('ct-adrd-2012-2022', 'Accidental_Drug_Related_Deaths_2012-2022.csv');
const CT_DIR = join(REPO, 'fixtures', 'jurisdictions', 'connecticut');

const opts = (jurisdiction: string) => ({ jurisdiction, actor: 'test', maxRejectShare: 0.05, linkage: TEST_LINKAGE });

// Independent recounts -------------------------------------------------------------------------
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
const tally = <T>(items: T[], key: (t: T) => string | null) => {
  const m: Record<string, number> = {};
  for (const t of items) {
    const k = key(t);
    if (k !== null) m[k] = (m[k] ?? 0) + 1;
  }
  return m;
};
const ALLEGHENY_SUBSTANCE_COLS = Array.from({ length: 10 }, (_, i) => `combined_od${i + 1}`);
const alleghenySubstances = (r: Record<string, string>) => ALLEGHENY_SUBSTANCE_COLS.map((c) => norm(r[c] ?? '')).filter((s) => s !== '');
/** Connecticut flag written as a yes: 'Y', 'y', 'Y (PTCH)', 'Y POPS' (and 'P' for ethanol). */
const ctYes = (v: string | undefined) => /^y\b/i.test((v ?? '').trim());
const ctFreeTokens = (v: string) => (/^y$/i.test(v.trim()) ? [] : v.split(/\s*[,;/]\s*|\.\s+/).map(norm).filter((s) => s !== ''));
const ctFree = (r: Record<string, string>) => CT_FREETEXT_HEADERS.flatMap((h) => ctFreeTokens(r[h] ?? ''));
/** The documented place rule (sql/duckdb/definitions/mortality_ct_places.sql), written again in JS. */
function ctPlace(geo: string, city: string, state: string): string | null {
  if (state.trim() !== '' && !['CT', 'CONNECTICUT'].includes(state.trim().toUpperCase())) return null;
  const fromGeo = /^\s*(.*?)\s*,\s*CT\s*\(/.exec(geo)?.[1];
  const name = fromGeo || city;
  const n = name.toUpperCase().replace(/\s+/g, ' ').trim().replace(/(,?\s+CT(\s+[0-9]{5})?|,)$/, '').trim();
  return n === '' ? null : n;
}

describe('real medical-examiner files', () => {
  let duck: Duck;
  let ops: Ops;
  let dir: string;
  let allegheny: { header: string[]; records: Record<string, string>[] };
  let ct: { header: string[]; records: Record<string, string>[] };
  let ctPlaces: Set<string>;
  let alleghenyZips: Set<string>;
  let reports: Record<string, IngestReport>;

  beforeAll(async () => {
    ({ duck, ops } = await openStores());
    dir = tempDir();
    const conn = await duck.connect();
    try {
      const a = await loadJurisdiction(conn, ALLEGHENY_DIR);
      const c = await loadJurisdiction(conn, CT_DIR);
      alleghenyZips = new Set(a.areas.map((x) => x.id));
      ctPlaces = new Set(c.areas.map((x) => x.id));
    } finally {
      conn.closeSync();
    }
    allegheny = readCsvObjects(ALLEGHENY_CSV);
    ct = readCsvObjects(CT_CSV);
    reports = {
      allegheny: await ingestFeedFile(duck, ops.db, 'mortality', ALLEGHENY_CSV, opts('allegheny')),
      connecticut: await ingestFeedFile(duck, ops.db, 'mortality', CT_CSV, opts('connecticut')),
    };
  });
  afterAll(async () => {
    duck?.close();
    await ops?.close();
  });

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);
  const yearly = (j: string) =>
    q<{ year: string; deaths: number; any_drug: number }>(
      `SELECT year(date_of_death)::VARCHAR AS year, count(*)::INTEGER AS deaths, count(*) FILTER (WHERE any_drug)::INTEGER AS any_drug
         FROM mortality_deaths WHERE jurisdiction_id = $j GROUP BY ALL ORDER BY year`,
      { j },
    ).then((r) => Object.fromEntries(r.map((x) => [x.year, { deaths: x.deaths, any_drug: x.any_drug }])));
  const counted = (j: string, flag: string) =>
    // `flag` is one of the fixed column names below, never input.
    q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM mortality_deaths WHERE jurisdiction_id = $j AND any_drug AND ${flag}`, { j }).then((r) => r[0]!.n);

  describe('Allegheny County medical examiner (WPRDC)', () => {
    it('is the published file, byte for byte', () => {
      if (existsSync(ALLEGHENY_SHARED)) expect(readFileSync(ALLEGHENY_CSV).equals(readFileSync(ALLEGHENY_SHARED))).toBe(true);
      const head = readFileSync(ALLEGHENY_CSV).subarray(0, 400);
      expect([...head.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // byte-order mark
      expect(head.toString('latin1')).toMatch(/case_year\r\n/); // CRLF header over LF records
    });

    it('loads every row unedited, detected by its header, rejecting none', async () => {
      const r = reports.allegheny!;
      expect(r.status).toBe('succeeded');
      expect(r.rowsIn).toBe(allegheny.records.length);
      expect(r.rowsIn).toBe(7478);
      expect(r.rowsRejected).toBe(0);
      expect(r.rejectsByReason).toEqual({});
      expect(r.definitionVersions).toEqual({ mortality_substances: 'me-substances-v1' });
      expect(await q(`SELECT * FROM ingest_rejects WHERE jurisdiction_id = 'allegheny'`)).toEqual([]);
    });

    it('gives the yearly death counts of a direct count of the raw file (year of death_date_and_time)', async () => {
      // case_year differs from the year of death for 2 deaths (a death early on 1 January filed under
      // the year before): the product counts deaths by their date.
      const expected = tally(allegheny.records, (r) => r.death_date_and_time!.slice(0, 4));
      const got = await yearly('allegheny');
      expect(Object.fromEntries(Object.entries(got).map(([y, v]) => [y, v.deaths]))).toEqual(expected);
      for (const v of Object.values(got)) expect(v.any_drug).toBe(v.deaths); // all accidental overdoses
      expect(allegheny.records.filter((r) => r.death_date_and_time!.slice(0, 4) !== r.case_year).length).toBe(2);
    });

    it('classifies drugs as a direct reading of the substance columns does', async () => {
      const has = (re: RegExp) => allegheny.records.filter((r) => alleghenySubstances(r).some((s) => re.test(s))).length;
      expect(await counted('allegheny', 'xylazine')).toBe(has(/^xylazine$/));
      expect(await counted('allegheny', 'heroin')).toBe(has(/^heroin$/));
      expect(await counted('allegheny', 'cocaine')).toBe(has(/^(cocaine|benzoylecgonine|cocaethylene)$/));
      expect(await counted('allegheny', 'methadone')).toBe(has(/^(methadone|eddp)$/));
      expect(await counted('allegheny', 'synthetic_opioid')).toBe(has(/fent|u-4[78]\d00|nitaze|etonitaz|tramadol|tapentadol|propoxyphene|4-anpp/));
      const rows0 = await q<{ u: string | null; m: number; d: string }>(
        `SELECT any_value(underlying_cause) AS u, count(DISTINCT multiple_causes)::INTEGER AS m, any_value(definition_version) AS d
           FROM mortality_deaths WHERE jurisdiction_id = 'allegheny'`,
      );
      expect(rows0).toEqual([{ u: null, m: 1, d: 'me-substances-v1' }]);
    });

    it('maps every substance string of the file, and lists none as unmapped', async () => {
      const distinct = [...new Set(allegheny.records.flatMap(alleghenySubstances))].sort();
      expect(distinct.length).toBeGreaterThan(150);
      const known = new Set((await q<{ term: string }>('SELECT term FROM mortality_substance_map')).map((r) => r.term));
      expect(distinct.filter((s) => !known.has(s))).toEqual([]);
      expect(await q(`SELECT * FROM mortality_substances_unmapped WHERE jurisdiction_id = 'allegheny'`)).toEqual([]);
    });

    it('places deaths by incident ZIP; no residence (decedent_zip is empty); the rest kept without area', async () => {
      expect(allegheny.records.every((r) => r.decedent_zip === '')).toBe(true);
      const expected = tally(allegheny.records, (r) => (alleghenyZips.has(r.incident_zip!.trim()) ? r.incident_zip!.trim() : null));
      const got = await q<{ a: string; n: number }>(
        `SELECT injury_area AS a, count(*)::INTEGER AS n FROM mortality_deaths
          WHERE jurisdiction_id = 'allegheny' AND injury_area IS NOT NULL GROUP BY 1`,
      );
      expect(Object.fromEntries(got.map((g) => [g.a, g.n]))).toEqual(expected);
      const outside = allegheny.records.filter((r) => !alleghenyZips.has(r.incident_zip!.trim()));
      expect(reports.allegheny!.rowsUnassigned).toBe(outside.length);
      // Empty, garbled ('1531', 'ooc', '15-71') and out-of-county ZIPs.
      expect(outside.filter((r) => r.incident_zip === '').length).toBe(224);
      expect(outside.filter((r) => r.incident_zip !== '' && !/^\d{5}$/.test(r.incident_zip!)).map((r) => r.incident_zip).sort()).toEqual(['15-71', '1522', '1531', '1547', 'ooc']);
      expect(await q(`SELECT count(*)::INTEGER AS n FROM mortality_deaths WHERE jurisdiction_id = 'allegheny' AND residence_area IS NOT NULL`)).toEqual([{ n: 0 }]);
    });

    it('changes nothing when the same file is loaded again', async () => {
      const before = await yearly('allegheny');
      const again = await runIngest(duck, ops.db, alleghenyMortalityAdapter, ALLEGHENY_CSV, opts('allegheny'));
      expect(again.status).toBe('unchanged');
      expect(await yearly('allegheny')).toEqual(before);
    });

    it('replaces deaths seen again in an overlapping extract (LF header), creating no duplicates', async () => {
      const lines = readFileSync(ALLEGHENY_CSV, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '');
      const tail = lines.slice(-100);
      // One death corrected: xylazine added in its tenth substance column.
      const fields = tail[0]!.split(',');
      const id = fields[0]!;
      expect(tail[0]).not.toMatch(/"/);
      fields[16] = 'Xylazine';
      tail[0] = fields.join(',');
      const f = join(dir, 'allegheny-extract.csv');
      writeFileSync(f, `${lines[0]}\n${tail.join('\n')}\n`);
      const r = await runIngest(duck, ops.db, alleghenyMortalityAdapter, f, opts('allegheny'));
      expect(r).toMatchObject({ status: 'succeeded', rowsIn: 100, rowsRejected: 0 });
      const [n] = await q<{ n: number; d: number }>(
        `SELECT count(*)::INTEGER AS n, count(DISTINCT case_number)::INTEGER AS d FROM mortality_deaths WHERE jurisdiction_id = 'allegheny'`,
      );
      expect(n).toEqual({ n: 7478, d: 7478 });
      expect(await q(`SELECT xylazine FROM mortality_deaths WHERE jurisdiction_id = 'allegheny' AND case_number = $c`, { c: id })).toEqual([{ xylazine: true }]);
    });

    // Last of this block: the planted duplicate id replaces a real death, so later counts would differ.
    it('rejects malformed rows with their line, field and reason', async () => {
      const text = readFileSync(ALLEGHENY_CSV, 'utf8');
      const header = text.slice(0, text.indexOf('\n') + 1); // BOM and CRLF kept
      const recs = text.slice(header.length).split('\n').slice(0, 20);
      const set = (i: number, col: number, v: string) => {
        const f = recs[i]!.split(',');
        f[col] = v;
        recs[i] = f.join(',');
      };
      expect(recs.slice(0, 20).some((r) => r.includes('"'))).toBe(true); // "1,1-Difluoroethane" rows stay intact
      const plain = recs.map((r, i) => (r.includes('"') ? -1 : i)).filter((i) => i >= 0);
      const [a, b, c, d, e, f, g] = plain as [number, number, number, number, number, number, number];
      set(a, 1, '2024-13-45T10:00:00');
      set(b, 0, recs[plain[7]!]!.split(',')[0]!); // same _id as a later row: the later one is the duplicate
      set(c, 3, 'abc');
      set(d, 4, 'X');
      set(e, 0, '');
      recs[f] = `${recs[f]},extra`;
      set(g, 1, '2090-01-01T00:00:00');
      const file = join(dir, 'allegheny-bad.csv');
      writeFileSync(file, header + recs.join('\n') + '\n');
      const r = await runIngest(duck, ops.db, alleghenyMortalityAdapter, file, { ...opts('allegheny'), maxRejectShare: 0.5 });
      const got = await q<{ line: number; field: string; reason: string }>(
        `SELECT line::INTEGER AS line, field, reason FROM ingest_rejects WHERE ingest_run_id = $r ORDER BY line`,
        { r: r.runId },
      );
      const line = (i: number) => i + 2;
      expect(got).toEqual(
        [
          { line: line(a), field: 'death_date_and_time', reason: 'invalid_date' },
          { line: line(Math.max(b, plain[7]!)), field: '_id', reason: 'duplicate_case_number' },
          { line: line(c), field: 'age', reason: 'invalid_age' },
          { line: line(d), field: 'sex', reason: 'invalid_code' },
          { line: line(e), field: '_id', reason: 'missing_case_number' },
          { line: line(f), field: 'row', reason: 'malformed_row' },
          { line: line(g), field: 'death_date_and_time', reason: 'date_out_of_range' },
        ].sort((x, y) => x.line - y.line),
      );
      expect(r.rowsIn).toBe(20);
    });
  });

  describe('Connecticut accidental drug related deaths (data.ct.gov)', () => {
    it('loads every record unedited (quoted newlines, 48 columns), detected by its header, rejecting none', async () => {
      expect(ct.header).toHaveLength(48);
      const r = reports.connecticut!;
      expect(r.status).toBe('succeeded');
      expect(r.rowsIn).toBe(ct.records.length);
      expect(r.rowsIn).toBe(10654);
      expect(r.rowsRejected).toBe(0);
      expect(r.rejectsByReason).toEqual({});
      expect(await q(`SELECT * FROM ingest_rejects WHERE jurisdiction_id = 'connecticut'`)).toEqual([]);
    });

    it('gives the yearly counts of a direct count of the raw file; the one natural death is no overdose', async () => {
      const deaths = tally(ct.records, (r) => r.Date!.slice(6, 10));
      const od = tally(ct.records, (r) => (r['Manner of Death']!.trim().toLowerCase() === 'natural' ? null : r.Date!.slice(6, 10)));
      const got = await yearly('connecticut');
      expect(Object.fromEntries(Object.entries(got).map(([y, v]) => [y, v.deaths]))).toEqual(deaths);
      expect(Object.fromEntries(Object.entries(got).map(([y, v]) => [y, v.any_drug]))).toEqual(od);
      expect(ct.records.filter((r) => r['Manner of Death']!.trim().toLowerCase() === 'natural')).toHaveLength(1);
    });

    it('classifies drugs as a direct reading of the flags and free text does', async () => {
      const n = (f: (r: Record<string, string>) => boolean) => ct.records.filter((r) => r['Manner of Death']!.trim().toLowerCase() !== 'natural' && f(r)).length;
      expect(await counted('connecticut', 'xylazine')).toBe(n((r) => ctYes(r.Xylazine) || ctFree(r).includes('xylazine')));
      expect(await counted('connecticut', 'heroin')).toBe(
        n((r) => ctYes(r.Heroin) || ctYes(r['Heroin death certificate (DC)']) || ctFree(r).includes('pos 6-mam')),
      );
      expect(await counted('connecticut', 'cocaine')).toBe(n((r) => ctYes(r.Cocaine)));
      expect(await counted('connecticut', 'methadone')).toBe(n((r) => ctYes(r.Methadone)));
      expect(await counted('connecticut', 'psychostimulant')).toBe(
        n((r) => ctYes(r['Meth/Amphetamine']) || ctYes(r.Amphet) || ctFree(r).some((t) => /mdma|pentylone|cathinone|bath salt|hexadrone/.test(t))),
      );
      // 47 deaths carry no substance flag at all (their cause of death names the drugs).
      const none = ct.records.filter((r) =>
        [...CT_FLAG_HEADERS, ...CT_FREETEXT_HEADERS].every((h) => /^(|n|pcp neg|no rx but straws|stole meds)$/i.test((r[h] ?? '').trim())),
      );
      expect(await q(`SELECT count(*)::INTEGER AS n FROM mortality_deaths WHERE jurisdiction_id = 'connecticut' AND len(substances) = 0`)).toEqual([{ n: none.length }]);
    });

    it('knows every flag value and every free-text substance of the file, and lists none as unmapped', async () => {
      const values = [...new Set(ct.records.flatMap((r) => CT_FLAG_HEADERS.map((h) => norm(r[h] ?? ''))).filter((v) => v !== ''))].sort();
      const known = new Set((await q<{ value: string }>('SELECT value FROM mortality_flag_values')).map((r) => r.value));
      expect(values.filter((v) => !known.has(v))).toEqual([]);
      expect(values).toEqual(expect.arrayContaining(['y', 'y (ptch)', 'y pops', 'n', 'p', 'stole meds']));
      const terms = new Set((await q<{ term: string }>('SELECT term FROM mortality_substance_map')).map((r) => r.term));
      const free = [...new Set(ct.records.flatMap(ctFree))].sort();
      expect(free.length).toBeGreaterThan(90);
      expect(free.filter((t) => !terms.has(t))).toEqual([]);
      const labels = [...CT_FLAG_HEADERS, ...CT_FREETEXT_HEADERS].map((h) => h.toLowerCase());
      expect(labels.filter((t) => !terms.has(t))).toEqual([]);
      expect(await q(`SELECT * FROM mortality_substances_unmapped WHERE jurisdiction_id = 'connecticut'`)).toEqual([]);
    });

    it('places deaths by injury town (event) and residence town (residence), as the place rule read again in JS does', async () => {
      const area = (geo: string, city: string, state: string) => {
        const p = ctPlace(geo, city, state);
        return p !== null && ctPlaces.has(p) ? p : null;
      };
      const ev = tally(ct.records, (r) => area(r.InjuryCityGeo!, r['Injury City']!, r['Injury State']!));
      const res = tally(ct.records, (r) => area(r.ResidenceCityGeo!, r['Residence City']!, r['Residence State']!));
      const got = await q<{ g: string; a: string; n: number }>(
        `SELECT 'event' AS g, injury_area AS a, count(*)::INTEGER AS n FROM mortality_deaths WHERE jurisdiction_id = 'connecticut' AND injury_area IS NOT NULL GROUP BY ALL
         UNION ALL
         SELECT 'residence', residence_area, count(*)::INTEGER FROM mortality_deaths WHERE jurisdiction_id = 'connecticut' AND residence_area IS NOT NULL GROUP BY ALL`,
      );
      expect(Object.fromEntries(got.filter((x) => x.g === 'event').map((x) => [x.a, x.n]))).toEqual(ev);
      expect(Object.fromEntries(got.filter((x) => x.g === 'residence').map((x) => [x.a, x.n]))).toEqual(res);
      expect(ev.HARTFORD).toBeGreaterThan(900);
      const unplaced = ct.records.length - Object.values(ev).reduce((s, x) => s + x, 0);
      expect(reports.connecticut!.rowsUnassigned).toBe(unplaced);
    });

    it('has as areas exactly the places a fresh derivation from the file gives (fixtures/generators/connecticut-towns.ts)', async () => {
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      try {
        const fresh = await connecticutPlaces(conn, CT_CSV);
        const committed = JSON.parse(readFileSync(CT_PLACES_GEOJSON, 'utf8')) as typeof fresh;
        expect(committed).toEqual(fresh);
        expect(fresh.features.length).toBe(ctPlaces.size);
        expect(fresh.features.every((f) => f.geometry.type === 'Point')).toBe(true);
        const hartford = fresh.features.find((f) => f.properties.place === 'HARTFORD');
        expect(hartford?.geometry.coordinates[1]).toBeCloseTo(41.76, 1);
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    });

    it('changes nothing when the same file, or an overlapping extract of it, is loaded again', async () => {
      const before = await yearly('connecticut');
      expect((await runIngest(duck, ops.db, connecticutMortalityAdapter, CT_CSV, opts('connecticut'))).status).toBe('unchanged');
      const recs = csvRecordTexts(readFileSync(CT_CSV, 'utf8'));
      const f = join(dir, 'ct-extract.csv');
      writeFileSync(f, `${recs.slice(0, 301).join('\n')}\n`);
      const r = await runIngest(duck, ops.db, connecticutMortalityAdapter, f, opts('connecticut'));
      expect(r).toMatchObject({ status: 'succeeded', rowsIn: 300, rowsRejected: 0 });
      expect(await yearly('connecticut')).toEqual(before);
      const [n] = await q<{ n: number; d: number }>(
        `SELECT count(*)::INTEGER AS n, count(DISTINCT case_number)::INTEGER AS d FROM mortality_deaths WHERE jurisdiction_id = 'connecticut'`,
      );
      expect(n).toEqual({ n: 10654, d: 10654 });
    });

    it('rejects malformed records with their record line, field and reason', async () => {
      const recs = csvRecordTexts(readFileSync(CT_CSV, 'utf8')).slice(0, 31);
      const setField = (i: number, k: number, v: string) => {
        const parts = recs[i]!.split(',');
        parts[k] = v; // Date, Date Type, Age and Sex (fields 0–3) are never quoted in this file
        recs[i] = parts.join(',');
      };
      setField(2, 0, '13/45/2020');
      setField(5, 1, 'Date found');
      setField(8, 2, '-3');
      setField(11, 3, 'M?');
      // One field short: the last field (a quoted "CT\n(lat, lon)", or empty) removed with its comma.
      const last = recs[14]!.endsWith('"') ? recs[14]!.lastIndexOf(',"') : recs[14]!.lastIndexOf(',');
      recs[14] = recs[14]!.slice(0, last);
      setField(17, 0, '01/01/2090');
      const file = join(dir, 'ct-bad.csv');
      writeFileSync(file, `${recs.join('\n')}\n`);
      expect(parseCsv(readFileSync(file, 'utf8'))).toHaveLength(31);
      const r = await runIngest(duck, ops.db, connecticutMortalityAdapter, file, { ...opts('connecticut'), maxRejectShare: 0.5 });
      const got = await q<{ line: number; field: string; reason: string }>(
        `SELECT line::INTEGER AS line, field, reason FROM ingest_rejects WHERE ingest_run_id = $r ORDER BY line`,
        { r: r.runId },
      );
      // Lines count records (the header is line 1), not the four physical lines of each record.
      expect(got).toEqual([
        { line: 3, field: 'Date', reason: 'invalid_date' },
        { line: 6, field: 'Date Type', reason: 'invalid_code' },
        { line: 9, field: 'Age', reason: 'invalid_age' },
        { line: 12, field: 'Sex', reason: 'invalid_code' },
        { line: 15, field: 'row', reason: 'malformed_row' },
        { line: 18, field: 'Date', reason: 'date_out_of_range' },
      ]);
    });
  });
});
